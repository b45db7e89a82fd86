"""API for the information shared before activities, and citizens' registrations."""

from django.http import HttpRequest
from ninja import File, Form, Router, UploadedFile
from ninja.responses import Status

from civitas.core.permissions import require
from civitas.core.schemas import ERRORS, CitySlug, ObjectId, acting_user
from civitas.engagement.api.activities import ACTIVITY
from civitas.engagement.api.lookups import activity_of
from civitas.engagement.models import Disclosure, Registration
from civitas.engagement.schemas import (
    AttendedIn,
    DisclosureForm,
    DisclosureIn,
    DisclosureOut,
    DisclosurePatch,
    RegistrationOut,
)
from civitas.engagement.selectors import disclosure_list, registration_list
from civitas.engagement.services import (
    disclosure_add,
    disclosure_remove,
    disclosure_update,
    registration_set_attended,
)

router = Router(tags=["engagement"])


# Disclosure


@router.get(
    f"{ACTIVITY}/disclosures",
    response={200: list[DisclosureOut], **ERRORS},
    summary="List the information shared",
)
def disclosure_index(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId
) -> list[Disclosure]:
    """List what was shared with the participants before the activity."""
    return list(disclosure_list(activity=activity_of(request, slug, activity_id)))


@router.post(
    f"{ACTIVITY}/disclosures",
    response={201: DisclosureOut, **ERRORS},
    summary="Record information shared (a link)",
)
def disclosure_create(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, payload: DisclosureIn
) -> Status[Disclosure]:
    """Record a link shared with the participants, and when."""
    activity = activity_of(request, slug, activity_id)
    disclosure = disclosure_add(activity=activity, by=acting_user(request), **payload.model_dump())
    return Status(201, disclosure)


@router.post(
    f"{ACTIVITY}/disclosures/documents",
    response={201: DisclosureOut, **ERRORS},
    summary="Record information shared (a document)",
)
def disclosure_upload(
    request: HttpRequest,
    slug: CitySlug,
    activity_id: ObjectId,
    payload: Form[DisclosureForm],
    document: File[UploadedFile],
) -> Status[Disclosure]:
    """Attach a document shared with the participants (multipart form)."""
    activity = activity_of(request, slug, activity_id)
    disclosure = disclosure_add(
        activity=activity, by=acting_user(request), document=document, **payload.model_dump()
    )
    return Status(201, disclosure)


DISCLOSURE = f"{ACTIVITY}/disclosures/{{disclosure_id}}"


def _disclosure_of(
    request: HttpRequest, slug: str, activity_id: int, disclosure_id: int
) -> Disclosure:
    activity = activity_of(request, slug, activity_id)
    return Disclosure.objects.select_related("activity__city").get(
        activity=activity, pk=disclosure_id
    )


@router.patch(
    DISCLOSURE, response={200: DisclosureOut, **ERRORS}, summary="Change information shared"
)
def disclosure_change(
    request: HttpRequest,
    slug: CitySlug,
    activity_id: ObjectId,
    disclosure_id: ObjectId,
    payload: DisclosurePatch,
) -> Disclosure:
    """Change what is recorded about information shared."""
    disclosure = _disclosure_of(request, slug, activity_id, disclosure_id)
    return disclosure_update(disclosure=disclosure, by=acting_user(request), **payload.changes())


@router.delete(DISCLOSURE, response={204: None, **ERRORS}, summary="Remove information shared")
def disclosure_delete(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, disclosure_id: ObjectId
) -> Status[None]:
    """Remove a piece of information from the activity."""
    disclosure = _disclosure_of(request, slug, activity_id, disclosure_id)
    disclosure_remove(disclosure=disclosure, by=acting_user(request))
    return Status(204, None)


# Citizens' registrations (personal data)


@router.get(
    f"{ACTIVITY}/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    summary="List citizens registered",
)
def registration_index(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId
) -> list[Registration]:
    """List the citizens registered for a public activity (owners and analysts)."""
    activity = activity_of(request, slug, activity_id)
    require(acting_user(request), "engagement.view_personal_data", activity)
    return list(registration_list(activity=activity))


@router.post(
    f"{ACTIVITY}/registrations/{{registration_id}}/attended",
    response={200: RegistrationOut, **ERRORS},
    summary="Record a citizen's attendance",
)
def registration_attended(
    request: HttpRequest,
    slug: CitySlug,
    activity_id: ObjectId,
    registration_id: ObjectId,
    payload: AttendedIn,
) -> Registration:
    """Record whether a registered citizen came."""
    activity = activity_of(request, slug, activity_id)
    registration = Registration.objects.select_related("activity").get(
        activity=activity, pk=registration_id
    )
    return registration_set_attended(
        registration=registration, by=acting_user(request), attended=payload.attended
    )
