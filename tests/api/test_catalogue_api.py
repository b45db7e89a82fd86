"""The catalogue through the API: public, read only."""

from typing import Any

import pytest

from civitas.catalogue.models import DefaultMatrixItem, StakeholderType
from tests.api.conftest import Api, api_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GENERIC_CODES = [
    "municipality",
    "national_regional_government",
    "city_services_company",
    "utility_provider",
    "ict_company",
    "ngo",
    "international_organization",
    "industry_association",
    "academia_research",
    "citizens",
    "urban_planners",
    "standards_body",
]


def test_the_list_gives_every_entry_in_catalogue_order(catalogue: None) -> None:
    response = Api().get("/catalogue/types")

    assert response.status_code == 200
    entries = response.json()
    assert len(entries) == StakeholderType.objects.count() == 30
    assert [e["code"] for e in entries if e["kind"] == "generic"] == GENERIC_CODES


@pytest.mark.parametrize(
    ("kind", "count", "parent"),
    [
        ("generic", 12, None),
        ("municipal_unit", 10, "municipality"),
        ("national_unit", 8, "national_regional_government"),
    ],
)
def test_the_list_filters_by_kind(catalogue: None, kind: str, count: int, parent: str) -> None:
    response = Api().get("/catalogue/types", {"kind": kind})

    assert response.status_code == 200
    entries = response.json()
    assert len(entries) == count
    assert {e["kind"] for e in entries} == {kind}
    assert {e["parent"] for e in entries} == {parent}


def test_an_unknown_kind_is_refused_naming_the_parameter(catalogue: None) -> None:
    response = Api().get("/catalogue/types", {"kind": "planet"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["kind"]


def test_an_entry_carries_its_defaults(catalogue: None) -> None:
    entry = Api().get("/catalogue/types").json()[0]

    assert entry["code"] == "municipality"
    assert entry["letter"] == "a"
    assert entry["clause"]
    assert entry["default_sector"] == "public"
    assert "active" in entry["default_lfa_roles"]
    assert 0 <= entry["default_power_administrative"] <= 5


def test_the_detail_lists_the_default_matrix_items(catalogue: None) -> None:
    response = Api().get("/catalogue/types/ngo")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "ngo"
    expected = DefaultMatrixItem.objects.filter(type__code="ngo")
    assert {item["key"] for item in body["matrix"]} == set(expected.values_list("key", flat=True))
    assert {item["dimension"] for item in body["matrix"]} <= {
        "aim",
        "challenge",
        "potential",
        "constraint",
        "contribution",
    }
    assert all(item["text"] and "clause" in item for item in body["matrix"])


def test_an_unknown_code_is_404(catalogue: None) -> None:
    response = Api().get("/catalogue/types/dragons")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_signed_in_users_read_it_too(catalogue: None) -> None:
    assert api_for(UserFactory()).get("/catalogue/types/citizens").status_code == 200


def test_the_catalogue_is_read_only(catalogue: None) -> None:
    response = api_for(UserFactory()).post("/catalogue/types", {"code": "x"})

    assert response.status_code == 405


def test_reading_it_takes_a_fixed_number_of_queries(
    catalogue: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(1):
        assert Api().get("/catalogue/types").status_code == 200
    with django_assert_max_num_queries(2):
        assert Api().get("/catalogue/types/municipality").status_code == 200
