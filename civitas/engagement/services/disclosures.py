"""Writes for the information shared before activities, and citizens' registrations."""

from datetime import date
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.core.errors import ValidationError
from civitas.engagement.models import (
    Activity,
    ActivityStatus,
    Audience,
    Channel,
    Disclosure,
    Registration,
)
from civitas.engagement.services.activities import public_activity_check
from civitas.engagement.services.common import (
    Errors,
    check,
    clean_fields,
    raise_if,
    save_once,
)

DISCLOSURE_FIELDS = {"title", "description", "url", "audience", "shared_on"}


def _validate_disclosure(disclosure: Disclosure) -> None:
    errors: Errors = {}
    disclosure.title = (disclosure.title or "").strip()
    disclosure.url = (disclosure.url or "").strip()
    if not disclosure.title:
        errors["title"] = ["Give the information a title."]
    if not disclosure.url and not disclosure.document:
        errors["url"] = ["Give a link to the information, or attach the document."]
    clean_fields(disclosure, errors, exclude=["activity"])
    raise_if(errors)


@transaction.atomic
def disclosure_add(
    *,
    activity: Activity,
    by: User | None,
    title: str,
    shared_on: date | None = None,
    url: str = "",
    document: File | None = None,  # type: ignore[type-arg]
    audience: str = Audience.INVITED,
    description: str = "",
) -> Disclosure:
    """Record information shared with the participants of an activity, and when."""
    check(by, "engagement.manage_activity", activity)
    disclosure = Disclosure(
        activity=activity,
        title=title,
        url=url,
        audience=audience,
        description=description.strip(),
        shared_on=shared_on or timezone.localdate(),
    )
    if document is not None:
        disclosure.document = document
    _validate_disclosure(disclosure)
    disclosure.save()
    return disclosure


@transaction.atomic
def disclosure_update(*, disclosure: Disclosure, by: User | None, **changes: Any) -> Disclosure:
    """Change what is recorded about a piece of disclosed information."""
    check(by, "engagement.manage_activity", disclosure.activity)
    unknown = set(changes) - DISCLOSURE_FIELDS
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    for field, value in changes.items():
        setattr(disclosure, field, value.strip() if isinstance(value, str) else value)
    _validate_disclosure(disclosure)
    disclosure.save()
    return disclosure


@transaction.atomic
def disclosure_remove(*, disclosure: Disclosure, by: User | None) -> None:
    """Remove a piece of disclosed information from an activity."""
    check(by, "engagement.manage_activity", disclosure.activity)
    disclosure.delete()


@transaction.atomic
def registration_submit(
    *,
    activity: Activity,
    name: str,
    submission_token: str,
    consent: bool,
    email: str = "",
    channel: str = Channel.IN_PERSON,
) -> tuple[Registration, bool]:
    """Register a citizen for a public activity; a repeated submission is stored once."""
    public_activity_check(activity, accepting=(ActivityStatus.PLANNED, ActivityStatus.OPEN))
    errors: Errors = {}
    if not consent:
        errors["consent"] = ["Agree to the city keeping your name to register."]
    if not submission_token:
        errors["submission_token"] = ["Send the form's submission token."]
    if channel not in activity.channels:
        errors["channel"] = ["This activity does not take part this way."]
    registration = Registration(
        activity=activity,
        name=(name or "").strip(),
        email=(email or "").strip(),
        channel=channel,
        consent_at=timezone.now(),
        submission_token=submission_token,
    )
    if not registration.name:
        errors["name"] = ["Give your name."]
    clean_fields(registration, errors, exclude=["activity", "consent_at"])
    raise_if(errors)
    return save_once(
        registration,
        # "Not empty" lets SQLite use the partial unique index instead of a scan.
        Registration.objects.filter(activity=activity, submission_token=submission_token).exclude(
            submission_token=""
        ),
    )


@transaction.atomic
def registration_set_attended(
    *, registration: Registration, by: User | None, attended: bool = True
) -> Registration:
    """Record whether a registered citizen came."""
    check(by, "engagement.manage_activity", registration.activity)
    registration.attended = attended
    registration.save(update_fields=["attended", "updated_at"])
    return registration
