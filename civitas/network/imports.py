"""Import a city's relationships from a spreadsheet: check every row, then write all at once.

Rows name their source and target stakeholders (ignoring case), the kind (its code or its
label, e.g. "funds" or "Sets standards for"), and optionally strength (1-3), description,
direction, initiative (name or id), start_date and end_date. A row updates the relationship
the city already has between the same stakeholders, of the same kind and in the same
initiative, and adds one otherwise; an empty cell keeps what is stored, and nothing is
deleted. A file with any problem writes
nothing, and every problem names its line and column.

The rows are written with plain bulk SQL (civitas.core.bulk) in one transaction, each with
the history row a save would have added, so that large files import quickly.
"""

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.bulk import (
    BulkTable,
    HistoryStamp,
    allocate_ids,
    concrete_attnames,
    defaults_of,
    garbage_collection_paused,
    insert_history,
)
from civitas.core.errors import ConflictError
from civitas.core.imports import ImportResult, Problem, Progress, Table, no_progress
from civitas.network.models import Relationship
from civitas.network.services import default_direction, network_cache_clear
from civitas.network.vocabulary import Direction, RelationshipKind
from civitas.stakeholders.imports._common import (
    Column,
    check_header,
    check_permissions,
    choice_lookup,
    parse_int,
)
from civitas.stakeholders.models import Stakeholder

KIND = "relationships"
PERMISSIONS = ("network.add_relationship", "network.change_relationship")

COLUMNS = (
    Column("source", "The name of the stakeholder the relationship starts from.",
           "Aurelia City Council", True),
    Column("target", "The name of the stakeholder it goes to.", "Clearway Waste Services", True),
    Column("kind", "What the source does: " + ", ".join(RelationshipKind.values) + ".",
           "evaluates", True),
    Column("strength", "1 (weak or occasional), 2 (regular) or 3 (strong or formal); "
           "default 2.", "3"),
    Column("description", "What the relationship is about.",
           "Quarterly review of the collection KPIs."),
    Column("direction", "directed (from source to target) or mutual (both ways); default: "
           "mutual for collaborates, else directed.", "directed"),
    Column("initiative", "The name or id of the initiative it belongs to; empty for the "
           "whole programme."),
    Column("start_date", "When it began, as YYYY-MM-DD."),
    Column("end_date", "When it ended or ends, as YYYY-MM-DD."),
)  # fmt: skip
TEMPLATE_COLUMNS = ("source", "target", "kind", "strength", "description")

_KINDS = choice_lookup(
    RelationshipKind,
    ("regulates", "regulates"), ("sets policy for", "regulates"), ("policy", "regulates"),
    ("contracts", "provides_service"), ("contracts with", "provides_service"),
    ("provides a service to", "provides_service"), ("serves", "provides_service"),
    ("collaborates", "collaborates"), ("cooperates with", "collaborates"),
    ("supplies data", "supplies_data"), ("member of", "member_of"),
    ("is a member of", "member_of"), ("represents", "member_of"),
    ("advises", "advises"), ("assists", "advises"), ("sets standards", "sets_standards"),
    ("informs", "informs"), ("communicates with", "informs"),
)  # fmt: skip
_DIRECTIONS = choice_lookup(
    Direction, ("one way", "directed"), ("both ways", "mutual"), ("both", "mutual"),
    ("undirected", "mutual"), ("two-way", "mutual"),
)  # fmt: skip
EDITABLE = ("direction", "strength", "description", "start_date", "end_date")
ATTNAMES = concrete_attnames(Relationship)


@dataclass(slots=True)
class _Row:
    line: int
    source: dict[str, Any]
    target: dict[str, Any]
    kind: str
    initiative_id: int | None
    values: dict[str, Any] = field(default_factory=dict)
    existing: dict[str, Any] | None = None


def _stakeholders(city: City) -> dict[str, dict[str, Any]]:
    rows = Stakeholder.objects.filter(city=city).values("id", "name", "archived_at")
    return {row["name"].strip().lower(): dict(row) for row in rows}


def _initiatives(city: City) -> tuple[dict[str, Initiative], dict[int, Initiative]]:
    initiatives = list(Initiative.objects.filter(city=city))
    return (
        {initiative.name.strip().lower(): initiative for initiative in initiatives},
        {initiative.pk: initiative for initiative in initiatives},
    )


def _date(cell: str) -> date | None:
    text = cell.strip()
    if not text:
        return None
    return date.fromisoformat(text[:10])


def relationship_import(
    *,
    city: City,
    table: Table,
    by: User | None,
    dry_run: bool = False,
    reason: str = "",
    progress: Progress = no_progress,
) -> ImportResult:
    """Import relationships into a city: all rows, or none when any has a problem."""
    check_permissions(by, city, *PERMISSIONS)
    result = ImportResult(KIND, total=len(table.rows), columns=table.columns, unit=table.unit)
    result.problems = check_header(table, COLUMNS)
    if any(name not in table.columns for name in ("source", "target", "kind")):
        return result
    try:
        with garbage_collection_paused(), transaction.atomic():
            rows = _plan(city, table, result, progress)
            if result.problems or dry_run:
                return result
            _write(city, rows, by=by, reason=reason, progress=progress)
    except IntegrityError as error:
        raise ConflictError(
            "Someone changed these relationships while the import ran. Nothing was written: "
            "run the import again."
        ) from error
    result.written = True
    return result


def _plan(city: City, table: Table, result: ImportResult, progress: Progress) -> list[_Row]:
    """Read every row, collect every problem, and decide what happens to each row."""
    problems, unit = result.problems, table.unit
    index = table.index
    i_source, i_target, i_kind = index("source"), index("target"), index("kind")
    optional = {name: index(name) for name in (*EDITABLE, "initiative")}
    stakeholders = _stakeholders(city)
    names = sorted(row["name"] for row in stakeholders.values())
    by_name, by_id = _initiatives(city)
    existing: dict[tuple[int, int, str, int | None], dict[str, Any]] = {}
    for stored in Relationship.objects.filter(city=city).values(*ATTNAMES):
        key = (stored["source_id"], stored["target_id"], stored["kind"], stored["initiative_id"])
        existing[key] = stored
    seen: dict[tuple[int, int, str, int | None], int] = {}
    rows: list[_Row] = []
    total = len(table.rows)
    progress("checking", 0, total)

    def problem(line: int, column: str, message: str) -> None:
        problems.append(Problem(line, column, message, unit))

    def stakeholder(line: int, column: str, cell: str) -> dict[str, Any] | None:
        name = cell.strip()
        if not name:
            problem(line, column, f"The {column} is empty: give a stakeholder's name.")
            return None
        found = stakeholders.get(name.lower())
        if found is None:
            hint = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
            suggestion = f" Did you mean “{hint[0]}”?" if hint else ""
            problem(line, column, f"No stakeholder of this city is named “{name}”.{suggestion}")
            return None
        if found["archived_at"] is not None:
            problem(line, column, f"“{found['name']}” is archived; bring it back first.")
            return None
        return found

    for number, (line, cells) in enumerate(table.rows, start=1):
        if not number % 5000:
            progress("checking", number, total)
        before = len(problems)
        source = stakeholder(line, "source", cells[i_source])  # type: ignore[index]
        target = stakeholder(line, "target", cells[i_target])  # type: ignore[index]
        if source is not None and target is not None and source["id"] == target["id"]:
            problem(line, "target", "A stakeholder cannot have a relationship with itself.")
        kind_text = cells[i_kind].strip()  # type: ignore[index]
        kind = _KINDS.get(kind_text.lower())
        if kind is None:
            problem(
                line,
                "kind",
                f"Unknown kind “{kind_text}”. Use one of: {', '.join(RelationshipKind.values)}."
                if kind_text
                else "The kind is empty. Use one of: " + ", ".join(RelationshipKind.values) + ".",
            )
        values: dict[str, Any] = {}
        initiative: Initiative | None = None
        if (position := optional["initiative"]) is not None and (text := cells[position].strip()):
            initiative = by_name.get(text.lower()) or (
                by_id.get(int(text)) if text.isdigit() else None
            )
            if initiative is None:
                problem(line, "initiative", f"No initiative of this city is called “{text}”.")
        if (position := optional["strength"]) is not None and (text := cells[position].strip()):
            strength = parse_int(text, 1, 3)
            if strength is None:
                problem(line, "strength", f"Write 1, 2 or 3, not “{text}”.")
            values["strength"] = strength
        if (position := optional["direction"]) is not None and (text := cells[position].strip()):
            direction = _DIRECTIONS.get(text.lower())
            if direction is None:
                problem(line, "direction", f"Write directed or mutual, not “{text}”.")
            values["direction"] = direction
        if (position := optional["description"]) is not None and (text := cells[position].strip()):
            values["description"] = text
        for column in ("start_date", "end_date"):
            if (position := optional[column]) is not None:
                try:
                    values[column] = _date(cells[position])
                except ValueError:
                    problem(line, column, f"“{cells[position].strip()}” is not a date YYYY-MM-DD.")
        start, end = values.get("start_date"), values.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            problem(line, "end_date", "The relationship cannot end before it starts.")
        if len(problems) > before or source is None or target is None or kind is None:
            continue
        initiative_id = initiative.pk if initiative is not None else None
        key = (source["id"], target["id"], kind, initiative_id)
        if key in seen:
            problem(
                line,
                "",
                f"This relationship is already on {unit} {seen[key]} of the file. Keep one.",
            )
            continue
        seen[key] = line
        stored = existing.get(key)
        if stored is None and values.get("direction", default_direction(kind)) == "mutual":
            reverse = existing.get((target["id"], source["id"], kind, initiative_id))
            if reverse is not None and reverse["direction"] == Direction.MUTUAL:
                stored = reverse
        if stored is None and initiative is not None and initiative.archived_at is not None:
            problem(line, "initiative", f"The initiative “{initiative.name}” is archived.")
            continue
        rows.append(_Row(line, source, target, kind, initiative_id, values, stored))
    progress("checking", total, total)
    result.sort_problems()
    if not problems:
        for row in rows:
            label = f"{row.source['name']} → {row.target['name']} ({row.kind})"
            if row.existing is None:
                result.add_preview(row.line, "create", label)
                continue
            changes = [
                name
                for name in EDITABLE
                if name in row.values and row.values[name] != row.existing[name]
            ]
            action = "update" if changes else "unchanged"
            result.add_preview(row.line, action, label, changes=changes)
    return rows


def _write(
    city: City, rows: list[_Row], *, by: User | None, reason: str, progress: Progress
) -> None:
    now = timezone.now()
    stamp = HistoryStamp(by.pk if by is not None else None, now, reason)
    creates = [row for row in rows if row.existing is None]
    ids = allocate_ids(Relationship, len(creates))
    defaults = defaults_of(Relationship)
    new_rows = []
    for pk, row in zip(ids, creates, strict=True):
        record = dict(defaults)
        record.update(
            id=pk,
            city_id=city.pk,
            source_id=row.source["id"],
            target_id=row.target["id"],
            kind=row.kind,
            initiative_id=row.initiative_id,
            direction=row.values.get("direction") or default_direction(row.kind),
            strength=row.values.get("strength") or 2,
            description=row.values.get("description", ""),
            start_date=row.values.get("start_date"),
            end_date=row.values.get("end_date"),
            version=1,
            created_at=now,
            updated_at=now,
        )
        new_rows.append(record)
    table = BulkTable(Relationship)
    table.insert(new_rows, progress=lambda done: progress("writing", done, len(rows)))
    insert_history(Relationship, new_rows, history_type="+", stamp=stamp)
    updates, versions = [], []
    for row in rows:
        stored = row.existing
        if stored is None:
            continue
        changes = {k: v for k, v in row.values.items() if v is not None and v != stored[k]}
        if not changes:
            continue
        record = {**stored, **changes, "version": stored["version"] + 1, "updated_at": now}
        updates.append(record)
        versions.append(stored["version"])
    columns = [*EDITABLE, "version", "updated_at"]
    BulkTable(Relationship).update(updates, columns=columns, expected_versions=versions)
    insert_history(Relationship, updates, history_type="~", stamp=stamp)
    network_cache_clear(city)


def _importer() -> Any:
    """Return the relationship importer in the form `civitas import` lists its importers."""
    from civitas.stakeholders.imports import Importer

    return Importer(
        KIND,
        "Relationships between stakeholders",
        COLUMNS,
        TEMPLATE_COLUMNS,
        relationship_import,
        ("relationships", "relationship"),
        PERMISSIONS,
    )


RELATIONSHIP_IMPORTER = _importer()
