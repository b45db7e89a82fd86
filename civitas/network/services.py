"""Writes for relationships and saved map layouts."""

from datetime import date
from typing import Any

from django.db import transaction

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.concurrency import claim_version
from civitas.core.errors import ConflictError, ValidationError
from civitas.core.permissions import require
from civitas.network.models import NetworkCache, Relationship, SavedLayout
from civitas.network.vocabulary import KIND_STYLES, Direction, Grouping, RelationshipKind
from civitas.stakeholders.models import Stakeholder

RELATIONSHIP_FIELDS = {
    "source", "target", "kind", "direction", "strength", "description", "initiative",
    "start_date", "end_date",
}  # fmt: skip
# Coordinates outside this range are refused: they come from a broken or hostile client.
MAX_COORDINATE = 1e7


def _check(by: User | None, permission: str, obj: Any) -> None:
    """Check a user's permission; `by` None is the system itself (imports, the demo)."""
    if by is not None:
        require(by, permission, obj)


def _stamp(instance: Any, by: User | None) -> None:
    if by is not None:
        instance._history_user = by


def network_cache_clear(city: City | int) -> None:
    """Drop the cached metrics and positions of every map of a city."""
    city_id = city if isinstance(city, int) else city.pk
    NetworkCache.objects.filter(city_id=city_id).delete()


def default_direction(kind: str) -> str:
    """Return the direction a kind usually has: collaboration runs both ways."""
    style = KIND_STYLES.get(kind)
    return Direction.MUTUAL if style is not None and style.mutual_by_default else Direction.DIRECTED


def _duplicate_of(relationship: Relationship) -> Relationship | None:
    """Return a stored relationship that says the same thing, if there is one."""
    same = Relationship.objects.filter(kind=relationship.kind).exclude(pk=relationship.pk)
    if relationship.initiative_id is None:
        same = same.filter(initiative__isnull=True)
    else:
        same = same.filter(initiative_id=relationship.initiative_id)
    match = same.filter(source_id=relationship.source_id, target_id=relationship.target_id).first()
    if match is None and relationship.direction == Direction.MUTUAL:
        match = same.filter(
            source_id=relationship.target_id,
            target_id=relationship.source_id,
            direction=Direction.MUTUAL,
        ).first()
    return match


def _validate(relationship: Relationship) -> None:
    errors: dict[str, list[str]] = {}
    source, target = relationship.source, relationship.target
    if source.city_id != relationship.city_id:
        errors["source"] = ["The source must be a stakeholder of this city."]
    elif source.archived_at is not None:
        errors["source"] = [f"“{source.name}” is archived; bring it back first."]
    if target.city_id != relationship.city_id:
        errors["target"] = ["The target must be a stakeholder of this city."]
    elif target.archived_at is not None:
        errors["target"] = [f"“{target.name}” is archived; bring it back first."]
    if source.pk == target.pk:
        errors["target"] = ["A stakeholder cannot have a relationship with itself."]
    initiative = relationship.initiative
    if initiative is not None:
        if initiative.city_id != relationship.city_id:
            errors["initiative"] = ["The initiative must belong to this city."]
        elif initiative.archived_at is not None and relationship._state.adding:
            errors["initiative"] = [f"The initiative “{initiative.name}” is archived."]
    if (
        relationship.start_date
        and relationship.end_date
        and relationship.start_date > relationship.end_date
    ):
        errors["end_date"] = ["The relationship cannot end before it starts."]
    try:
        relationship.full_clean(exclude=["city", "source", "target", "initiative"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not errors and (duplicate := _duplicate_of(relationship)) is not None:
        where = f" in “{initiative.name}”" if initiative is not None else ""
        errors["__all__"] = [
            f"“{duplicate.source.name}” already {duplicate.get_kind_display().lower()} "
            f"“{duplicate.target.name}”{where}. Change that relationship instead."
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def relationship_create(
    *,
    source: Stakeholder,
    target: Stakeholder,
    kind: str,
    by: User | None,
    direction: str = "",
    strength: int = 2,
    description: str = "",
    initiative: Initiative | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Relationship:
    """Record that `source` relates to `target` in the given way."""
    _check(by, "network.add_relationship", source)
    if kind not in RelationshipKind.values:
        raise ValidationError(
            {"kind": [f"Unknown kind “{kind}”. Use one of: {', '.join(RelationshipKind.values)}."]}
        )
    relationship = Relationship(
        city_id=source.city_id,
        source=source,
        target=target,
        kind=kind,
        direction=direction or default_direction(kind),
        strength=strength,
        description=description.strip(),
        initiative=initiative,
        start_date=start_date,
        end_date=end_date,
    )
    _validate(relationship)
    _stamp(relationship, by)
    relationship.save()
    network_cache_clear(relationship.city_id)
    return relationship


@transaction.atomic
def relationship_update(
    *,
    relationship: Relationship,
    by: User | None,
    expected_version: int | None,
    **changes: Any,
) -> Relationship:
    """Change a relationship, refusing the save if someone else changed it meanwhile."""
    _check(by, "network.change_relationship", relationship.source)
    unknown = set(changes) - RELATIONSHIP_FIELDS
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    if "kind" in changes and changes["kind"] not in RelationshipKind.values:
        raise ValidationError({"kind": [f"Unknown kind “{changes['kind']}”."]})
    if isinstance(changes.get("description"), str):
        changes["description"] = changes["description"].strip()
    for field, value in changes.items():
        setattr(relationship, field, value)
    if "source" in changes:
        # Moving a relationship to another source needs the right over that one too.
        _check(by, "network.change_relationship", relationship.source)
    _validate(relationship)
    claim_version(relationship, expected_version)
    _stamp(relationship, by)
    relationship.save()
    network_cache_clear(relationship.city_id)
    return relationship


@transaction.atomic
def relationship_delete(*, relationship: Relationship, by: User | None) -> None:
    """Delete a relationship; its change history keeps it."""
    _check(by, "network.delete_relationship", relationship.source)
    _stamp(relationship, by)
    city_id = relationship.city_id
    relationship.delete()
    network_cache_clear(city_id)


@transaction.atomic
def relationship_transfer(*, source: Stakeholder, target: Stakeholder, by: User | None) -> int:
    """Move every relationship of `source` to `target` (when merging them); return how many.

    A relationship the target already holds, or one that would join the target to itself,
    is deleted instead of moved.
    """
    _check(by, "network.change_relationship", target)
    moved = 0
    for relationship in Relationship.objects.filter(source=source).select_related("target"):
        moved += _move_end(relationship, "source", target, by)
    for relationship in Relationship.objects.filter(target=source).select_related("source"):
        moved += _move_end(relationship, "target", target, by)
    network_cache_clear(source.city_id)
    return moved


def _move_end(relationship: Relationship, end: str, to: Stakeholder, by: User | None) -> int:
    setattr(relationship, end, to)
    _stamp(relationship, by)
    if relationship.source_id == relationship.target_id or _duplicate_of(relationship):
        relationship.delete()
        return 0
    claim_version(relationship, None)
    relationship.save()
    return 1


def _clean_positions(positions: Any, allowed_ids: set[int] | None) -> dict[str, list[float]]:
    if not isinstance(positions, dict):
        raise ValidationError({"positions": ["Send the positions as {id: [x, y]}."]})
    cleaned: dict[str, list[float]] = {}
    for key, value in positions.items():
        try:
            pk = int(key)
            x, y = (float(value[0]), float(value[1]))
        except (TypeError, ValueError, IndexError, KeyError):
            raise ValidationError(
                {"positions": [f"The position of {key!s:.40} is not a pair of numbers."]}
            ) from None
        if not (abs(x) <= MAX_COORDINATE and abs(y) <= MAX_COORDINATE):
            raise ValidationError({"positions": [f"The position of {pk} is out of range."]})
        if allowed_ids is not None and pk not in allowed_ids:
            raise ValidationError({"positions": [f"There is no stakeholder {pk} on this map."]})
        cleaned[str(pk)] = [round(x, 1), round(y, 1)]
    return cleaned


@transaction.atomic
def layout_save(
    *,
    city: City,
    positions: Any,
    by: User | None,
    initiative: Initiative | None = None,
    grouping: str = "",
    expected_version: int | None = None,
) -> SavedLayout:
    """Save the positions of a map's stakeholders for everyone in the city.

    `expected_version` is the version of the saved layout the map was opened with (None
    when it had none); a layout saved by someone else meanwhile is not overwritten.
    """
    _check(by, "network.save_layout", city)
    if grouping not in Grouping.values:
        raise ValidationError({"grouping": [f"Unknown grouping “{grouping}”."]})
    if initiative is not None and initiative.city_id != city.pk:
        raise ValidationError({"initiative": ["The initiative must belong to this city."]})
    ids = set(
        Stakeholder.objects.filter(city=city, pk__in=_ids_of(positions)).values_list(
            "pk", flat=True
        )
    )
    cleaned = _clean_positions(positions, ids)
    layout = (
        SavedLayout.objects.select_for_update()
        .filter(city=city, initiative=initiative, grouping=grouping)
        .first()
    )
    if layout is None:
        if expected_version is not None:
            raise ConflictError(
                "Someone reset this map's layout after you opened it. Reload the map."
            )
        layout = SavedLayout(city=city, initiative=initiative, grouping=grouping)
    else:
        if expected_version is None:
            expected_version = -1  # the map had no saved layout: someone saved one meanwhile
        claim_version(layout, expected_version)
    layout.positions = cleaned
    layout.saved_by = by
    layout.save()
    return layout


def _ids_of(positions: Any) -> list[int]:
    if not isinstance(positions, dict):
        return []
    ids = []
    for key in positions:
        try:
            ids.append(int(key))
        except (TypeError, ValueError):
            continue
    return ids


@transaction.atomic
def layout_reset(
    *, city: City, by: User | None, initiative: Initiative | None = None, grouping: str = ""
) -> bool:
    """Forget a map's saved positions, so that the computed layout shows again."""
    _check(by, "network.save_layout", city)
    deleted, _ = SavedLayout.objects.filter(
        city=city, initiative=initiative, grouping=grouping
    ).delete()
    return bool(deleted)
