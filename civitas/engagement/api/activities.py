"""API for a city's engagement settings, its activities (planned → open → closed) and participation."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from civitas.core.errors import ValidationError
from civitas.core.permissions import require
from civitas.core.schemas import ERRORS, CitySlug, ObjectId, Pages, acting_user
from civitas.engagement.api.lookups import (
    CONFLICT,
    activity_of,
    engagement_city,
    initiative_in,
    stakeholder_in,
)
from civitas.engagement.models import Activity, EngagementSettings, Participation
from civitas.engagement.schemas import (
    ActivityDetailOut,
    ActivityFilters,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    CloseIn,
    InvitationAnswerIn,
    InviteIn,
    ParticipationIn,
    ParticipationOut,
    ParticipationPatch,
    SettingsOut,
    SettingsPatch,
    VersionIn,
)
from civitas.engagement.selectors import activity_detail, activity_list, participation_list
from civitas.engagement.services import (
    activity_close,
    activity_create,
    activity_delete,
    activity_invite,
    activity_open,
    activity_update,
    engagement_settings_update,
    participation_add,
    participation_answer,
    participation_remove,
    participation_update,
    settings_of,
)
from civitas.engagement.services.common import Errors, raise_if

router = Router(tags=["engagement"])

ACTIVITY = "/cities/{slug}/activities/{activity_id}"


@router.get(
    "/cities/{slug}/engagement/settings",
    response={200: SettingsOut, **ERRORS},
    summary="Get the engagement settings",
)
def settings_get(request: HttpRequest, slug: CitySlug) -> EngagementSettings:
    """Return the disclosure lead time, the public page switch and the grievance mechanism."""
    return settings_of(engagement_city(request, slug))


@router.patch(
    "/cities/{slug}/engagement/settings",
    response={200: SettingsOut, **CONFLICT, **ERRORS},
    summary="Change the engagement settings",
)
def settings_change(request: HttpRequest, slug: CitySlug, payload: SettingsPatch) -> Any:
    """Change the engagement settings (owners); send the version you read once saved."""
    city = engagement_city(request, slug)
    changes = payload.changes()
    version = changes.pop("version", None)
    return engagement_settings_update(
        city=city, by=acting_user(request), expected_version=version, **changes
    )


# Activities


@router.get(
    "/cities/{slug}/activities",
    response={200: list[ActivityOut], **ERRORS},
    summary="List activities",
)
@paginate(Pages)
def activity_index(request: HttpRequest, slug: CitySlug, filters: Query[ActivityFilters]) -> Any:
    """List a city's activities, newest first, with counts and whether information came in time."""
    city = engagement_city(request, slug)
    initiative = (
        initiative_in(city, filters.initiative, "initiative") if filters.initiative else None
    )
    return activity_list(
        city=city,
        user=acting_user(request),
        initiative=initiative,
        status=filters.status or "",
        kind=filters.kind or "",
    )


@router.post(
    "/cities/{slug}/activities", response={201: ActivityOut, **ERRORS}, summary="Plan an activity"
)
def activity_add(request: HttpRequest, slug: CitySlug, payload: ActivityIn) -> Status[Activity]:
    """Plan an activity of an initiative (owners and analysts)."""
    city = engagement_city(request, slug)
    user = acting_user(request)
    require(user, "engagement.manage_activity", city)
    values = payload.model_dump(exclude={"initiative_id"})
    activity = activity_create(
        initiative=initiative_in(city, payload.initiative_id), by=user, **values
    )
    return Status(201, activity_list(city=city).get(pk=activity.pk))


@router.get(ACTIVITY, response={200: ActivityDetailOut, **ERRORS}, summary="Get an activity")
def activity_get(request: HttpRequest, slug: CitySlug, activity_id: ObjectId) -> Activity:
    """Return an activity with its invitations and disclosed information."""
    city = engagement_city(request, slug)
    return activity_detail(city=city, pk=activity_id, user=acting_user(request))


@router.patch(
    ACTIVITY, response={200: ActivityOut, **CONFLICT, **ERRORS}, summary="Change an activity"
)
def activity_change(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, payload: ActivityPatch
) -> Activity:
    """Change an activity's details; send the version you read (409 when stale)."""
    activity = activity_of(request, slug, activity_id)
    changes = payload.changes()
    version = changes.pop("version")
    activity_update(activity=activity, by=acting_user(request), expected_version=version, **changes)
    return activity_list(city=activity.city).get(pk=activity.pk)


@router.delete(ACTIVITY, response={204: None, **ERRORS}, summary="Delete an activity")
def activity_remove(request: HttpRequest, slug: CitySlug, activity_id: ObjectId) -> Status[None]:
    """Delete an activity on which nothing is recorded yet; others are closed instead."""
    activity_delete(activity=activity_of(request, slug, activity_id), by=acting_user(request))
    return Status(204, None)


@router.post(
    f"{ACTIVITY}/open",
    response={200: ActivityOut, **CONFLICT, **ERRORS},
    summary="Open an activity",
)
def activity_start(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, payload: VersionIn
) -> Activity:
    """Open a planned activity for contributions."""
    activity = activity_of(request, slug, activity_id)
    activity_open(activity=activity, by=acting_user(request), expected_version=payload.version)
    return activity_list(city=activity.city).get(pk=activity.pk)


@router.post(
    f"{ACTIVITY}/close",
    response={200: ActivityOut, **CONFLICT, **ERRORS},
    summary="Close an activity",
)
def activity_end(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, payload: CloseIn
) -> Activity:
    """Close an open activity, with what came out of it."""
    activity = activity_of(request, slug, activity_id)
    activity_close(
        activity=activity,
        by=acting_user(request),
        outcome=payload.outcome,
        expected_version=payload.version,
    )
    return activity_list(city=activity.city).get(pk=activity.pk)


# Participation


def _participation_of(
    request: HttpRequest, slug: str, activity_id: int, participation_id: int
) -> Participation:
    activity = activity_of(request, slug, activity_id)
    participation = Participation.objects.select_related("stakeholder", "activity__city").get(
        activity=activity, pk=participation_id
    )
    stakeholder_in(request, activity.city, participation.stakeholder_id)
    return participation


@router.get(
    f"{ACTIVITY}/participations",
    response={200: list[ParticipationOut], **ERRORS},
    summary="List who was invited and came",
)
def participation_index(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId
) -> list[Participation]:
    """List the stakeholders invited to an activity and whether they came."""
    activity = activity_of(request, slug, activity_id)
    return list(participation_list(activity=activity, user=acting_user(request)))


@router.post(
    f"{ACTIVITY}/participations",
    response={201: ParticipationOut, **ERRORS},
    summary="Invite a stakeholder",
)
def participation_create(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, payload: ParticipationIn
) -> Status[Participation]:
    """Invite a stakeholder, or record that it came without an invitation."""
    activity = activity_of(request, slug, activity_id)
    user = acting_user(request)
    require(user, "engagement.manage_activity", activity)
    participation = participation_add(
        activity=activity,
        stakeholder=stakeholder_in(request, activity.city, payload.stakeholder_id),
        by=user,
        **payload.model_dump(exclude={"stakeholder_id"}),
    )
    return Status(201, participation)


@router.post(
    f"{ACTIVITY}/invitations",
    response={201: list[ParticipationOut], **ERRORS},
    summary="Invite several stakeholders",
)
def participation_invite(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, payload: InviteIn
) -> Status[list[Participation]]:
    """Invite several stakeholders at once; return the invitations that are new."""
    activity = activity_of(request, slug, activity_id)
    user = acting_user(request)
    require(user, "engagement.manage_activity", activity)
    errors: Errors = {}
    stakeholders = []
    for stakeholder_id in payload.stakeholder_ids:
        try:
            stakeholders.append(stakeholder_in(request, activity.city, stakeholder_id))
        except ValidationError as error:
            errors.setdefault("stakeholder_ids", []).extend(error.message_dict["stakeholder_id"])
    raise_if(errors)
    created = activity_invite(
        activity=activity, stakeholders=stakeholders, by=user, invited_on=payload.invited_on
    )
    return Status(201, created)


PARTICIPATION = f"{ACTIVITY}/participations/{{participation_id}}"


@router.patch(
    PARTICIPATION,
    response={200: ParticipationOut, **CONFLICT, **ERRORS},
    summary="Change an invitation or attendance",
)
def participation_change(
    request: HttpRequest,
    slug: CitySlug,
    activity_id: ObjectId,
    participation_id: ObjectId,
    payload: ParticipationPatch,
) -> Participation:
    """Record an answer, attendance, a representative or notes (owners and analysts)."""
    participation = _participation_of(request, slug, activity_id, participation_id)
    changes = payload.changes()
    version = changes.pop("version")
    return participation_update(
        participation=participation, by=acting_user(request), expected_version=version, **changes
    )


@router.post(
    f"{PARTICIPATION}/answer",
    response={200: ParticipationOut, **CONFLICT, **ERRORS},
    summary="Accept or decline an invitation",
)
def participation_reply(
    request: HttpRequest,
    slug: CitySlug,
    activity_id: ObjectId,
    participation_id: ObjectId,
    payload: InvitationAnswerIn,
) -> Participation:
    """Accept or decline an invitation; contributors do it for their own stakeholder."""
    participation = _participation_of(request, slug, activity_id, participation_id)
    return participation_answer(
        participation=participation,
        by=acting_user(request),
        accept=payload.accept,
        represented_by=payload.represented_by,
        expected_version=payload.version,
    )


@router.delete(PARTICIPATION, response={204: None, **ERRORS}, summary="Remove an invitation")
def participation_delete(
    request: HttpRequest, slug: CitySlug, activity_id: ObjectId, participation_id: ObjectId
) -> Status[None]:
    """Take a stakeholder off the activity's list."""
    participation = _participation_of(request, slug, activity_id, participation_id)
    participation_remove(participation=participation, by=acting_user(request))
    return Status(204, None)
