"""Fixtures every test can use: the catalogue, a city, and users in each role."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from civitas.accounts.models import User
from civitas.catalogue.models import StakeholderType
from civitas.catalogue.services import catalogue_load
from civitas.cities.models import City
from tests.factories import CityFactory, UserFactory, member

ROLES = ("owner", "analyst", "contributor", "viewer")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the shipped catalogue once into the test database."""
    with django_db_blocker.unblock():
        catalogue_load()


@pytest.fixture
def catalogue(db: Any) -> None:
    """Make sure the catalogue is there (tests that flush the database reload it)."""
    if not StakeholderType.objects.exists():
        catalogue_load()


@pytest.fixture
def owner(db: Any) -> User:
    return UserFactory(username="olivia")


@pytest.fixture
def city(catalogue: None, owner: User) -> City:
    return CityFactory(owner=owner, name="Lumen", slug="lumen")


@pytest.fixture
def user_in(city: City) -> Callable[[str], User]:
    """Return a function giving a new user with a role in `city` ('owner' gives the owner)."""

    def make(role: str) -> User:
        return member(city, role)

    return make


@pytest.fixture
def client_as(city: City, user_in: Callable[[str], User]) -> Callable[[str | None], Client]:
    """Return a function giving a logged-in client for a role (None: anonymous, 'outsider')."""

    def make(role: str | None) -> Client:
        client = Client()
        if role == "outsider":
            client.force_login(UserFactory())
        elif role is not None:
            client.force_login(user_in(role))
        return client

    return make
