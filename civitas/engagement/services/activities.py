"""Writes for activities (planned → open → closed) and who was invited and took part."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import Initiative
from civitas.core.concurrency import claim_version
from civitas.core.errors import PermissionDeniedError, ValidationError
from civitas.core.fields import normalize_set
from civitas.engagement.models import (
    Activity,
    ActivityStatus,
    EngagementSettings,
    Participation,
    ParticipationStatus,
)
from civitas.engagement.services.common import (
    Errors,
    aware,
    check,
    clean_fields,
    raise_if,
    refresh_locked,
    stamp,
)
from civitas.engagement.services.settings import settings_of
from civitas.stakeholders.models import Stakeholder

ACTIVITY_FIELDS = {
    "kind", "title", "description", "question", "levels", "channels", "place", "starts_at",
    "ends_at", "outcome", "is_public",
}  # fmt: skip
PARTICIPATION_FIELDS = {"status", "invited_on", "represented_by", "notes"}


def _validate_activity(activity: Activity) -> None:
    errors: Errors = {}
    activity.title = (activity.title or "").strip()
    if not activity.title:
        errors["title"] = ["Give the activity a title."]
    if not activity.channels:
        errors["channels"] = ["Say how people can take part: in person, online, phone or post."]
    if activity.starts_at and activity.ends_at and activity.starts_at >= activity.ends_at:
        errors["ends_at"] = ["The activity must end after it starts."]
    clean_fields(activity, errors, exclude=["city", "initiative"])
    raise_if(errors)


@transaction.atomic
def activity_create(
    *,
    initiative: Initiative,
    by: User | None,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    channels: Iterable[str],
    description: str = "",
    question: str = "",
    levels: Iterable[str] | None = None,
    place: str = "",
    is_public: bool = False,
) -> Activity:
    """Plan an activity of an initiative (§4.2): it starts as planned."""
    check(by, "engagement.manage_activity", initiative)
    if initiative.archived_at is not None:
        raise ValidationError({"initiative": ["This initiative is archived."]})
    activity = Activity(
        city_id=initiative.city_id,
        initiative=initiative,
        kind=kind,
        title=title,
        description=description.strip(),
        question=question.strip(),
        levels=normalize_set(levels),
        channels=normalize_set(channels),
        place=place.strip(),
        starts_at=aware(starts_at),
        ends_at=aware(ends_at),
        is_public=is_public,
    )
    _validate_activity(activity)
    stamp(activity, by)
    activity.save()
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, by: User | None, expected_version: int | None, **changes: Any
) -> Activity:
    """Change an activity's details; its status changes through open and close."""
    check(by, "engagement.manage_activity", activity)
    unknown = set(changes) - ACTIVITY_FIELDS
    if unknown:
        raise ValidationError({field: ["This field cannot be changed here."] for field in unknown})
    for field in ("levels", "channels"):
        if field in changes:
            changes[field] = normalize_set(changes[field])
    for field in ("starts_at", "ends_at"):
        if field in changes:
            changes[field] = aware(changes[field])
    for field in ("description", "question", "place", "outcome"):
        if isinstance(changes.get(field), str):
            changes[field] = changes[field].strip()
    for field, value in changes.items():
        setattr(activity, field, value)
    _validate_activity(activity)
    claim_version(activity, expected_version)
    stamp(activity, by)
    activity.save()
    return activity


@transaction.atomic
def activity_open(
    *, activity: Activity, by: User | None, expected_version: int | None = None
) -> Activity:
    """Open a planned activity: contributions can now be sent to it."""
    check(by, "engagement.manage_activity", activity)
    refresh_locked(activity)
    if activity.status != ActivityStatus.PLANNED:
        raise ValidationError(
            {"status": [f"Only a planned activity can be opened; this one is {activity.status}."]}
        )
    activity.status = ActivityStatus.OPEN
    activity.opened_at = timezone.now()
    claim_version(activity, expected_version)
    stamp(activity, by)
    activity.save()
    return activity


@transaction.atomic
def activity_close(
    *,
    activity: Activity,
    by: User | None,
    outcome: str | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Close an open activity, recording what came out of it."""
    check(by, "engagement.manage_activity", activity)
    refresh_locked(activity)
    if activity.status != ActivityStatus.OPEN:
        raise ValidationError(
            {"status": [f"Only an open activity can be closed; this one is {activity.status}."]}
        )
    if outcome is not None:
        activity.outcome = outcome.strip()
    activity.status = ActivityStatus.CLOSED
    activity.closed_at = timezone.now()
    claim_version(activity, expected_version)
    stamp(activity, by)
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by: User | None) -> None:
    """Delete an activity that has no contributions, registrations, attendance or grievances."""
    check(by, "engagement.manage_activity", activity)
    if (
        activity.contributions.exists()
        or activity.registrations.exists()
        or activity.grievances.exists()
        or activity.participations.filter(status=ParticipationStatus.ATTENDED).exists()
    ):
        raise ValidationError(
            {"__all__": [
                "This activity already has contributions, registrations, attendance or "
                "grievances on record. Close it instead, so that the record stays."
            ]}
        )  # fmt: skip
    stamp(activity, by)
    activity.delete()


def _stakeholder_errors(activity: Activity, stakeholder: Stakeholder) -> Errors:
    if stakeholder.city_id != activity.city_id:
        return {"stakeholder": ["This stakeholder belongs to another city."]}
    if stakeholder.archived_at is not None:
        return {"stakeholder": ["This stakeholder is archived."]}
    return {}


@transaction.atomic
def participation_add(
    *,
    activity: Activity,
    stakeholder: Stakeholder,
    by: User | None,
    status: str = ParticipationStatus.INVITED,
    invited_on: date | None = None,
    represented_by: str = "",
    notes: str = "",
) -> Participation:
    """Invite a stakeholder to an activity, or record that it came without an invitation."""
    check(by, "engagement.manage_activity", activity)
    errors = _stakeholder_errors(activity, stakeholder)
    if Participation.objects.filter(activity=activity, stakeholder=stakeholder).exists():
        errors["stakeholder"] = ["This stakeholder is already on the activity's list."]
    if invited_on is None and status != ParticipationStatus.ATTENDED:
        invited_on = timezone.localdate()
    participation = Participation(
        activity=activity,
        stakeholder=stakeholder,
        status=status,
        invited_on=invited_on,
        represented_by=represented_by.strip(),
        notes=notes.strip(),
    )
    clean_fields(participation, errors, exclude=["activity", "stakeholder"])
    raise_if(errors)
    participation.save()
    return participation


@transaction.atomic
def activity_invite(
    *,
    activity: Activity,
    stakeholders: Iterable[Stakeholder],
    by: User | None,
    invited_on: date | None = None,
) -> list[Participation]:
    """Invite several stakeholders at once; those already on the list are left as they are."""
    check(by, "engagement.manage_activity", activity)
    stakeholders = list(stakeholders)
    errors: Errors = {}
    for stakeholder in stakeholders:
        for message in _stakeholder_errors(activity, stakeholder).get("stakeholder", []):
            errors.setdefault("stakeholders", []).append(f"{stakeholder.name}: {message}")
    raise_if(errors)
    present = set(
        Participation.objects.filter(activity=activity).values_list("stakeholder_id", flat=True)
    )
    day = invited_on or timezone.localdate()
    new = [
        Participation(activity=activity, stakeholder=stakeholder, invited_on=day)
        for stakeholder in {s.pk: s for s in stakeholders}.values()
        if stakeholder.pk not in present
    ]
    return Participation.objects.bulk_create(new)


@transaction.atomic
def participation_update(
    *,
    participation: Participation,
    by: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> Participation:
    """Record an invitation's answer, attendance, representative or notes."""
    check(by, "engagement.manage_activity", participation.activity)
    unknown = set(changes) - PARTICIPATION_FIELDS
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    for field in ("represented_by", "notes"):
        if isinstance(changes.get(field), str):
            changes[field] = changes[field].strip()
    for field, value in changes.items():
        setattr(participation, field, value)
    errors: Errors = {}
    clean_fields(participation, errors, exclude=["activity", "stakeholder"])
    raise_if(errors)
    claim_version(participation, expected_version)
    participation.save()
    return participation


@transaction.atomic
def participation_answer(
    *,
    participation: Participation,
    by: User | None,
    accept: bool,
    represented_by: str | None = None,
    expected_version: int | None = None,
) -> Participation:
    """Accept or decline an invitation, for the stakeholder one acts for."""
    check(by, "engagement.answer_invitation", participation)
    refresh_locked(participation)
    if participation.activity.status == ActivityStatus.CLOSED:
        raise ValidationError({"__all__": ["This activity is closed."]})
    answerable = (
        ParticipationStatus.INVITED,
        ParticipationStatus.ACCEPTED,
        ParticipationStatus.DECLINED,
    )
    if participation.status not in answerable:
        raise ValidationError(
            {"__all__": ["Attendance is already recorded; the invitation cannot be answered."]}
        )
    participation.status = ParticipationStatus.ACCEPTED if accept else ParticipationStatus.DECLINED
    if represented_by is not None:
        participation.represented_by = represented_by.strip()[:200]
    claim_version(participation, expected_version)
    participation.save()
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation, by: User | None) -> None:
    """Take a stakeholder off an activity's list."""
    check(by, "engagement.manage_activity", participation.activity)
    participation.delete()


def public_activity_check(
    activity: Activity,
    *,
    accepting: tuple[str, ...],
    city_settings: EngagementSettings | None = None,
) -> None:
    """Refuse citizens' input unless the activity is public and in one of the given statuses.

    Pass `city_settings` when they were read with the activity, to spare reading them again.
    """
    if city_settings is None:
        city_settings = settings_of(activity.city)
    if not activity.is_public or not city_settings.public_page:
        raise PermissionDeniedError("This activity is not open to the public.")
    if activity.initiative.archived_at is not None or activity.status not in accepting:
        raise ValidationError({"__all__": ["This activity no longer takes part from the public."]})
