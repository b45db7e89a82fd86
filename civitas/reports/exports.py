"""Exports of a city's registry, categorizations and analysis matrix as CSV, XLSX or JSON.

Rows are read with `.iterator()` in chunks and written as they come, so memory stays
flat however large the city (the Appendix I summary, built by its selector as one list,
is the exception). Each export's columns are the ones its importer reads, so a file
exported from one city imports unchanged into another; computed columns (scale, power,
quadrant, clause) are for readers and ignored on import. Contact persons are personal
data and are never part of these exports; only the whole-city backup carries them.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.exports import stream_csv, write_xlsx
from civitas.core.vocabulary import MatrixDimension, scale_of
from civitas.reports import summary
from civitas.reports.selectors import (
    CHUNK,
    export_categorizations,
    export_matrix_rows,
    export_registry_rows,
)
from civitas.stakeholders.selectors import summary_rows_streamed

Record = dict[str, Any]

REGISTRY_COLUMNS = (
    "id", "name", "type", "kind", "parent", "levels", "sector", "scale", "description",
    "website", "tags", "identified_as", "validation_steps", "confidential",
)  # fmt: skip
CATEGORIZATION_COLUMNS = (
    "initiative", "stakeholder", "lfa_roles", "technology_roles", "power_monetary",
    "power_administrative", "interest", "attitude", "power", "quadrant", "rationale",
)  # fmt: skip
MATRIX_COLUMNS = ("stakeholder", "dimension", "text", "source", "key", "clause")
SUMMARY_COLUMNS = tuple(summary.HEADER)


@dataclass(frozen=True)
class ExportFormat:
    """A file format exports are written in."""

    extension: str
    content_type: str
    binary: bool = False


FORMATS = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8"),
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True
    ),
    "json": ExportFormat("json", "application/json"),
}


@dataclass(frozen=True)
class ExportKind:
    """What can be exported: its columns and where its records come from."""

    kind: str
    label: str
    columns: tuple[str, ...]
    records: Callable[..., Iterator[Record]]
    sheet: str


def registry_records(*, city: City, user: User | None, **_: Any) -> Iterator[Record]:
    """Yield one record per active stakeholder the user may see, by name."""
    for (
        pk, name, type_code, kind, parent, levels, sector, description, website, tags,
        identified_as, validation_steps, confidential,
    ) in export_registry_rows(city=city, user=user):  # fmt: skip
        yield {
            "id": pk,
            "name": name,
            "type": type_code,
            "kind": kind,
            "parent": parent or "",
            "levels": levels,
            "sector": sector,
            "scale": scale_of(levels),
            "description": description,
            "website": website,
            "tags": tags,
            "identified_as": identified_as,
            "validation_steps": validation_steps,
            "confidential": confidential,
        }


def categorization_records(
    *, city: City, user: User | None, initiative: Initiative | None = None, **_: Any
) -> Iterator[Record]:
    """Yield one record per categorization, by initiative and stakeholder."""
    for categorization in export_categorizations(city=city, user=user, initiative=initiative):
        yield {
            "initiative": categorization.initiative.name,
            "stakeholder": categorization.stakeholder.name,
            "lfa_roles": list(categorization.lfa_roles),
            "technology_roles": list(categorization.technology_roles),
            "power_monetary": categorization.power_monetary,
            "power_administrative": categorization.power_administrative,
            "interest": categorization.interest,
            "attitude": categorization.attitude,
            "power": categorization.power,
            "quadrant": str(categorization.quadrant),
            "rationale": categorization.rationale,
        }


def matrix_records(*, city: City, user: User | None, **_: Any) -> Iterator[Record]:
    """Yield every line of every stakeholder's effective matrix, and dismissed defaults."""
    dimensions = MatrixDimension.values
    for stakeholder, matrix, dismissed in export_matrix_rows(city=city, user=user):
        for dimension in dimensions:
            for entry in matrix[dimension]:
                yield {
                    "stakeholder": stakeholder.name,
                    "dimension": dimension,
                    "text": entry.text,
                    "source": entry.source,
                    "key": entry.default.key if entry.default is not None else "",
                    "clause": entry.clause,
                }
        for default in dismissed:
            yield {
                "stakeholder": stakeholder.name,
                "dimension": default.dimension,
                "text": "",
                "source": "dismissed",
                "key": default.key,
                "clause": default.clause,
            }


def summary_records(*, city: City, user: User | None, **_: Any) -> Iterator[Record]:
    """Yield the Appendix I summary as plain-text cells under its five columns."""
    for cells in summary.summary_table(summary_rows_streamed(city=city, user=user)):
        yield dict(zip(SUMMARY_COLUMNS, cells, strict=True))


KINDS: dict[str, ExportKind] = {
    "registry": ExportKind(
        "registry", "Registry of stakeholders", REGISTRY_COLUMNS, registry_records, "Stakeholders"
    ),
    "categorizations": ExportKind(
        "categorizations",
        "Categorizations",
        CATEGORIZATION_COLUMNS,
        categorization_records,
        "Categorizations",
    ),
    "matrix": ExportKind("matrix", "Analysis matrix", MATRIX_COLUMNS, matrix_records, "Matrix"),
    "summary": ExportKind(
        "summary", "Summary table (Appendix I)", SUMMARY_COLUMNS, summary_records, "Summary"
    ),
}


def export_filename(city: City, kind: str, format: str) -> str:
    """Return the name an export is saved under."""
    return f"{city.slug}-{kind}.{FORMATS[format].extension}"


def _cell(value: Any) -> Any:
    """Return a value as a spreadsheet cell: lists joined with “; ”, booleans as yes/no."""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    return value


def _cells(columns: tuple[str, ...], records: Iterable[Record]) -> Iterator[list[Any]]:
    for record in records:
        row = [record[column] for column in columns]
        for index, value in enumerate(row):
            # Most cells are text or numbers already (bool is an int, but becomes yes/no).
            if type(value) is not str and type(value) is not int:
                row[index] = _cell(value)
        yield row


def export_csv(kind: str, records: Iterable[Record]) -> Iterator[str]:
    """Yield an export as CSV lines, formula-safe."""
    columns = KINDS[kind].columns
    return stream_csv(list(columns), _cells(columns, records))


def export_json(kind: str, records: Iterable[Record], *, city: City) -> Iterator[str]:
    """Yield an export as a JSON document, piece by piece: the city, columns and rows."""
    columns = KINDS[kind].columns
    head = {"kind": kind, "city": {"slug": city.slug, "name": city.name}, "columns": columns}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    first = True
    for record in records:
        yield ("\n  " if first else ",\n  ") + json.dumps(
            record, ensure_ascii=False, default=_json_default
        )
        first = False
    yield "\n]}\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def export_xlsx(kind: str, records: Iterable[Record], file: IO[bytes] | str) -> None:
    """Write an export as an XLSX workbook, in constant memory."""
    export = KINDS[kind]
    write_xlsx(list(export.columns), _cells(export.columns, records), file, title=export.sheet)


def export_text(kind: str, format: str, records: Iterable[Record], *, city: City) -> Iterator[str]:
    """Yield an export in a text format (csv or json)."""
    if format == "csv":
        return export_csv(kind, records)
    if format == "json":
        return export_json(kind, records, city=city)
    raise ValueError(f"'{format}' is not a text format.")


__all__ = ["CHUNK", "FORMATS", "KINDS", "export_filename", "export_text", "export_xlsx"]
