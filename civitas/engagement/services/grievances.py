"""The grievance workflow (§4.2 fourth principle).

received → acknowledged → under investigation → resolved or rejected (with reasons) →
closed. An appeal reopens a resolved, rejected or closed grievance for a new
investigation with a new due date. Due dates follow the city's response-time target.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.concurrency import claim_version
from civitas.core.errors import PermissionDeniedError, ValidationError
from civitas.core.permissions import role_in
from civitas.engagement.models import (
    Activity,
    Channel,
    EngagementSettings,
    Grievance,
    GrievanceAction,
    GrievanceEvent,
    GrievanceStatus,
)
from civitas.engagement.services.common import (
    Errors,
    aware,
    check,
    clean_fields,
    new_tracking_code,
    raise_if,
    refresh_locked,
    required_text,
    save_once,
    stamp,
)
from civitas.engagement.services.contributions import SUBMISSION_TOKEN
from civitas.engagement.services.settings import settings_of
from civitas.stakeholders.models import Stakeholder

S = GrievanceStatus
A = GrievanceAction

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    A.ACKNOWLEDGE: ((S.RECEIVED,), S.ACKNOWLEDGED),
    A.INVESTIGATE: ((S.ACKNOWLEDGED,), S.UNDER_INVESTIGATION),
    A.RESOLVE: ((S.UNDER_INVESTIGATION,), S.RESOLVED),
    A.REJECT: ((S.ACKNOWLEDGED, S.UNDER_INVESTIGATION), S.REJECTED),
    A.CLOSE: ((S.RESOLVED, S.REJECTED), S.CLOSED),
    A.APPEAL: ((S.RESOLVED, S.REJECTED, S.CLOSED), S.UNDER_INVESTIGATION),
}
NOTE_REQUIRED: dict[str, str] = {
    A.RESOLVE: "Say how the grievance was resolved.",
    A.REJECT: "Give the reasons for rejecting the grievance.",
    A.APPEAL: "Say why the outcome is appealed.",
}
MAX_APPEALS = 3


def grievance_due_on(city: City, received: datetime) -> date:
    """Return the date by which the city promised an outcome for a grievance received then."""
    days = settings_of(city).grievance_response_days
    return timezone.localtime(received).date() + timedelta(days=days)


def _links_errors(
    city: City,
    initiative: Initiative | None,
    activity: Activity | None,
    stakeholder: Stakeholder | None,
    errors: Errors,
) -> None:
    for name, linked in (("initiative", initiative), ("activity", activity)):
        if linked is not None and linked.city_id != city.pk:
            errors[name] = [f"This {name} belongs to another city."]
    if stakeholder is not None and stakeholder.city_id != city.pk:
        errors["stakeholder"] = ["This stakeholder belongs to another city."]
    if activity is not None and initiative is not None and activity.initiative_id != initiative.pk:
        errors["activity"] = ["This activity belongs to another initiative."]


def _store(
    grievance: Grievance, token: str, errors: Errors, by: User | None
) -> tuple[Grievance, bool]:
    if token and not SUBMISSION_TOKEN.match(token):
        errors["submission_token"] = ["Use 8 to 64 letters, digits, '-' or '_'."]
    grievance.subject = (grievance.subject or "").strip()
    if not grievance.subject:
        errors["subject"] = ["Give the grievance a subject."]
    grievance.description = required_text(
        grievance.description, "description", "Describe the grievance.", errors
    )
    clean_fields(
        grievance,
        errors,
        exclude=["city", "initiative", "activity", "stakeholder", "handler", "tracking_code"],
    )
    raise_if(errors)
    if token:
        grievance, created = save_once(
            grievance,
            # "Not empty" lets SQLite use the partial unique index instead of a scan.
            Grievance.objects.filter(city_id=grievance.city_id, submission_token=token).exclude(
                submission_token=""
            ),
        )
    else:
        grievance.save()
        created = True
    if created:
        GrievanceEvent.objects.create(
            grievance=grievance,
            to_status=S.RECEIVED,
            at=grievance.received_at,
            by=by,
        )
    return grievance, created


def takes_grievances_online(city_settings: EngagementSettings) -> bool:
    """Tell whether the city's grievance mechanism is established and takes them online."""
    established = city_settings.grievance_established_on
    return (
        established is not None
        and established <= timezone.localdate()
        and Channel.ONLINE in city_settings.grievance_channels
    )


@transaction.atomic
def grievance_submit(
    *,
    city: City,
    subject: str,
    description: str,
    submission_token: str,
    name: str = "",
    email: str = "",
    consent: bool = False,
    initiative: Initiative | None = None,
    activity: Activity | None = None,
) -> tuple[Grievance, bool]:
    """Take a grievance from the public form; name and e-mail may be left out.

    Returns the grievance, whose tracking code lets the complainant follow it, and
    whether it is new (False for a repeated submission).
    """
    city_settings = settings_of(city)
    if not city_settings.public_page:
        raise PermissionDeniedError("This city has no public page.")
    if not takes_grievances_online(city_settings):
        raise ValidationError({"__all__": ["This city does not take grievances online."]})
    errors: Errors = {}
    name, email = (name or "").strip(), (email or "").strip()
    if (name or email) and not consent:
        errors["consent"] = [
            "Agree to the city keeping your name and address, or leave them out to stay anonymous."
        ]
    if not submission_token:
        errors["submission_token"] = ["Send the form's submission token."]
    _links_errors(city, initiative, activity, None, errors)
    now = timezone.now()
    grievance = Grievance(
        city=city,
        initiative=initiative or (activity.initiative if activity else None),
        activity=activity,
        complainant_name=name,
        complainant_email=email,
        consent_at=now if (name or email) else None,
        channel=Channel.ONLINE,
        subject=subject,
        description=description,
        received_at=now,
        due_on=grievance_due_on(city, now),
        tracking_code=new_tracking_code(),
        submission_token=submission_token,
    )
    return _store(grievance, submission_token, errors, None)


@transaction.atomic
def grievance_lodge(
    *,
    city: City,
    by: User | None,
    subject: str,
    description: str,
    channel: str = Channel.ONLINE,
    stakeholder: Stakeholder | None = None,
    initiative: Initiative | None = None,
    activity: Activity | None = None,
    complainant_name: str = "",
    complainant_email: str = "",
    received_at: datetime | None = None,
    submission_token: str = "",
) -> tuple[Grievance, bool]:
    """Record a grievance received by staff, or lodged by a contributor for their stakeholder."""
    received = aware(received_at) or timezone.now()
    grievance = Grievance(
        city=city,
        initiative=initiative or (activity.initiative if activity else None),
        activity=activity,
        stakeholder=stakeholder,
        complainant_name=complainant_name.strip(),
        complainant_email=complainant_email.strip(),
        channel=channel,
        subject=subject,
        description=description,
        received_at=received,
        due_on=grievance_due_on(city, received),
        tracking_code=new_tracking_code(),
        submission_token=submission_token,
    )
    if by is not None and not by.has_perm("engagement.lodge_grievance", grievance):
        if role_in(by, city) == "contributor":
            raise PermissionDeniedError(
                "You can lodge grievances only for the stakeholder you belong to."
            )
        check(by, "engagement.lodge_grievance", grievance)
    errors: Errors = {}
    if received > timezone.now():
        errors["received_at"] = ["This date is in the future."]
    _links_errors(city, initiative, activity, stakeholder, errors)
    if by is not None and not by.has_perm("engagement.handle_grievance", city):
        grievance.complainant_name = by.get_full_name() or by.username
        grievance.complainant_email = by.email
        grievance.received_at = timezone.now()
        grievance.due_on = grievance_due_on(city, grievance.received_at)
    return _store(grievance, submission_token, errors, by)


def _move(
    grievance: Grievance,
    action: str,
    note: str,
    by: User | None,
    expected_version: int | None,
    *,
    by_complainant: bool = False,
) -> Grievance:
    if action not in TRANSITIONS:
        raise ValidationError({"action": [f"Choose one of: {', '.join(TRANSITIONS)}."]})
    refresh_locked(grievance)
    sources, target = TRANSITIONS[action]
    if grievance.status not in sources:
        raise ValidationError(
            {"status": [
                f"A grievance that is {grievance.get_status_display().lower()} cannot be "
                f"given the action “{GrievanceAction(action).label.lower()}”."
            ]}
        )  # fmt: skip
    errors: Errors = {}
    note = (note or "").strip()
    if action in NOTE_REQUIRED:
        note = required_text(note, "note", NOTE_REQUIRED[action], errors)
    if action == A.APPEAL and grievance.appeal_count >= MAX_APPEALS:
        errors["__all__"] = [f"A grievance can be appealed at most {MAX_APPEALS} times."]
    raise_if(errors)
    now = timezone.now()
    previous = grievance.status
    grievance.status = target
    if action == A.ACKNOWLEDGE:
        grievance.acknowledged_at = now
    elif action in (A.RESOLVE, A.REJECT):
        grievance.resolution = note
        grievance.decided_at = now
    elif action == A.CLOSE:
        grievance.closed_at = now
    elif action == A.APPEAL:
        grievance.appeal_count += 1
        grievance.closed_at = None
        grievance.due_on = grievance_due_on(grievance.city, now)
    claim_version(grievance, expected_version)
    stamp(grievance, by)
    grievance.save()
    GrievanceEvent.objects.create(
        grievance=grievance,
        action=action,
        from_status=previous,
        to_status=target,
        note=note,
        at=now,
        by=by,
        by_complainant=by_complainant,
    )
    return grievance


@transaction.atomic
def grievance_act(
    *,
    grievance: Grievance,
    action: str,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> Grievance:
    """Move a grievance on: acknowledge, investigate, resolve, reject, close or appeal.

    Resolving needs the resolution, rejecting the reasons and appealing the reason for the
    appeal, all given as `note`.
    """
    permission = (
        "engagement.appeal_grievance" if action == A.APPEAL else "engagement.handle_grievance"
    )
    check(by, permission, grievance)
    return _move(grievance, action, note, by, expected_version)


def grievance_acknowledge(*, grievance: Grievance, by: User | None, note: str = "") -> Grievance:
    """Tell the complainant the grievance was received and will be looked into."""
    return grievance_act(grievance=grievance, action=A.ACKNOWLEDGE, by=by, note=note)


def grievance_investigate(*, grievance: Grievance, by: User | None, note: str = "") -> Grievance:
    """Start investigating an acknowledged grievance."""
    return grievance_act(grievance=grievance, action=A.INVESTIGATE, by=by, note=note)


def grievance_resolve(*, grievance: Grievance, by: User | None, resolution: str) -> Grievance:
    """Resolve a grievance under investigation, saying how."""
    return grievance_act(grievance=grievance, action=A.RESOLVE, by=by, note=resolution)


def grievance_reject(*, grievance: Grievance, by: User | None, reasons: str) -> Grievance:
    """Reject a grievance, giving the reasons."""
    return grievance_act(grievance=grievance, action=A.REJECT, by=by, note=reasons)


def grievance_close(*, grievance: Grievance, by: User | None, note: str = "") -> Grievance:
    """Close a resolved or rejected grievance."""
    return grievance_act(grievance=grievance, action=A.CLOSE, by=by, note=note)


def grievance_appeal(*, grievance: Grievance, by: User | None, reason: str) -> Grievance:
    """Appeal the outcome of a grievance: it is investigated again, with a new due date."""
    return grievance_act(grievance=grievance, action=A.APPEAL, by=by, note=reason)


@transaction.atomic
def grievance_appeal_public(*, grievance: Grievance, reason: str) -> Grievance:
    """Let the complainant, holding the tracking code, appeal the outcome."""
    return _move(grievance, A.APPEAL, reason, None, None, by_complainant=True)


@transaction.atomic
def grievance_assign(*, grievance: Grievance, handler: User | None, by: User | None) -> Grievance:
    """Give a grievance to a member of the city who handles it (None: nobody)."""
    check(by, "engagement.handle_grievance", grievance)
    if handler is not None and not handler.has_perm("engagement.handle_grievance", grievance):
        raise ValidationError({"handler": ["Choose an owner or analyst of this city."]})
    grievance.handler = handler
    claim_version(grievance, None)
    stamp(grievance, by)
    grievance.save()
    return grievance
