"""Import categorizations (§3.2) from a spreadsheet: one row per stakeholder and initiative.

A row names a stakeholder of the city and, in an `initiative` column or through the
initiative given to the import, the initiative. A new categorization starts from the
defaults of the stakeholder's type; the file's columns override them. An existing one
changes only in the columns the file has. Nothing is deleted.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.catalogue.models import StakeholderType
from civitas.cities.models import City, Initiative
from civitas.core.bulk import (
    BulkTable,
    HistoryStamp,
    allocate_ids,
    concrete_attnames,
    copy_to_history,
    defaults_of,
    garbage_collection_paused,
)
from civitas.core.errors import ConflictError
from civitas.core.imports import ImportResult, Problem, Progress, Table, no_progress
from civitas.core.vocabulary import LfaRole, TechnologyRole
from civitas.stakeholders.imports._common import (
    Column,
    allowed,
    check_header,
    check_permissions,
    choice_lookup,
    parse_choices,
    parse_int,
)
from civitas.stakeholders.models import Categorization, Stakeholder
from civitas.stakeholders.services import categorization_defaults

KIND = "categorizations"

COLUMNS = (
    Column(
        "initiative",
        "The initiative's name (may be left out when the import is for one initiative).",
        "Smart mobility",
    ),
    Column("stakeholder", "The stakeholder's name in the registry.", "Lumen Council", True),
    Column(
        "lfa_roles",
        "Roles in the initiative, separated by “;”: active, beneficiary, potential_supporter, "
        "potential_opponent (default: the type's).",
        "active; beneficiary",
    ),
    Column(
        "technology_roles",
        "Roles towards technology, separated by “;”: technology_enabler, technology_driver, "
        "ssc_enabler (default: the type's).",
        "ssc_enabler",
    ),
    Column("power_monetary", "Power through money, 0 (none) to 5.", "4"),
    Column("power_administrative", "Power through administrative authority, 0 to 5.", "5"),
    Column("interest", "Interest in the initiative, 0 to 5.", "5"),
    Column("attitude", "-2 (opposed) to +2 (supportive).", "2"),
    Column("rationale", "Why these values.", "Leads the initiative and funds it."),
    Column(
        "power", "The stronger of the two powers: written by exports, ignored here.", computed=True
    ),
    Column(
        "quadrant",
        "The power-interest grid's strategy: written by exports, ignored here.",
        computed=True,
    ),
)
TEMPLATE_COLUMNS = ("initiative", "stakeholder", "lfa_roles", "technology_roles",
                    "power_monetary", "power_administrative", "interest", "attitude",
                    "rationale")  # fmt: skip

ATTNAMES = concrete_attnames(Categorization)
EDITABLE = ("lfa_roles", "technology_roles", "power_monetary", "power_administrative",
            "interest", "attitude", "rationale")  # fmt: skip
SETS = frozenset({"lfa_roles", "technology_roles"})
_LFA = choice_lookup(
    LfaRole,
    ("potential supporter", "potential_supporter"),
    ("potential opponent", "potential_opponent"),
    ("supporter", "potential_supporter"),
    ("opponent", "potential_opponent"),
)
_TECHNOLOGY = choice_lookup(TechnologyRole)
_SCORES = {
    "power_monetary": (0, 5),
    "power_administrative": (0, 5),
    "interest": (0, 5),
    "attitude": (-2, 2),
}


@dataclass(slots=True)
class _Row:
    line: int
    stakeholder: dict[str, Any]
    initiative: Initiative
    values: dict[str, Any]
    existing: dict[str, Any] | None
    action: str = ""
    changes: list[str] = field(default_factory=list)


def categorization_import(
    *,
    city: City,
    table: Table,
    by: User | None,
    initiative: Initiative | None = None,
    dry_run: bool = False,
    reason: str = "",
    progress: Progress = no_progress,
) -> ImportResult:
    """Import the categorizations of a city's stakeholders: all rows, or none."""
    check_permissions(by, city, "stakeholders.categorize")
    result = ImportResult(KIND, total=len(table.rows), columns=table.columns, unit=table.unit)
    result.problems = check_header(table, COLUMNS)
    if initiative is None and "initiative" not in table.columns:
        result.problems.append(
            table.problem(
                table.header_line,
                "",
                "Say which initiative these categorizations are for: add an “initiative” "
                "column, or choose the initiative when importing.",
            )
        )
    if result.problems and "stakeholder" not in table.columns:
        return result
    try:
        with garbage_collection_paused(), transaction.atomic():
            rows = _plan(city, table, initiative, result, progress)
            if result.problems or dry_run:
                return result
            _write(rows, by=by, reason=reason, progress=progress)
    except IntegrityError as error:
        raise ConflictError(
            "Someone changed these categorizations while the import ran. Nothing was written: "
            "run the import again."
        ) from error
    result.written = True
    return result


def _plan(
    city: City,
    table: Table,
    initiative: Initiative | None,
    result: ImportResult,
    progress: Progress,
) -> list[_Row]:
    problems = result.problems
    unit = table.unit
    index = table.index
    i_initiative, i_stakeholder = index("initiative"), index("stakeholder")
    initiatives = {i.name.strip().lower(): i for i in Initiative.objects.filter(city=city)}
    stakeholders = {
        s["name"].lower(): s
        for s in Stakeholder.objects.filter(city=city).values("id", "name", "type_id")
    }
    types = {t.pk: t for t in StakeholderType.objects.all()}
    existing = {
        (c["stakeholder_id"], c["initiative_id"]): c
        for c in Categorization.objects.filter(stakeholder__city=city).values(*ATTNAMES)
    }
    present = [(position, name) for name in EDITABLE if (position := index(name)) is not None]
    seen: dict[tuple[int, int], int] = {}
    rows: list[_Row] = []
    total = len(table.rows)
    for number, (line, cells) in enumerate(table.rows, start=1):
        if not number % 5000:
            progress("checking", number, total)
        before = len(problems)
        target = initiative
        if i_initiative is not None and (named := cells[i_initiative].strip()):
            target = initiatives.get(named.lower())
            if target is None:
                problems.append(
                    Problem(line, "initiative", f"The city has no initiative “{named}”.", unit)
                )
            elif initiative is not None and target.pk != initiative.pk:
                problems.append(
                    Problem(
                        line,
                        "initiative",
                        f"This import is for “{initiative.name}”, not “{named}”.",
                        unit,
                    )
                )
        elif target is None:
            problems.append(Problem(line, "initiative", "Name the initiative of this row.", unit))
        name = cells[i_stakeholder].strip()  # type: ignore[index]
        stakeholder = stakeholders.get(name.lower()) if name else None
        if stakeholder is None:
            problems.append(
                Problem(
                    line,
                    "stakeholder",
                    f"No stakeholder named “{name}” in the registry. Import the stakeholders first."
                    if name
                    else "The stakeholder's name is empty.",
                    unit,
                )
            )
        values: dict[str, Any] = {}
        for position, column in present:
            cell = cells[position]
            if column in SETS:
                lookup, choices = (
                    (_LFA, LfaRole) if column == "lfa_roles" else (_TECHNOLOGY, TechnologyRole)
                )
                codes, unknown = parse_choices(cell, lookup)
                if unknown:
                    problems.append(
                        Problem(
                            line,
                            column,
                            f"Unknown role {', '.join(f'“{v}”' for v in unknown)}. Use "
                            f"{allowed(choices)}, separated by “;”.",
                            unit,
                        )
                    )
                values[column] = codes
            elif column == "rationale":
                values[column] = cell.strip()
            else:
                low, high = _SCORES[column]
                if not cell.strip():
                    continue  # an empty score keeps the stored value or the default
                score = parse_int(cell, low, high)
                if score is None:
                    problems.append(
                        Problem(
                            line,
                            column,
                            f"Give a whole number from {low} to {high}, not “{cell.strip()}”.",
                            unit,
                        )
                    )
                values[column] = score
        if len(problems) > before:
            continue
        key = (stakeholder["id"], target.pk)  # type: ignore[index,union-attr]
        if key in seen:
            problems.append(
                Problem(
                    line,
                    "stakeholder",
                    f"“{name}” appears twice for “{target.name}” (also {unit} {seen[key]}).",  # type: ignore[union-attr]
                    unit,
                )
            )
            continue
        seen[key] = line
        row = _Row(line, stakeholder, target, values, existing.get(key))  # type: ignore[arg-type]
        if row.existing is None:
            row.action = "create"
            row.values = {
                **categorization_defaults(types[stakeholder["type_id"]]),  # type: ignore[index]
                **values,
            }
        else:
            row.changes = [
                column
                for column, value in values.items()
                if (
                    set(row.existing[column]) != set(value)
                    if column in SETS
                    else row.existing[column] != value
                )
            ]
            row.action = "update" if row.changes else "unchanged"
        result.add_preview(
            line, row.action, f"{name} in {row.initiative.name}", changes=row.changes
        )
        rows.append(row)
    progress("checking", total, total)
    result.sort_problems()
    return rows


def _write(rows: list[_Row], *, by: User | None, reason: str, progress: Progress) -> None:
    now = timezone.now()
    stamp = HistoryStamp(user_id=by.pk if by else None, date=now, reason=reason)
    defaults = defaults_of(Categorization)
    creates = [row for row in rows if row.action == "create"]
    updates = [row for row in rows if row.action == "update"]
    new: list[dict[str, Any]] = []
    for row, new_id in zip(creates, allocate_ids(Categorization, len(creates)), strict=True):
        new.append(
            {
                **defaults,
                **row.values,
                "id": new_id,
                "stakeholder_id": row.stakeholder["id"],
                "initiative_id": row.initiative.pk,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    changed = [
        {
            **row.existing,  # type: ignore[dict-item]
            **row.values,
            "version": row.existing["version"] + 1,  # type: ignore[index]
            "updated_at": now,
        }
        for row in updates
    ]
    progress("writing", 0, len(rows))
    table = BulkTable(Categorization)
    table.insert(new)
    table.update(
        changed,
        columns=[*EDITABLE, "version", "updated_at"],
        expected_versions=[row.existing["version"] for row in updates],  # type: ignore[index]
    )
    copy_to_history(Categorization, [c["id"] for c in new], history_type="+", stamp=stamp)
    copy_to_history(Categorization, [c["id"] for c in changed], history_type="~", stamp=stamp)
    progress("writing", len(rows), len(rows))
