"""Writes for the periodic reviews of an initiative's engagement (§4.2 second pitfall)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import Initiative
from civitas.core.concurrency import claim_version
from civitas.engagement.models import Review, ReviewSchedule
from civitas.engagement.services.common import Errors, check, raise_if, required_text


@transaction.atomic
def review_schedule_set(
    *,
    initiative: Initiative,
    by: User | None,
    cadence_days: int,
    next_due_on: date | None = None,
    expected_version: int | None = None,
) -> ReviewSchedule:
    """Set how often an initiative's engagement is reviewed and when the next review is due.

    A new schedule's first review is due one cadence from today unless a date is given.
    """
    check(by, "engagement.manage_reviews", initiative)
    errors: Errors = {}
    if not 1 <= cadence_days <= 3660:
        errors["cadence_days"] = ["Give a number of days from 1 to 3660."]
    raise_if(errors)
    schedule = ReviewSchedule.objects.select_for_update().filter(initiative=initiative).first()
    if schedule is None:
        return ReviewSchedule.objects.create(
            city_id=initiative.city_id,
            initiative=initiative,
            cadence_days=cadence_days,
            next_due_on=next_due_on or timezone.localdate() + timedelta(days=cadence_days),
        )
    schedule.cadence_days = cadence_days
    if next_due_on is not None:
        schedule.next_due_on = next_due_on
    claim_version(schedule, expected_version)
    schedule.save()
    return schedule


@transaction.atomic
def review_record(
    *,
    initiative: Initiative,
    by: User | None,
    findings: str,
    held_on: date | None = None,
    changes_made: str = "",
) -> Review:
    """Record a review held; the next one falls due one cadence after it."""
    check(by, "engagement.manage_reviews", initiative)
    errors: Errors = {}
    held = held_on or timezone.localdate()
    if held > timezone.localdate():
        errors["held_on"] = ["This date is in the future."]
    findings = required_text(findings, "findings", "Write down what the review found.", errors)
    raise_if(errors)
    schedule = ReviewSchedule.objects.select_for_update().filter(initiative=initiative).first()
    review = Review.objects.create(
        city_id=initiative.city_id,
        initiative=initiative,
        held_on=held,
        was_due_on=schedule.next_due_on if schedule else None,
        findings=findings,
        changes_made=changes_made.strip(),
        reviewed_by=by,
    )
    if schedule is not None:
        following = held + timedelta(days=schedule.cadence_days)
        if following > schedule.next_due_on:
            schedule.next_due_on = following
            claim_version(schedule, None)
            schedule.save()
    return review
