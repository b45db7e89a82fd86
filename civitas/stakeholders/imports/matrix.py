"""Import analysis-matrix items (§4.1, Appendix I) from a spreadsheet.

A row without a `key` is one of the city's own items for a stakeholder: it is added
unless the stakeholder already has the same text in the same dimension. A row with the
`key` of a catalogue default of the stakeholder's type gives the city's wording of that
default (its own text, or the catalogue's to bring the default back), and `source`
“dismissed” removes that default for the stakeholder. These two columns are what the
matrix export writes, so an export imports unchanged. Nothing else is deleted.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from civitas.accounts.models import User
from civitas.catalogue.models import DefaultMatrixItem
from civitas.cities.models import City
from civitas.core.bulk import (
    BulkTable,
    HistoryStamp,
    allocate_ids,
    concrete_attnames,
    copy_to_history,
    defaults_of,
    delete_rows,
    garbage_collection_paused,
)
from civitas.core.errors import ConflictError
from civitas.core.imports import ImportResult, Problem, Progress, Table, no_progress
from civitas.core.vocabulary import MatrixDimension
from civitas.stakeholders.imports._common import (
    Column,
    allowed,
    check_header,
    check_permissions,
    choice_lookup,
)
from civitas.stakeholders.models import MatrixItem, Stakeholder

KIND = "matrix"
SOURCES = ("default", "edited", "city", "dismissed")

COLUMNS = (
    Column("stakeholder", "The stakeholder's name in the registry.", "Lumen Council", True),
    Column(
        "dimension",
        "aim, challenge, potential, constraint or contribution.",
        "aim",
        True,
    ),
    Column("text", "The item's text.", "Cut the city's emissions by half by 2035.", True),
    Column(
        "source",
        "default, edited, city or dismissed (as exported): “dismissed” with a key removes "
        "that catalogue default for the stakeholder. Leave empty for the city's own items.",
    ),
    Column(
        "key",
        "The catalogue key of the default this row rewords (as exported). Leave empty for "
        "the city's own items.",
    ),
    Column("clause", "Where the catalogue default comes from: ignored here.", computed=True),
)
TEMPLATE_COLUMNS = ("stakeholder", "dimension", "text")

ATTNAMES = concrete_attnames(MatrixItem)
_DIMENSIONS = choice_lookup(
    MatrixDimension,
    ("aims", "aim"),
    ("challenges", "challenge"),
    ("constraints", "constraint"),
    ("contributions", "contribution"),
    ("role", "contribution"),
    ("role and contribution", "contribution"),
)


@dataclass(slots=True)
class _Row:
    line: int
    stakeholder_id: int
    dimension: str
    text: str
    default: DefaultMatrixItem | None
    dismissed: bool
    existing: dict[str, Any] | None
    action: str = ""
    changes: list[str] = field(default_factory=list)


def matrix_import(
    *,
    city: City,
    table: Table,
    by: User | None,
    dry_run: bool = False,
    reason: str = "",
    progress: Progress = no_progress,
) -> ImportResult:
    """Import analysis-matrix items of a city's stakeholders: all rows, or none."""
    check_permissions(by, city, "stakeholders.change_matrix")
    result = ImportResult(KIND, total=len(table.rows), columns=table.columns, unit=table.unit)
    result.problems = check_header(table, COLUMNS)
    if any(name not in table.columns for name in ("stakeholder", "dimension", "text")):
        return result
    try:
        with garbage_collection_paused(), transaction.atomic():
            rows, restores = _plan(city, table, result, progress)
            if result.problems or dry_run:
                return result
            _write(city, rows, restores, by=by, reason=reason)
    except IntegrityError as error:
        raise ConflictError(
            "Someone changed this analysis matrix while the import ran. Nothing was written: "
            "run the import again."
        ) from error
    result.written = True
    return result


def _plan(
    city: City, table: Table, result: ImportResult, progress: Progress
) -> tuple[list[_Row], list[dict[str, Any]]]:
    problems = result.problems
    unit = table.unit
    index = table.index
    i_stakeholder, i_dimension, i_text = index("stakeholder"), index("dimension"), index("text")
    i_source, i_key = index("source"), index("key")
    stakeholders = {
        s["name"].lower(): s
        for s in Stakeholder.objects.filter(city=city).values("id", "name", "type_id")
    }
    defaults = {d.key: d for d in DefaultMatrixItem.objects.select_related("type")}
    own: set[tuple[int, str, str]] = set()
    overrides: dict[tuple[int, int], dict[str, Any]] = {}
    for item in MatrixItem.objects.filter(stakeholder__city=city).values(*ATTNAMES):
        if item["replaces_id"] is None:
            own.add((item["stakeholder_id"], item["dimension"], item["text"]))
        else:
            overrides[(item["stakeholder_id"], item["replaces_id"])] = item
    seen: dict[Any, int] = {}
    rows: list[_Row] = []
    restores: list[dict[str, Any]] = []
    total = len(table.rows)
    for number, (line, cells) in enumerate(table.rows, start=1):
        if not number % 5000:
            progress("checking", number, total)
        before = len(problems)
        name = cells[i_stakeholder].strip()  # type: ignore[index]
        stakeholder = stakeholders.get(name.lower()) if name else None
        if stakeholder is None:
            problems.append(
                Problem(
                    line,
                    "stakeholder",
                    f"No stakeholder named “{name}” in the registry."
                    if name
                    else "The stakeholder's name is empty.",
                    unit,
                )
            )
        dimension_text = cells[i_dimension].strip()  # type: ignore[index]
        dimension = _DIMENSIONS.get(dimension_text.lower())
        if dimension is None:
            problems.append(
                Problem(
                    line,
                    "dimension",
                    f"Unknown dimension “{dimension_text}”. Use one of: "
                    f"{allowed(MatrixDimension)}.",
                    unit,
                )
            )
        source = cells[i_source].strip().lower() if i_source is not None else ""
        if source and source not in SOURCES:
            problems.append(
                Problem(
                    line, "source", f"Unknown source “{source}”. Use {', '.join(SOURCES)}.", unit
                )
            )
        key = cells[i_key].strip() if i_key is not None else ""
        default = None
        if key:
            default = defaults.get(key)
            if default is None:
                problems.append(
                    Problem(line, "key", f"The catalogue has no item with the key “{key}”.", unit)
                )
            elif stakeholder is not None and default.type_id != stakeholder["type_id"]:
                problems.append(
                    Problem(
                        line,
                        "key",
                        f"“{key}” is a default of “{default.type.name}”, not of “{name}”'s type.",
                        unit,
                    )
                )
            elif dimension is not None and default.dimension != dimension:
                problems.append(
                    Problem(
                        line,
                        "dimension",
                        f"The catalogue item “{key}” belongs to “{default.dimension}”.",
                        unit,
                    )
                )
        elif source == "dismissed":
            problems.append(
                Problem(line, "key", "Give the key of the catalogue default to dismiss.", unit)
            )
        dismissed = source == "dismissed"
        text = cells[i_text].strip()  # type: ignore[index]
        if not text and not dismissed:
            problems.append(Problem(line, "text", "The text is empty.", unit))
        if len(problems) > before:
            continue
        stakeholder_id = stakeholder["id"]  # type: ignore[index]
        identity: Any = (
            (stakeholder_id, default.pk) if default else (stakeholder_id, dimension, text)
        )
        if identity in seen:
            problems.append(
                Problem(
                    line,
                    "text" if default is None else "key",
                    f"This item appears twice for “{name}” (also {unit} {seen[identity]}).",
                    unit,
                )
            )
            continue
        seen[identity] = line
        row = _Row(line, stakeholder_id, dimension, text, default, dismissed, None)  # type: ignore[arg-type]
        _decide(row, own, overrides, restores)
        result.add_preview(line, row.action, f"{name}: {text or key}", changes=row.changes)
        rows.append(row)
    progress("checking", total, total)
    result.sort_problems()
    return rows, restores


def _decide(
    row: _Row,
    own: set[tuple[int, str, str]],
    overrides: dict[tuple[int, int], dict[str, Any]],
    restores: list[dict[str, Any]],
) -> None:
    """Decide whether a row creates, changes or leaves alone an item."""
    if row.default is None:
        row.action = (
            "unchanged" if (row.stakeholder_id, row.dimension, row.text) in own else "create"
        )
        return
    override = overrides.get((row.stakeholder_id, row.default.pk))
    row.existing = override
    if row.dismissed:
        if override is None:
            row.action = "create"
        elif override["dismissed"]:
            row.action = "unchanged"
        else:
            row.action, row.changes = "update", ["dismissed"]
        return
    if row.text == row.default.text:
        # The catalogue's own wording: the default applies again.
        if override is None:
            row.action = "unchanged"
        else:
            row.action, row.changes = "update", ["restored"]
            restores.append(override)
        return
    if override is None:
        row.action = "create"
    elif override["dismissed"] or override["text"] != row.text:
        row.action, row.changes = "update", ["text"]
    else:
        row.action = "unchanged"


def _write(
    city: City,
    rows: list[_Row],
    restores: list[dict[str, Any]],
    *,
    by: User | None,
    reason: str,
) -> None:
    now = timezone.now()
    stamp = HistoryStamp(user_id=by.pk if by else None, date=now, reason=reason)
    defaults = defaults_of(MatrixItem)
    creates = [row for row in rows if row.action == "create"]
    restored_ids = {item["id"] for item in restores}
    updates = [
        row
        for row in rows
        if row.action == "update" and row.existing and row.existing["id"] not in restored_ids
    ]
    positions = _next_positions(city, creates)
    new: list[dict[str, Any]] = []
    for row, new_id in zip(creates, allocate_ids(MatrixItem, len(creates)), strict=True):
        values = {
            **defaults,
            "id": new_id,
            "stakeholder_id": row.stakeholder_id,
            "dimension": row.dimension,
            "text": "" if row.dismissed else row.text,
            "dismissed": row.dismissed,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        if row.default is not None:
            values["replaces_id"] = row.default.pk
            values["position"] = row.default.position
        else:
            key = (row.stakeholder_id, row.dimension)
            positions[key] += 1
            values["position"] = positions[key]
        new.append(values)
    changed = []
    for row in updates:
        existing = row.existing
        changed.append(
            {
                **existing,  # type: ignore[dict-item]
                "text": "" if row.dismissed else row.text,
                "dismissed": row.dismissed,
                "version": existing["version"] + 1,  # type: ignore[index]
                "updated_at": now,
            }
        )
    table = BulkTable(MatrixItem)
    table.insert(new)
    table.update(
        changed,
        columns=["text", "dismissed", "version", "updated_at"],
        expected_versions=[row.existing["version"] for row in updates],  # type: ignore[index]
    )
    copy_to_history(MatrixItem, [item["id"] for item in new], history_type="+", stamp=stamp)
    copy_to_history(MatrixItem, [item["id"] for item in changed], history_type="~", stamp=stamp)
    if restores:
        # Bringing a default back deletes the city's edit of it, as matrix_default_restore
        # does; the history records the deletion like the others, by the importing user.
        ids = [item["id"] for item in restores]
        copy_to_history(MatrixItem, ids, history_type="-", stamp=stamp)
        delete_rows(MatrixItem, ids)


def _next_positions(city: City, creates: list[_Row]) -> dict[tuple[int, str], int]:
    """Return the highest position of own items per stakeholder and dimension."""
    keys = {(row.stakeholder_id, row.dimension) for row in creates if row.default is None}
    positions = dict.fromkeys(keys, 0)
    if not keys:
        return positions
    for item in (
        MatrixItem.objects.filter(stakeholder__city=city)
        .values("stakeholder_id", "dimension")
        .annotate(last=Max("position"))
    ):
        key = (item["stakeholder_id"], item["dimension"])
        if key in positions:
            positions[key] = item["last"] or 0
    return positions
