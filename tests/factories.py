"""Test data, built through the services as real users would build it."""

from typing import Any

import factory
from factory.django import DjangoModelFactory

from civitas.accounts.models import Membership, User
from civitas.accounts.services import membership_set
from civitas.catalogue.models import StakeholderType
from civitas.cities.models import City, Initiative
from civitas.cities.services import city_create, initiative_create
from civitas.stakeholders.models import Categorization, Stakeholder
from civitas.stakeholders.services import categorization_set, stakeholder_create

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "PT"
    owner = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type, *args: Any, owner: User, **kwargs: Any) -> City:
        return city_create(by=owner, **kwargs)


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Initiative {n}")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Initiative:
        return initiative_create(by=None, **kwargs)


def stakeholder_type(code: str = "ngo") -> StakeholderType:
    """Return a catalogue entry by code (the catalogue is loaded for every test database)."""
    return StakeholderType.objects.get(code=code)


class StakeholderFactory(DjangoModelFactory):
    class Meta:
        model = Stakeholder

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Stakeholder {n}")
    type = factory.LazyFunction(lambda: stakeholder_type("ngo"))

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Stakeholder:
        return stakeholder_create(by=None, **kwargs)


class CategorizationFactory(DjangoModelFactory):
    class Meta:
        model = Categorization

    stakeholder = factory.SubFactory(StakeholderFactory)
    initiative = factory.LazyAttribute(lambda c: InitiativeFactory(city=c.stakeholder.city))

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Categorization:
        return categorization_set(by=None, **kwargs)


def member(city: City, role: str, **kwargs: Any) -> User:
    """Return a new user holding `role` in `city`."""
    user = UserFactory(**kwargs)
    membership_set(city=city, user=user, role=role, by=None)
    return user


def membership(city: City, user: User) -> Membership:
    return Membership.objects.get(city=city, user=user)
