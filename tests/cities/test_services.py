"""City and initiative services: what they write, what they refuse, who may call them."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from civitas.accounts.models import Membership, Role
from civitas.cities.models import City, DevelopmentContext, Initiative, InitiativeStatus
from civitas.cities.selectors import initiative_list
from civitas.cities.services import (
    city_create,
    city_update,
    initiative_archive,
    initiative_create,
    initiative_update,
)
from civitas.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    error_messages,
)
from tests.factories import CityFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error_messages(excinfo.value)


class TestCityCreate:
    def test_the_creator_becomes_the_owner(self):
        creator = UserFactory()

        city = city_create(
            slug=" Lumen-City ",
            name="  Lumen ",
            country="pt",
            population=120_000,
            by=creator,
        )

        stored = City.objects.get(pk=city.pk)
        assert (stored.slug, stored.name, stored.country) == ("lumen-city", "Lumen", "PT")
        assert stored.population == 120_000
        assert stored.development_context == DevelopmentContext.DEVELOPING
        assert Membership.objects.get(city=city).user == creator
        assert Membership.objects.get(city=city).role == Role.OWNER
        assert creator.has_perm("cities.change_city", city)

    def test_the_system_creates_a_city_without_an_owner(self):
        city = city_create(
            slug="lumen", name="Lumen", by=None, development_context=DevelopmentContext.DEVELOPED
        )

        assert city.development_context == "developed"
        assert not Membership.objects.filter(city=city).exists()

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"slug": "lumen city"}, "slug"),
            ({"slug": ""}, "slug"),
            ({"name": "  "}, "name"),
            ({"country": "PRT"}, "country"),
            ({"development_context": "utopian"}, "development_context"),
        ],
    )
    def test_bad_values_are_refused_naming_the_field(self, values, field):
        with pytest.raises(ValidationError) as excinfo:
            city_create(by=UserFactory(), **{"slug": "lumen", "name": "Lumen", **values})

        assert field in errors_of(excinfo)
        assert not City.objects.exists()
        assert not Membership.objects.exists()

    def test_a_taken_slug_is_refused(self):
        CityFactory(slug="lumen")

        with pytest.raises(ValidationError) as excinfo:
            city_create(slug="LUMEN", name="Another Lumen", by=UserFactory())

        assert "slug" in errors_of(excinfo)
        assert City.objects.count() == 1

    def test_an_anonymous_visitor_may_not_create_a_city(self):
        with pytest.raises(PermissionDeniedError):
            city_create(slug="lumen", name="Lumen", by=AnonymousUser())

        assert not City.objects.exists()


class TestCityUpdate:
    def test_the_owner_changes_the_city(self, city, owner):
        city_update(city=city, by=owner, name="Lumen City", country="es", population=5)

        stored = City.objects.get(pk=city.pk)
        assert (stored.name, stored.country, stored.population) == ("Lumen City", "ES", 5)

    @pytest.mark.parametrize("role", ["analyst", "contributor", "viewer"])
    def test_other_members_may_not(self, city, user_in, role):
        with pytest.raises(PermissionDeniedError):
            city_update(city=city, by=user_in(role), name="Renamed")

        assert City.objects.get(pk=city.pk).name == "Lumen"

    def test_the_slug_cannot_be_changed(self, city, owner):
        with pytest.raises(ValidationError) as excinfo:
            city_update(city=city, by=owner, slug="other")

        assert list(errors_of(excinfo)) == ["slug"]
        assert City.objects.get(pk=city.pk).slug == "lumen"


class TestInitiatives:
    @pytest.mark.parametrize("role", ["owner", "analyst"])
    def test_owners_and_analysts_create_initiatives(self, city, user_in, role):
        initiative = initiative_create(
            city=city,
            name=" Smart lighting ",
            by=user_in(role),
            status=InitiativeStatus.ACTIVE,
            start_date=date(2025, 1, 1),
            end_date=date(2026, 12, 31),
        )

        stored = Initiative.objects.get(pk=initiative.pk)
        assert (stored.name, stored.status, stored.version) == ("Smart lighting", "active", 1)

    @pytest.mark.parametrize("role", ["contributor", "viewer"])
    def test_contributors_and_viewers_may_not(self, city, user_in, role):
        with pytest.raises(PermissionDeniedError):
            initiative_create(city=city, name="Smart lighting", by=user_in(role))

        assert not Initiative.objects.exists()

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"name": ""}, "name"),
            ({"status": "dreaming"}, "status"),
            ({"start_date": date(2026, 1, 2), "end_date": date(2026, 1, 1)}, "end_date"),
        ],
    )
    def test_bad_values_are_refused_naming_the_field(self, city, values, field):
        with pytest.raises(ValidationError) as excinfo:
            initiative_create(city=city, by=None, **{"name": "Smart lighting", **values})

        assert field in errors_of(excinfo)
        assert not Initiative.objects.exists()

    def test_a_name_is_unique_within_a_city_only(self, city):
        InitiativeFactory(city=city, name="Smart lighting")

        with pytest.raises(ValidationError) as excinfo:
            InitiativeFactory(city=city, name="Smart lighting")
        assert "name" in errors_of(excinfo)

        InitiativeFactory(city=CityFactory(), name="Smart lighting")
        assert Initiative.objects.filter(name="Smart lighting").count() == 2

    def test_an_update_from_a_stale_copy_is_refused(self, city, owner):
        initiative = InitiativeFactory(city=city, name="Smart lighting")
        stale = Initiative.objects.get(pk=initiative.pk)
        initiative_update(initiative=initiative, by=owner, expected_version=1, description="v2")

        with pytest.raises(ConflictError):
            initiative_update(initiative=stale, by=owner, expected_version=1, name="Renamed")

        stored = Initiative.objects.get(pk=initiative.pk)
        assert (stored.name, stored.description, stored.version) == ("Smart lighting", "v2", 2)

    def test_renaming_onto_another_initiative_is_refused(self, city, owner):
        InitiativeFactory(city=city, name="Open data")
        initiative = InitiativeFactory(city=city, name="Smart lighting")

        with pytest.raises(ValidationError) as excinfo:
            initiative_update(initiative=initiative, by=owner, expected_version=1, name="Open data")

        assert "name" in errors_of(excinfo)
        assert Initiative.objects.get(pk=initiative.pk).name == "Smart lighting"

    def test_an_unknown_field_is_refused(self, city, owner):
        initiative = InitiativeFactory(city=city)

        with pytest.raises(ValidationError) as excinfo:
            initiative_update(
                initiative=initiative, by=owner, expected_version=1, city=CityFactory()
            )

        assert list(errors_of(excinfo)) == ["city"]

    def test_only_the_owner_archives_and_the_initiative_leaves_the_list(self, city, owner, user_in):
        initiative = InitiativeFactory(city=city, name="Smart lighting")

        with pytest.raises(PermissionDeniedError):
            initiative_archive(initiative=initiative, by=user_in("analyst"))
        initiative_archive(initiative=initiative, by=owner)

        assert list(initiative_list(city=city)) == []
        assert list(initiative_list(city=city, include_archived=True)) == [initiative]

        initiative_archive(initiative=initiative, by=owner, archived=False)
        assert list(initiative_list(city=city)) == [initiative]


def test_a_slug_the_site_uses_for_its_own_pages_is_refused(catalogue, owner):
    from civitas.cities.services import city_create
    from civitas.core.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        city_create(slug="New", name="Newtown", by=owner)

    assert "reserved" in refused.value.message_dict["slug"][0]
    assert not City.objects.filter(slug="new").exists()
