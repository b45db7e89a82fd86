"""Merging two stakeholders carries the source's engagement over to the target."""

import pytest

from civitas.core.errors import PermissionDeniedError
from civitas.engagement.models import Contribution, Grievance, Participation
from civitas.engagement.selectors import stakeholder_engagement
from civitas.engagement.services import (
    decision_update,
    engagement_transfer,
    grievance_lodge,
    participation_add,
    response_set,
)
from civitas.stakeholders.models import Stakeholder
from civitas.stakeholders.services import stakeholder_merge
from tests.engagement.conftest import contribute, make_activity
from tests.factories import StakeholderFactory, stakeholder_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def placeholder(city):
    return StakeholderFactory(city=city, name="NGO (placeholder)", type=stakeholder_type("ngo"))


def status_of(activity, stakeholder):
    return Participation.objects.get(activity=activity, stakeholder=stakeholder).status


def test_the_merge_moves_invitations_contributions_grievances_and_decisions(
    city, initiative, decision, placeholder, green
):
    both, only_source = make_activity(initiative), make_activity(initiative, title="Walk")
    participation_add(activity=both, stakeholder=placeholder, by=None, status="attended")
    participation_add(activity=both, stakeholder=green, by=None)
    participation_add(activity=only_source, stakeholder=placeholder, by=None, status="declined")
    said = contribute(both, stakeholder=placeholder)
    response_set(
        contribution=said, decision=decision, by=None, outcome="accepted", explanation="Yes."
    )
    grievance, _ = grievance_lodge(
        city=city, by=None, subject="Noise", description="Too loud.", stakeholder=placeholder
    )
    decision_update(
        decision=decision, by=None, expected_version=None, decision_makers=[placeholder]
    )

    stakeholder_merge(source=placeholder, target=green, by=None)

    # On both lists: the target's invitation stays and takes the furthest status.
    assert status_of(both, green) == "attended"
    assert status_of(only_source, green) == "declined"
    assert Contribution.objects.get(pk=said.pk).stakeholder_id == green.pk
    assert Contribution.objects.get(pk=said.pk).response.outcome == "accepted"
    assert Grievance.objects.get(pk=grievance.pk).stakeholder_id == green.pk
    assert list(decision.decision_makers.all()) == [green]
    kinds = {entry.kind for entry in stakeholder_engagement(stakeholder=green)}
    assert {"participation", "contribution"} <= kinds
    # The source, archived, keeps only its own invitation to the activity both were on.
    assert list(Participation.objects.filter(stakeholder=placeholder)) == [
        Participation.objects.get(activity=both, stakeholder=placeholder)
    ]
    assert Stakeholder.objects.get(pk=placeholder.pk).archived_at is not None


def test_a_status_that_went_less_far_does_not_replace_the_targets(initiative, placeholder, green):
    activity = make_activity(initiative)
    participation_add(activity=activity, stakeholder=placeholder, by=None)
    participation_add(activity=activity, stakeholder=green, by=None, status="accepted")

    moved = engagement_transfer(source=placeholder, target=green, by=None)

    assert moved.participations == 0
    assert status_of(activity, green) == "accepted"


def test_moving_engagement_takes_the_right_to_run_activities(
    initiative, placeholder, green, user_in
):
    activity = make_activity(initiative)
    participation_add(activity=activity, stakeholder=placeholder, by=None)
    with pytest.raises(PermissionDeniedError):
        engagement_transfer(source=placeholder, target=green, by=user_in("viewer"))
    assert status_of(activity, placeholder) == "invited"
    engagement_transfer(source=placeholder, target=green, by=user_in("analyst"))
    assert status_of(activity, green) == "invited"
