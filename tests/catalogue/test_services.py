"""The shipped catalogue and its loader: contents, idempotence, upgrades that spare city edits."""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civitas.catalogue.models import (
    CatalogueRelease,
    DefaultMatrixItem,
    StakeholderType,
    TypeKind,
)
from civitas.catalogue.services import catalogue_load, loaded_version, shipped_catalogue
from civitas.core.errors import ValidationError
from civitas.core.vocabulary import LfaRole, MatrixDimension
from civitas.stakeholders.models import MatrixItem
from civitas.stakeholders.selectors import stakeholder_matrix
from civitas.stakeholders.services import (
    matrix_default_dismiss,
    matrix_default_edit,
    matrix_item_add,
)
from tests.factories import StakeholderFactory, stakeholder_type

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

PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run a block in a transaction that is undone afterwards, so that examples start alike."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def snapshot() -> dict[str, list[Any]]:
    """Return every catalogue row, and the city rows that point at it, in a comparable form."""
    return {
        "types": sorted(
            StakeholderType.objects.values_list(
                "pk",
                "code",
                "kind",
                "parent__code",
                "letter",
                "name",
                "definition",
                "clause",
                "default_levels",
                "default_sector",
                "default_lfa_roles",
                "default_technology_roles",
                "default_power_monetary",
                "default_power_administrative",
                "default_interest",
                "default_attitude",
                "position",
                "catalogue_version",
            )
        ),
        "defaults": sorted(
            DefaultMatrixItem.objects.values_list(
                "pk", "key", "type__code", "dimension", "text", "clause", "position"
            )
        ),
        "releases": sorted(
            CatalogueRelease.objects.values_list("version", "types", "matrix_items")
        ),
        "city_items": sorted(
            MatrixItem.objects.values_list(
                "pk", "stakeholder_id", "text", "replaces_id", "dismissed"
            )
        ),
    }


# --- what ships ---------------------------------------------------------------------------


class TestShippedCatalogue:
    def test_it_has_thirty_entries(self):
        assert StakeholderType.objects.count() == len(shipped_catalogue()["types"]) == 30

    def test_the_twelve_generic_types_have_exactly_these_codes_in_order(self):
        generic = StakeholderType.objects.filter(kind=TypeKind.GENERIC).order_by("position")

        assert list(generic.values_list("code", flat=True)) == GENERIC_CODES
        assert list(generic.values_list("letter", flat=True)) == list("abcdefghijkl")
        assert not generic.filter(parent__isnull=False).exists()

    @pytest.mark.parametrize(
        ("kind", "count", "parent"),
        [
            (TypeKind.MUNICIPAL_UNIT, 10, "municipality"),
            (TypeKind.NATIONAL_UNIT, 8, "national_regional_government"),
        ],
    )
    def test_units_belong_to_their_generic_type(self, kind, count, parent):
        units = StakeholderType.objects.filter(kind=kind)

        assert units.count() == count
        assert set(units.values_list("parent__code", flat=True)) == {parent}

    @pytest.mark.parametrize("code", GENERIC_CODES)
    def test_every_generic_type_is_active_and_has_matrix_items_in_all_five_dimensions(self, code):
        stakeholder_type = StakeholderType.objects.get(code=code)

        assert LfaRole.ACTIVE in stakeholder_type.default_lfa_roles
        dimensions = set(stakeholder_type.matrix.values_list("dimension", flat=True))
        assert dimensions == set(MatrixDimension.values)

    def test_every_entry_is_described_and_cites_a_clause(self):
        for entry in StakeholderType.objects.all():
            assert entry.name and entry.definition and entry.clause, entry.code
            assert entry.default_levels, entry.code
            assert entry.default_sector, entry.code
            assert entry.matrix.exists(), entry.code
            assert 0 <= entry.default_power_monetary <= 5
            assert 0 <= entry.default_power_administrative <= 5
            assert 0 <= entry.default_interest <= 5
            assert -2 <= entry.default_attitude <= 2

    def test_the_loaded_release_is_recorded(self):
        release = CatalogueRelease.objects.get()

        assert release.version == shipped_catalogue()["version"] == loaded_version()
        assert release.types == 30
        assert release.matrix_items == DefaultMatrixItem.objects.count()


# --- loading ------------------------------------------------------------------------------


class TestLoad:
    def test_loading_the_same_catalogue_again_changes_nothing(self):
        before = snapshot()

        result = catalogue_load()

        assert (result.created, result.updated, result.removed_items) == (0, 0, 0)
        assert result.unchanged == 30
        assert not result.skipped
        assert snapshot() == before

    def test_a_newer_version_upgrades_texts_in_place(self, city):
        data = copy.deepcopy(shipped_catalogue())
        data["version"] = 2
        data["types"][5]["definition"] = "A reworded definition."
        data["types"][5]["matrix"][0]["text"] = "A reworded aim."
        ngo = stakeholder_type("ngo")
        stakeholder = StakeholderFactory(city=city, type=ngo)

        result = catalogue_load(data=data)

        assert (result.version, result.updated) == (2, 30)  # every entry records its version
        reloaded = StakeholderType.objects.get(code="ngo")
        assert reloaded.pk == ngo.pk
        assert (reloaded.definition, reloaded.catalogue_version) == ("A reworded definition.", 2)
        assert ("default", "A reworded aim.") in [
            (e.source, e.text) for e in stakeholder_matrix(stakeholder)["aim"]
        ]
        assert loaded_version() == 2

    def test_an_older_version_is_skipped(self):
        newer = copy.deepcopy(shipped_catalogue())
        newer["version"] = 3
        catalogue_load(data=newer)
        before = snapshot()
        older = copy.deepcopy(shipped_catalogue())
        older["version"] = 2
        older["types"][0]["name"] = "Downgraded"

        result = catalogue_load(data=older)

        assert result.skipped
        assert result.version == 3
        assert "older" in result.messages[0]
        assert snapshot() == before

    @pytest.mark.parametrize(
        "spoil",
        [
            pytest.param(lambda data: data["types"][12].update(parent="no_such_type"), id="parent"),
            pytest.param(
                lambda data: data["types"][1]["matrix"].append(dict(data["types"][0]["matrix"][0])),
                id="duplicate-key",
            ),
            pytest.param(lambda data: data["types"][2].update(levels=["galactic"]), id="level"),
            pytest.param(lambda data: data["types"][2].update(sector="space"), id="sector"),
            pytest.param(
                lambda data: data["types"][3]["matrix"][0].update(dimension="wish"), id="dimension"
            ),
        ],
    )
    def test_a_bad_catalogue_is_refused_whole(self, spoil):
        data = copy.deepcopy(shipped_catalogue())
        data["version"] = 2
        data["types"][0]["name"] = "Changed before the bad entry"
        data["types"].append({**copy.deepcopy(data["types"][5]), "code": "new_type", "matrix": []})
        spoil(data)
        before = snapshot()

        with pytest.raises(ValidationError):
            catalogue_load(data=data)

        assert snapshot() == before
        assert loaded_version() == 1


# --- properties: idempotence and upgrades -------------------------------------------------

BASE = shipped_catalogue()
KEYS = [item["key"] for entry in BASE["types"] for item in entry["matrix"]]
TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.-éß", min_size=1, max_size=30).filter(
    str.strip
)


@st.composite
def catalogue_variants(draw: Any) -> dict[str, Any]:
    """Draw a catalogue derived from the shipped one: fewer entries, reordered, reworded."""
    types = copy.deepcopy(BASE["types"])
    order = draw(st.permutations(range(len(types))))
    kept = draw(st.sets(st.sampled_from(order), min_size=1))
    dropped_items = draw(st.sets(st.sampled_from(KEYS), max_size=15))
    reworded_items = draw(st.dictionaries(st.sampled_from(KEYS), TEXT, max_size=8))
    reworded_types = draw(st.dictionaries(st.sampled_from(order), TEXT, max_size=5))
    added = draw(
        st.lists(
            st.tuples(st.sampled_from(order), st.sampled_from(list(MatrixDimension.values)), TEXT),
            max_size=5,
        )
    )
    for index, text in reworded_types.items():
        types[index]["definition"] = text
        types[index]["name"] = f"{types[index]['name']} {text}"[:200]
    for entry in types:
        entry["matrix"] = [
            {**item, "text": reworded_items.get(item["key"], item["text"])}
            for item in entry["matrix"]
            if item["key"] not in dropped_items
        ]
    for number, (index, dimension, text) in enumerate(added):
        types[index]["matrix"].append(
            {"key": f"added-{number}", "dimension": dimension, "text": text, "clause": "§5"}
        )
    return {
        "version": draw(st.integers(min_value=1, max_value=4)),
        "types": [types[index] for index in order if index in kept],
    }


@PROPERTY_SETTINGS
@given(installed=st.sampled_from([1, 3]), variant=catalogue_variants())
def test_loading_any_catalogue_twice_equals_loading_it_once(city, installed, variant):
    with rolled_back():
        stakeholder = StakeholderFactory(city=city, name="Green Lumen")
        matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Our own aim", by=None)
        matrix_default_edit(
            stakeholder=stakeholder, default=stakeholder.type.matrix.first(), text="Ours", by=None
        )
        if installed > 1:
            catalogue_load(data={**BASE, "version": installed})
        before = snapshot()

        first = catalogue_load(data=variant)
        once = snapshot()
        second = catalogue_load(data=variant)
        twice = snapshot()

        assert twice == once
        assert second.skipped == first.skipped == (variant["version"] < installed)
        if first.skipped:
            assert once == before
        else:
            assert (second.created, second.updated, second.removed_items) == (0, 0, 0)
            assert second.unchanged == len(variant["types"])
            assert loaded_version() == variant["version"]


@PROPERTY_SETTINGS
@given(
    bump=st.integers(min_value=1, max_value=3),
    drop_edited=st.booleans(),
    drop_dismissed=st.booleans(),
    new_text_of_edited_default=TEXT,
    new_text_of_inherited_default=TEXT,
)
def test_a_newer_catalogue_upgrades_texts_and_keeps_the_citys_own_edits(
    city,
    bump,
    drop_edited,
    drop_dismissed,
    new_text_of_edited_default,
    new_text_of_inherited_default,
):
    with rolled_back():
        ngo = stakeholder_type("ngo")
        edited, still_edited, inherited, dismissed = ngo.matrix.order_by("pk")[:4]
        stakeholder = StakeholderFactory(city=city, name="Green Lumen", type=ngo)
        own = matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Own aim", by=None)
        edit = matrix_default_edit(
            stakeholder=stakeholder, default=edited, text="Our wording", by=None
        )
        other_edit = matrix_default_edit(
            stakeholder=stakeholder, default=still_edited, text="Our other wording", by=None
        )
        matrix_default_dismiss(stakeholder=stakeholder, default=dismissed, by=None)
        removed = {
            key
            for key, drop in ((edited.key, drop_edited), (dismissed.key, drop_dismissed))
            if drop
        }
        reworded = {
            still_edited.key: new_text_of_edited_default,
            inherited.key: new_text_of_inherited_default,
        }
        data = copy.deepcopy(BASE)
        data["version"] = BASE["version"] + bump
        for entry in data["types"]:
            entry["matrix"] = [
                {**item, "text": reworded.get(item["key"], item["text"])}
                for item in entry["matrix"]
                if item["key"] not in removed
            ]

        result = catalogue_load(data=data)

        assert not result.skipped
        assert result.removed_items == len(removed)
        assert StakeholderType.objects.get(code="ngo").pk == ngo.pk
        assert MatrixItem.objects.get(pk=own.pk).text == "Own aim"
        assert MatrixItem.objects.get(pk=other_edit.pk).text == "Our other wording"
        assert DefaultMatrixItem.objects.get(key=still_edited.key).text == (
            new_text_of_edited_default
        )
        kept_edit = MatrixItem.objects.get(pk=edit.pk)
        assert kept_edit.text == "Our wording"
        assert (kept_edit.replaces_id is None) is drop_edited
        dismissals = MatrixItem.objects.filter(stakeholder=stakeholder, dismissed=True)
        assert dismissals.count() == (0 if drop_dismissed else 1)

        matrix = {
            (entry.source, entry.text)
            for entries in stakeholder_matrix(stakeholder).values()
            for entry in entries
        }
        assert ("city", "Own aim") in matrix
        assert ("city" if drop_edited else "edited", "Our wording") in matrix
        assert ("edited", "Our other wording") in matrix
        assert ("default", new_text_of_inherited_default) in matrix
        assert dismissed.text not in {text for _, text in matrix}
