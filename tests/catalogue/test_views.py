"""The public catalogue pages."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from civitas.catalogue.models import StakeholderType, TypeKind
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


def test_anyone_can_browse_the_twelve_generic_types_with_their_units(
    client: Client, catalogue: None
) -> None:
    response = client.get(reverse("catalogue:list"))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [entry.type.code for entry in entries] == GENERIC_CODES
    assert [entry.type.letter for entry in entries] == list("abcdefghijkl")
    units = {entry.type.code: len(entry.units) for entry in entries}
    assert units["municipality"] == 10
    assert units["national_regional_government"] == 8
    html = response.content.decode()
    municipality = StakeholderType.objects.get(code="municipality")
    assert escape(municipality.definition) in html
    assert escape(municipality.clause) in html
    assert "Local" in html  # default level, spelled out
    assert "Enabler of the SSC" in html  # default technology role, spelled out
    for unit in StakeholderType.objects.exclude(kind=TypeKind.GENERIC):
        assert reverse("catalogue:detail", args=[unit.code]) in html


def test_signed_in_users_browse_it_too(catalogue: None) -> None:
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("catalogue:list")).status_code == 200


def test_a_text_filter_narrows_the_catalogue(client: Client, catalogue: None) -> None:
    response = client.get(reverse("catalogue:list"), {"q": "universities"})
    codes = [entry.type.code for entry in response.context["entries"]]
    assert "academia_research" in codes
    assert "municipality" not in codes
    assert 'value="universities"' in response.content.decode()


def test_a_filter_matching_a_unit_shows_it_under_its_type(client: Client, catalogue: None) -> None:
    unit = StakeholderType.objects.filter(kind=TypeKind.MUNICIPAL_UNIT).first()
    assert unit is not None
    response = client.get(reverse("catalogue:list"), {"q": unit.name})
    entries = response.context["entries"]
    municipality = next(e for e in entries if e.type.code == "municipality")
    assert unit.code in [u.type.code for u in municipality.units]


def test_a_filter_matching_nothing_says_so(client: Client, catalogue: None) -> None:
    response = client.get(reverse("catalogue:list"), {"q": "zzzz-nothing"})
    assert response.context["entries"] == []
    assert b"Nothing matches" in response.content


def test_the_list_takes_a_fixed_number_of_queries(
    client: Client, catalogue: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        client.get(reverse("catalogue:list"))


def test_an_entry_shows_its_defaults_and_matrix_by_dimension(
    client: Client, catalogue: None
) -> None:
    municipality = StakeholderType.objects.get(code="municipality")
    response = client.get(reverse("catalogue:detail", args=["municipality"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(municipality.definition) in html
    labels = [label for label, _ in response.context["matrix"]]
    assert labels == ["Aims", "Challenges", "Potential", "Constraints", "Role and contributions"]
    grouped = dict(response.context["matrix"])
    assert grouped["Aims"] and all(item.dimension == "aim" for item in grouped["Aims"])
    total = sum(len(items) for items in grouped.values())
    assert total == municipality.matrix.count()
    for item in municipality.matrix.all():
        assert escape(item.text) in html
        if item.clause:
            assert f"({escape(item.clause)})" in html
    assert len(response.context["units"]) == 10


def test_a_unit_names_its_parent(client: Client, catalogue: None) -> None:
    unit = StakeholderType.objects.filter(kind=TypeKind.NATIONAL_UNIT).first()
    assert unit is not None
    response = client.get(reverse("catalogue:detail", args=[unit.code]))
    assert response.status_code == 200
    assert reverse("catalogue:detail", args=["national_regional_government"]) in (
        response.content.decode()
    )


def test_an_unknown_entry_gives_the_not_found_page(client: Client, catalogue: None) -> None:
    response = client.get(reverse("catalogue:detail", args=["dragons"]))
    assert response.status_code == 404
    assert b"We could not find this page" in response.content
