"""Periodic reviews of the engagement, and a city's engagement settings."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from civitas.cities.services import initiative_archive
from civitas.core.errors import ConflictError, PermissionDeniedError, ValidationError
from civitas.engagement.models import EngagementSettings, Review, ReviewSchedule
from civitas.engagement.selectors import review_schedule_list
from civitas.engagement.services import (
    engagement_settings_update,
    review_record,
    review_schedule_set,
    settings_of,
)
from tests.factories import CityFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_schedule_starts_one_cadence_from_today(initiative):
    schedule = review_schedule_set(initiative=initiative, by=None, cadence_days=90)
    assert schedule.next_due_on == TODAY() + timedelta(days=90)
    assert schedule.city_id == initiative.city_id


def test_changing_a_schedule_checks_the_version(initiative):
    review_schedule_set(initiative=initiative, by=None, cadence_days=90)
    schedule = review_schedule_set(
        initiative=initiative, by=None, cadence_days=30, next_due_on=date(2030, 1, 1),
        expected_version=1,
    )  # fmt: skip
    assert (schedule.cadence_days, schedule.next_due_on, schedule.version) == (
        30,
        date(2030, 1, 1),
        2,
    )
    with pytest.raises(ConflictError):
        review_schedule_set(initiative=initiative, by=None, cadence_days=60, expected_version=1)


def test_cadence_must_be_sensible(initiative):
    with pytest.raises(ValidationError) as caught:
        review_schedule_set(initiative=initiative, by=None, cadence_days=0)
    assert "cadence_days" in caught.value.message_dict
    review_schedule_set(initiative=initiative, by=None, cadence_days=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewSchedule.objects.update(cadence_days=0)


def test_a_review_moves_the_next_due_date_and_knows_if_it_was_on_time(initiative, user_in):
    review_schedule_set(
        initiative=initiative, by=None, cadence_days=30, next_due_on=TODAY() - timedelta(days=5)
    )
    review = review_record(
        initiative=initiative, by=user_in("analyst"), findings="Too few citizens.",
        changes_made="Evening sessions added.",
    )  # fmt: skip
    assert review.was_due_on == TODAY() - timedelta(days=5) and review.on_schedule is False
    assert ReviewSchedule.objects.get().next_due_on == TODAY() + timedelta(days=30)
    early = review_record(initiative=initiative, by=None, findings="Fine.")
    assert early.on_schedule is True


def test_a_review_without_schedule_or_findings(initiative):
    review = review_record(initiative=initiative, by=None, findings="First look.")
    assert review.was_due_on is None and review.on_schedule is None
    with pytest.raises(ValidationError) as caught:
        review_record(
            initiative=initiative, by=None, findings=" ", held_on=TODAY() + timedelta(days=1)
        )
    assert set(caught.value.message_dict) == {"findings", "held_on"}
    assert Review.objects.count() == 1


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_only_owners_and_analysts_manage_reviews(initiative, user_in, role):
    with pytest.raises(PermissionDeniedError):
        review_schedule_set(initiative=initiative, by=user_in(role), cadence_days=30)
    with pytest.raises(PermissionDeniedError):
        review_record(initiative=initiative, by=user_in(role), findings="x")


def test_overdue_reviews_across_cities_skip_archived_initiatives(city, initiative):
    past = TODAY() - timedelta(days=1)
    review_schedule_set(initiative=initiative, by=None, cadence_days=30, next_due_on=past)
    archived = InitiativeFactory(city=city, name="Old")
    review_schedule_set(initiative=archived, by=None, cadence_days=30, next_due_on=past)
    initiative_archive(initiative=archived, by=None)
    elsewhere = InitiativeFactory(city=CityFactory(), name="Elsewhere")
    review_schedule_set(initiative=elsewhere, by=None, cadence_days=30, next_due_on=past)
    review_schedule_set(
        initiative=InitiativeFactory(city=city, name="Fine"), by=None, cadence_days=30
    )
    assert {s.initiative.name for s in review_schedule_list(overdue=True)} == {
        "Clean river",
        "Elsewhere",
    }
    assert [s.initiative.name for s in review_schedule_list(city=city, overdue=True)] == [
        "Clean river"
    ]


# Settings


def test_a_city_without_settings_gets_the_defaults(city):
    defaults = settings_of(city)
    assert defaults.pk is None
    assert (defaults.disclosure_lead_days, defaults.grievance_response_days) == (7, 30)
    assert not defaults.public_page and not defaults.grievance_mechanism_established


def test_owners_change_the_settings(city, user_in):
    owner = user_in("owner")
    changed = engagement_settings_update(
        city=city, by=owner, disclosure_lead_days=10, grievance_established_on=date(2024, 1, 1),
        grievance_channels=["post", "online", "post"], grievance_handler=" Ombudsperson ",
    )  # fmt: skip
    assert (
        changed.grievance_channels == ["post", "online"]
        and changed.grievance_handler == "Ombudsperson"
    )
    assert changed.history.first().history_user == owner
    engagement_settings_update(city=city, by=owner, expected_version=1, public_page=True)
    with pytest.raises(ConflictError):
        engagement_settings_update(city=city, by=owner, expected_version=1, public_page=False)


@pytest.mark.parametrize("role", ["analyst", "contributor", "viewer"])
def test_other_roles_may_not_change_the_settings(city, user_in, role):
    with pytest.raises(PermissionDeniedError):
        engagement_settings_update(city=city, by=user_in(role), public_page=True)
    assert not EngagementSettings.objects.exists()


def test_settings_are_validated_and_nothing_half_written(city):
    with pytest.raises(ValidationError) as caught:
        engagement_settings_update(
            city=city, by=None, disclosure_lead_days=400, grievance_response_days=0,
            grievance_established_on=date(2024, 1, 1), grievance_channels=[],
        )  # fmt: skip
    assert set(caught.value.message_dict) == {
        "disclosure_lead_days", "grievance_response_days", "grievance_channels",
    }  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        engagement_settings_update(city=city, by=None, grievance_channels=["fax"], colour="red")
    assert "colour" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        engagement_settings_update(city=city, by=None, grievance_channels=["fax"])
    assert "grievance_channels" in caught.value.message_dict
    assert not EngagementSettings.objects.exists()
