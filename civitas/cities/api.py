"""API for cities and their initiatives."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from civitas.cities.models import City, Initiative
from civitas.cities.schemas import (
    ARCHIVE,
    ArchiveIn,
    CityIn,
    CityListOut,
    CityOut,
    CityPatch,
    InitiativeIn,
    InitiativeListOut,
    InitiativeOut,
    InitiativePatch,
)
from civitas.cities.selectors import city_for, city_list_for, initiative_list
from civitas.cities.services import (
    city_create,
    city_update,
    initiative_archive,
    initiative_create,
    initiative_update,
)
from civitas.core.schemas import ERRORS, CitySlug, ErrorOut, ObjectId, acting_user

router = Router()


def city_of(request: HttpRequest, slug: str, permission: str = "cities.view_city") -> City:
    """Return a city of the caller's: 404 for non-members, 403 for a role lacking `permission`."""
    return city_for(slug=slug, user=acting_user(request), permission=permission)


def initiative_of(request: HttpRequest, slug: str, initiative_id: int) -> Initiative:
    """Return an initiative of a city of the caller's, or raise 404."""
    city = city_of(request, slug, "cities.view_initiative")
    return Initiative.objects.select_related("city").get(city=city, pk=initiative_id)


@router.get("", response={200: list[CityListOut], **ERRORS}, summary="List my cities")
def city_list(request: HttpRequest) -> list[City]:
    """List the cities you are a member of."""
    return list(city_list_for(user=acting_user(request)))


@router.post("", response={201: CityOut, **ERRORS}, summary="Create a city")
def city_add(request: HttpRequest, payload: CityIn) -> Status[City]:
    """Create a city; you become its owner."""
    data = payload.model_dump()
    city = city_create(by=acting_user(request), **{k: v for k, v in data.items() if v is not None})
    return Status(201, city)


@router.get("/{slug}", response={200: CityOut, **ERRORS}, summary="Get a city")
def city_detail(request: HttpRequest, slug: CitySlug) -> City:
    """Return a city you are a member of."""
    return city_of(request, slug)


@router.patch("/{slug}", response={200: CityOut, **ERRORS}, summary="Change a city")
def city_change(request: HttpRequest, slug: CitySlug, payload: CityPatch) -> City:
    """Change a city's details (owners)."""
    city = city_of(request, slug)
    return city_update(city=city, by=acting_user(request), **payload.changes())


@router.get(
    "/{slug}/initiatives",
    response={200: list[InitiativeListOut], **ERRORS},
    summary="List initiatives",
)
def initiative_index(
    request: HttpRequest, slug: CitySlug, include_archived: Query[bool] = False
) -> list[Initiative]:
    """List a city's SSC initiatives, optionally with the archived ones."""
    city = city_of(request, slug, "cities.view_initiative")
    return list(initiative_list(city=city, include_archived=include_archived))


@router.post(
    "/{slug}/initiatives", response={201: InitiativeOut, **ERRORS}, summary="Create an initiative"
)
def initiative_add(
    request: HttpRequest, slug: CitySlug, payload: InitiativeIn
) -> Status[Initiative]:
    """Create an SSC initiative (owners and analysts)."""
    city = city_of(request, slug)
    data = payload.model_dump()
    initiative = initiative_create(
        city=city, by=acting_user(request), **{k: v for k, v in data.items() if v is not None}
    )
    return Status(201, initiative)


@router.get(
    "/{slug}/initiatives/{initiative_id}",
    response={200: InitiativeOut, **ERRORS},
    summary="Get an initiative",
)
def initiative_detail(request: HttpRequest, slug: CitySlug, initiative_id: ObjectId) -> Initiative:
    """Return one initiative."""
    return initiative_of(request, slug, initiative_id)


@router.patch(
    "/{slug}/initiatives/{initiative_id}",
    response={200: InitiativeOut, 409: ErrorOut, **ERRORS},
    summary="Change an initiative",
)
def initiative_change(
    request: HttpRequest, slug: CitySlug, initiative_id: ObjectId, payload: InitiativePatch
) -> Initiative:
    """Change an initiative; send the version you read, a stale one is refused with 409."""
    initiative = initiative_of(request, slug, initiative_id)
    changes = payload.changes()
    version = changes.pop("version")
    return initiative_update(
        initiative=initiative, by=acting_user(request), expected_version=version, **changes
    )


@router.post(
    "/{slug}/initiatives/{initiative_id}/archive",
    response={200: InitiativeOut, **ERRORS},
    summary="Archive an initiative",
)
def initiative_archive_set(
    request: HttpRequest, slug: CitySlug, initiative_id: ObjectId, payload: ArchiveIn = ARCHIVE
) -> Initiative:
    """Archive an initiative, or bring it back with {"archived": false} (owners)."""
    initiative = initiative_of(request, slug, initiative_id)
    return initiative_archive(
        initiative=initiative, by=acting_user(request), archived=payload.archived
    )
