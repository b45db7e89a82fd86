"""Cities and initiatives through the API, for every role."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.accounts.models import Membership
from civitas.accounts.services import membership_set
from civitas.cities.models import City, Initiative
from tests.api.conftest import api_for
from tests.factories import CityFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERS = ["owner", "analyst", "contributor", "viewer"]
EDITORS = ["owner", "analyst"]
NON_EDITORS = ["contributor", "viewer"]
DENIED = {"outsider": 404, None: 401, "revoked": 401}


def queries(call: Any) -> int:
    """Return how many queries a successful call takes."""
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code == 200, response.content
    return len(context)


# Cities


def test_the_list_shows_my_cities_with_my_role_and_counts(city: City) -> None:
    user = UserFactory()
    membership_set(city=city, user=user, role="analyst", by=None)
    InitiativeFactory(city=city)
    CityFactory(name="Elsewhere", slug="elsewhere", owner=UserFactory())

    response = api_for(user).get("/cities")

    assert response.status_code == 200
    [entry] = response.json()
    assert entry["slug"] == "lumen"
    assert entry["role"] == "analyst"
    assert entry["initiative_count"] == 1
    assert entry["stakeholder_count"] == 0


def test_an_outsider_lists_no_cities(api_as: Any) -> None:
    assert api_as("outsider").get("/cities").json() == []


def test_the_city_list_takes_a_fixed_number_of_queries(
    catalogue: None, django_assert_max_num_queries: Any
) -> None:
    user = UserFactory()
    api = api_for(user)
    for _ in range(5):
        CityFactory(owner=user)
    api.get("/cities")  # the first call records when the token was used
    with django_assert_max_num_queries(4):
        few = queries(lambda: api.get("/cities"))
    for _ in range(45):
        CityFactory(owner=user)
    with django_assert_max_num_queries(4):
        many = queries(lambda: api.get("/cities"))

    assert len(api.get("/cities").json()) == 50
    assert few == many


def test_creating_a_city_makes_me_its_owner(catalogue: None) -> None:
    user = UserFactory()

    response = api_for(user).post(
        "/cities",
        {"slug": "aurora", "name": "Aurora", "country": "pt", "population": 120000},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "aurora"
    assert body["country"] == "PT"
    assert body["role"] == "owner"
    assert body["development_context"] == "developing"
    assert Membership.objects.get(city__slug="aurora").user == user


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"slug": "lumen", "name": "Lumen again"}, "slug"),
        ({"slug": "new city", "name": "New"}, "slug"),
        ({"slug": "new", "name": "New", "country": "PRT"}, "country"),
        ({"slug": "new", "name": "New", "population": -1}, "population"),
        ({"slug": "new", "name": "New", "development_context": "rich"}, "development_context"),
        ({"slug": "new", "name": ""}, "name"),
        ({"slug": "new"}, "name"),
    ],
)
def test_bad_city_input_is_refused_and_nothing_is_written(
    city: City, payload: dict[str, Any], field: str
) -> None:
    before = City.objects.count()

    response = api_for(UserFactory()).post("/cities", payload)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert City.objects.count() == before


@pytest.mark.parametrize("role", MEMBERS)
def test_members_read_their_city(api_as: Any, role: str) -> None:
    response = api_as(role).get("/cities/lumen")

    assert response.status_code == 200
    assert response.json()["name"] == "Lumen"
    assert response.json()["role"] == role


@pytest.mark.parametrize(("role", "status"), DENIED.items())
def test_others_cannot_tell_the_city_exists(api_as: Any, role: str | None, status: int) -> None:
    assert api_as(role).get("/cities/lumen").status_code == status


def test_an_unknown_city_is_404_like_someone_elses(api_as: Any) -> None:
    assert api_as("owner").get("/cities/atlantis").status_code == 404


def test_the_owner_changes_the_city(api_as: Any) -> None:
    response = api_as("owner").patch("/cities/lumen", {"population": 90000, "name": "Lumen City"})

    assert response.status_code == 200
    city = City.objects.get(slug="lumen")
    assert (city.name, city.population) == ("Lumen City", 90000)


def test_population_can_be_cleared_but_the_name_cannot(api_as: Any) -> None:
    owner = api_as("owner")

    cleared = owner.patch("/cities/lumen", {"population": None})
    refused = owner.patch("/cities/lumen", {"name": None})

    assert cleared.status_code == 200
    assert cleared.json()["population"] is None
    assert refused.status_code == 422
    assert "name" in refused.json()["errors"]
    assert City.objects.get(slug="lumen").name == "Lumen"


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("contributor", 403),
                                              ("viewer", 403), *DENIED.items()])  # fmt: skip
def test_only_the_owner_changes_the_city(api_as: Any, role: str | None, status: int) -> None:
    response = api_as(role).patch("/cities/lumen", {"name": "Renamed"})

    assert response.status_code == status
    assert City.objects.get(slug="lumen").name == "Lumen"


# Initiatives


@pytest.fixture
def lighting(city: City) -> Initiative:
    return InitiativeFactory(city=city, name="Smart street lighting")


@pytest.mark.parametrize("role", MEMBERS)
def test_members_list_and_read_initiatives(api_as: Any, lighting: Initiative, role: str) -> None:
    api = api_as(role)

    listed = api.get("/cities/lumen/initiatives")
    detail = api.get(f"/cities/lumen/initiatives/{lighting.pk}")

    assert listed.status_code == 200
    assert [i["name"] for i in listed.json()] == ["Smart street lighting"]
    assert listed.json()[0]["categorized_count"] == 0
    assert detail.status_code == 200
    assert detail.json()["version"] == 1


@pytest.mark.parametrize(("role", "status"), DENIED.items())
def test_others_cannot_see_initiatives(
    api_as: Any, lighting: Initiative, role: str | None, status: int
) -> None:
    api = api_as(role)

    assert api.get("/cities/lumen/initiatives").status_code == status
    assert api.get(f"/cities/lumen/initiatives/{lighting.pk}").status_code == status


def test_an_initiative_of_another_city_is_404(api_as: Any) -> None:
    elsewhere = InitiativeFactory(city=CityFactory(owner=UserFactory()))

    assert api_as("owner").get(f"/cities/lumen/initiatives/{elsewhere.pk}").status_code == 404


@pytest.mark.parametrize("role", EDITORS)
def test_owners_and_analysts_create_initiatives(api_as: Any, role: str) -> None:
    response = api_as(role).post(
        "/cities/lumen/initiatives",
        {"name": "Open data", "status": "active", "start_date": "2025-01-01"},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["status"], body["start_date"]) == (
        "Open data",
        "active",
        "2025-01-01",
    )
    assert Initiative.objects.filter(city__slug="lumen", name="Open data").exists()


@pytest.mark.parametrize(("role", "status"), [("contributor", 403), ("viewer", 403),
                                              *DENIED.items()])  # fmt: skip
def test_others_cannot_create_initiatives(api_as: Any, role: str | None, status: int) -> None:
    response = api_as(role).post("/cities/lumen/initiatives", {"name": "Open data"})

    assert response.status_code == status
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Late", "start_date": "2025-06-01", "end_date": "2025-01-01"}, "end_date"),
        ({"name": "Smart street lighting"}, "name"),
        ({"name": "Odd", "status": "dreaming"}, "status"),
        ({"name": "Odd", "start_date": "someday"}, "start_date"),
    ],
)
def test_bad_initiative_input_is_refused_and_nothing_is_written(
    api_as: Any, lighting: Initiative, payload: dict[str, Any], field: str
) -> None:
    response = api_as("owner").post("/cities/lumen/initiatives", payload)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert Initiative.objects.count() == 1


def test_changing_an_initiative_needs_the_version(api_as: Any, lighting: Initiative) -> None:
    response = api_as("analyst").patch(
        f"/cities/lumen/initiatives/{lighting.pk}", {"status": "active"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"version": ["This field is required."]}


def test_an_initiative_changes_and_its_version_moves_on(api_as: Any, lighting: Initiative) -> None:
    response = api_as("analyst").patch(
        f"/cities/lumen/initiatives/{lighting.pk}",
        {"version": 1, "status": "active", "end_date": "2030-12-31"},
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["status"] == "active"


def test_a_stale_initiative_change_is_refused(api_as: Any, lighting: Initiative) -> None:
    analyst = api_as("analyst")
    analyst.patch(f"/cities/lumen/initiatives/{lighting.pk}", {"version": 1, "status": "active"})

    response = analyst.patch(
        f"/cities/lumen/initiatives/{lighting.pk}", {"version": 1, "name": "Overwritten"}
    )

    assert response.status_code == 409
    assert "Someone else changed" in response.json()["detail"]
    assert Initiative.objects.get(pk=lighting.pk).name == "Smart street lighting"


@pytest.mark.parametrize(("role", "status"), [("contributor", 403), ("viewer", 403),
                                              *DENIED.items()])  # fmt: skip
def test_others_cannot_change_initiatives(
    api_as: Any, lighting: Initiative, role: str | None, status: int
) -> None:
    response = api_as(role).patch(
        f"/cities/lumen/initiatives/{lighting.pk}", {"version": 1, "name": "Renamed"}
    )

    assert response.status_code == status
    assert Initiative.objects.get(pk=lighting.pk).version == 1


def test_the_owner_archives_and_brings_back_an_initiative(
    api_as: Any, lighting: Initiative
) -> None:
    owner = api_as("owner")
    url = f"/cities/lumen/initiatives/{lighting.pk}/archive"

    archived = owner.post_without_body(url)
    hidden = owner.get("/cities/lumen/initiatives").json()
    shown = owner.get("/cities/lumen/initiatives", {"include_archived": "true"}).json()
    back = owner.post(url, {"archived": False})

    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    assert hidden == []
    assert [i["id"] for i in shown] == [lighting.pk]
    assert back.status_code == 200
    assert back.json()["archived"] is False
    assert Initiative.objects.get(pk=lighting.pk).archived_at is None


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("contributor", 403),
                                              ("viewer", 403), *DENIED.items()])  # fmt: skip
def test_only_the_owner_archives_initiatives(
    api_as: Any, lighting: Initiative, role: str | None, status: int
) -> None:
    response = api_as(role).post_without_body(f"/cities/lumen/initiatives/{lighting.pk}/archive")

    assert response.status_code == status
    assert Initiative.objects.get(pk=lighting.pk).archived_at is None


def test_the_initiative_list_takes_a_fixed_number_of_queries(
    api_as: Any, city: City, django_assert_max_num_queries: Any
) -> None:
    api = api_as("viewer")
    for _ in range(5):
        InitiativeFactory(city=city)
    api.get("/cities/lumen/initiatives")
    with django_assert_max_num_queries(5):
        few = queries(lambda: api.get("/cities/lumen/initiatives"))
    for _ in range(45):
        InitiativeFactory(city=city)
    with django_assert_max_num_queries(5):
        many = queries(lambda: api.get("/cities/lumen/initiatives"))

    assert len(api.get("/cities/lumen/initiatives").json()) == 50
    assert few == many
