"""Registry reads: filters and sorts, the analysis matrix, completeness, history, summary."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from civitas.accounts.models import User
from civitas.catalogue.models import DefaultMatrixItem, StakeholderType, TypeKind
from civitas.cities.models import City, Initiative
from civitas.core.vocabulary import MatrixDimension
from civitas.stakeholders.models import Stakeholder, ValidationStep
from civitas.stakeholders.selectors import (
    SORTS,
    SummaryRow,
    city_matrices,
    completeness_check,
    stakeholder_history,
    stakeholder_list,
    stakeholder_matrix,
    summary_rows,
)
from civitas.stakeholders.services import (
    categorization_set,
    city_seed_from_catalogue,
    contact_add,
    contact_update,
    matrix_default_dismiss,
    matrix_default_edit,
    matrix_item_add,
    matrix_item_update,
    stakeholder_archive,
    stakeholder_update,
)
from tests.factories import (
    CityFactory,
    InitiativeFactory,
    StakeholderFactory,
    member,
    stakeholder_type,
)

pytestmark = pytest.mark.django_db

ALL_STEPS = list(ValidationStep.values)


def names(stakeholders: Any) -> list[str]:
    return [s.name for s in stakeholders]


def default_of(
    code: str, dimension: str = MatrixDimension.AIM, index: int = 0
) -> DefaultMatrixItem:
    return list(
        DefaultMatrixItem.objects.filter(type__code=code, dimension=dimension).order_by("position")
    )[index]


@pytest.fixture
def initiative(city: City) -> Initiative:
    return InitiativeFactory(city=city, name="Smart street lighting")


# --- stakeholder_list ---------------------------------------------------------------------


class TestStakeholderListFilters:
    def test_search_looks_in_names_descriptions_and_tags(self, city):
        StakeholderFactory(city=city, name="Green Lumen")
        StakeholderFactory(city=city, name="Repair Café", description="Fixes bikes, greenly")
        StakeholderFactory(city=city, name="Harbour Board", tags=["green"])
        StakeholderFactory(city=city, name="Chamber of Commerce")

        found = stakeholder_list(city=city, user=None, search="  GREEN ")

        assert names(found) == ["Green Lumen", "Harbour Board", "Repair Café"]

    def test_a_type_matches_its_stakeholders_and_their_units(self, city):
        municipality = StakeholderFactory(
            city=city, name="City of Lumen", type=stakeholder_type("municipality")
        )
        StakeholderFactory(
            city=city,
            name="Urban planning",
            type=stakeholder_type("municipal_urban_planning"),
            parent=municipality,
        )
        StakeholderFactory(
            city=city, name="Ministry", type=stakeholder_type("national_regional_government")
        )

        assert names(stakeholder_list(city=city, user=None, type="municipality")) == [
            "City of Lumen",
            "Urban planning",
        ]
        assert names(stakeholder_list(city=city, user=None, type="municipal_urban_planning")) == [
            "Urban planning"
        ]

    def test_sector_filter(self, city):
        StakeholderFactory(city=city, name="Green Lumen")
        StakeholderFactory(city=city, name="Lumen Power", type=stakeholder_type("utility_provider"))

        assert names(stakeholder_list(city=city, user=None, sector="private")) == ["Lumen Power"]

    def test_level_filter_matches_whole_codes(self, city):
        StakeholderFactory(city=city, name="Ministry", levels=["national"])
        StakeholderFactory(city=city, name="Region", levels=["sub_national"])
        StakeholderFactory(city=city, name="Both", levels=["sub_national", "national"])

        assert names(stakeholder_list(city=city, user=None, level="national")) == [
            "Both",
            "Ministry",
        ]
        assert names(stakeholder_list(city=city, user=None, level="sub_national")) == [
            "Both",
            "Region",
        ]

    def test_tag_filter_ignores_case_and_matches_whole_tags(self, city):
        StakeholderFactory(city=city, name="Green Lumen", tags=["energy"])
        StakeholderFactory(city=city, name="Lumen Power", tags=["energy_poverty"])

        assert names(stakeholder_list(city=city, user=None, tag=" Energy ")) == ["Green Lumen"]

    def test_lfa_role_filter_looks_at_categorizations_in_any_or_one_initiative(
        self, city, initiative
    ):
        other_initiative = InitiativeFactory(city=city, name="Open data")
        opponent_here = StakeholderFactory(city=city, name="Taxi drivers")
        opponent_elsewhere = StakeholderFactory(city=city, name="Shop owners")
        supporter = StakeholderFactory(city=city, name="Cyclists")
        StakeholderFactory(city=city, name="Not categorized")
        categorization_set(
            stakeholder=opponent_here,
            initiative=initiative,
            by=None,
            lfa_roles=["potential_opponent"],
        )
        categorization_set(
            stakeholder=opponent_elsewhere,
            initiative=other_initiative,
            by=None,
            lfa_roles=["potential_opponent", "beneficiary"],
        )
        categorization_set(
            stakeholder=supporter, initiative=initiative, by=None, lfa_roles=["potential_supporter"]
        )

        assert names(stakeholder_list(city=city, user=None, lfa_role="potential_opponent")) == [
            "Shop owners",
            "Taxi drivers",
        ]
        assert names(
            stakeholder_list(
                city=city, user=None, lfa_role="potential_opponent", initiative=initiative
            )
        ) == ["Taxi drivers"]

    def test_filters_combine(self, city):
        StakeholderFactory(city=city, name="Green Lumen", tags=["energy"], levels=["local"])
        StakeholderFactory(
            city=city, name="Green Planet", tags=["energy"], levels=["international"]
        )
        StakeholderFactory(city=city, name="Lumen Youth", tags=["youth"], levels=["local"])

        found = stakeholder_list(city=city, user=None, tag="energy", level="local", search="lumen")

        assert names(found) == ["Green Lumen"]

    def test_archived_stakeholders_are_listed_apart(self, city):
        StakeholderFactory(city=city, name="Active")
        stakeholder_archive(stakeholder=StakeholderFactory(city=city, name="Gone"), by=None)

        assert names(stakeholder_list(city=city, user=None)) == ["Active"]
        assert names(stakeholder_list(city=city, user=None, archived=True)) == ["Gone"]

    def test_other_cities_never_show(self, city):
        StakeholderFactory(city=city, name="Ours")
        StakeholderFactory(name="Theirs")

        assert names(stakeholder_list(city=city, user=None)) == ["Ours"]

    @pytest.mark.parametrize(
        ("role", "sees_confidential"),
        [("owner", True), ("analyst", True), ("contributor", False), ("viewer", False)],
    )
    def test_confidential_stakeholders_show_only_to_owners_and_analysts(
        self, city, user_in, role, sees_confidential
    ):
        StakeholderFactory(city=city, name="Open")
        StakeholderFactory(city=city, name="Secret", confidential=True)

        listed = names(stakeholder_list(city=city, user=user_in(role)))

        assert listed == (["Open", "Secret"] if sees_confidential else ["Open"])


class TestStakeholderListSorting:
    @pytest.fixture
    def three(self, city: City) -> None:
        a = StakeholderFactory(city=city, name="Alpha", type=stakeholder_type("ngo"))
        b = StakeholderFactory(
            city=city, name="Bravo", type=stakeholder_type("municipality"), sector="citizens"
        )
        c = StakeholderFactory(
            city=city, name="Charlie", type=stakeholder_type("ict_company"), sector="academia"
        )
        for stakeholder in (c, a, b):  # updated in this order
            stakeholder_update(
                stakeholder=stakeholder,
                by=None,
                expected_version=stakeholder.version,
                description="touched",
            )

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("name", ["Alpha", "Bravo", "Charlie"]),
            ("-name", ["Charlie", "Bravo", "Alpha"]),
            ("type", ["Bravo", "Charlie", "Alpha"]),  # municipality, ict_company, ngo
            ("-type", ["Alpha", "Charlie", "Bravo"]),
            ("sector", ["Charlie", "Bravo", "Alpha"]),  # academia, citizens, civil_society
            ("-sector", ["Alpha", "Bravo", "Charlie"]),
            ("updated", ["Charlie", "Alpha", "Bravo"]),
            ("-updated", ["Bravo", "Alpha", "Charlie"]),
            ("no-such-sort", ["Alpha", "Bravo", "Charlie"]),
        ],
    )
    def test_each_sort_orders_the_list(self, city, three, sort, expected):
        assert names(stakeholder_list(city=city, user=None, sort=sort)) == expected

    def test_every_offered_sort_is_tested(self):
        tested = {"name", "-name", "type", "-type", "sector", "-sector", "updated", "-updated"}
        assert set(SORTS) == tested


# --- analysis matrix ----------------------------------------------------------------------


class TestMatrixComposition:
    def test_a_matrix_has_every_dimension_with_defaults_edits_and_own_items(self, city):
        stakeholder = StakeholderFactory(city=city)
        edited, dismissed = default_of("ngo", "aim", 0), default_of("ngo", "aim", 1)
        matrix_default_edit(stakeholder=stakeholder, default=edited, text="Ours", by=None)
        matrix_default_dismiss(stakeholder=stakeholder, default=dismissed, by=None)
        matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Clean air", by=None)

        matrix = stakeholder_matrix(stakeholder)

        assert list(matrix) == list(MatrixDimension.values)
        aims = [(e.source, e.text) for e in matrix["aim"]]
        catalogue_aims = list(
            DefaultMatrixItem.objects.filter(type__code="ngo", dimension="aim")
            .order_by("position")
            .values_list("text", flat=True)
        )
        assert aims == [
            ("edited", "Ours"),
            *[("default", text) for text in catalogue_aims[2:]],
            ("city", "Clean air"),
        ]
        assert matrix["aim"][0].default == edited
        assert matrix["aim"][-1].default is None
        assert all(e.is_default for e in matrix["challenge"])

    def test_an_edit_survives_a_change_of_type_as_the_citys_own_item(self, city):
        stakeholder = StakeholderFactory(city=city)
        matrix_default_edit(
            stakeholder=stakeholder, default=default_of("ngo"), text="Our wording", by=None
        )
        matrix_default_dismiss(
            stakeholder=stakeholder, default=default_of("ngo", "challenge"), by=None
        )

        stakeholder_update(
            stakeholder=stakeholder,
            by=None,
            expected_version=1,
            type=stakeholder_type("academia_research"),
        )

        matrix = stakeholder_matrix(stakeholder)
        assert ("city", "Our wording") in [(e.source, e.text) for e in matrix["aim"]]
        assert "" not in [e.text for entries in matrix.values() for e in entries]
        assert {e.default.type.code for e in matrix["aim"] if e.default} == {"academia_research"}

    def test_city_matrices_give_each_stakeholders_own_matrix_in_two_queries(
        self, city, django_assert_num_queries
    ):
        green = StakeholderFactory(city=city, name="Green Lumen")
        power = StakeholderFactory(
            city=city, name="Lumen Power", type=stakeholder_type("utility_provider")
        )
        matrix_default_edit(stakeholder=green, default=default_of("ngo"), text="Ours", by=None)
        matrix_item_add(stakeholder=power, dimension="potential", text="A grid", by=None)
        matrix_default_dismiss(
            stakeholder=power, default=default_of("utility_provider", "challenge"), by=None
        )

        with django_assert_num_queries(2):
            matrices = city_matrices([green, power])

        def flat(matrix: Any) -> dict[str, list[tuple[str, str]]]:
            return {d: [(e.source, e.text) for e in entries] for d, entries in matrix.items()}

        assert flat(matrices[green.pk]) == flat(stakeholder_matrix(green))
        assert flat(matrices[power.pk]) == flat(stakeholder_matrix(power))
        assert flat(matrices[green.pk]) != flat(matrices[power.pk])


# --- completeness_check -------------------------------------------------------------------


def generic_codes() -> list[str]:
    return list(
        StakeholderType.objects.filter(kind=TypeKind.GENERIC)
        .order_by("position")
        .values_list("code", flat=True)
    )


def unit_codes() -> list[str]:
    return list(
        StakeholderType.objects.exclude(kind=TypeKind.GENERIC)
        .order_by("position")
        .values_list("code", flat=True)
    )


def finish(stakeholder: Stakeholder, initiative: Initiative) -> None:
    """Do everything the completeness check asks of one stakeholder."""
    categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)
    matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Own aim", by=None)
    stakeholder_update(
        stakeholder=stakeholder,
        by=None,
        expected_version=stakeholder.version,
        name=f"{stakeholder.name} of Lumen",
        validation_steps=ALL_STEPS,
    )


class TestCompleteness:
    def test_an_empty_city_lacks_every_type_and_unit(self, city):
        result = completeness_check(city=city)

        report = result.as_dict()
        assert report["missing_types"] == generic_codes()
        assert len(report["missing_types"]) == 12
        assert report["missing_units"] == unit_codes()
        assert report["stakeholder_count"] == 0
        assert not result.is_complete
        assert report["complete"] is False

    def test_a_seeded_city_has_every_type_and_lists_what_is_left_to_do(self, city):
        seeded = city_seed_from_catalogue(city=city, by=None)

        result = completeness_check(city=city)

        report = result.as_dict()
        assert report["missing_types"] == []
        assert report["missing_units"] == unit_codes()
        assert report["stakeholder_count"] == 12
        ids = {s.pk for s in seeded}
        for key in ("uncategorized", "without_own_matrix_items", "unvalidated", "placeholders"):
            assert {entry["id"] for entry in report[key]} == ids, key
        assert all(entry["missing_steps"] == ALL_STEPS for entry in report["unvalidated"])
        assert report["validation_steps_done"] == dict.fromkeys(ALL_STEPS, 0)
        assert not result.is_complete

    def test_missing_validation_steps_are_named(self, city):
        StakeholderFactory(
            city=city, name="Green Lumen", validation_steps=["definition", "literature"]
        )

        report = completeness_check(city=city).as_dict()

        [entry] = report["unvalidated"]
        assert entry["name"] == "Green Lumen"
        assert entry["type"] == "ngo"
        assert entry["missing_steps"] == ["classification", "supplements"]
        assert report["validation_steps_done"] == {
            "definition": 1,
            "classification": 0,
            "supplements": 0,
            "literature": 1,
        }

    def test_a_dismissal_is_not_an_own_matrix_item_but_an_edit_is(self, city):
        dismissing = StakeholderFactory(city=city, name="Dismissing")
        editing = StakeholderFactory(city=city, name="Editing")
        matrix_default_dismiss(stakeholder=dismissing, default=default_of("ngo"), by=None)
        matrix_default_edit(stakeholder=editing, default=default_of("ngo"), text="Ours", by=None)

        result = completeness_check(city=city)

        assert names(result.without_own_matrix) == ["Dismissing"]

    def test_the_registry_is_complete_when_everything_is_done(self, city, initiative):
        for stakeholder in city_seed_from_catalogue(city=city, by=None):
            finish(stakeholder, initiative)
        StakeholderFactory(city=city, name="Archived and unfinished")
        stakeholder_archive(
            stakeholder=Stakeholder.objects.get(name="Archived and unfinished"), by=None
        )

        result = completeness_check(city=city)

        report = result.as_dict()
        assert result.is_complete
        assert report["complete"] is True
        assert report["stakeholder_count"] == 12
        for key in ("missing_types", "uncategorized", "without_own_matrix_items", "unvalidated"):
            assert report[key] == [], key
        assert report["placeholders"] == []
        assert report["validation_steps_done"] == dict.fromkeys(ALL_STEPS, 12)

    def test_one_unfinished_stakeholder_makes_it_incomplete(self, city, initiative):
        for stakeholder in city_seed_from_catalogue(city=city, by=None):
            finish(stakeholder, initiative)
        StakeholderFactory(city=city, name="Latecomer", validation_steps=ALL_STEPS)

        result = completeness_check(city=city)

        assert not result.is_complete
        assert names(result.uncategorized) == ["Latecomer"]
        assert names(result.without_own_matrix) == ["Latecomer"]
        assert result.unvalidated == []


# --- stakeholder_history ------------------------------------------------------------------


@contextmanager
def acting_as(user: User) -> Iterator[None]:
    """Record changes as the history middleware does during a request by `user`."""
    request = RequestFactory().post("/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


class TestHistory:
    def test_who_when_and_what_changed_old_to_new(self, city, user_in):
        analyst = user_in("analyst")
        with acting_as(analyst):
            stakeholder = StakeholderFactory(city=city, name="Green Lumen", tags=["energy"])
        stakeholder_update(
            stakeholder=stakeholder,
            by=None,
            expected_version=1,
            name="Green Lumen Association",
            tags=["energy", "youth"],
        )

        history = stakeholder_history(stakeholder)

        changed, created = history
        assert (created["action"], created["who"], created["record"]) == (
            "created",
            analyst.username,
            "stakeholder",
        )
        assert (changed["action"], changed["who"]) == ("changed", "system")
        assert changed["when"] >= created["when"]
        assert changed["label"] == "Green Lumen Association"
        assert {c["field"]: (c["old"], c["new"]) for c in changed["changes"]} == {
            "name": ("Green Lumen", "Green Lumen Association"),
            "tags": (["energy"], ["energy", "youth"]),
        }

    def test_categorizations_matrix_items_and_contacts_are_in_the_history(
        self, city, initiative, user_in
    ):
        analyst = user_in("analyst")
        stakeholder = StakeholderFactory(city=city, name="Green Lumen")
        with acting_as(analyst):
            categorization = categorization_set(
                stakeholder=stakeholder, initiative=initiative, by=analyst, interest=1
            )
            categorization_set(
                stakeholder=stakeholder,
                initiative=initiative,
                by=analyst,
                expected_version=categorization.version,
                interest=4,
            )
            item = matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Air", by=analyst)
            matrix_item_update(item=item, text="Clean air", by=analyst, expected_version=1)
            contact = contact_add(stakeholder=stakeholder, name="Ana", by=analyst)
            contact_update(contact=contact, email="ana@example.org", by=analyst)

        history = stakeholder_history(stakeholder)

        by_record = {(e["record"], e["action"]): e for e in history}
        assert set(by_record) == {
            ("stakeholder", "created"),
            ("categorization", "created"),
            ("categorization", "changed"),
            ("matrix item", "created"),
            ("matrix item", "changed"),
            ("contact person", "created"),
            ("contact person", "changed"),
        }
        assert history[0]["record"] == "contact person"  # newest first
        assert all(e["who"] == analyst.username for e in history if e["record"] != "stakeholder")

        def changes(record: str) -> list[tuple[str, Any, Any]]:
            entry = by_record[(record, "changed")]
            return [(c["field"], c["old"], c["new"]) for c in entry["changes"]]

        assert changes("categorization") == [("interest", 1, 4)]
        assert changes("matrix item") == [("text", "Air", "Clean air")]
        assert changes("contact person") == [("email", "", "ana@example.org")]

    def test_another_stakeholders_changes_stay_out(self, city):
        mine = StakeholderFactory(city=city, name="Mine")
        theirs = StakeholderFactory(city=city, name="Theirs")
        matrix_item_add(stakeholder=theirs, dimension="aim", text="Theirs", by=None)

        assert [e["label"] for e in stakeholder_history(mine)] == ["Mine"]


# --- summary_rows -------------------------------------------------------------------------


class TestSummaryRows:
    def test_the_columns_are_the_supplements_five(self):
        assert SummaryRow.COLUMNS == (
            "Stakeholder",
            "Scale and sector",
            "Aims and challenges",
            "Potential and constraints",
            "Role and contributions",
        )

    def test_one_row_per_active_stakeholder_in_catalogue_order(self, city):
        StakeholderFactory(city=city, name="Green Lumen")
        StakeholderFactory(city=city, name="City of Lumen", type=stakeholder_type("municipality"))
        stakeholder_archive(stakeholder=StakeholderFactory(city=city, name="Gone"), by=None)

        rows = summary_rows(city=city)

        assert [row.stakeholder.name for row in rows] == ["City of Lumen", "Green Lumen"]

    def test_a_row_shows_scale_sector_matrix_and_roles(self, city, initiative):
        green = StakeholderFactory(city=city, name="Green Lumen", levels=["local"])
        other_initiative = InitiativeFactory(city=city, name="Open data")
        categorization_set(
            stakeholder=green,
            initiative=initiative,
            by=None,
            lfa_roles=["potential_opponent"],
            technology_roles=["ssc_enabler"],
        )
        categorization_set(
            stakeholder=green,
            initiative=other_initiative,
            by=None,
            lfa_roles=["active", "beneficiary"],
            technology_roles=[],
        )
        first_aim = default_of("ngo", "aim", 0)
        matrix_default_edit(stakeholder=green, default=first_aim, text="Our first aim", by=None)
        dismissed = default_of("ngo", "challenge", 0)
        matrix_default_dismiss(stakeholder=green, default=dismissed, by=None)
        matrix_item_add(stakeholder=green, dimension="contribution", text="Repair cafés", by=None)

        [row] = summary_rows(city=city)

        assert row.scale_and_sector == "Local, civil society"
        assert row.aims_and_challenges["aims"][0] == "Our first aim"
        assert first_aim.text not in row.aims_and_challenges["aims"]
        assert dismissed.text not in row.aims_and_challenges["challenges"]
        assert row.aims_and_challenges["challenges"]
        assert set(row.potential_and_constraints) == {"potential", "constraints"}
        assert row.role_and_contributions[-1] == "Repair cafés"
        assert row.lfa_roles == [
            "Active",
            "Beneficiary",
            "Affected: potential opponent",
        ]
        assert row.technology_roles == ["Enabler of the SSC"]

    def test_a_supralocal_public_stakeholder(self, city):
        StakeholderFactory(
            city=city, name="Ministry", type=stakeholder_type("national_regional_government")
        )

        [row] = summary_rows(city=city)

        assert row.scale_and_sector == "Supralocal, public"
        assert row.lfa_roles == [] and row.technology_roles == []

    def test_confidential_stakeholders_stay_out_of_a_viewers_summary(self, city, user_in):
        StakeholderFactory(city=city, name="Open")
        StakeholderFactory(city=city, name="Secret", confidential=True)

        viewer_rows = summary_rows(city=city, user=user_in("viewer"))
        analyst_rows = summary_rows(city=city, user=user_in("analyst"))

        assert [r.stakeholder.name for r in viewer_rows] == ["Open"]
        assert [r.stakeholder.name for r in analyst_rows] == ["Open", "Secret"]


# --- flat query counts --------------------------------------------------------------------


def populate(city: City, initiative: Initiative, count: int) -> None:
    """Add `count` stakeholders of varied types, each with records the lists show."""
    types = list(StakeholderType.objects.filter(kind=TypeKind.GENERIC))
    municipality = StakeholderFactory(
        city=city, name="City of Lumen", type=stakeholder_type("municipality")
    )
    for number in range(count - 1):
        stakeholder = StakeholderFactory(
            city=city,
            name=f"Stakeholder {number:03}",
            type=types[number % len(types)],
            tags=[f"tag{number % 3}"],
            confidential=number % 7 == 0,
        )
        categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)
        matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Own aim", by=None)
        matrix_default_dismiss(
            stakeholder=stakeholder, default=stakeholder.type.matrix.first(), by=None
        )
    StakeholderFactory(
        city=city,
        name="Urban planning",
        type=stakeholder_type("municipal_urban_planning"),
        parent=municipality,
    )


def use_list(city: City, user: User) -> None:
    for stakeholder in stakeholder_list(city=city, user=user, sort="type"):
        _ = (
            stakeholder.type.name,
            stakeholder.parent and stakeholder.parent.name,
            stakeholder.scale,
        )


def use_summary(city: City, user: User) -> None:
    for row in summary_rows(city=city, user=user):
        _ = (row.stakeholder.type.name, row.aims_and_challenges, row.lfa_roles)


def use_completeness(city: City, user: User) -> None:
    completeness_check(city=city, user=user).as_dict()


@pytest.mark.parametrize(
    ("read", "bound"),
    [(use_list, 2), (use_summary, 5), (use_completeness, 3)],
    ids=["stakeholder_list", "summary_rows", "completeness_check"],
)
@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_query_counts_stay_flat_as_the_registry_grows(
    catalogue,
    django_assert_max_num_queries,
    read: Callable[[City, User], None],
    bound: int,
    role: str,
):
    counts = []
    for size in (5, 50):
        city = CityFactory(name=f"City of {size}")
        populate(city, InitiativeFactory(city=city), size)
        user = member(city, role)  # a fresh user, whose roles are not cached yet
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(bound):
            read(city, user)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_history_names_the_user_a_service_acted_for(city, user_in):
    analyst = user_in("analyst")
    stakeholder = StakeholderFactory(city=city, name="Harbour Guild")

    stakeholder_update(
        stakeholder=stakeholder, by=analyst, expected_version=1, name="Harbour Guild Co"
    )

    changed = stakeholder_history(stakeholder)[0]
    assert (changed["action"], changed["who"]) == ("changed", analyst.username)
