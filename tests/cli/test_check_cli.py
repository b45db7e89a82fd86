"""`civitas check completeness`, and Django's own checks under the same name."""

import json

import pytest

from civitas.cities.models import City
from tests.cli import fails, run
from tests.factories import StakeholderFactory, stakeholder_type

pytestmark = pytest.mark.django_db


def completeness(city: City) -> dict:
    out, _ = run("check", "completeness", "--city", city.slug, "--format", "json")
    return json.loads(out)


def test_json_lists_the_missing_type_codes_before_and_after_adding_one(city):
    before = completeness(city)
    assert len(before["missing_types"]) == 12
    assert "ngo" in before["missing_types"]
    StakeholderFactory(city=city, name="Green Lumen", type=stakeholder_type("ngo"))
    after = completeness(city)
    assert "ngo" not in after["missing_types"]
    assert sorted(after["missing_types"]) == sorted(set(before["missing_types"]) - {"ngo"})
    assert after["stakeholder_count"] == 1
    assert after["uncategorized"][0]["name"] == "Green Lumen"


def test_table_is_readable_text(city):
    StakeholderFactory(
        city=city, name="Green Lumen", type=stakeholder_type("ngo"), validation_steps=["definition"]
    )
    out, _ = run("check", "completeness", "--city", city.slug)
    assert out.startswith("Lumen (lumen): 1 stakeholders, not complete yet.")
    assert "Generic types with no stakeholder yet (11):" in out
    assert "  - municipality: Municipalities" in out
    assert "Stakeholders not categorized in any initiative (1):" in out
    assert "Green Lumen (Non-governmental organizations (NGOs)): classification" in out
    assert "1 / 1  Derived from the definition" in out


def test_an_unknown_city_exits_2():
    assert "No city with the slug 'atlantis'" in fails(
        "check", "completeness", "--city", "atlantis"
    )


def test_completeness_needs_a_city_and_a_known_format(city):
    assert "--city" in fails("check", "completeness")
    assert "yaml" in fails("check", "completeness", "--city", city.slug, "--format", "yaml")
    assert "Unexpected" in fails("check", "completeness", "extra", "--city", city.slug)


def test_city_without_completeness_is_refused(city):
    assert "completeness" in fails("check", "--city", city.slug)


def test_django_system_checks_still_run_under_the_name_check():
    out, _ = run("check", "--list-tags")
    assert "security" in out.split() or "models" in out.split()
