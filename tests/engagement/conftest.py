"""Engagement fixtures: an initiative of Lumen with an open public consultation."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from civitas.accounts.models import User
from civitas.accounts.services import membership_set
from civitas.cities.models import City, Initiative
from civitas.engagement.models import Activity, Contribution, Decision
from civitas.engagement.services import (
    activity_create,
    activity_open,
    contribution_create,
    decision_create,
    engagement_settings_update,
)
from civitas.stakeholders.models import Stakeholder
from tests.factories import InitiativeFactory, StakeholderFactory, UserFactory, stakeholder_type


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Any:
    """Start every test with empty throttle counters (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def initiative(city: City) -> Initiative:
    return InitiativeFactory(city=city, name="Clean river")


@pytest.fixture
def public_city(city: City) -> City:
    """Lumen with a public page and a grievance mechanism taking grievances online."""
    engagement_settings_update(
        city=city,
        by=None,
        public_page=True,
        grievance_established_on=timezone.localdate() - timedelta(days=90),
        grievance_channels=["online", "post"],
        grievance_response_days=14,
        grievance_handler="The city ombudsperson",
    )
    return city


def make_activity(initiative: Initiative, *, open: bool = True, **values: Any) -> Activity:
    """Return an activity starting in ten days (open unless asked otherwise)."""
    start = timezone.now() + timedelta(days=10)
    defaults: dict[str, Any] = {
        "kind": "consultation",
        "title": "River banks consultation",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "channels": ["in_person", "online"],
        "question": "How should the river banks be used?",
        "levels": ["local"],
    }
    activity = activity_create(initiative=initiative, by=None, **{**defaults, **values})
    if open:
        activity_open(activity=activity, by=None)
    return activity


@pytest.fixture
def activity(initiative: Initiative) -> Activity:
    return make_activity(initiative, is_public=True)


@pytest.fixture
def green(city: City) -> Stakeholder:
    return StakeholderFactory(city=city, name="Green Lumen", type=stakeholder_type("ngo"))


@pytest.fixture
def secret(city: City) -> Stakeholder:
    return StakeholderFactory(
        city=city, name="Quiet Fund", type=stakeholder_type("ngo"), confidential=True
    )


@pytest.fixture
def contributor_for(city: City) -> Callable[[Stakeholder], User]:
    """Return a function giving a contributor who acts for a stakeholder."""

    def make(stakeholder: Stakeholder) -> User:
        user = UserFactory(first_name="Cara", last_name="Bell")
        membership_set(city=city, user=user, role="contributor", stakeholder=stakeholder, by=None)
        return user

    return make


def contribute(activity: Activity, **values: Any) -> Contribution:
    """Return a new contribution entered by the system."""
    defaults: dict[str, Any] = {
        "text": "Keep the banks green.",
        "stance": "proposal",
        "topics": ["green-space"],
        "author_name": "Rosa Lima",
        "author_email": "rosa@example.net",
    }
    contribution, created = contribution_create(
        activity=activity, by=None, **{**defaults, **values}
    )
    assert created
    return contribution


@pytest.fixture
def decision(initiative: Initiative) -> Decision:
    return decision_create(
        initiative=initiative,
        by=None,
        title="River banks become a park",
        text="The council turns the east bank into a public park.",
        decided_on=timezone.localdate(),
        decided_by="Lumen City Council",
    )
