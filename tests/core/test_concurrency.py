"""Optimistic locking: of two saves made from the same version, only the first one lands."""

import pytest
from django.db import transaction

from civitas.cities.models import Initiative
from civitas.core.concurrency import claim_version
from civitas.core.errors import ConflictError
from civitas.stakeholders.models import Stakeholder
from civitas.stakeholders.services import categorization_set, stakeholder_update
from tests.factories import InitiativeFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def test_of_two_stale_copies_only_the_first_claim_wins(city):
    stakeholder = StakeholderFactory(city=city)
    first = Stakeholder.objects.get(pk=stakeholder.pk)
    second = Stakeholder.objects.get(pk=stakeholder.pk)

    claim_version(first, expected_version=1)
    with pytest.raises(ConflictError):
        claim_version(second, expected_version=1)

    assert first.version == 2
    assert second.version == 1
    assert Stakeholder.objects.get(pk=stakeholder.pk).version == 2


def test_the_loser_can_retry_from_the_new_version(city):
    stakeholder = StakeholderFactory(city=city)
    first = Stakeholder.objects.get(pk=stakeholder.pk)
    second = Stakeholder.objects.get(pk=stakeholder.pk)
    claim_version(first, expected_version=1)

    claim_version(second, expected_version=2)

    assert Stakeholder.objects.get(pk=stakeholder.pk).version == 3


def test_two_editors_of_one_stakeholder_the_second_is_told_and_nothing_of_it_is_saved(city):
    StakeholderFactory(city=city, name="Green Lumen")
    alice_copy = Stakeholder.objects.get(name="Green Lumen")
    bruno_copy = Stakeholder.objects.get(name="Green Lumen")

    stakeholder_update(
        stakeholder=alice_copy, by=None, expected_version=1, description="Alice's text"
    )
    with pytest.raises(ConflictError, match="Reload it"):
        stakeholder_update(
            stakeholder=bruno_copy,
            by=None,
            expected_version=bruno_copy.version,
            description="Bruno's text",
            tags=["bruno"],
        )

    stored = Stakeholder.objects.get(name="Green Lumen")
    assert (stored.description, stored.tags, stored.version) == ("Alice's text", [], 2)


def test_two_editors_of_one_categorization(city):
    stakeholder = StakeholderFactory(city=city)
    initiative = InitiativeFactory(city=city)
    categorization_set(stakeholder=stakeholder, initiative=initiative, by=None, interest=1)

    categorization_set(
        stakeholder=stakeholder, initiative=initiative, by=None, expected_version=1, interest=2
    )
    with pytest.raises(ConflictError):
        categorization_set(
            stakeholder=stakeholder, initiative=initiative, by=None, expected_version=1, interest=3
        )

    assert stakeholder.categorizations.get().interest == 2


def test_a_conflict_undoes_the_transaction_it_happens_in(city):
    initiative = InitiativeFactory(city=city, name="Smart lighting")
    Initiative.objects.filter(pk=initiative.pk).update(version=5)

    with pytest.raises(ConflictError), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).update(description="Written first")
        claim_version(initiative, expected_version=1)

    stored = Initiative.objects.get(pk=initiative.pk)
    assert (stored.description, stored.version) == ("", 5)


def test_the_system_saves_over_whatever_version_is_stored(city):
    """No expected version (a change the system makes itself) still moves the version on."""
    stakeholder = StakeholderFactory(city=city)
    stale = Stakeholder.objects.get(pk=stakeholder.pk)
    claim_version(stakeholder, expected_version=1)

    claim_version(stale, expected_version=None)

    assert stale.version == 3
    assert Stakeholder.objects.get(pk=stakeholder.pk).version == 3
    with pytest.raises(ConflictError):
        claim_version(stakeholder, expected_version=2)
