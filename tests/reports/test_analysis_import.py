"""Importing categorizations and analysis-matrix items."""

import pytest

from civitas.core.errors import PermissionDeniedError
from civitas.stakeholders.imports import categorization_import, matrix_import
from civitas.stakeholders.models import Categorization, MatrixItem
from civitas.stakeholders.selectors import stakeholder_matrix
from civitas.stakeholders.services import categorization_set, matrix_default_edit
from tests.factories import InitiativeFactory, StakeholderFactory, stakeholder_type
from tests.reports.conftest import table

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(city):
    return StakeholderFactory(
        city=city, name="Lumen Council", type=stakeholder_type("municipality")
    )


@pytest.fixture
def mobility(city):
    return InitiativeFactory(city=city, name="Smart mobility")


# Categorizations


def test_categorizations_start_from_the_types_defaults(city, analyst, council, mobility):
    result = categorization_import(
        city=city,
        table=table(("stakeholder", "interest", "attitude"), ("lumen council", "5", "+2")),
        by=analyst,
        initiative=mobility,
    )
    assert result.ok and result.created == 1
    categorization = Categorization.objects.get(stakeholder=council, initiative=mobility)
    municipality = stakeholder_type("municipality")
    assert (categorization.interest, categorization.attitude) == (5, 2)
    assert categorization.lfa_roles == municipality.default_lfa_roles
    assert categorization.history.get().history_type == "+"


def test_categorizations_update_only_the_given_columns(city, analyst, council, mobility):
    categorization_set(stakeholder=council, initiative=mobility, by=None, interest=1, rationale="x")
    result = categorization_import(
        city=city,
        table=table(
            ("initiative", "stakeholder", "lfa_roles", "interest"),
            ("Smart mobility", "Lumen Council", "Active; Affected: potential supporter", "4"),
        ),
        by=analyst,
    )
    assert (result.updated, result.preview[0].changes) == (1, ["lfa_roles", "interest"])
    categorization = Categorization.objects.get(stakeholder=council, initiative=mobility)
    assert categorization.lfa_roles == ["active", "potential_supporter"]
    assert (categorization.interest, categorization.rationale, categorization.version) == (
        4,
        "x",
        2,
    )


def test_categorization_problems(city, analyst, council, mobility):
    result = categorization_import(
        city=city,
        table=table(
            ("initiative", "stakeholder", "lfa_roles", "power_monetary", "attitude"),
            ("Smart mobility", "Nobody", "", "", ""),
            ("Unknown", "Lumen Council", "", "", ""),
            ("Smart mobility", "Lumen Council", "villain", "9", "-3"),
            ("", "Lumen Council", "", "", ""),
            ("Smart mobility", "Lumen Council", "", "2", ""),
            ("smart mobility", "Lumen Council", "", "3", ""),
        ),
        by=analyst,
    )
    assert [(p.line, p.column) for p in result.problems] == [
        (2, "stakeholder"), (3, "initiative"), (4, "lfa_roles"), (4, "power_monetary"),
        (4, "attitude"), (5, "initiative"), (7, "stakeholder"),
    ]  # fmt: skip
    assert not Categorization.objects.exists()


def test_categorizations_need_an_initiative(city, analyst, council):
    result = categorization_import(
        city=city, table=table(("stakeholder",), ("Lumen Council",)), by=analyst
    )
    assert "Say which initiative" in result.problems[0].message


def test_viewers_may_not_import_categorizations(city, user_in, council, mobility):
    with pytest.raises(PermissionDeniedError):
        categorization_import(
            city=city, table=table(("stakeholder",), ("Lumen Council",)), by=user_in("viewer"),
            initiative=mobility,
        )  # fmt: skip


# The analysis matrix


def test_matrix_items_are_added_once(city, analyst, council):
    rows = (("Lumen Council", "Aims", "Halve emissions"), ("Lumen Council", "challenge", "Money"))
    result = matrix_import(city=city, table=table(("stakeholder", "dimension", "text"), *rows),
                           by=analyst)  # fmt: skip
    assert result.created == 2
    again = matrix_import(
        city=city,
        table=table(("stakeholder", "dimension", "text"), *rows, ("Lumen Council", "aim", "More")),
        by=analyst,
    )
    assert (again.created, again.unchanged) == (1, 2)
    own = [e.text for e in stakeholder_matrix(council)["aim"] if e.source == "city"]
    assert own == ["Halve emissions", "More"]


def test_matrix_defaults_are_edited_dismissed_and_restored_by_key(city, analyst, council):
    first, second = stakeholder_type("municipality").matrix.filter(dimension="aim")[:2]
    header = ("stakeholder", "dimension", "text", "source", "key")
    result = matrix_import(
        city=city,
        table=table(
            header,
            ("Lumen Council", "aim", "Our own wording", "edited", first.key),
            ("Lumen Council", "aim", "", "dismissed", second.key),
        ),
        by=analyst,
    )
    assert result.created == 2
    matrix = stakeholder_matrix(council)["aim"]
    assert ("Our own wording", "edited") in [(e.text, e.source) for e in matrix]
    assert second.text not in [e.text for e in matrix]
    restored = matrix_import(
        city=city,
        table=table(header, ("Lumen Council", "aim", first.text, "default", first.key)),
        by=analyst,
    )
    assert restored.updated == 1
    assert not MatrixItem.objects.filter(stakeholder=council, replaces=first).exists()
    assert MatrixItem.history.filter(replaces_id=first.pk, history_type="-").exists()


def test_matrix_problems(city, analyst, council):
    ngo_default = stakeholder_type("ngo").matrix.first()
    own = stakeholder_type("municipality").matrix.filter(dimension="aim").first()
    matrix_default_edit(stakeholder=council, default=own, text="Edited", by=None)
    result = matrix_import(
        city=city,
        table=table(
            ("stakeholder", "dimension", "text", "source", "key"),
            ("Lumen Council", "wishes", "x", "", ""),
            ("Nobody", "aim", "x", "", ""),
            ("Lumen Council", "aim", "", "", ""),
            ("Lumen Council", "aim", "x", "", "no-such-key"),
            ("Lumen Council", "aim", "x", "", ngo_default.key),
            ("Lumen Council", "challenge", "x", "", own.key),
            ("Lumen Council", "aim", "", "dismissed", ""),
            ("Lumen Council", "aim", "x", "invented", ""),
            ("Lumen Council", "aim", "Twice", "", ""),
            ("Lumen Council", "aim", "Twice", "", ""),
        ),
        by=analyst,
    )
    assert [(p.line, p.column) for p in result.problems] == [
        (2, "dimension"), (3, "stakeholder"), (4, "text"), (5, "key"), (6, "key"),
        (7, "dimension"), (8, "key"), (9, "source"), (11, "text"),
    ]  # fmt: skip
    assert MatrixItem.objects.filter(stakeholder=council).count() == 1


def test_contributors_may_not_import_the_matrix(city, user_in, council):
    with pytest.raises(PermissionDeniedError):
        matrix_import(
            city=city, table=table(("stakeholder", "dimension", "text"), ("Lumen Council", "aim", "x")),
            by=user_in("contributor"),
        )  # fmt: skip
