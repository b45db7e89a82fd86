"""`civitas city create`."""

import pytest

from civitas.accounts.models import Membership, Role
from civitas.cities.models import City
from tests.cli import fails, run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_a_city_with_every_option():
    owner = UserFactory(username="helena")
    out, _ = run(
        "city", "create", "porto-novo", "--name", "Porto Novo", "--country", "pt",
        "--population", "250000", "--context", "least_developed", "--owner", "helena",
    )  # fmt: skip
    city = City.objects.get(slug="porto-novo")
    assert (city.name, city.country, city.population) == ("Porto Novo", "PT", 250000)
    assert city.development_context == "least_developed"
    assert Membership.objects.get(city=city, user=owner).role == Role.OWNER
    assert "Created the city Porto Novo (porto-novo)." in out
    assert "Owner: helena." in out


def test_create_without_an_owner_leaves_the_city_without_members():
    out, _ = run("city", "create", "lumen", "--name", "Lumen")
    city = City.objects.get(slug="lumen")
    assert not city.memberships.exists()
    assert city.development_context == "developing"
    assert "no owner yet" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["bad slug", "--name", "X"], "slug"),
        (["ok", "--name", "X", "--owner", "nobody"], "No user named 'nobody'"),
        (["ok", "--name", ""], "name"),
        (["ok", "--name", "X", "--country", "PRT"], "country"),
        (["ok", "--name", "X", "--population", "-5"], "population"),
        (["ok", "--name", "X", "--population", "many"], "--population"),
        (["ok", "--name", "X", "--context", "rich"], "--context"),
        (["ok"], "--name"),
    ],
)
def test_bad_input_exits_2_naming_the_problem_and_creates_nothing(args, expected):
    message = fails("city", "create", *args)
    assert expected in message
    assert not City.objects.exists()


def test_a_duplicate_slug_is_refused():
    run("city", "create", "lumen", "--name", "Lumen")
    message = fails("city", "create", "lumen", "--name", "Another Lumen")
    assert "slug 'lumen' already exists" in message
    assert list(City.objects.values_list("name", flat=True)) == ["Lumen"]
