"""API for the registry (step 1) and the stakeholders' contact persons."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from civitas.cities.api import city_of
from civitas.cities.models import Initiative
from civitas.cities.schemas import ARCHIVE, ArchiveIn
from civitas.core.errors import ValidationError, error_messages
from civitas.core.permissions import require
from civitas.core.schemas import ERRORS, CitySlug, ObjectId, Pages, acting_user
from civitas.stakeholders.api.lookups import (
    CONFLICT,
    STAKEHOLDER,
    parent_in,
    raise_if,
    stakeholder_of,
    type_named,
    visible,
)
from civitas.stakeholders.models import ContactPerson, Stakeholder
from civitas.stakeholders.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    HistoryEntryOut,
    MergeIn,
    StakeholderDetailOut,
    StakeholderFilters,
    StakeholderIn,
    StakeholderOut,
    StakeholderPatch,
    StartIn,
)
from civitas.stakeholders.selectors import (
    stakeholder_detail,
    stakeholder_history,
    stakeholder_list,
)
from civitas.stakeholders.services import (
    city_seed_from_catalogue,
    contact_add,
    contact_remove,
    contact_update,
    stakeholder_archive,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_merge,
    stakeholder_update,
)

router = Router()


@router.get(
    "/{slug}/stakeholders",
    response={200: list[StakeholderOut], **ERRORS},
    summary="List stakeholders",
)
@paginate(Pages)
def stakeholder_index(
    request: HttpRequest, slug: CitySlug, filters: Query[StakeholderFilters]
) -> Any:
    """List a city's stakeholders with search, filters, sorting and paging."""
    city = city_of(request, slug)
    errors: dict[str, list[str]] = {}
    if filters.type:
        type_named(filters.type, errors)
    initiative = None
    if filters.initiative is not None:
        initiative = Initiative.objects.filter(city=city, pk=filters.initiative).first()
        if initiative is None:
            errors["initiative"] = [f"There is no initiative with the id {filters.initiative}."]
    raise_if(errors)
    return stakeholder_list(
        city=city,
        user=acting_user(request),
        search=filters.search,
        type=filters.type,
        sector=filters.sector or "",
        level=filters.level or "",
        lfa_role=filters.lfa_role or "",
        tag=filters.tag,
        initiative=initiative,
        archived=filters.archived,
        sort=filters.sort,
    )


@router.post(
    "/{slug}/stakeholders", response={201: StakeholderOut, **ERRORS}, summary="Add a stakeholder"
)
def stakeholder_add(
    request: HttpRequest, slug: CitySlug, payload: StakeholderIn
) -> Status[Stakeholder]:
    """Add a stakeholder to the registry (owners and analysts)."""
    city = city_of(request, slug)
    user = acting_user(request)
    require(user, "stakeholders.add_stakeholder", city)
    errors: dict[str, list[str]] = {}
    values = payload.model_dump(exclude={"type", "parent"})
    values["type"] = type_named(payload.type, errors)
    values["parent"] = parent_in(request, city, payload.parent, errors) if payload.parent else None
    raise_if(errors)
    values = {k: v for k, v in values.items() if v is not None or k == "parent"}
    return Status(201, stakeholder_create(city=city, by=user, **values))


@router.get(
    STAKEHOLDER, response={200: StakeholderDetailOut, **ERRORS}, summary="Get a stakeholder"
)
def stakeholder_get(request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId) -> Stakeholder:
    """Return a stakeholder with its contact persons and units."""
    city = city_of(request, slug)
    return visible(request, stakeholder_detail(city=city, pk=stakeholder_id))


@router.patch(
    STAKEHOLDER,
    response={200: StakeholderOut, **CONFLICT, **ERRORS},
    summary="Change a stakeholder",
)
def stakeholder_change(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, payload: StakeholderPatch
) -> Stakeholder:
    """Change a stakeholder; send the version you read, a stale one is refused with 409."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    user = acting_user(request)
    require(user, "stakeholders.change_stakeholder", stakeholder)
    changes = payload.changes()
    version = changes.pop("version")
    errors: dict[str, list[str]] = {}
    if "type" in changes:
        changes["type"] = type_named(changes["type"], errors)
    if changes.get("parent") is not None:
        changes["parent"] = parent_in(request, stakeholder.city, changes["parent"], errors)
    raise_if(errors)
    return stakeholder_update(stakeholder=stakeholder, by=user, expected_version=version, **changes)


@router.post(
    f"{STAKEHOLDER}/archive",
    response={200: StakeholderOut, **ERRORS},
    summary="Archive a stakeholder",
)
def stakeholder_archive_set(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, payload: ArchiveIn = ARCHIVE
) -> Stakeholder:
    """Archive a stakeholder, or bring it back with {"archived": false}."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    return stakeholder_archive(
        stakeholder=stakeholder, by=acting_user(request), archived=payload.archived
    )


@router.delete(STAKEHOLDER, response={204: None, **ERRORS}, summary="Delete a stakeholder")
def stakeholder_remove(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId
) -> Status[None]:
    """Delete a stakeholder that has no records yet; one with records can only be archived."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    stakeholder_delete(stakeholder=stakeholder, by=acting_user(request))
    return Status(204, None)


@router.post(
    f"{STAKEHOLDER}/merge",
    response={200: StakeholderOut, **ERRORS},
    summary="Merge a stakeholder into another",
)
def stakeholder_fold(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, payload: MergeIn
) -> Stakeholder:
    """Move this stakeholder's records to the target and archive this one; return the target."""
    source = stakeholder_of(request, slug, stakeholder_id)
    user = acting_user(request)
    require(user, "stakeholders.merge_stakeholder", source)
    target = (
        Stakeholder.objects.select_related("type", "parent")
        .filter(city_id=source.city_id, pk=payload.target_id)
        .first()
    )
    if target is None or not user.has_perm("stakeholders.view_stakeholder", target):
        raise ValidationError(
            {"target_id": [f"There is no stakeholder with the id {payload.target_id} here."]}
        )
    try:
        return stakeholder_merge(source=source, target=target, by=user)
    except ValidationError as error:
        messages = error_messages(error)
        if "target" in messages:
            messages["target_id"] = messages.pop("target")
        raise ValidationError(messages) from error


@router.get(
    f"{STAKEHOLDER}/history",
    response={200: list[HistoryEntryOut], **ERRORS},
    summary="Change history of a stakeholder",
)
def stakeholder_changes(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId
) -> list[dict[str, Any]]:
    """List who changed the stakeholder, its categorizations, matrix and contacts, newest first."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    return stakeholder_history(stakeholder)


@router.post(
    "/{slug}/start",
    response={201: list[StakeholderOut], **ERRORS},
    summary="Start from the Supplement",
)
def registry_start(
    request: HttpRequest, slug: CitySlug, payload: StartIn | None = None
) -> Status[list[Stakeholder]]:
    """Add one placeholder per catalogue type the city has no stakeholder of yet."""
    city = city_of(request, slug)
    include_units = payload.include_units if payload is not None else False
    created = city_seed_from_catalogue(
        city=city, by=acting_user(request), include_units=include_units
    )
    return Status(201, created)


# Contact persons


def _contact_of(
    request: HttpRequest, slug: str, stakeholder_id: int, contact_id: int
) -> ContactPerson:
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    require(acting_user(request), "stakeholders.view_contacts", stakeholder)
    return ContactPerson.objects.select_related("stakeholder").get(
        stakeholder=stakeholder, pk=contact_id
    )


@router.get(
    f"{STAKEHOLDER}/contacts",
    response={200: list[ContactOut], **ERRORS},
    summary="List contact persons",
)
def contact_index(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId
) -> list[ContactPerson]:
    """List a stakeholder's contact persons (members of the city only)."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    require(acting_user(request), "stakeholders.view_contacts", stakeholder)
    return list(stakeholder.contacts.order_by("name", "pk"))


@router.post(
    f"{STAKEHOLDER}/contacts",
    response={201: ContactOut, **ERRORS},
    summary="Add a contact person",
)
def contact_new(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, payload: ContactIn
) -> Status[ContactPerson]:
    """Add a contact person to a stakeholder."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    contact = contact_add(stakeholder=stakeholder, by=acting_user(request), **payload.model_dump())
    return Status(201, contact)


@router.patch(
    f"{STAKEHOLDER}/contacts/{{contact_id}}",
    response={200: ContactOut, **ERRORS},
    summary="Change a contact person",
)
def contact_change(
    request: HttpRequest,
    slug: CitySlug,
    stakeholder_id: ObjectId,
    contact_id: ObjectId,
    payload: ContactPatch,
) -> ContactPerson:
    """Change a contact person's details."""
    contact = _contact_of(request, slug, stakeholder_id, contact_id)
    return contact_update(contact=contact, by=acting_user(request), **payload.changes())


@router.delete(
    f"{STAKEHOLDER}/contacts/{{contact_id}}",
    response={204: None, **ERRORS},
    summary="Remove a contact person",
)
def contact_delete(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, contact_id: ObjectId
) -> Status[None]:
    """Remove a contact person."""
    contact = _contact_of(request, slug, stakeholder_id, contact_id)
    contact_remove(contact=contact, by=acting_user(request))
    return Status(204, None)
