"""Writes for contributions: by staff, by contributors for their stakeholder, by citizens."""

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.core.concurrency import claim_version
from civitas.core.errors import PermissionDeniedError, ValidationError
from civitas.core.permissions import role_in
from civitas.engagement.models import (
    Activity,
    ActivityStatus,
    Channel,
    Contribution,
    EngagementSettings,
)
from civitas.engagement.services.activities import public_activity_check
from civitas.engagement.services.common import (
    Errors,
    aware,
    check,
    clean_fields,
    new_tracking_code,
    normalize_topics,
    raise_if,
    required_text,
    save_once,
)
from civitas.stakeholders.models import Stakeholder

# Forms and clients make up the token: a UUID or any 8 to 64 URL-safe characters.
SUBMISSION_TOKEN = re.compile(r"^[-A-Za-z0-9_]{8,64}$")

AUTHOR_FIELDS = {"author_name", "author_email", "stakeholder", "submitted_at", "channel"}
CONTRIBUTION_FIELDS = {"text", "stance", "topics", *AUTHOR_FIELDS}


def _token_errors(token: str, errors: Errors, *, required: bool) -> None:
    if not token:
        if required:
            errors["submission_token"] = ["Send the form's submission token."]
    elif not SUBMISSION_TOKEN.match(token):
        errors["submission_token"] = ["Use 8 to 64 letters, digits, '-' or '_'."]


def _once(contribution: Contribution, token: str) -> tuple[Contribution, bool]:
    if not token:
        contribution.save()
        return contribution, True
    # Excluding the empty token lets the database use the partial unique index (SQLite
    # cannot tell that it is implied), instead of scanning all the city's contributions.
    # The check reads only what a receipt needs; a twin's other fields load when used.
    twins = Contribution.objects.filter(city_id=contribution.city_id, submission_token=token)
    twins = twins.exclude(submission_token="").only("tracking_code", "activity_id")
    stored, created = save_once(contribution, twins.order_by("pk"))
    if not created and stored.activity_id != contribution.activity_id:
        raise ValidationError(
            {"submission_token": ["This token was already used for another contribution."]}
        )
    return stored, created


def _stance_text_topics(
    contribution: Contribution, text: str, topics: Iterable[str] | str | None, errors: Errors
) -> None:
    contribution.text = required_text(text, "text", "Write the contribution.", errors)
    contribution.topics = normalize_topics(topics, errors)


@transaction.atomic
def contribution_create(
    *,
    activity: Activity,
    by: User | None,
    text: str,
    stance: str,
    stakeholder: Stakeholder | None = None,
    topics: Iterable[str] | str | None = None,
    channel: str = "",
    author_name: str = "",
    author_email: str = "",
    submitted_at: datetime | None = None,
    submission_token: str = "",
) -> tuple[Contribution, bool]:
    """Record a contribution to an activity, once per submission token.

    Owners and analysts enter contributions of any stakeholder, or a citizen's (no
    stakeholder) received on paper or by phone. A contributor sends their own stakeholder's
    while the activity is open. Returns the contribution and whether it is new.
    """
    contribution = Contribution(
        city_id=activity.city_id,
        initiative_id=activity.initiative_id,
        activity=activity,
        stakeholder=stakeholder,
        stance=stance,
        channel=channel or Channel.ONLINE,
        author_name=author_name.strip(),
        author_email=author_email.strip(),
        submitted_at=aware(submitted_at) or timezone.now(),
        tracking_code=new_tracking_code(),
        submission_token=submission_token,
        entered_by=by,
    )
    if by is not None and not by.has_perm("engagement.add_contribution", contribution):
        if role_in(by, activity) == "contributor":
            raise PermissionDeniedError(
                "You can send contributions only for the stakeholder you belong to."
            )
        check(by, "engagement.add_contribution", contribution)
    errors: Errors = {}
    staff = by is None or by.has_perm("engagement.manage_activity", activity)
    if activity.status == ActivityStatus.PLANNED or (
        not staff and activity.status != ActivityStatus.OPEN
    ):
        errors["activity"] = ["This activity is not open for contributions."]
    if stakeholder is not None:
        if stakeholder.city_id != activity.city_id:
            errors["stakeholder"] = ["This stakeholder belongs to another city."]
        elif stakeholder.archived_at is not None:
            errors["stakeholder"] = ["This stakeholder is archived."]
    if not staff and by is not None:
        # A contributor writes in their own name; the answer goes to their address.
        contribution.author_name = by.get_full_name() or by.username
        contribution.author_email = by.email
        contribution.submitted_at = timezone.now()
    _stance_text_topics(contribution, text, topics, errors)
    _token_errors(submission_token, errors, required=False)
    clean_fields(
        contribution,
        errors,
        exclude=["city", "initiative", "activity", "stakeholder", "entered_by", "tracking_code"],
    )
    raise_if(errors)
    return _once(contribution, submission_token)


def contribution_submit(
    *,
    activity: Activity,
    text: str,
    stance: str,
    submission_token: str,
    consent: bool,
    topics: Iterable[str] | str | None = None,
    author_name: str = "",
    author_email: str = "",
    city_settings: EngagementSettings | None = None,
) -> tuple[Contribution, bool]:
    """Take a citizen's contribution from the public page, once per submission token.

    The activity must be public and open. Pass `city_settings` when they were read with the
    activity (see public_activity_to_submit). Returns the contribution, whose tracking code
    leads to its answer, and whether it is new (False for a repeated submission).

    Everything is checked before writing; the only write is one insert, so its transaction
    holds no lock while the submission is being checked.
    """
    public_activity_check(activity, accepting=(ActivityStatus.OPEN,), city_settings=city_settings)
    errors: Errors = {}
    if not consent:
        errors["consent"] = [
            "Agree to the city keeping your contribution, so that it can answer you."
        ]
    contribution = Contribution(
        city_id=activity.city_id,
        initiative_id=activity.initiative_id,
        activity=activity,
        stance=stance,
        channel=Channel.ONLINE,
        author_name=(author_name or "").strip(),
        author_email=(author_email or "").strip(),
        consent_at=timezone.now(),
        tracking_code=new_tracking_code(),
        submission_token=submission_token,
    )
    _stance_text_topics(contribution, text, topics, errors)
    _token_errors(submission_token, errors, required=True)
    clean_fields(
        contribution,
        errors,
        exclude=["city", "initiative", "activity", "stakeholder", "entered_by", "tracking_code"],
    )
    raise_if(errors)
    return _once(contribution, submission_token)


def _answered(contribution: Contribution) -> bool:
    return hasattr(contribution, "response") and contribution.response is not None


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    by: User | None,
    expected_version: int | None,
    **changes: Any,
) -> Contribution:
    """Correct a contribution not yet answered; contributors change only its words."""
    check(by, "engagement.change_contribution", contribution)
    unknown = set(changes) - CONTRIBUTION_FIELDS
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    staff = by is None or by.has_perm("engagement.delete_contribution", contribution)
    if not staff and set(changes) & AUTHOR_FIELDS:
        raise PermissionDeniedError("Only the city's staff can change who sent a contribution.")
    if _answered(contribution):
        raise ValidationError(
            {"__all__": [
                "This contribution has been answered; it stays as it was when answered."
            ]}
        )  # fmt: skip
    errors: Errors = {}
    if "text" in changes or "topics" in changes:
        _stance_text_topics(
            contribution,
            changes.pop("text", contribution.text),
            changes.pop("topics", contribution.topics),
            errors,
        )
    stakeholder = changes.get("stakeholder")
    if stakeholder is not None and stakeholder.city_id != contribution.city_id:
        errors["stakeholder"] = ["This stakeholder belongs to another city."]
    if "submitted_at" in changes:
        changes["submitted_at"] = aware(changes["submitted_at"])
    for field in ("author_name", "author_email"):
        if isinstance(changes.get(field), str):
            changes[field] = changes[field].strip()
    for field, value in changes.items():
        setattr(contribution, field, value)
    clean_fields(
        contribution,
        errors,
        exclude=["city", "initiative", "activity", "stakeholder", "entered_by", "tracking_code"],
    )
    raise_if(errors)
    claim_version(contribution, expected_version)
    contribution.save()
    return contribution


@transaction.atomic
def contribution_delete(*, contribution: Contribution, by: User | None) -> None:
    """Delete a contribution entered by mistake; an answered one stays on record."""
    check(by, "engagement.delete_contribution", contribution)
    if _answered(contribution):
        raise ValidationError(
            {"__all__": ["This contribution has been answered; it stays on record."]}
        )
    contribution.delete()
