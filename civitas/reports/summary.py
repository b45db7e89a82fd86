"""The Appendix I summary table of a city, as CSV, XLSX, Markdown or JSON.

One row per stakeholder under the Supplement's five columns (Table I.1): stakeholder,
scale and sector, aims and challenges, potential and constraints, role and contributions.
"""

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from civitas.cities.models import City
from civitas.core.exports import stream_csv, write_xlsx
from civitas.core.vocabulary import LfaRole, TechnologyRole
from civitas.stakeholders.selectors import SummaryRow


@dataclass(frozen=True)
class SummaryFormat:
    """A format the summary can be exported in."""

    extension: str
    content_type: str
    binary: bool = False


FORMATS = {
    "csv": SummaryFormat("csv", "text/csv; charset=utf-8"),
    "xlsx": SummaryFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        binary=True,
    ),
    "md": SummaryFormat("md", "text/markdown; charset=utf-8"),
    "json": SummaryFormat("json", "application/json"),
}

HEADER = list(SummaryRow.COLUMNS)
COLUMN_WIDTHS = (32, 22, 60, 60, 60)

# A cell is a list of groups, each a label (or "") and its items.
Group = tuple[str, list[str]]

_LFA_CODES = {str(role.label): str(role.value) for role in LfaRole}
_TECHNOLOGY_CODES = {str(role.label): str(role.value) for role in TechnologyRole}


def summary_filename(city: City, format: str) -> str:
    """Return the file name a city's summary is saved under."""
    return f"{city.slug}-summary.{FORMATS[format].extension}"


def _cells(row: SummaryRow) -> list[list[Group]]:
    return [
        [("", [row.stakeholder.name])],
        [("", [row.scale_and_sector])],
        [
            ("Aims", row.aims_and_challenges["aims"]),
            ("Challenges", row.aims_and_challenges["challenges"]),
        ],
        [
            ("Potential", row.potential_and_constraints["potential"]),
            ("Constraints", row.potential_and_constraints["constraints"]),
        ],
        [
            ("Roles", row.lfa_roles),
            ("Technology roles", row.technology_roles),
            ("Contributions", row.role_and_contributions),
        ],
    ]


def _plain_cell(groups: list[Group]) -> str:
    """Join a cell for a spreadsheet: items with "; ", one line per labelled group."""
    lines = []
    for label, items in groups:
        if not items:
            continue
        # Items are sentences; their final full stop would clash with the separator.
        text = "; ".join(item.strip().removesuffix(".") for item in items)
        lines.append(f"{label}: {text}" if label else text)
    return "\n".join(lines)


def _markdown_text(text: str) -> str:
    text = html.escape(text.strip(), quote=False).replace("|", "\\|")
    return re.sub(r"\r\n|\r|\n", "<br>", text)


def _markdown_cell(groups: list[Group]) -> str:
    """Join a cell for Markdown: one line per item, a bold label before each group."""
    parts = []
    for label, items in groups:
        if not items:
            continue
        if label:
            parts.append(f"**{label}:**")
            parts.extend(f"• {_markdown_text(item)}" for item in items)
        else:
            parts.extend(_markdown_text(item) for item in items)
    return "<br>".join(parts)


def summary_table(rows: Iterable[SummaryRow]) -> Iterator[list[str]]:
    """Yield the summary's rows as five plain-text cells each (without the header)."""
    for row in rows:
        yield [_plain_cell(groups) for groups in _cells(row)]


def summary_csv(rows: Iterable[SummaryRow]) -> Iterator[str]:
    """Yield the summary as CSV lines, safe to open in a spreadsheet."""
    return stream_csv(HEADER, summary_table(rows))


def summary_markdown(rows: Iterable[SummaryRow], *, city: City) -> Iterator[str]:
    """Yield the summary as a Markdown document holding one table."""
    yield f"# Summary of stakeholders: {_markdown_text(city.name)}\n\n"
    yield "Identification, categorization and analysis (ITU-T Y.Sup34, Appendix I).\n\n"
    yield "| " + " | ".join(HEADER) + " |\n"
    yield "|" + "|".join(" --- " for _ in HEADER) + "|\n"
    for row in rows:
        yield "| " + " | ".join(_markdown_cell(groups) for groups in _cells(row)) + " |\n"


def _json_row(row: SummaryRow) -> dict[str, Any]:
    stakeholder = row.stakeholder
    return {
        "id": stakeholder.pk,
        "name": stakeholder.name,
        "type": stakeholder.type.code,
        "type_name": stakeholder.type.name,
        "kind": stakeholder.kind,
        "parent": stakeholder.parent.name if stakeholder.parent else None,
        "scale": stakeholder.scale,
        "sector": stakeholder.sector,
        "levels": list(stakeholder.levels),
        "scale_and_sector": row.scale_and_sector,
        "aims": row.aims_and_challenges["aims"],
        "challenges": row.aims_and_challenges["challenges"],
        "potential": row.potential_and_constraints["potential"],
        "constraints": row.potential_and_constraints["constraints"],
        "contributions": row.role_and_contributions,
        "lfa_roles": [_LFA_CODES.get(label, label) for label in row.lfa_roles],
        "technology_roles": [_TECHNOLOGY_CODES.get(label, label) for label in row.technology_roles],
    }


def summary_json(rows: Iterable[SummaryRow], *, city: City) -> Iterator[str]:
    """Yield the summary as a JSON document, row by row: the city, the columns and one
    object per row, indented by two spaces."""
    head = json.dumps(
        {"city": {"slug": city.slug, "name": city.name}, "columns": HEADER},
        indent=2,
        ensure_ascii=False,
    )
    yield head.removesuffix("\n}") + ',\n  "rows": ['
    first = True
    for row in rows:
        # json.dumps escapes the line breaks inside strings: every "\n" here is layout.
        text = json.dumps(_json_row(row), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        yield ("\n    " if first else ",\n    ") + text
        first = False
    yield "]\n}\n" if first else "\n  ]\n}\n"


def summary_text(rows: Iterable[SummaryRow], format: str, *, city: City) -> Iterator[str]:
    """Yield the summary in a text format (csv, md or json), piece by piece."""
    if format == "csv":
        return summary_csv(rows)
    if format == "md":
        return summary_markdown(rows, city=city)
    if format == "json":
        return summary_json(rows, city=city)
    raise ValueError(f"'{format}' is not a text format of the summary.")


def summary_xlsx(rows: Iterable[SummaryRow], file: IO[bytes] | str, *, city: City) -> None:
    """Write the summary as an XLSX workbook."""
    write_xlsx(
        HEADER,
        summary_table(rows),
        file,
        title=f"Summary {city.slug}",
        column_widths=COLUMN_WIDTHS,
    )
