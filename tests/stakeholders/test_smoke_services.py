"""A first pass over the registry services; fuller suites live beside this one."""

import pytest

from civitas.core.errors import ConflictError
from civitas.stakeholders.selectors import stakeholder_list
from civitas.stakeholders.services import stakeholder_update
from tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


def test_a_stale_save_is_refused(city):
    stakeholder = StakeholderFactory(city=city, name="Green Lumen")
    first = stakeholder_update(
        stakeholder=stakeholder, by=None, expected_version=1, description="Runs repair cafés"
    )
    assert first.version == 2
    with pytest.raises(ConflictError):
        stakeholder_update(stakeholder=stakeholder, by=None, expected_version=1, name="Other")


def test_level_filter_matches_whole_codes(city):
    StakeholderFactory(city=city, name="Ministry", levels=["national"])
    StakeholderFactory(city=city, name="Sub", levels=["sub_national"])
    names = list(stakeholder_list(city=city, user=None, level="national").values_list("name", flat=True))
    assert names == ["Ministry"]
