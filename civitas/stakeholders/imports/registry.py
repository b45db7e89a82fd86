"""Import a city's stakeholders from a spreadsheet: check every row, then write all at once.

A row updates the stakeholder with its `id` (when the file has that column and the cell
is filled) or with its name (ignoring case), and adds a new stakeholder otherwise. A
column the file leaves out keeps the stored values (and gives new stakeholders the
defaults of their type); an empty cell in a column the file has clears the value, except
for kind and sector, which then keep the stored value or take the type's default.
Nothing is ever deleted. The `email` column is kept as the stakeholder's contact person
named “General contact”: the model has no e-mail field of its own.

Rows are checked in Python against look-ups read once (catalogue types by code and name,
the city's stakeholders by id and name), and written with plain bulk SQL (civitas.core.bulk)
in one transaction, each with the history row a save would have added. A file with any
problem writes nothing.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as FieldError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from civitas.accounts.models import User
from civitas.catalogue.models import StakeholderType, TypeKind
from civitas.cities.models import City
from civitas.core.bulk import (
    BulkTable,
    HistoryStamp,
    allocate_ids,
    concrete_attnames,
    copy_to_history,
    defaults_of,
    garbage_collection_paused,
    insert_history,
)
from civitas.core.errors import ConflictError
from civitas.core.imports import (
    ImportResult,
    Problem,
    Progress,
    Table,
    no_progress,
)
from civitas.stakeholders.imports._common import (
    check_header,
    check_permissions,
)
from civitas.stakeholders.imports.stakeholder_columns import (
    COLUMNS,
    EDITABLE,
    GENERAL_CONTACT,
    GENERAL_CONTACT_ROLE,
    KEEP,
    KIND,
    PARSERS,
    READ,
    REPEATING,
    SETS,
    SHOWN_AS,
    TEMPLATE_COLUMNS,
    BadCell,
    PlannedRow,
    remembering,
)
from civitas.stakeholders.imports.stakeholder_parents import check_names_and_parents
from civitas.stakeholders.models import (
    ContactPerson,
    Stakeholder,
    StakeholderKind,
)

__all__ = ["COLUMNS", "GENERAL_CONTACT", "TEMPLATE_COLUMNS", "stakeholder_import"]


@dataclass
class _Plan:
    rows: list[PlannedRow]
    fingerprint: dict[str, Any]
    contacts: dict[int, dict[str, Any]]


def stakeholder_import(
    *,
    city: City,
    table: Table,
    by: User | None,
    dry_run: bool = False,
    reason: str = "",
    progress: Progress = no_progress,
) -> ImportResult:
    """Import stakeholders into a city's registry: all rows, or none when any has a problem.

    Returns what was (or, in a dry run, would be) created, updated and left unchanged,
    or the problems found, each with its line and column.
    """
    check_permissions(by, city, "stakeholders.add_stakeholder", "stakeholders.change_stakeholder")
    # The cycle collector resumes only once the rows are gone: see garbage_collection_paused.
    with garbage_collection_paused():
        return _import(city, table, by, dry_run=dry_run, reason=reason, progress=progress)


def _import(
    city: City, table: Table, by: User | None, *, dry_run: bool, reason: str, progress: Progress
) -> ImportResult:
    result = ImportResult(KIND, total=len(table.rows), columns=table.columns, unit=table.unit)
    result.problems = check_header(table, COLUMNS)
    if any(name not in table.columns for name in ("name", "type")):
        return result
    plan = _plan(city, table, result, progress)
    if result.problems or dry_run:
        return result
    try:
        with transaction.atomic():
            if _fingerprint(city) != plan.fingerprint:
                # Someone changed the registry since it was checked: check again, now that
                # the transaction holds the write lock (SQLite) or sees the latest rows.
                result = ImportResult(
                    KIND, total=len(table.rows), columns=table.columns, unit=table.unit
                )
                plan = _plan(city, table, result, progress)
                if result.problems:
                    return result
            _write(city, plan, by=by, reason=reason, progress=progress)
    except IntegrityError as error:
        raise ConflictError(
            "Someone changed the registry while the import ran. Nothing was written: run "
            "the import again."
        ) from error
    result.written = True
    return result


def _fingerprint(city: City) -> dict[str, Any]:
    """Return what changes whenever a stakeholder of the city is added, changed or removed."""
    return dict(
        Stakeholder.objects.filter(city=city).aggregate(
            count=Count("id"), highest=Max("id"), changed=Max("updated_at"), versions=Sum("version")
        )
    )


def _types() -> dict[str, StakeholderType]:
    """Return the catalogue types by code and by name, both in lower case."""
    lookup: dict[str, StakeholderType] = {}
    for stakeholder_type in StakeholderType.objects.all():
        lookup.setdefault(stakeholder_type.name.strip().lower(), stakeholder_type)
    for stakeholder_type in StakeholderType.objects.all():
        lookup[stakeholder_type.code.lower()] = stakeholder_type
    return lookup


def _plan(city: City, table: Table, result: ImportResult, progress: Progress) -> _Plan:
    """Read every row, collect every problem, and decide what happens to each row."""
    fingerprint = _fingerprint(city)
    problems = result.problems
    unit = table.unit
    index = table.index
    i_id, i_name, i_type = index("id"), index("name"), index("type")
    i_parent, i_email = index("parent"), index("email")
    parsers = [
        (position, column, target, remembering(parse) if column in REPEATING else parse)
        for column, (target, parse) in PARSERS.items()
        if (position := index(column)) is not None
    ]
    types = _types()
    existing = list(Stakeholder.objects.filter(city=city).values(*READ))
    by_id = {row["id"]: row for row in existing}
    by_name = {row["name"].lower(): row for row in existing}
    seen_names: dict[str, int] = {}
    seen_ids: dict[int, int] = {}
    rows: list[PlannedRow] = []
    total = len(table.rows)
    progress("checking", 0, total)
    for number, (line, cells) in enumerate(table.rows, start=1):
        if not number % 5000:
            progress("checking", number, total)
        row_problems = len(problems)
        name = cells[i_name].strip()  # type: ignore[index]
        if not name:
            problems.append(Problem(line, "name", "The name is empty.", unit))
        elif len(name) > 200:
            problems.append(Problem(line, "name", "The name is longer than 200 characters.", unit))
        else:
            lower = name.lower()
            if lower in seen_names:
                problems.append(
                    Problem(
                        line,
                        "name",
                        f"“{name}” appears twice in the file (also {unit} {seen_names[lower]}). "
                        "Each stakeholder may appear only once.",
                        unit,
                    )
                )
            else:
                seen_names[lower] = line
        match: dict[str, Any] | None = None
        if i_id is not None and (id_text := cells[i_id].strip()):
            stakeholder_id = int(id_text) if id_text.isdigit() else None
            match = by_id.get(stakeholder_id) if stakeholder_id is not None else None
            if match is None:
                problems.append(
                    Problem(
                        line,
                        "id",
                        f"No stakeholder of this city has the id “{id_text}”. Leave the id "
                        "empty to add a new stakeholder.",
                        unit,
                    )
                )
            elif stakeholder_id in seen_ids:
                problems.append(
                    Problem(
                        line,
                        "id",
                        f"The id {stakeholder_id} appears twice in the file (also {unit} "
                        f"{seen_ids[stakeholder_id]}).",
                        unit,
                    )
                )
            else:
                seen_ids[stakeholder_id] = line  # type: ignore[index]
        elif name:
            match = by_name.get(name.lower())
        type_text = cells[i_type].strip()  # type: ignore[index]
        stakeholder_type = types.get(type_text.lower())
        if stakeholder_type is None:
            problems.append(
                Problem(
                    line,
                    "type",
                    f"Unknown type “{type_text}”. Use a code or a name from the catalogue, "
                    "e.g. “ngo” or “municipality”."
                    if type_text
                    else "The type is empty. Give a code or a name from the catalogue, e.g. “ngo”.",
                    unit,
                )
            )
        values: dict[str, Any] = {}
        for position, column, target, parse in parsers:
            try:
                value = parse(cells[position])
            except BadCell as error:
                problems.append(Problem(line, column, str(error), unit))
                continue
            if value is not KEEP:
                values[target] = value
        if len(problems) > row_problems:
            continue
        values["name"] = name
        values["type_id"] = stakeholder_type.pk  # type: ignore[union-attr]
        row = PlannedRow(line, name, stakeholder_type, values, match)  # type: ignore[arg-type]
        if i_parent is not None:
            row.parent = cells[i_parent].strip()
        if i_email is not None:
            email = cells[i_email].strip()
            if email:
                try:
                    validate_email(email)
                except FieldError:
                    problems.append(
                        Problem(line, "email", f"“{email}” is not an e-mail address.", unit)
                    )
                    continue
            row.email = email
        rows.append(row)
    progress("checking", total, total)
    result.sort_problems()
    if not problems and (i_id is not None or i_parent is not None):
        check_names_and_parents(rows, existing, by_id, types, problems, unit)
    contacts = _general_contacts(city) if i_email is not None else {}
    if not problems:
        _decide(rows, contacts, result)
    return _Plan(rows, fingerprint, contacts)


def _general_contacts(city: City) -> dict[int, dict[str, Any]]:
    """Return each stakeholder's “General contact”, by stakeholder id."""
    contacts: dict[int, dict[str, Any]] = {}
    for contact in (
        ContactPerson.objects.filter(stakeholder__city=city, name=GENERAL_CONTACT)
        .order_by("pk")
        .values(*concrete_attnames(ContactPerson))
    ):
        contacts.setdefault(contact["stakeholder_id"], contact)
    return contacts


def _differs(field_name: str, old: Any, new: Any) -> bool:
    if field_name in SETS:
        return set(old) != set(new)
    return bool(old != new)


def _decide(
    rows: list[PlannedRow], contacts: dict[int, dict[str, Any]], result: ImportResult
) -> None:
    """Decide for each row: create, update (and what changes) or leave unchanged."""
    for row in rows:
        if isinstance(row.parent_ref, int):
            row.values["parent_id"] = row.parent_ref
        existing = row.existing
        if existing is None:
            row.action = "create"
        else:
            values = row.values
            if isinstance(row.parent_ref, PlannedRow):
                parent_existing = row.parent_ref.existing
                values["parent_id"] = parent_existing["id"] if parent_existing else -1
            row.changes = [
                SHOWN_AS.get(name, name)
                for name, value in values.items()
                if _differs(name, existing[name], value)
            ]
            if row.email is not None:
                contact = contacts.get(existing["id"])
                if (contact["email"] if contact else "") != row.email:
                    row.changes.append("email")
            row.action = "update" if row.changes else "unchanged"
        result.add_preview(row.line, row.action, row.name, changes=row.changes)


def _write(city: City, plan: _Plan, *, by: User | None, reason: str, progress: Progress) -> None:
    """Write the planned rows, their history and their general contacts."""
    now = timezone.now()
    stamp = HistoryStamp(user_id=by.pk if by else None, date=now, reason=reason)
    creates = [row for row in plan.rows if row.action == "create"]
    updates = [row for row in plan.rows if row.action == "update"]
    for row, new_id in zip(creates, allocate_ids(Stakeholder, len(creates)), strict=True):
        row.id = new_id
    for row in updates:
        row.id = row.existing["id"]  # type: ignore[index]
    defaults = defaults_of(Stakeholder)
    defaults.update(city_id=city.pk, created_at=now, updated_at=now, version=1)
    written: list[dict[str, Any]] = []
    generic, unit, organization = (
        str(TypeKind.GENERIC),
        str(StakeholderKind.UNIT),
        str(StakeholderKind.ORGANIZATION),
    )
    for row in creates:
        values = {**defaults, **row.values, "id": row.id}
        stakeholder_type = row.type
        if "kind" not in row.values:
            values["kind"] = unit if stakeholder_type.kind != generic else organization
        if "levels" not in row.values:
            values["levels"] = list(stakeholder_type.default_levels)
        if "sector" not in row.values:
            values["sector"] = stakeholder_type.default_sector
        if isinstance(row.parent_ref, PlannedRow):
            values["parent_id"] = row.parent_ref.id
        written.append(values)
    changed: list[dict[str, Any]] = []
    versions: list[int] = []
    for row in updates:
        existing = row.existing
        values = {**existing, **row.values}  # type: ignore[dict-item]
        if isinstance(row.parent_ref, PlannedRow):
            values["parent_id"] = row.parent_ref.id
        if values["name"] != existing["name"]:  # type: ignore[index]
            values["is_placeholder"] = False
        versions.append(existing["version"])  # type: ignore[index]
        values["version"] = existing["version"] + 1  # type: ignore[index]
        values["updated_at"] = now
        changed.append(values)
    total = len(written) + len(changed)
    progress("writing", 0, total)
    table = BulkTable(Stakeholder)
    table.insert(written, progress=lambda done: progress("writing", done, total))
    table.update(
        changed,
        columns=[*EDITABLE, "is_placeholder", "version", "updated_at"],
        expected_versions=versions,
    )
    progress("writing", total, total)
    progress("recording history", 0, total)
    copy_to_history(Stakeholder, [row["id"] for row in written], history_type="+", stamp=stamp)
    copy_to_history(Stakeholder, [row["id"] for row in changed], history_type="~", stamp=stamp)
    progress("recording history", total, total)
    _write_contacts(plan, stamp)


def _write_contacts(plan: _Plan, stamp: HistoryStamp) -> None:
    """Create or change the “General contact” of rows with an e-mail address."""
    defaults = defaults_of(ContactPerson)
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in plan.rows:
        if row.email is None or row.action == "unchanged":
            continue
        contact = plan.contacts.get(row.id) if row.existing is not None else None  # type: ignore[arg-type]
        if contact is None:
            if row.email:
                new.append(
                    {
                        **defaults,
                        "stakeholder_id": row.id,
                        "name": GENERAL_CONTACT,
                        "role": GENERAL_CONTACT_ROLE,
                        "email": row.email,
                    }
                )
        elif contact["email"] != row.email:
            changed.append({**contact, "email": row.email})
    for contact, new_id in zip(new, allocate_ids(ContactPerson, len(new)), strict=True):
        contact["id"] = new_id
    table = BulkTable(ContactPerson)
    table.insert(new)
    table.update(changed, columns=["email"])
    insert_history(ContactPerson, new, history_type="+", stamp=stamp)
    insert_history(ContactPerson, changed, history_type="~", stamp=stamp)
