"""Fixtures of the network tests: stakeholders of a city by catalogue type."""

from collections.abc import Callable

import pytest

from civitas.cities.models import City
from civitas.stakeholders.models import Stakeholder
from tests.api.conftest import api_as  # noqa: F401  (the API clients' fixture)
from tests.factories import StakeholderFactory, stakeholder_type


@pytest.fixture
def add(city: City) -> Callable[..., Stakeholder]:
    """Return a function adding a stakeholder of a catalogue type to the test city."""

    def make(name: str, code: str = "ngo", **kwargs: object) -> Stakeholder:
        return StakeholderFactory(city=city, name=name, type=stakeholder_type(code), **kwargs)

    return make
