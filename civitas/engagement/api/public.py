"""The public endpoints: no sign-in, throttled per client address, never any personal data.

A city shows them only once its engagement settings switch the public page on; other
cities answer 404 as if they did not exist.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.responses import Status

from civitas.cities.models import Initiative
from civitas.core.errors import ValidationError
from civitas.core.schemas import ERRORS, CitySlug, ErrorOut, ObjectId
from civitas.engagement.api.contributions import base_url
from civitas.engagement.models import Activity, Contribution, Grievance
from civitas.engagement.schemas import (
    PublicAccountabilityOut,
    PublicActivityOut,
    PublicAppealIn,
    PublicContributionIn,
    PublicContributionOut,
    PublicGrievanceIn,
    PublicGrievanceOut,
    PublicGrievanceReceiptOut,
    PublicInitiativeOut,
    PublicReceiptOut,
    PublicRegistrationIn,
    PublicRegistrationOut,
)
from civitas.engagement.selectors import (
    PublicAccountability,
    PublicActivity,
    PublicContributionStatus,
    PublicGrievanceStatus,
    public_accountability,
    public_activities,
    public_activity,
    public_activity_data,
    public_activity_list,
    public_city,
    public_contribution,
    public_grievance,
    public_grievance_record,
    public_initiatives,
)
from civitas.engagement.services import (
    contribution_submit,
    grievance_appeal_public,
    grievance_submit,
    grievance_tracking_link,
    registration_submit,
    tracking_link,
)
from civitas.engagement.throttling import READ, SUBMIT

router = Router(tags=["public"])

PUBLIC = "/public/{slug}"
Code = str

ANONYMOUS: dict[str, Any] = {"auth": None}
THROTTLED: dict[int, type[ErrorOut]] = {429: ErrorOut}


def _code(code: str) -> str:
    """Refuse codes that could not have been issued, before touching the database."""
    if not 8 <= len(code) <= 32 or not code.replace("-", "").replace("_", "").isalnum():
        raise Http404("No such tracking code.")
    return code


def _activity(slug: str, activity_id: int) -> Activity:
    return public_activity(city=public_city(slug), pk=activity_id)


@router.get(
    f"{PUBLIC}/activities",
    response={200: list[PublicActivityOut], **ERRORS, **THROTTLED},
    summary="List a city's public activities",
    throttle=[READ],
    **ANONYMOUS,
)
def public_activity_index(request: HttpRequest, slug: CitySlug) -> list[PublicActivity]:
    """List the activities a city opened to the public, with the information it shared."""
    return public_activity_list(city=public_city(slug))


@router.get(
    f"{PUBLIC}/activities/{{activity_id}}",
    response={200: PublicActivityOut, **ERRORS, **THROTTLED},
    summary="Get a public activity",
    throttle=[READ],
    **ANONYMOUS,
)
def public_activity_get(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId
) -> PublicActivity:
    """Return one public activity and the information shared before it."""
    return public_activity_data(city=public_city(slug), pk=activity_id)


@router.post(
    f"{PUBLIC}/activities/{{activity_id}}/contributions",
    response={200: PublicReceiptOut, 201: PublicReceiptOut, **ERRORS, **THROTTLED},
    summary="Send a contribution",
    throttle=[SUBMIT],
    **ANONYMOUS,
)
def public_contribution_add(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, payload: PublicContributionIn
) -> Status[dict[str, str]]:
    """Send a contribution to an open public activity (201); the same token again gives 200.

    Keep the tracking code: the answer to the contribution will be found with it.
    """
    contribution, created = contribution_submit(
        activity=_activity(slug, activity_id), **payload.model_dump()
    )
    receipt = {
        "tracking_code": contribution.tracking_code,
        "tracking_url": tracking_link(base_url(request), contribution.tracking_code),
    }
    return Status(201 if created else 200, receipt)


@router.post(
    f"{PUBLIC}/activities/{{activity_id}}/registrations",
    response={200: PublicRegistrationOut, 201: PublicRegistrationOut, **ERRORS, **THROTTLED},
    summary="Register for a public activity",
    throttle=[SUBMIT],
    **ANONYMOUS,
)
def public_registration_add(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, payload: PublicRegistrationIn
) -> Status[dict[str, Any]]:
    """Register to take part in a public activity (201); the same token again gives 200."""
    activity = _activity(slug, activity_id)
    _, created = registration_submit(activity=activity, **payload.model_dump())
    return Status(201 if created else 200, {"activity": activity.title, "registered": True})


@router.get(
    f"{PUBLIC}/initiatives",
    response={200: list[PublicInitiativeOut], **ERRORS, **THROTTLED},
    summary="List initiatives with public engagement",
    throttle=[READ],
    **ANONYMOUS,
)
def public_initiative_index(request: HttpRequest, slug: CitySlug) -> list[Initiative]:
    """List the initiatives with a public activity or a published decision."""
    return list(public_initiatives(city=public_city(slug)))


@router.get(
    f"{PUBLIC}/initiatives/{{initiative_id}}/accountability",
    response={200: PublicAccountabilityOut, **ERRORS, **THROTTLED},
    summary="How contributions affected the decisions",
    throttle=[READ],
    **ANONYMOUS,
)
def public_accountability_get(
    request: HttpRequest, slug: CitySlug, initiative_id: ObjectId
) -> PublicAccountability:
    """Return an initiative's published decisions and the answers the city published."""
    initiative = public_initiatives(city=public_city(slug)).get(pk=initiative_id)
    return public_accountability(initiative=initiative)


@router.get(
    "/public/contributions/{code}",
    response={200: PublicContributionOut, **ERRORS, **THROTTLED},
    summary="Read the answer to my contribution",
    throttle=[READ],
    **ANONYMOUS,
)
def public_contribution_get(request: HttpRequest, code: Code) -> PublicContributionStatus:
    """Return a contribution and, once given, its answer, by the tracking code."""
    try:
        return public_contribution(code=_code(code))
    except Contribution.DoesNotExist as error:
        raise Http404("No such tracking code.") from error


@router.post(
    f"{PUBLIC}/grievances",
    response={
        200: PublicGrievanceReceiptOut,
        201: PublicGrievanceReceiptOut,
        **ERRORS,
        **THROTTLED,
    },
    summary="Lodge a grievance",
    throttle=[SUBMIT],
    **ANONYMOUS,
)
def public_grievance_add(
    request: HttpRequest, slug: CitySlug, payload: PublicGrievanceIn
) -> Status[dict[str, Any]]:
    """Lodge a grievance, anonymously if you like (201); the same token again gives 200.

    Keep the tracking code: it is the way to follow the grievance and to appeal.
    """
    city = public_city(slug)
    values = payload.model_dump(exclude={"initiative_id", "activity_id"})
    initiative = activity = None
    errors: dict[str, list[str]] = {}
    if payload.initiative_id:
        initiative = public_initiatives(city=city).filter(pk=payload.initiative_id).first()
        if initiative is None:
            errors["initiative_id"] = ["There is no such initiative on this city's public page."]
    if payload.activity_id:
        activity = (
            public_activities(city=city)
            .filter(pk=payload.activity_id)
            .select_related("initiative")
            .first()
        )
        if activity is None:
            errors["activity_id"] = ["There is no such activity on this city's public page."]
    if errors:
        raise ValidationError(errors)
    grievance, created = grievance_submit(
        city=city, initiative=initiative, activity=activity, **values
    )
    receipt = {
        "tracking_code": grievance.tracking_code,
        "tracking_url": grievance_tracking_link(base_url(request), grievance.tracking_code),
        "due_on": grievance.due_on,
    }
    return Status(201 if created else 200, receipt)


@router.get(
    "/public/grievances/{code}",
    response={200: PublicGrievanceOut, **ERRORS, **THROTTLED},
    summary="Follow my grievance",
    throttle=[READ],
    **ANONYMOUS,
)
def public_grievance_get(request: HttpRequest, code: Code) -> PublicGrievanceStatus:
    """Return where a grievance stands, by the tracking code."""
    try:
        return public_grievance(code=_code(code))
    except Grievance.DoesNotExist as error:
        raise Http404("No such tracking code.") from error


@router.post(
    "/public/grievances/{code}/appeal",
    response={200: PublicGrievanceOut, **ERRORS, **THROTTLED},
    summary="Appeal my grievance's outcome",
    throttle=[SUBMIT],
    **ANONYMOUS,
)
def public_grievance_appeal(
    request: HttpRequest, code: Code, payload: PublicAppealIn
) -> PublicGrievanceStatus:
    """Appeal the outcome of a grievance by its tracking code: it is investigated again."""
    try:
        grievance = public_grievance_record(code=_code(code))
    except Grievance.DoesNotExist as error:
        raise Http404("No such tracking code.") from error
    grievance_appeal_public(grievance=grievance, reason=payload.reason)
    return public_grievance(code=code)
