"""API for grievances and their workflow, reviews, and a stakeholder's engagement."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from civitas.accounts.models import User
from civitas.core.errors import ValidationError
from civitas.core.schemas import ERRORS, CitySlug, ObjectId, Pages, acting_user
from civitas.engagement.api.lookups import (
    CONFLICT,
    activity_in,
    engagement_city,
    grievance_of,
    initiative_in,
    stakeholder_in,
)
from civitas.engagement.models import Grievance, GrievanceAction, Review, ReviewSchedule
from civitas.engagement.schemas import (
    AssignIn,
    EngagementEntryOut,
    GrievanceActionIn,
    GrievanceDetailOut,
    GrievanceFilters,
    GrievanceIn,
    GrievanceOut,
    ReviewIn,
    ReviewOut,
    ReviewScheduleIn,
    ReviewScheduleOut,
)
from civitas.engagement.selectors import (
    EngagementEntry,
    grievance_detail,
    grievance_list,
    review_list,
    review_schedule_list,
    stakeholder_engagement,
)
from civitas.engagement.services import (
    grievance_act,
    grievance_assign,
    grievance_lodge,
    review_record,
    review_schedule_set,
)
from civitas.stakeholders.api.lookups import stakeholder_of

router = Router(tags=["engagement"])

GRIEVANCE = "/cities/{slug}/grievances/{grievance_id}"


def _detail(request: HttpRequest, grievance: Grievance) -> Grievance:
    return grievance_detail(city=grievance.city, pk=grievance.pk, user=acting_user(request))


@router.get(
    "/cities/{slug}/grievances",
    response={200: list[GrievanceOut], **ERRORS},
    summary="List grievances",
)
@paginate(Pages)
def grievance_index(request: HttpRequest, slug: CitySlug, filters: Query[GrievanceFilters]) -> Any:
    """List grievances, newest first; with overdue=true, those past due, soonest first.

    Contributors see only the grievances their own stakeholder lodged.
    """
    city = engagement_city(request, slug)
    return grievance_list(
        city=city,
        user=acting_user(request),
        status=filters.status or "",
        overdue=filters.overdue,
        initiative=initiative_in(city, filters.initiative, "initiative")
        if filters.initiative
        else None,
    )


@router.post(
    "/cities/{slug}/grievances",
    response={200: GrievanceDetailOut, 201: GrievanceDetailOut, **ERRORS},
    summary="Lodge a grievance",
)
def grievance_add(request: HttpRequest, slug: CitySlug, payload: GrievanceIn) -> Status[Grievance]:
    """Record a grievance received (201); a repeated submission token returns the first (200).

    Contributors lodge grievances for their own stakeholder.
    """
    city = engagement_city(request, slug)
    grievance, created = grievance_lodge(
        city=city,
        by=acting_user(request),
        subject=payload.subject,
        description=payload.description,
        channel=payload.channel,
        stakeholder=stakeholder_in(request, city, payload.stakeholder_id)
        if payload.stakeholder_id
        else None,
        initiative=initiative_in(city, payload.initiative_id) if payload.initiative_id else None,
        activity=activity_in(city, payload.activity_id) if payload.activity_id else None,
        complainant_name=payload.complainant_name,
        complainant_email=payload.complainant_email,
        received_at=payload.received_at,
        submission_token=payload.submission_token or "",
    )
    return Status(201 if created else 200, _detail(request, grievance))


@router.get(GRIEVANCE, response={200: GrievanceDetailOut, **ERRORS}, summary="Get a grievance")
def grievance_get(request: HttpRequest, slug: CitySlug, grievance_id: ObjectId) -> Grievance:
    """Return a grievance with every step of its handling."""
    return _detail(request, grievance_of(request, slug, grievance_id))


def _action_endpoint(action: str, summary: str, doc: str) -> None:
    def handler(
        request: HttpRequest, slug: CitySlug, grievance_id: ObjectId, payload: GrievanceActionIn
    ) -> Grievance:
        grievance = grievance_of(request, slug, grievance_id)
        grievance_act(
            grievance=grievance,
            action=action,
            by=acting_user(request),
            note=payload.note,
            expected_version=payload.version,
        )
        return _detail(request, grievance)

    handler.__name__ = f"grievance_{action}"
    handler.__doc__ = doc
    router.post(
        f"{GRIEVANCE}/{action}",
        response={200: GrievanceDetailOut, **CONFLICT, **ERRORS},
        summary=summary,
    )(handler)


_action_endpoint(
    GrievanceAction.ACKNOWLEDGE,
    "Acknowledge a grievance",
    "Tell that a received grievance will be looked into.",
)
_action_endpoint(
    GrievanceAction.INVESTIGATE,
    "Investigate a grievance",
    "Start investigating an acknowledged grievance.",
)
_action_endpoint(
    GrievanceAction.RESOLVE,
    "Resolve a grievance",
    "Resolve a grievance under investigation; the note says how.",
)
_action_endpoint(
    GrievanceAction.REJECT, "Reject a grievance", "Reject a grievance; the note gives the reasons."
)
_action_endpoint(
    GrievanceAction.CLOSE, "Close a grievance", "Close a resolved or rejected grievance."
)
_action_endpoint(
    GrievanceAction.APPEAL,
    "Appeal a grievance's outcome",
    "Reopen a resolved, rejected or closed grievance; the note says why. Contributors "
    "appeal their own stakeholder's.",
)


@router.post(
    f"{GRIEVANCE}/handler",
    response={200: GrievanceDetailOut, **ERRORS},
    summary="Give a grievance to a handler",
)
def grievance_handler(
    request: HttpRequest, slug: CitySlug, grievance_id: ObjectId, payload: AssignIn
) -> Grievance:
    """Give a grievance to an owner or analyst of the city, or to nobody with null."""
    grievance = grievance_of(request, slug, grievance_id)
    handler = None
    if payload.handler_id is not None:
        handler = User.objects.filter(
            pk=payload.handler_id, memberships__city=grievance.city
        ).first()
        if handler is None:
            raise ValidationError({"handler_id": ["Choose a member of this city."]})
    grievance_assign(grievance=grievance, handler=handler, by=acting_user(request))
    return _detail(request, grievance)


# Reviews


@router.get(
    "/cities/{slug}/reviews/schedules",
    response={200: list[ReviewScheduleOut], **ERRORS},
    summary="List review schedules",
)
def review_schedule_index(
    request: HttpRequest, slug: CitySlug, overdue: Query[bool] = False
) -> list[ReviewSchedule]:
    """List when each initiative's engagement is next reviewed; overdue=true: those past due."""
    city = engagement_city(request, slug)
    return list(review_schedule_list(city=city, overdue=overdue))


INITIATIVE_REVIEWS = "/cities/{slug}/initiatives/{initiative_id}/reviews"


@router.put(
    f"{INITIATIVE_REVIEWS}/schedule",
    response={200: ReviewScheduleOut, **CONFLICT, **ERRORS},
    summary="Set an initiative's review schedule",
)
def review_schedule_put(
    request: HttpRequest, slug: CitySlug, initiative_id: ObjectId, payload: ReviewScheduleIn
) -> ReviewSchedule:
    """Set how often the initiative's engagement is reviewed and when the next review is due."""
    city = engagement_city(request, slug)
    initiative = initiative_in(city, initiative_id, "initiative")
    review_schedule_set(
        initiative=initiative,
        by=acting_user(request),
        cadence_days=payload.cadence_days,
        next_due_on=payload.next_due_on,
        expected_version=payload.version,
    )
    return review_schedule_list(city=city).get(initiative=initiative)


@router.get(
    INITIATIVE_REVIEWS, response={200: list[ReviewOut], **ERRORS}, summary="List reviews held"
)
def review_index(request: HttpRequest, slug: CitySlug, initiative_id: ObjectId) -> list[Review]:
    """List the reviews of an initiative's engagement, newest first."""
    city = engagement_city(request, slug)
    return list(review_list(initiative=initiative_in(city, initiative_id, "initiative")))


@router.post(
    INITIATIVE_REVIEWS, response={201: ReviewOut, **ERRORS}, summary="Record a review held"
)
def review_add(
    request: HttpRequest, slug: CitySlug, initiative_id: ObjectId, payload: ReviewIn
) -> Status[Review]:
    """Record a review of the engagement; the next one falls due one cadence later."""
    city = engagement_city(request, slug)
    review = review_record(
        initiative=initiative_in(city, initiative_id, "initiative"),
        by=acting_user(request),
        findings=payload.findings,
        held_on=payload.held_on,
        changes_made=payload.changes_made,
    )
    return Status(201, review)


# The stakeholder page


@router.get(
    "/cities/{slug}/stakeholders/{stakeholder_id}/engagement",
    response={200: list[EngagementEntryOut], **ERRORS},
    summary="A stakeholder's engagement over time",
)
def stakeholder_timeline(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId
) -> list[EngagementEntry]:
    """List a stakeholder's invitations, attendance, contributions and answers, newest first."""
    return stakeholder_engagement(stakeholder=stakeholder_of(request, slug, stakeholder_id))
