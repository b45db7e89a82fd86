"""Writes for the registry, categorizations and the analysis matrix."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.catalogue.models import DefaultMatrixItem, StakeholderType, TypeKind
from civitas.cities.models import City, Initiative
from civitas.core.concurrency import claim_version
from civitas.core.errors import ValidationError
from civitas.core.fields import normalize_set
from civitas.core.permissions import require
from civitas.core.vocabulary import MatrixDimension
from civitas.stakeholders.models import (
    Categorization,
    ContactPerson,
    MatrixItem,
    Stakeholder,
    StakeholderKind,
)

STAKEHOLDER_FIELDS = {
    "name", "type", "kind", "parent", "levels", "sector", "description", "website", "tags",
    "identified_as", "validation_steps", "confidential",
}  # fmt: skip
CATEGORIZATION_FIELDS = {
    "lfa_roles", "technology_roles", "power_monetary", "power_administrative", "interest",
    "attitude", "rationale",
}  # fmt: skip


def _check(by: User | None, permission: str, obj: Any) -> None:
    """Check a user's permission; `by` None is the system itself (loaders, the demo)."""
    if by is not None:
        require(by, permission, obj)


def _stamp(instance: Any, by: User | None) -> None:
    """Record `by` as the author of the change in the instance's history.

    Without `by` the history falls back to the signed-in user of the current request.
    """
    if by is not None:
        instance._history_user = by


def normalize_tags(tags: Iterable[str] | str | None) -> list[str]:
    """Return tags lower-cased and trimmed, without duplicates."""
    if isinstance(tags, str):
        tags = tags.replace(",", ";").split(";")
    return normalize_set(tag.strip().lower() for tag in (tags or []))


def _validate_stakeholder(stakeholder: Stakeholder) -> None:
    errors: dict[str, list[str]] = {}
    parent = stakeholder.parent
    if parent is not None:
        if parent.city_id != stakeholder.city_id:
            errors["parent"] = ["The parent must be a stakeholder of the same city."]
        elif stakeholder.pk and parent.pk == stakeholder.pk:
            errors["parent"] = ["A stakeholder cannot be its own parent."]
        elif stakeholder.pk and _is_descendant(parent, stakeholder):
            errors["parent"] = ["This parent is itself one of this stakeholder's units."]
        elif stakeholder.type.parent_id and parent.type_id not in (
            stakeholder.type.parent_id,
            stakeholder.type_id,
        ):
            errors["parent"] = [
                f"A {stakeholder.type.name} unit belongs to a stakeholder of type "
                f"{stakeholder.type.parent.name if stakeholder.type.parent else ''}."
            ]
    # full_clean skips the unique-name constraint because "city" is excluded; check it here
    # so that a duplicate gets a field error instead of an IntegrityError.
    if (
        stakeholder.name
        and Stakeholder.objects.filter(city_id=stakeholder.city_id, name__iexact=stakeholder.name)
        .exclude(pk=stakeholder.pk)
        .exists()
    ):
        errors["name"] = ["Another stakeholder of this city already has this name."]
    try:
        stakeholder.full_clean(exclude=["city", "type", "parent"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _is_descendant(candidate: Stakeholder, ancestor: Stakeholder) -> bool:
    node: Stakeholder | None = candidate
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        if node.parent_id == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def stakeholder_create(
    *,
    city: City,
    name: str,
    type: StakeholderType,
    by: User | None,
    kind: str = "",
    parent: Stakeholder | None = None,
    levels: Iterable[str] | None = None,
    sector: str = "",
    description: str = "",
    website: str = "",
    tags: Iterable[str] | str | None = None,
    identified_as: Iterable[str] | None = None,
    validation_steps: Iterable[str] | None = None,
    confidential: bool = False,
    is_placeholder: bool = False,
) -> Stakeholder:
    """Add a stakeholder to a city's registry; levels and sector default from its type."""
    _check(by, "stakeholders.add_stakeholder", city)
    if not kind:
        kind = (
            StakeholderKind.UNIT if type.kind != TypeKind.GENERIC else StakeholderKind.ORGANIZATION
        )
    stakeholder = Stakeholder(
        city=city,
        type=type,
        kind=kind,
        parent=parent,
        name=name.strip(),
        levels=normalize_set(levels) if levels is not None else list(type.default_levels),
        sector=sector or type.default_sector,
        description=description.strip(),
        website=website.strip(),
        tags=normalize_tags(tags),
        identified_as=normalize_set(identified_as),
        validation_steps=normalize_set(validation_steps),
        confidential=confidential,
        is_placeholder=is_placeholder,
    )
    _validate_stakeholder(stakeholder)
    _stamp(stakeholder, by)
    stakeholder.save()
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *, stakeholder: Stakeholder, by: User | None, expected_version: int | None, **changes: Any
) -> Stakeholder:
    """Change a stakeholder, refusing the save if someone else changed it meanwhile."""
    _check(by, "stakeholders.change_stakeholder", stakeholder)
    unknown = set(changes) - STAKEHOLDER_FIELDS
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    if "tags" in changes:
        changes["tags"] = normalize_tags(changes["tags"])
    for field in ("levels", "identified_as", "validation_steps"):
        if field in changes:
            changes[field] = normalize_set(changes[field])
    for field in ("name", "description", "website"):
        if isinstance(changes.get(field), str):
            changes[field] = changes[field].strip()
    if "name" in changes and changes["name"] != stakeholder.name:
        stakeholder.is_placeholder = False
    for field, value in changes.items():
        setattr(stakeholder, field, value)
    _validate_stakeholder(stakeholder)
    claim_version(stakeholder, expected_version)
    _stamp(stakeholder, by)
    stakeholder.save()
    return stakeholder


@transaction.atomic
def stakeholder_archive(
    *, stakeholder: Stakeholder, by: User | None, archived: bool = True
) -> Stakeholder:
    """Archive a stakeholder (or bring it back): it leaves the lists, its history stays."""
    _check(by, "stakeholders.archive_stakeholder", stakeholder)
    if archived and stakeholder.units.filter(archived_at__isnull=True).exists():
        raise ValidationError({"__all__": ["Archive or move this stakeholder's units first."]})
    stakeholder.archived_at = timezone.now() if archived else None
    claim_version(stakeholder, None)
    _stamp(stakeholder, by)
    stakeholder.save()
    return stakeholder


def stakeholder_has_records(stakeholder: Stakeholder) -> bool:
    """Tell whether anything refers to this stakeholder, so that it can only be archived."""
    return (
        stakeholder.categorizations.exists()
        or stakeholder.matrix_items.exists()
        or stakeholder.units.exists()
        or stakeholder.member_accounts.exists()
        or stakeholder.relationships_out.exists()
        or stakeholder.relationships_in.exists()
        or stakeholder.participations.exists()  # engagement records refer to it too
        or stakeholder.contributions.exists()
        or stakeholder.grievances.exists()
        or stakeholder.decisions_taken.exists()
        or stakeholder.history.count() > 1
    )


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder, by: User | None) -> None:
    """Delete a stakeholder that has no history yet; others are archived instead."""
    _check(by, "stakeholders.delete_stakeholder", stakeholder)
    if stakeholder_has_records(stakeholder):
        raise ValidationError(
            {"__all__": [
                f"“{stakeholder.name}” already has categorizations, matrix items, units or "
                "edits on record. Archive it instead, so that its history stays."
            ]}
        )  # fmt: skip
    _stamp(stakeholder, by)
    stakeholder.delete()


@transaction.atomic
def stakeholder_merge(*, source: Stakeholder, target: Stakeholder, by: User | None) -> Stakeholder:
    """Fold `source` into `target`: records move to the target and the source is archived.

    Categorizations, matrix items, contacts, units, member accounts, relationships and the
    engagement records (invitations, contributions, grievances, decisions taken) move.
    Where both have a categorization for the same initiative, or both edit the same
    catalogue default, the target's is kept; see engagement_transfer for invitations.
    """
    _check(by, "stakeholders.merge_stakeholder", target)
    if source.pk == target.pk:
        raise ValidationError({"target": ["Choose another stakeholder to merge into."]})
    if source.city_id != target.city_id:
        raise ValidationError({"target": ["Stakeholders of different cities cannot be merged."]})
    if target.archived_at is not None:
        raise ValidationError({"target": ["Bring the target back from the archive first."]})
    taken = set(target.categorizations.values_list("initiative_id", flat=True))
    for categorization in source.categorizations.exclude(initiative_id__in=taken):
        categorization.stakeholder = target
        _stamp(categorization, by)
        categorization.save()
    overridden = set(
        target.matrix_items.filter(replaces__isnull=False).values_list("replaces_id", flat=True)
    )
    for item in source.matrix_items.select_related("replaces"):
        if item.replaces_id in overridden:
            continue
        if item.replaces is not None and item.replaces.type_id != target.type_id:
            # A default of another type: keep its text as the target's own item.
            item.replaces = None
            if item.dismissed:
                continue
        item.stakeholder = target
        _stamp(item, by)
        item.save()
    for contact in source.contacts.all():
        contact.stakeholder = target
        _stamp(contact, by)
        contact.save()
    from civitas.engagement.services import engagement_transfer
    from civitas.network.services import relationship_transfer

    relationship_transfer(source=source, target=target, by=by)
    engagement_transfer(source=source, target=target, by=by)
    source.units.update(parent=target)
    source.member_accounts.update(stakeholder=target)
    target.tags = normalize_set([*target.tags, *source.tags])
    target.levels = normalize_set([*target.levels, *source.levels])
    target.identified_as = normalize_set([*target.identified_as, *source.identified_as])
    claim_version(target, None)
    _stamp(target, by)
    target.save()
    source.archived_at = timezone.now()
    source.description = f"{source.description}\n\nMerged into “{target.name}”.".strip()
    claim_version(source, None)
    _stamp(source, by)
    source.save()
    return target


@transaction.atomic
def city_seed_from_catalogue(
    *, city: City, by: User | None, include_units: bool = False
) -> list[Stakeholder]:
    """Start from the Supplement: one placeholder per catalogue type the city lacks.

    Each placeholder is named after its type, to be renamed, merged or archived. Units are
    placed under the city's first stakeholder of their parent type.
    """
    _check(by, "stakeholders.add_stakeholder", city)
    kinds = [TypeKind.GENERIC] + (
        [TypeKind.MUNICIPAL_UNIT, TypeKind.NATIONAL_UNIT] if include_units else []
    )
    types = StakeholderType.objects.filter(kind__in=kinds).select_related("parent")
    present = set(
        Stakeholder.objects.filter(city=city, archived_at__isnull=True).values_list(
            "type_id", flat=True
        )
    )
    names = {
        name.lower()
        for name in Stakeholder.objects.filter(city=city).values_list("name", flat=True)
    }
    created: list[Stakeholder] = []
    first_of_type: dict[int, Stakeholder] = {}
    for stakeholder in Stakeholder.objects.filter(city=city, archived_at__isnull=True).order_by(
        "pk"
    ):
        first_of_type.setdefault(stakeholder.type_id, stakeholder)
    for stakeholder_type in types.order_by("kind", "position"):
        if stakeholder_type.pk in present:
            continue
        name = _free_name(stakeholder_type.name, names)
        parent = (
            first_of_type.get(stakeholder_type.parent_id) if stakeholder_type.parent_id else None
        )
        stakeholder = stakeholder_create(
            city=city,
            name=name,
            type=stakeholder_type,
            by=None,
            parent=parent,
            is_placeholder=True,
        )
        names.add(name.lower())
        first_of_type.setdefault(stakeholder_type.pk, stakeholder)
        created.append(stakeholder)
    return created


def _free_name(name: str, taken: set[str]) -> str:
    candidate, number = name[:190], 2
    while candidate.lower() in taken:
        candidate, number = f"{name[:190]} ({number})", number + 1
    return candidate


@transaction.atomic
def contact_add(
    *,
    stakeholder: Stakeholder,
    by: User | None,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
) -> ContactPerson:
    """Add a contact person to a stakeholder."""
    _check(by, "stakeholders.change_stakeholder", stakeholder)
    contact = ContactPerson(
        stakeholder=stakeholder,
        name=name.strip(),
        role=role.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )
    contact.full_clean(exclude=["stakeholder"])
    _stamp(contact, by)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, by: User | None, **changes: Any) -> ContactPerson:
    """Change a contact person's details."""
    _check(by, "stakeholders.change_stakeholder", contact.stakeholder)
    for field, value in changes.items():
        if field not in {"name", "role", "email", "phone"}:
            raise ValidationError({field: ["This field cannot be changed."]})
        setattr(contact, field, value.strip())
    contact.full_clean(exclude=["stakeholder"])
    _stamp(contact, by)
    contact.save()
    return contact


@transaction.atomic
def contact_remove(*, contact: ContactPerson, by: User | None) -> None:
    """Remove a contact person."""
    _check(by, "stakeholders.change_stakeholder", contact.stakeholder)
    _stamp(contact, by)
    contact.delete()


def categorization_defaults(stakeholder_type: StakeholderType) -> dict[str, Any]:
    """Return the values a new categorization starts from: those of the stakeholder's type."""
    return {
        "lfa_roles": list(stakeholder_type.default_lfa_roles),
        "technology_roles": list(stakeholder_type.default_technology_roles),
        "power_monetary": stakeholder_type.default_power_monetary,
        "power_administrative": stakeholder_type.default_power_administrative,
        "interest": stakeholder_type.default_interest,
        "attitude": stakeholder_type.default_attitude,
    }


@transaction.atomic
def categorization_set(
    *,
    stakeholder: Stakeholder,
    initiative: Initiative,
    by: User | None,
    expected_version: int | None = None,
    **values: Any,
) -> Categorization:
    """Create or change a stakeholder's categorization in an initiative.

    A new categorization starts from the type's defaults; given values override them.
    Changing an existing one refuses the save if someone else changed it meanwhile.
    """
    _check(by, "stakeholders.categorize", stakeholder)
    unknown = set(values) - CATEGORIZATION_FIELDS
    if unknown:
        raise ValidationError({field: ["Unknown categorization field."] for field in unknown})
    if initiative.city_id != stakeholder.city_id:
        raise ValidationError({"initiative": ["The initiative belongs to another city."]})
    for field in ("lfa_roles", "technology_roles"):
        if field in values:
            values[field] = normalize_set(values[field])
    categorization = (
        Categorization.objects.select_for_update()
        .filter(stakeholder=stakeholder, initiative=initiative)
        .first()
    )
    if categorization is None:
        categorization = Categorization(
            stakeholder=stakeholder,
            initiative=initiative,
            **{**categorization_defaults(stakeholder.type), **values},
        )
        categorization.full_clean(exclude=["stakeholder", "initiative"])
        _stamp(categorization, by)
        categorization.save()
        return categorization
    for field, value in values.items():
        setattr(categorization, field, value)
    categorization.full_clean(exclude=["stakeholder", "initiative"])
    claim_version(categorization, expected_version)
    _stamp(categorization, by)
    categorization.save()
    return categorization


@transaction.atomic
def categorization_delete(*, categorization: Categorization, by: User | None) -> None:
    """Remove a stakeholder's categorization from an initiative."""
    _check(by, "stakeholders.categorize", categorization.stakeholder)
    _stamp(categorization, by)
    categorization.delete()


def _check_dimension(dimension: str) -> None:
    if dimension not in MatrixDimension.values:
        raise ValidationError(
            {"dimension": [
                f"Unknown dimension '{dimension}'. Choose one of: {', '.join(MatrixDimension.values)}."
            ]}
        )  # fmt: skip


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": ["Write the item's text."]})
    return text


@transaction.atomic
def matrix_item_add(
    *, stakeholder: Stakeholder, dimension: str, text: str, by: User | None
) -> MatrixItem:
    """Add one of the city's own items to a stakeholder's analysis matrix."""
    _check(by, "stakeholders.change_matrix", stakeholder)
    _check_dimension(dimension)
    last = (
        MatrixItem.objects.filter(stakeholder=stakeholder, dimension=dimension)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    item = MatrixItem(
        stakeholder=stakeholder,
        dimension=dimension,
        text=_check_text(text),
        position=(last or 0) + 1,
    )
    _stamp(item, by)
    item.save()
    return item


@transaction.atomic
def matrix_item_update(
    *, item: MatrixItem, text: str, by: User | None, expected_version: int | None
) -> MatrixItem:
    """Change the text of a matrix item (the city's own, or its edit of a default)."""
    _check(by, "stakeholders.change_matrix", item.stakeholder)
    if item.dismissed:
        raise ValidationError({"text": ["This default was removed; restore it before editing."]})
    item.text = _check_text(text)
    claim_version(item, expected_version)
    _stamp(item, by)
    item.save()
    return item


@transaction.atomic
def matrix_item_remove(*, item: MatrixItem, by: User | None) -> None:
    """Remove a matrix item; removing an edit of a default brings the default back."""
    _check(by, "stakeholders.change_matrix", item.stakeholder)
    _stamp(item, by)
    item.delete()


def _default_for(stakeholder: Stakeholder, default: DefaultMatrixItem) -> None:
    if default.type_id != stakeholder.type_id:
        raise ValidationError(
            {"replaces": ["This catalogue item belongs to another stakeholder type."]}
        )


@transaction.atomic
def matrix_default_edit(
    *, stakeholder: Stakeholder, default: DefaultMatrixItem, text: str, by: User | None
) -> MatrixItem:
    """Replace a catalogue default with the city's own wording, for this stakeholder only."""
    _check(by, "stakeholders.change_matrix", stakeholder)
    _default_for(stakeholder, default)
    text = _check_text(text)
    item = (
        MatrixItem.objects.select_for_update()
        .filter(stakeholder=stakeholder, replaces=default)
        .first()
    )
    if item is None:
        item = MatrixItem(
            stakeholder=stakeholder,
            replaces=default,
            dimension=default.dimension,
            position=default.position,
        )
    else:
        claim_version(item, None)
    item.text = text
    item.dismissed = False
    _stamp(item, by)
    item.save()
    return item


@transaction.atomic
def matrix_default_dismiss(
    *, stakeholder: Stakeholder, default: DefaultMatrixItem, by: User | None
) -> MatrixItem:
    """Stop a catalogue default from applying to this stakeholder."""
    _check(by, "stakeholders.change_matrix", stakeholder)
    _default_for(stakeholder, default)
    item = (
        MatrixItem.objects.select_for_update()
        .filter(stakeholder=stakeholder, replaces=default)
        .first()
    )
    if item is None:
        item = MatrixItem(stakeholder=stakeholder, replaces=default, dimension=default.dimension)
    elif item.dismissed:
        return item
    else:
        claim_version(item, None)
    item.text = ""
    item.dismissed = True
    _stamp(item, by)
    item.save()
    return item


@transaction.atomic
def matrix_default_restore(
    *, stakeholder: Stakeholder, default: DefaultMatrixItem, by: User | None
) -> None:
    """Let the catalogue default apply again, dropping the city's edit or dismissal."""
    _check(by, "stakeholders.change_matrix", stakeholder)
    MatrixItem.objects.filter(stakeholder=stakeholder, replaces=default).delete()
