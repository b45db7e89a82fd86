"""The sections of the whole-city backup: how each kind of record is dumped and loaded."""

from collections.abc import Iterator
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from civitas.accounts.models import Membership, Role, User
from civitas.catalogue.models import DefaultMatrixItem, StakeholderType
from civitas.cities.models import City, Initiative, InitiativeStatus
from civitas.core.bulk import (
    BulkTable,
    allocate_ids,
    copy_to_history,
    defaults_of,
)
from civitas.core.vocabulary import Level, LfaRole, MatrixDimension, Sector, TechnologyRole
from civitas.reports.backup.document import Item, LoadContext, Section, iso, register_section
from civitas.reports.selectors import CHUNK
from civitas.stakeholders.models import (
    Categorization,
    ContactPerson,
    IdentificationReason,
    MatrixItem,
    Stakeholder,
    StakeholderKind,
    ValidationStep,
)


def _dump_initiatives(city: City) -> Iterator[Item]:
    for initiative in Initiative.objects.filter(city=city).order_by("name"):
        yield {
            "name": initiative.name,
            "description": initiative.description,
            "status": initiative.status,
            "start_date": iso(initiative.start_date),
            "end_date": iso(initiative.end_date),
            "archived_at": iso(initiative.archived_at),
        }


def _dump_stakeholders(city: City) -> Iterator[Item]:
    stakeholders = (
        Stakeholder.objects.filter(city=city)
        .select_related("type", "parent")
        .order_by("name", "pk")
        .iterator(chunk_size=CHUNK)
    )
    for s in stakeholders:
        yield {
            "name": s.name,
            "type": s.type.code,
            "kind": s.kind,
            "parent": s.parent.name if s.parent else None,
            "levels": list(s.levels),
            "sector": s.sector,
            "description": s.description,
            "website": s.website,
            "tags": list(s.tags),
            "identified_as": list(s.identified_as),
            "validation_steps": list(s.validation_steps),
            "confidential": s.confidential,
            "is_placeholder": s.is_placeholder,
            "archived_at": iso(s.archived_at),
        }


def _dump_contacts(city: City) -> Iterator[Item]:
    contacts = (
        ContactPerson.objects.filter(stakeholder__city=city)
        .select_related("stakeholder")
        .order_by("stakeholder__name", "name", "email", "pk")
        .iterator(chunk_size=CHUNK)
    )
    for contact in contacts:
        yield {
            "stakeholder": contact.stakeholder.name,
            "name": contact.name,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
        }


def _dump_categorizations(city: City) -> Iterator[Item]:
    categorizations = (
        Categorization.objects.filter(stakeholder__city=city)
        .select_related("stakeholder", "initiative")
        .order_by("initiative__name", "stakeholder__name")
        .iterator(chunk_size=CHUNK)
    )
    for c in categorizations:
        yield {
            "initiative": c.initiative.name,
            "stakeholder": c.stakeholder.name,
            "lfa_roles": list(c.lfa_roles),
            "technology_roles": list(c.technology_roles),
            "power_monetary": c.power_monetary,
            "power_administrative": c.power_administrative,
            "interest": c.interest,
            "attitude": c.attitude,
            "rationale": c.rationale,
        }


def _dump_matrix(city: City) -> Iterator[Item]:
    items = (
        MatrixItem.objects.filter(stakeholder__city=city)
        .select_related("stakeholder", "replaces")
        .order_by("stakeholder__name", "dimension", "position", "pk")
        .iterator(chunk_size=CHUNK)
    )
    for item in items:
        yield {
            "stakeholder": item.stakeholder.name,
            "dimension": item.dimension,
            "text": item.text,
            "key": item.replaces.key if item.replaces else None,
            "dismissed": item.dismissed,
            "position": item.position,
        }


def _dump_memberships(city: City) -> Iterator[Item]:
    memberships = (
        Membership.objects.filter(city=city)
        .select_related("user", "stakeholder")
        .order_by("user__username")
    )
    for membership in memberships:
        yield {
            "username": membership.user.username,
            "role": membership.role,
            "stakeholder": membership.stakeholder.name if membership.stakeholder else None,
        }


def _text(item: Item, key: str, default: str = "") -> str:
    value = item.get(key)
    return default if value is None else str(value)


def _codes(item: Item, key: str) -> list[str]:
    value = item.get(key) or []
    return [str(code) for code in value] if isinstance(value, list) else []


def _check_codes(
    context: LoadContext, section: str, number: int, key: str, codes: list[str], allowed: Any
) -> None:
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        context.problem(section, number, key, f"Unknown value(s): {', '.join(unknown)}.")


def _moment(context: LoadContext, section: str, number: int, item: Item, key: str) -> Any:
    text = item.get(key)
    if text in (None, ""):
        return None
    moment = parse_datetime(str(text)) if "T" in str(text) else None
    if moment is None:
        context.problem(section, number, key, f"“{text}” is not a date and time.")
    return moment


def _load_initiatives(items: list[Item], context: LoadContext) -> None:
    created = []
    for number, item in enumerate(items, start=1):
        name = _text(item, "name").strip()
        dates = {}
        for key in ("start_date", "end_date"):
            text = item.get(key)
            dates[key] = parse_date(str(text)) if text else None
            if text and dates[key] is None:
                context.problem("initiatives", number, key, f"“{text}” is not a date.")
        status = _text(item, "status", InitiativeStatus.PLANNED)
        if status not in InitiativeStatus.values:
            context.problem("initiatives", number, "status", f"Unknown status “{status}”.")
        if not name or name.lower() in {n.lower() for n in context.initiatives}:
            context.problem("initiatives", number, "name", "The name is empty or repeated.")
            continue
        initiative = Initiative(
            city=context.city,
            name=name,
            description=_text(item, "description"),
            status=status,
            archived_at=_moment(context, "initiatives", number, item, "archived_at"),
            **dates,
        )
        context.initiatives[name] = 0
        created.append(initiative)
    if context.problems:
        return
    for initiative in Initiative.objects.bulk_create(created):
        context.initiatives[initiative.name] = initiative.pk
    context.counts["initiatives"] = len(created)


def _load_stakeholders(items: list[Item], context: LoadContext) -> None:
    types = {t.code: t for t in StakeholderType.objects.all()}
    now = context.stamp.date
    rows: list[Item] = []
    parents: list[str | None] = []
    names: dict[str, int] = {}
    section = "stakeholders"
    for number, item in enumerate(items, start=1):
        name = _text(item, "name").strip()
        if not name or len(name) > 200:
            context.problem(section, number, "name", "The name is empty or too long.")
        elif name.lower() in names:
            context.problem(section, number, "name", f"“{name}” appears twice.")
        stakeholder_type = types.get(_text(item, "type"))
        if stakeholder_type is None:
            context.problem(
                section,
                number,
                "type",
                f"The catalogue has no type “{item.get('type')}”. Load a catalogue as recent "
                "as the one the backup was made with.",
            )
            continue
        kind, sector = _text(item, "kind"), _text(item, "sector")
        if kind not in StakeholderKind.values:
            context.problem(section, number, "kind", f"Unknown kind “{kind}”.")
        if sector not in Sector.values:
            context.problem(section, number, "sector", f"Unknown sector “{sector}”.")
        row = {
            "name": name,
            "type_id": stakeholder_type.pk,
            "kind": kind,
            "levels": _codes(item, "levels"),
            "sector": sector,
            "description": _text(item, "description"),
            "website": _text(item, "website"),
            "tags": _codes(item, "tags"),
            "identified_as": _codes(item, "identified_as"),
            "validation_steps": _codes(item, "validation_steps"),
            "confidential": bool(item.get("confidential")),
            "is_placeholder": bool(item.get("is_placeholder")),
            "archived_at": _moment(context, section, number, item, "archived_at"),
        }
        _check_codes(context, section, number, "levels", row["levels"], Level.values)
        _check_codes(
            context, section, number, "identified_as", row["identified_as"],
            IdentificationReason.values,
        )  # fmt: skip
        _check_codes(
            context, section, number, "validation_steps", row["validation_steps"],
            ValidationStep.values,
        )  # fmt: skip
        if any("|" in tag for tag in row["tags"]):
            context.problem(section, number, "tags", "A tag may not contain “|”.")
        names[name.lower()] = len(rows)
        rows.append(row)
        parents.append(item.get("parent") or None)
    for number, parent in enumerate(parents, start=1):
        if parent is not None and str(parent).lower() not in names:
            context.problem(section, number, "parent", f"No stakeholder named “{parent}”.")
    if context.problems:
        return
    defaults = defaults_of(Stakeholder)
    defaults.update(city_id=context.city.pk, created_at=now, updated_at=now, version=1)
    ids = allocate_ids(Stakeholder, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row.update({**defaults, **row, "id": new_id})
    for row, parent in zip(rows, parents, strict=True):
        row["parent_id"] = ids[names[str(parent).lower()]] if parent is not None else None
        context.stakeholders[row["name"].lower()] = (row["id"], row["type_id"])
    BulkTable(Stakeholder).insert(rows)
    copy_to_history(Stakeholder, ids, history_type="+", stamp=context.stamp)
    context.counts["stakeholders"] = len(rows)


def _stakeholder_id(context: LoadContext, section: str, number: int, item: Item) -> int | None:
    name = _text(item, "stakeholder")
    found = context.stakeholders.get(name.lower())
    if found is None:
        context.problem(section, number, "stakeholder", f"No stakeholder named “{name}”.")
        return None
    return found[0]


def _insert_with_history(model: Any, rows: list[Item], context: LoadContext, label: str) -> None:
    defaults = defaults_of(model)
    now = context.stamp.date
    stamps = {name: now for name in ("created_at", "updated_at") if name in defaults}
    ids = allocate_ids(model, len(rows))
    complete = [
        {**defaults, **stamps, **row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)
    ]
    BulkTable(model).insert(complete)
    copy_to_history(model, ids, history_type="+", stamp=context.stamp)
    context.counts[label] = len(rows)


def _load_contacts(items: list[Item], context: LoadContext) -> None:
    rows = []
    for number, item in enumerate(items, start=1):
        stakeholder_id = _stakeholder_id(context, "contacts", number, item)
        name = _text(item, "name").strip()
        if not name:
            context.problem("contacts", number, "name", "The contact's name is empty.")
        rows.append(
            {
                "stakeholder_id": stakeholder_id,
                "name": name,
                "role": _text(item, "role"),
                "email": _text(item, "email"),
                "phone": _text(item, "phone"),
            }
        )
    if not context.problems:
        _insert_with_history(ContactPerson, rows, context, "contacts")


def _load_categorizations(items: list[Item], context: LoadContext) -> None:
    rows, section, seen = [], "categorizations", set()
    for number, item in enumerate(items, start=1):
        stakeholder_id = _stakeholder_id(context, section, number, item)
        initiative_id = context.initiatives.get(_text(item, "initiative"))
        if initiative_id is None:
            context.problem(section, number, "initiative", "No initiative of that name.")
        if (stakeholder_id, initiative_id) in seen:
            context.problem(section, number, "stakeholder", "Categorized twice.")
        seen.add((stakeholder_id, initiative_id))
        lfa_roles, technology_roles = _codes(item, "lfa_roles"), _codes(item, "technology_roles")
        row: Item = {
            "stakeholder_id": stakeholder_id,
            "initiative_id": initiative_id,
            "lfa_roles": lfa_roles,
            "technology_roles": technology_roles,
            "rationale": _text(item, "rationale"),
        }
        _check_codes(context, section, number, "lfa_roles", lfa_roles, LfaRole.values)
        _check_codes(
            context, section, number, "technology_roles", technology_roles, TechnologyRole.values
        )
        for key, (low, high) in {
            "power_monetary": (0, 5), "power_administrative": (0, 5), "interest": (0, 5),
            "attitude": (-2, 2),
        }.items():  # fmt: skip
            value = item.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                context.problem(section, number, key, f"Give a whole number from {low} to {high}.")
            row[key] = value
        rows.append(row)
    if not context.problems:
        _insert_with_history(Categorization, rows, context, "categorizations")


def _load_matrix(items: list[Item], context: LoadContext) -> None:
    defaults = {d.key: d for d in DefaultMatrixItem.objects.all()}
    rows, section, seen = [], "matrix", set()
    for number, item in enumerate(items, start=1):
        stakeholder_id = _stakeholder_id(context, section, number, item)
        dimension = _text(item, "dimension")
        if dimension not in MatrixDimension.values:
            context.problem(section, number, "dimension", f"Unknown dimension “{dimension}”.")
        key = item.get("key")
        default = defaults.get(str(key)) if key else None
        if key and default is None:
            context.problem(
                section,
                number,
                "key",
                f"The catalogue has no item “{key}”: load a newer catalogue.",
            )
        if default is not None and (stakeholder_id, default.pk) in seen:
            context.problem(section, number, "key", f"The default “{key}” is changed twice.")
        seen.add((stakeholder_id, default.pk if default else None))
        dismissed = bool(item.get("dismissed"))
        if dismissed and not key:
            context.problem(section, number, "dismissed", "Only a catalogue default is dismissed.")
        position = item.get("position", 0)
        if not isinstance(position, int) or not 0 <= position <= 32767:
            context.problem(section, number, "position", "Give a whole number from 0.")
        rows.append(
            {
                "stakeholder_id": stakeholder_id,
                "dimension": dimension,
                "text": _text(item, "text"),
                "replaces_id": default.pk if default else None,
                "dismissed": dismissed,
                "position": position,
            }
        )
    if not context.problems:
        _insert_with_history(MatrixItem, rows, context, "matrix items")


def _load_memberships(items: list[Item], context: LoadContext) -> None:
    if not context.include_members:
        context.notes.append("Memberships were left out, as asked.")
        return
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[_text(i, "username") for i in items])
    }
    memberships = []
    for number, item in enumerate(items, start=1):
        username, role = _text(item, "username"), _text(item, "role")
        if role not in Role.values:
            context.problem("memberships", number, "role", f"Unknown role “{role}”.")
            continue
        user = users.get(username)
        if user is None:
            context.notes.append(f"No user “{username}” here: their {role} role was left out.")
            continue
        stakeholder = context.stakeholders.get(_text(item, "stakeholder").lower())
        memberships.append(
            Membership(
                user=user,
                city=context.city,
                role=role,
                stakeholder_id=stakeholder[0] if stakeholder and role == Role.CONTRIBUTOR else None,
            )
        )
    existing = set(Membership.objects.filter(city=context.city).values_list("user_id", flat=True))
    fresh = [m for m in memberships if m.user_id not in existing]
    Membership.objects.bulk_create(fresh)
    context.counts["memberships"] = len(fresh)


def register_core_sections() -> None:
    """Register the sections of this issue's records, in the order they load."""
    for section in (
        Section("initiatives", _dump_initiatives, _load_initiatives),
        Section("stakeholders", _dump_stakeholders, _load_stakeholders),
        Section("contacts", _dump_contacts, _load_contacts),
        Section("categorizations", _dump_categorizations, _load_categorizations),
        Section("matrix", _dump_matrix, _load_matrix),
        Section("memberships", _dump_memberships, _load_memberships),
    ):
        register_section(section)
