"""The demo city's engagement records show every part of the chain."""

import pytest
from django.utils import timezone

from civitas.cities.demo import demo_build
from civitas.engagement.models import Contribution, Response
from civitas.engagement.selectors import (
    activity_list,
    first_consultation_start,
    grievance_list,
    public_accountability,
    review_schedule_list,
)
from civitas.engagement.services import settings_of

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_the_whole_engagement_chain(catalogue):
    city = demo_build().city
    mobility = city.initiatives.get(name="Smart mobility and public transport")
    activities = list(activity_list(city=city))
    assert {a.status for a in activities} == {"planned", "open", "closed"}
    assert {a.disclosure_state for a in activities} == {"in_time", "late", "missing"}
    assert (
        sum(a.invited_count for a in activities) >= 10
        and sum(a.attended_count for a in activities) >= 5
    )
    city_settings = settings_of(city)
    assert city_settings.public_page
    first = timezone.localtime(first_consultation_start(initiative=mobility)).date()
    assert city_settings.grievance_established_on < first
    contributions = Contribution.objects.filter(city=city)
    assert {c.stance for c in contributions} >= {
        "support",
        "oppose",
        "concern",
        "proposal",
        "question",
    }
    assert contributions.filter(stakeholder__isnull=True).exists()
    responses = Response.objects.filter(decision__city=city)
    assert responses.filter(communicated_at__isnull=False).exists()
    assert responses.filter(communicated_at__isnull=True).exists()
    assert public_accountability(initiative=mobility).decisions
    assert {g.status for g in grievance_list(city=city)} >= {"received", "closed", "rejected"}
    assert grievance_list(city=city, overdue=True).count() == 1
    assert review_schedule_list(city=city, overdue=True).count() == 1


def test_the_demo_can_be_rebuilt(catalogue):
    demo_build()
    again = demo_build(reset=True)
    assert again.built and Contribution.objects.filter(city=again.city).count() == 11
