"""Registry, categorization and analysis-matrix services: what they write, what they refuse."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from civitas.accounts.models import User
from civitas.accounts.services import membership_set
from civitas.catalogue.models import DefaultMatrixItem, StakeholderType, TypeKind
from civitas.cities.models import City
from civitas.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    error_messages,
)
from civitas.core.vocabulary import MatrixDimension
from civitas.stakeholders.models import (
    Categorization,
    ContactPerson,
    MatrixItem,
    Stakeholder,
    StakeholderKind,
)
from civitas.stakeholders.selectors import dismissed_defaults, stakeholder_list, stakeholder_matrix
from civitas.stakeholders.services import (
    categorization_defaults,
    categorization_delete,
    categorization_set,
    city_seed_from_catalogue,
    contact_add,
    contact_remove,
    contact_update,
    matrix_default_dismiss,
    matrix_default_edit,
    matrix_default_restore,
    matrix_item_add,
    matrix_item_remove,
    matrix_item_update,
    stakeholder_archive,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_has_records,
    stakeholder_merge,
    stakeholder_update,
)
from tests.factories import (
    CityFactory,
    InitiativeFactory,
    StakeholderFactory,
    UserFactory,
    member,
    stakeholder_type,
)

pytestmark = pytest.mark.django_db


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    """Return a refused call's errors as the API reports them, {field: [messages]}."""
    return error_messages(excinfo.value)


def default_of(
    code: str, dimension: str = MatrixDimension.AIM, index: int = 0
) -> DefaultMatrixItem:
    """Return a catalogue default matrix item of a type."""
    return list(
        DefaultMatrixItem.objects.filter(type__code=code, dimension=dimension).order_by("position")
    )[index]


def entries(stakeholder: Stakeholder, dimension: str) -> list[tuple[str, str]]:
    """Return a dimension of a stakeholder's matrix as (source, text) pairs."""
    return [(e.source, e.text) for e in stakeholder_matrix(stakeholder)[dimension]]


def registry_state() -> list[tuple[Any, ...]]:
    """Return every row the registry services write, to show that a refused call wrote none."""
    return [
        *Stakeholder.objects.order_by("pk").values_list(
            "pk", "version", "name", "description", "parent_id", "archived_at", "tags"
        ),
        *ContactPerson.objects.order_by("pk").values_list("pk", "stakeholder_id", "name"),
        *Categorization.objects.order_by("pk").values_list(
            "pk", "stakeholder_id", "version", "interest", "lfa_roles"
        ),
        *MatrixItem.objects.order_by("pk").values_list(
            "pk", "stakeholder_id", "version", "text", "dismissed", "replaces_id"
        ),
    ]


@pytest.fixture
def municipality(city: City) -> Stakeholder:
    return StakeholderFactory(
        city=city, name="City of Lumen", type=stakeholder_type("municipality")
    )


# --- stakeholder_create -------------------------------------------------------------------


class TestStakeholderCreate:
    def test_a_generic_type_gives_an_organization_with_its_levels_and_sector(self, city):
        ngo = stakeholder_type("ngo")

        created = stakeholder_create(city=city, name="  Green Lumen  ", type=ngo, by=None)

        stored = Stakeholder.objects.get(pk=created.pk)
        assert stored.name == "Green Lumen"
        assert stored.kind == StakeholderKind.ORGANIZATION
        assert stored.levels == ngo.default_levels == ["local", "national", "international"]
        assert stored.sector == ngo.default_sector == "civil_society"
        assert stored.version == 1
        assert not stored.is_placeholder
        assert stored.archived_at is None

    def test_a_unit_type_gives_a_unit_with_its_levels_and_sector(self, city, municipality):
        planning = stakeholder_type("municipal_urban_planning")

        unit = stakeholder_create(
            city=city, name="Urban planning", type=planning, parent=municipality, by=None
        )

        assert unit.kind == StakeholderKind.UNIT
        assert unit.parent == municipality
        assert (unit.levels, unit.sector) == (["local"], "public")

    def test_given_values_win_over_the_type_defaults(self, city):
        created = stakeholder_create(
            city=city,
            name="Neighbours of the Old Harbour",
            type=stakeholder_type("ngo"),
            by=None,
            kind=StakeholderKind.GROUP,
            levels=["local"],
            sector="citizens",
        )

        stored = Stakeholder.objects.get(pk=created.pk)
        assert (stored.kind, stored.levels, stored.sector) == ("group", ["local"], "citizens")

    def test_tags_and_code_lists_are_normalized(self, city):
        created = stakeholder_create(
            city=city,
            name="Green Lumen",
            type=stakeholder_type("ngo"),
            by=None,
            tags=" Energy, energy; Youth ",
            identified_as=["affected", " affected", "interested"],
        )

        stored = Stakeholder.objects.get(pk=created.pk)
        assert stored.tags == ["energy", "youth"]
        assert stored.identified_as == ["affected", "interested"]

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"name": "   "}, "name"),
            ({"levels": ["local", "galactic"]}, "levels"),
            ({"sector": "space"}, "sector"),
            ({"kind": "robot"}, "kind"),
            ({"identified_as": ["curious"]}, "identified_as"),
            ({"validation_steps": ["astrology"]}, "validation_steps"),
            ({"website": "not a web address"}, "website"),
            ({"tags": ["energy", "solar|wind"]}, "tags"),
        ],
    )
    def test_a_bad_value_is_refused_naming_its_field_and_nothing_is_written(
        self, city, values, field
    ):
        before = registry_state()

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_create(
                city=city, type=stakeholder_type("ngo"), by=None, **{"name": "Green", **values}
            )

        assert list(errors_of(excinfo)) == [field]
        assert registry_state() == before

    def test_a_name_taken_in_the_city_is_refused_whatever_its_case(self, city):
        StakeholderFactory(city=city, name="Green Lumen")

        with pytest.raises(ValidationError) as excinfo:
            StakeholderFactory(city=city, name="GREEN lumen")

        assert "name" in errors_of(excinfo)
        assert Stakeholder.objects.filter(city=city).count() == 1

    def test_the_same_name_is_fine_in_another_city(self, city):
        StakeholderFactory(city=city, name="Green Lumen")
        elsewhere = CityFactory(name="Elsewhere")

        StakeholderFactory(city=elsewhere, name="Green Lumen")

        assert Stakeholder.objects.filter(name="Green Lumen").count() == 2

    def test_a_parent_in_another_city_is_refused(self, city):
        foreign_municipality = StakeholderFactory(
            city=CityFactory(name="Elsewhere"), type=stakeholder_type("municipality")
        )

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_create(
                city=city,
                name="Urban planning",
                type=stakeholder_type("municipal_urban_planning"),
                parent=foreign_municipality,
                by=None,
            )

        assert "parent" in errors_of(excinfo)
        assert not Stakeholder.objects.filter(city=city).exists()

    @pytest.mark.parametrize(
        ("unit_code", "parent_code"),
        [
            ("municipal_urban_planning", "ngo"),
            ("municipal_urban_planning", "national_regional_government"),
            ("national_health", "municipality"),
        ],
    )
    def test_a_unit_under_a_parent_of_the_wrong_type_is_refused(self, city, unit_code, parent_code):
        parent = StakeholderFactory(city=city, name="Parent", type=stakeholder_type(parent_code))

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_create(
                city=city, name="Unit", type=stakeholder_type(unit_code), parent=parent, by=None
            )

        assert "parent" in errors_of(excinfo)
        assert not Stakeholder.objects.filter(name="Unit").exists()

    def test_a_unit_may_sit_under_a_unit_of_its_own_type(self, city, municipality):
        planning = stakeholder_type("municipal_urban_planning")
        department = StakeholderFactory(
            city=city, name="Planning", type=planning, parent=municipality
        )

        office = StakeholderFactory(
            city=city, name="Mobility office", type=planning, parent=department
        )

        assert office.parent == department


# --- stakeholder_update -------------------------------------------------------------------


class TestStakeholderUpdate:
    def test_changes_are_saved_and_the_version_moves_on(self, city):
        stakeholder = StakeholderFactory(city=city, name="Green Lumen")

        stakeholder_update(
            stakeholder=stakeholder,
            by=None,
            expected_version=1,
            description="  Runs repair cafés  ",
            sector="citizens",
            levels=["local"],
            confidential=True,
        )

        stored = Stakeholder.objects.get(pk=stakeholder.pk)
        assert stored.description == "Runs repair cafés"
        assert (stored.sector, stored.levels, stored.confidential) == ("citizens", ["local"], True)
        assert stored.version == stakeholder.version == 2

    def test_tags_are_normalized(self, city):
        stakeholder = StakeholderFactory(city=city)

        stakeholder_update(
            stakeholder=stakeholder,
            by=None,
            expected_version=1,
            tags=["Energy ", "energy", "YOUTH"],
        )

        assert Stakeholder.objects.get(pk=stakeholder.pk).tags == ["energy", "youth"]

    def test_renaming_a_placeholder_makes_it_a_real_stakeholder(self, city):
        placeholder = StakeholderFactory(city=city, name="NGOs", is_placeholder=True)

        stakeholder_update(stakeholder=placeholder, by=None, expected_version=1, name="Green Lumen")

        assert not Stakeholder.objects.get(pk=placeholder.pk).is_placeholder

    def test_other_changes_leave_a_placeholder_a_placeholder(self, city):
        placeholder = StakeholderFactory(city=city, name="NGOs", is_placeholder=True)

        stakeholder_update(
            stakeholder=placeholder, by=None, expected_version=1, name="NGOs", description="Any"
        )

        assert Stakeholder.objects.get(pk=placeholder.pk).is_placeholder

    def test_a_save_from_a_stale_copy_is_refused_and_the_first_save_stays(self, city):
        StakeholderFactory(city=city, name="Green Lumen")
        first_copy = Stakeholder.objects.get(name="Green Lumen")
        second_copy = Stakeholder.objects.get(name="Green Lumen")
        stakeholder_update(
            stakeholder=first_copy, by=None, expected_version=1, description="Runs repair cafés"
        )

        with pytest.raises(ConflictError, match="Someone else changed"):
            stakeholder_update(
                stakeholder=second_copy, by=None, expected_version=1, name="Lumen Greens"
            )

        stored = Stakeholder.objects.get(pk=first_copy.pk)
        assert (stored.name, stored.description, stored.version) == (
            "Green Lumen",
            "Runs repair cafés",
            2,
        )

    def test_the_current_version_is_accepted_again_and_again(self, city):
        stakeholder = StakeholderFactory(city=city)

        for version in (1, 2, 3):
            stakeholder_update(
                stakeholder=stakeholder, by=None, expected_version=version, description=str(version)
            )

        assert Stakeholder.objects.get(pk=stakeholder.pk).version == 4

    def test_a_field_that_may_not_change_is_refused(self, city):
        stakeholder = StakeholderFactory(city=city)
        elsewhere = CityFactory(name="Elsewhere")

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_update(stakeholder=stakeholder, by=None, expected_version=1, city=elsewhere)

        assert list(errors_of(excinfo)) == ["city"]
        assert Stakeholder.objects.get(pk=stakeholder.pk).city == city

    def test_a_bad_value_writes_nothing_and_keeps_the_version(self, city):
        stakeholder = StakeholderFactory(city=city, name="Green Lumen")
        before = registry_state()

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_update(
                stakeholder=stakeholder, by=None, expected_version=1, name="", sector="space"
            )

        assert set(errors_of(excinfo)) == {"name", "sector"}
        assert registry_state() == before

    def test_renaming_to_a_name_taken_in_the_city_is_refused(self, city):
        StakeholderFactory(city=city, name="Green Lumen")
        other = StakeholderFactory(city=city, name="Repair Café")

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_update(stakeholder=other, by=None, expected_version=1, name="green lumen")

        assert "name" in errors_of(excinfo)

    def test_a_stakeholder_cannot_be_its_own_parent(self, city):
        stakeholder = StakeholderFactory(city=city)

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_update(
                stakeholder=stakeholder, by=None, expected_version=1, parent=stakeholder
            )

        assert "parent" in errors_of(excinfo)
        assert Stakeholder.objects.get(pk=stakeholder.pk).parent_id is None

    @pytest.mark.parametrize("depth", [1, 3])
    def test_a_parent_below_the_stakeholder_would_make_a_cycle_and_is_refused(self, city, depth):
        top = StakeholderFactory(city=city, name="Top")
        below = top
        for level in range(depth):
            below = StakeholderFactory(city=city, name=f"Below {level}", parent=below)

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_update(stakeholder=top, by=None, expected_version=1, parent=below)

        assert "parent" in errors_of(excinfo)
        assert Stakeholder.objects.get(pk=top.pk).parent_id is None


# --- archive, delete ----------------------------------------------------------------------


class TestStakeholderArchive:
    def test_an_archived_stakeholder_leaves_the_list_and_comes_back(self, city):
        stakeholder = StakeholderFactory(city=city, name="Green Lumen")

        stakeholder_archive(stakeholder=stakeholder, by=None)

        assert Stakeholder.objects.get(pk=stakeholder.pk).archived_at is not None
        assert list(stakeholder_list(city=city, user=None)) == []
        assert list(stakeholder_list(city=city, user=None, archived=True)) == [stakeholder]

        stakeholder_archive(stakeholder=stakeholder, by=None, archived=False)

        assert Stakeholder.objects.get(pk=stakeholder.pk).archived_at is None
        assert list(stakeholder_list(city=city, user=None)) == [stakeholder]

    def test_archiving_moves_the_version_on_so_that_an_open_edit_is_refused(self, city):
        stakeholder = StakeholderFactory(city=city)
        open_in_a_form = Stakeholder.objects.get(pk=stakeholder.pk)

        stakeholder_archive(stakeholder=stakeholder, by=None)

        with pytest.raises(ConflictError):
            stakeholder_update(
                stakeholder=open_in_a_form, by=None, expected_version=1, description="Late edit"
            )

    def test_a_stakeholder_with_active_units_cannot_be_archived(self, city, municipality):
        unit = StakeholderFactory(
            city=city,
            name="Urban planning",
            type=stakeholder_type("municipal_urban_planning"),
            parent=municipality,
        )

        with pytest.raises(ValidationError, match="units"):
            stakeholder_archive(stakeholder=municipality, by=None)
        assert Stakeholder.objects.get(pk=municipality.pk).archived_at is None

        stakeholder_archive(stakeholder=unit, by=None)
        stakeholder_archive(stakeholder=municipality, by=None)

        assert Stakeholder.objects.get(pk=municipality.pk).archived_at is not None


class TestStakeholderDelete:
    def test_a_stakeholder_without_records_is_deleted(self, city):
        stakeholder = StakeholderFactory(city=city)
        contact_add(stakeholder=stakeholder, name="Ana", by=None)

        assert not stakeholder_has_records(stakeholder)
        stakeholder_delete(stakeholder=stakeholder, by=None)

        assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()

    @pytest.mark.parametrize(
        "make_record",
        [
            pytest.param(
                lambda s: categorization_set(
                    stakeholder=s, initiative=InitiativeFactory(city=s.city), by=None
                ),
                id="categorization",
            ),
            pytest.param(
                lambda s: matrix_item_add(stakeholder=s, dimension="aim", text="Aim", by=None),
                id="own-matrix-item",
            ),
            pytest.param(
                lambda s: matrix_default_dismiss(stakeholder=s, default=default_of("ngo"), by=None),
                id="dismissed-default",
            ),
            pytest.param(
                lambda s: stakeholder_update(
                    stakeholder=s, by=None, expected_version=1, description="Edited once"
                ),
                id="edit-history",
            ),
            pytest.param(
                lambda s: StakeholderFactory(city=s.city, name="Unit", parent=s), id="unit"
            ),
            pytest.param(
                lambda s: membership_set(
                    city=s.city, user=UserFactory(), role="contributor", stakeholder=s, by=None
                ),
                id="member-account",
            ),
        ],
    )
    def test_a_stakeholder_with_records_must_be_archived_instead(self, city, make_record):
        stakeholder = StakeholderFactory(city=city, name="Green Lumen")
        make_record(stakeholder)

        assert stakeholder_has_records(stakeholder)
        with pytest.raises(ValidationError, match="Archive it instead"):
            stakeholder_delete(stakeholder=stakeholder, by=None)

        assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


# --- stakeholder_merge --------------------------------------------------------------------


class TestStakeholderMerge:
    @pytest.fixture
    def pair(self, city: City) -> SimpleNamespace:
        """Two NGOs that turn out to be one, each with its own records."""
        source = StakeholderFactory(
            city=city, name="Green Lumen Assoc.", tags=["energy", "youth"], levels=["local"]
        )
        target = StakeholderFactory(
            city=city, name="Green Lumen", tags=["repair"], levels=["national"]
        )
        shared_initiative = InitiativeFactory(city=city, name="Smart lighting")
        source_only_initiative = InitiativeFactory(city=city, name="Open data")
        return SimpleNamespace(
            source=source,
            target=target,
            shared=shared_initiative,
            source_only=source_only_initiative,
        )

    def test_categorizations_move_and_the_target_keeps_its_own_on_collision(self, pair):
        categorization_set(stakeholder=pair.source, initiative=pair.shared, by=None, interest=1)
        categorization_set(stakeholder=pair.target, initiative=pair.shared, by=None, interest=4)
        moved = categorization_set(
            stakeholder=pair.source, initiative=pair.source_only, by=None, interest=2
        )

        stakeholder_merge(source=pair.source, target=pair.target, by=None)

        kept = {
            c.initiative_id: c.interest
            for c in Categorization.objects.filter(stakeholder=pair.target)
        }
        assert kept == {pair.shared.pk: 4, pair.source_only.pk: 2}
        assert Categorization.objects.get(pk=moved.pk).stakeholder_id == pair.target.pk

    def test_matrix_items_move_and_the_target_keeps_its_own_edit_on_collision(self, pair):
        both_edit = default_of("ngo", "aim", 0)
        source_edits = default_of("ngo", "aim", 1)
        matrix_default_edit(
            stakeholder=pair.source, default=both_edit, text="Source wording", by=None
        )
        matrix_default_edit(
            stakeholder=pair.target, default=both_edit, text="Target wording", by=None
        )
        matrix_default_edit(
            stakeholder=pair.source, default=source_edits, text="Only the source's", by=None
        )
        matrix_item_add(stakeholder=pair.source, dimension="aim", text="Cleaner rivers", by=None)

        stakeholder_merge(source=pair.source, target=pair.target, by=None)

        aims = entries(pair.target, "aim")
        assert ("edited", "Target wording") in aims
        assert ("edited", "Only the source's") in aims
        assert ("city", "Cleaner rivers") in aims
        assert ("edited", "Source wording") not in aims

    def test_an_edit_of_a_default_of_another_type_becomes_the_targets_own_item(self, city, pair):
        academy = StakeholderFactory(
            city=city, name="Lumen University", type=stakeholder_type("academia_research")
        )
        university_aim = default_of("academia_research", "aim")
        matrix_default_edit(stakeholder=academy, default=university_aim, text="Study SSCs", by=None)
        matrix_default_dismiss(
            stakeholder=academy, default=default_of("academia_research", "challenge"), by=None
        )

        stakeholder_merge(source=academy, target=pair.target, by=None)

        assert ("city", "Study SSCs") in entries(pair.target, "aim")
        assert not pair.target.matrix_items.filter(
            replaces__type__code="academia_research"
        ).exists()

    def test_contacts_units_and_member_accounts_move_to_the_target(self, city, pair):
        contact = contact_add(stakeholder=pair.source, name="Ana Lima", by=None)
        unit = StakeholderFactory(city=city, name="Youth branch", parent=pair.source)
        contributor = UserFactory()
        membership_set(
            city=city, user=contributor, role="contributor", stakeholder=pair.source, by=None
        )

        stakeholder_merge(source=pair.source, target=pair.target, by=None)

        assert ContactPerson.objects.get(pk=contact.pk).stakeholder_id == pair.target.pk
        assert Stakeholder.objects.get(pk=unit.pk).parent_id == pair.target.pk
        assert contributor.memberships.get(city=city).stakeholder_id == pair.target.pk

    def test_the_source_is_archived_and_the_target_gains_its_tags_and_levels(self, pair):
        stakeholder_merge(source=pair.source, target=pair.target, by=None)

        source = Stakeholder.objects.get(pk=pair.source.pk)
        target = Stakeholder.objects.get(pk=pair.target.pk)
        assert source.archived_at is not None
        assert "Merged into “Green Lumen”" in source.description
        assert target.archived_at is None
        assert sorted(target.tags) == ["energy", "repair", "youth"]
        assert sorted(target.levels) == ["local", "national"]

    def test_merging_a_stakeholder_into_itself_is_refused(self, pair):
        with pytest.raises(ValidationError) as excinfo:
            stakeholder_merge(source=pair.target, target=pair.target, by=None)

        assert "target" in errors_of(excinfo)

    def test_stakeholders_of_different_cities_cannot_be_merged(self, pair):
        foreign = StakeholderFactory(city=CityFactory(name="Elsewhere"), name="Green Lumen")
        before = registry_state()

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_merge(source=pair.source, target=foreign, by=None)

        assert "target" in errors_of(excinfo)
        assert registry_state() == before

    def test_an_archived_target_is_refused(self, pair):
        stakeholder_archive(stakeholder=pair.target, by=None)

        with pytest.raises(ValidationError) as excinfo:
            stakeholder_merge(source=pair.source, target=pair.target, by=None)

        assert "target" in errors_of(excinfo)
        assert Stakeholder.objects.get(pk=pair.source.pk).archived_at is None


# --- city_seed_from_catalogue -------------------------------------------------------------


def generic_type_ids() -> set[int]:
    return set(StakeholderType.objects.filter(kind=TypeKind.GENERIC).values_list("pk", flat=True))


class TestSeedFromCatalogue:
    def test_a_new_city_gets_one_placeholder_per_generic_type(self, city):
        created = city_seed_from_catalogue(city=city, by=None)

        assert len(created) == 12
        assert {s.type_id for s in created} == generic_type_ids()
        assert all(s.is_placeholder and s.name == s.type.name for s in created)
        assert all(s.parent_id is None for s in created)
        assert Stakeholder.objects.filter(city=city).count() == 12

    def test_with_units_each_unit_sits_under_the_placeholder_of_its_parent_type(self, city):
        created = city_seed_from_catalogue(city=city, by=None, include_units=True)

        assert len(created) == 30
        by_type = {s.type.code: s for s in created}
        units = [s for s in created if s.type.kind != TypeKind.GENERIC]
        assert len(units) == 18
        for unit in units:
            assert unit.kind == StakeholderKind.UNIT
            assert unit.parent == by_type[unit.type.parent.code]
        assert {u.parent.type.code for u in units} == {
            "municipality",
            "national_regional_government",
        }

    @pytest.mark.parametrize("include_units", [False, True])
    def test_a_second_run_creates_nothing(self, city, include_units):
        city_seed_from_catalogue(city=city, by=None, include_units=include_units)
        before = registry_state()

        again = city_seed_from_catalogue(city=city, by=None, include_units=include_units)

        assert again == []
        assert registry_state() == before

    def test_types_the_city_already_has_are_skipped_and_units_join_its_stakeholder(
        self, city, municipality
    ):
        created = city_seed_from_catalogue(city=city, by=None, include_units=True)

        assert len(created) == 29
        assert "municipality" not in {s.type.code for s in created}
        municipal_units = [s for s in created if s.type.kind == TypeKind.MUNICIPAL_UNIT]
        assert len(municipal_units) == 10
        assert {u.parent_id for u in municipal_units} == {municipality.pk}

    def test_units_can_be_added_after_the_generic_types(self, city):
        city_seed_from_catalogue(city=city, by=None)

        created = city_seed_from_catalogue(city=city, by=None, include_units=True)

        assert len(created) == 18
        assert Stakeholder.objects.filter(city=city).count() == 30

    def test_a_taken_name_gets_a_number(self, city):
        citizens = stakeholder_type("citizens")
        StakeholderFactory(city=city, name=citizens.name.upper(), type=stakeholder_type("ngo"))

        created = city_seed_from_catalogue(city=city, by=None)

        placeholder = next(s for s in created if s.type_id == citizens.pk)
        assert placeholder.name == f"{citizens.name} (2)"

    def test_an_archived_stakeholder_does_not_count_as_present(self, city):
        first_run = city_seed_from_catalogue(city=city, by=None)
        ngo_placeholder = next(s for s in first_run if s.type.code == "ngo")
        stakeholder_archive(stakeholder=ngo_placeholder, by=None)

        created = city_seed_from_catalogue(city=city, by=None)

        assert [s.type.code for s in created] == ["ngo"]


# --- contacts -----------------------------------------------------------------------------


class TestContacts:
    def test_a_contact_is_added_changed_and_removed(self, city):
        stakeholder = StakeholderFactory(city=city)

        contact = contact_add(
            stakeholder=stakeholder,
            by=None,
            name=" Ana Lima ",
            role="Chair",
            email=" ana@example.org ",
            phone="+351 210 000 000",
        )
        stored = ContactPerson.objects.get(pk=contact.pk)
        assert (stored.name, stored.email, stored.stakeholder_id) == (
            "Ana Lima",
            "ana@example.org",
            stakeholder.pk,
        )

        contact_update(contact=contact, by=None, role="Treasurer", email="ana.lima@example.org")
        stored = ContactPerson.objects.get(pk=contact.pk)
        assert (stored.role, stored.email) == ("Treasurer", "ana.lima@example.org")

        contact_remove(contact=contact, by=None)
        assert not ContactPerson.objects.filter(pk=contact.pk).exists()

    @pytest.mark.parametrize(
        ("values", "field"), [({"name": " "}, "name"), ({"email": "ana at example"}, "email")]
    )
    def test_a_bad_contact_is_refused_naming_the_field(self, city, values, field):
        stakeholder = StakeholderFactory(city=city)

        with pytest.raises(ValidationError) as excinfo:
            contact_add(stakeholder=stakeholder, by=None, **{"name": "Ana", **values})

        assert field in errors_of(excinfo)
        assert not ContactPerson.objects.exists()

    def test_an_update_of_an_unknown_or_bad_field_writes_nothing(self, city):
        contact = contact_add(stakeholder=StakeholderFactory(city=city), by=None, name="Ana")

        with pytest.raises(ValidationError) as excinfo:
            contact_update(contact=contact, by=None, stakeholder="other")
        assert "stakeholder" in errors_of(excinfo)

        with pytest.raises(ValidationError) as excinfo:
            contact_update(contact=contact, by=None, name="Ana Lima", email="nope")
        assert "email" in errors_of(excinfo)
        assert ContactPerson.objects.get(pk=contact.pk).name == "Ana"


# --- categorization_set -------------------------------------------------------------------


@pytest.fixture
def initiative(city: City) -> Any:
    return InitiativeFactory(city=city, name="Smart street lighting")


class TestCategorization:
    def test_a_new_categorization_starts_from_the_type_defaults(self, city, initiative):
        utility = StakeholderFactory(city=city, type=stakeholder_type("utility_provider"))

        categorization = categorization_set(stakeholder=utility, initiative=initiative, by=None)

        stored = Categorization.objects.get(pk=categorization.pk)
        defaults = categorization_defaults(utility.type)
        assert "active" in stored.lfa_roles
        assert stored.lfa_roles == defaults["lfa_roles"] == utility.type.default_lfa_roles
        assert stored.technology_roles == utility.type.default_technology_roles
        assert (stored.power_monetary, stored.power_administrative) == (
            utility.type.default_power_monetary,
            utility.type.default_power_administrative,
        )
        assert (stored.interest, stored.attitude) == (
            utility.type.default_interest,
            utility.type.default_attitude,
        )
        assert stored.version == 1

    def test_given_values_win_over_the_defaults(self, city, initiative):
        stakeholder = StakeholderFactory(city=city)

        categorization = categorization_set(
            stakeholder=stakeholder,
            initiative=initiative,
            by=None,
            lfa_roles=["potential_opponent", "potential_opponent"],
            interest=5,
            attitude=-2,
            rationale="Fears higher fees.",
        )

        stored = Categorization.objects.get(pk=categorization.pk)
        assert stored.lfa_roles == ["potential_opponent"]
        assert (stored.interest, stored.attitude, stored.rationale) == (5, -2, "Fears higher fees.")

    def test_an_update_changes_only_the_given_values_and_moves_the_version_on(
        self, city, initiative
    ):
        stakeholder = StakeholderFactory(city=city)
        first = categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)

        second = categorization_set(
            stakeholder=stakeholder,
            initiative=initiative,
            by=None,
            expected_version=1,
            power_monetary=4,
        )

        assert second.pk == first.pk
        stored = Categorization.objects.get(pk=first.pk)
        assert (stored.power_monetary, stored.version) == (4, 2)
        assert stored.interest == first.interest
        assert Categorization.objects.count() == 1

    def test_an_update_from_a_stale_copy_is_refused(self, city, initiative):
        stakeholder = StakeholderFactory(city=city)
        categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)
        categorization_set(
            stakeholder=stakeholder, initiative=initiative, by=None, expected_version=1, interest=5
        )

        with pytest.raises(ConflictError):
            categorization_set(
                stakeholder=stakeholder,
                initiative=initiative,
                by=None,
                expected_version=1,
                interest=0,
            )

        assert Categorization.objects.get().interest == 5

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"power_monetary": 6}, "power_monetary"),
            ({"power_monetary": -1}, "power_monetary"),
            ({"power_administrative": 9}, "power_administrative"),
            ({"interest": 6}, "interest"),
            ({"attitude": 3}, "attitude"),
            ({"attitude": -3}, "attitude"),
            ({"interest": "a lot"}, "interest"),
            ({"lfa_roles": ["active", "king"]}, "lfa_roles"),
            ({"technology_roles": ["magician"]}, "technology_roles"),
            ({"mood": "cheerful"}, "mood"),
        ],
    )
    def test_a_bad_value_is_refused_naming_its_field(self, city, initiative, values, field):
        stakeholder = StakeholderFactory(city=city)

        with pytest.raises(ValidationError) as excinfo:
            categorization_set(stakeholder=stakeholder, initiative=initiative, by=None, **values)

        assert list(errors_of(excinfo)) == [field]
        assert not Categorization.objects.exists()

    def test_a_bad_value_in_an_update_keeps_the_stored_one(self, city, initiative):
        stakeholder = StakeholderFactory(city=city)
        categorization_set(stakeholder=stakeholder, initiative=initiative, by=None, interest=2)

        with pytest.raises(ValidationError):
            categorization_set(
                stakeholder=stakeholder, initiative=initiative, by=None, interest=2, attitude=7
            )

        stored = Categorization.objects.get()
        assert (stored.attitude, stored.version) == (stakeholder.type.default_attitude, 1)

    def test_an_initiative_of_another_city_is_refused(self, city):
        stakeholder = StakeholderFactory(city=city)
        foreign = InitiativeFactory(city=CityFactory(name="Elsewhere"))

        with pytest.raises(ValidationError) as excinfo:
            categorization_set(stakeholder=stakeholder, initiative=foreign, by=None)

        assert "initiative" in errors_of(excinfo)
        assert not Categorization.objects.exists()

    def test_a_categorization_is_removed(self, city, initiative):
        categorization = categorization_set(
            stakeholder=StakeholderFactory(city=city), initiative=initiative, by=None
        )

        categorization_delete(categorization=categorization, by=None)

        assert not Categorization.objects.exists()


# --- analysis matrix ----------------------------------------------------------------------


class TestOwnMatrixItems:
    def test_an_own_item_is_added_and_shown_as_the_citys(self, city):
        stakeholder = StakeholderFactory(city=city)
        defaults = len(entries(stakeholder, "aim"))

        first = matrix_item_add(
            stakeholder=stakeholder, dimension="aim", text=" Clean air ", by=None
        )
        second = matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Quiet", by=None)

        aims = entries(stakeholder, "aim")
        assert len(aims) == defaults + 2
        assert aims[-2:] == [("city", "Clean air"), ("city", "Quiet")]
        assert first.position < second.position

    def test_an_own_item_is_changed_with_its_version_and_removed(self, city):
        stakeholder = StakeholderFactory(city=city)
        item = matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Clean air", by=None)

        matrix_item_update(item=item, text="Cleaner air", by=None, expected_version=1)
        assert ("city", "Cleaner air") in entries(stakeholder, "aim")

        stale = MatrixItem.objects.get(pk=item.pk)
        stale.version = 1
        with pytest.raises(ConflictError):
            matrix_item_update(item=stale, text="Clean air again", by=None, expected_version=1)
        assert MatrixItem.objects.get(pk=item.pk).text == "Cleaner air"

        matrix_item_remove(item=item, by=None)
        assert ("city", "Cleaner air") not in entries(stakeholder, "aim")

    @pytest.mark.parametrize(
        ("dimension", "text", "field"),
        [
            ("aim", "   ", "text"),
            ("wish", "Clean air", "dimension"),
            ("", "Clean air", "dimension"),
        ],
    )
    def test_a_bad_item_is_refused_naming_its_field(self, city, dimension, text, field):
        stakeholder = StakeholderFactory(city=city)

        with pytest.raises(ValidationError) as excinfo:
            matrix_item_add(stakeholder=stakeholder, dimension=dimension, text=text, by=None)

        assert field in errors_of(excinfo)
        assert not MatrixItem.objects.exists()

    def test_an_item_cannot_be_emptied(self, city):
        item = matrix_item_add(
            stakeholder=StakeholderFactory(city=city), dimension="aim", text="Clean air", by=None
        )

        with pytest.raises(ValidationError) as excinfo:
            matrix_item_update(item=item, text=" ", by=None, expected_version=1)

        assert "text" in errors_of(excinfo)
        assert MatrixItem.objects.get(pk=item.pk).text == "Clean air"


class TestCatalogueDefaults:
    def test_defaults_are_inherited_not_copied(self, city):
        stakeholder = StakeholderFactory(city=city)

        aims = entries(stakeholder, "aim")

        assert aims
        assert {source for source, _ in aims} == {"default"}
        assert not MatrixItem.objects.exists()

    def test_editing_a_default_shows_the_citys_wording_as_edited(self, city):
        stakeholder = StakeholderFactory(city=city)
        default = default_of("ngo")
        count = len(entries(stakeholder, "aim"))

        matrix_default_edit(stakeholder=stakeholder, default=default, text="Our wording", by=None)
        matrix_default_edit(
            stakeholder=stakeholder, default=default, text="Better wording", by=None
        )

        aims = stakeholder_matrix(stakeholder)["aim"]
        assert len(aims) == count
        edited = [e for e in aims if e.default == default]
        assert [(e.source, e.text, e.clause) for e in edited] == [
            ("edited", "Better wording", default.clause)
        ]
        assert MatrixItem.objects.filter(stakeholder=stakeholder).count() == 1
        assert default.text not in [e.text for e in aims]

    def test_an_edit_applies_to_that_stakeholder_only(self, city):
        edited, untouched = StakeholderFactory(city=city), StakeholderFactory(city=city)
        default = default_of("ngo")

        matrix_default_edit(stakeholder=edited, default=default, text="Our wording", by=None)

        assert ("default", default.text) in entries(untouched, "aim")

    def test_dismissing_a_default_hides_it_and_restoring_brings_it_back(self, city):
        stakeholder = StakeholderFactory(city=city)
        default = default_of("ngo", "challenge")

        matrix_default_dismiss(stakeholder=stakeholder, default=default, by=None)
        assert default.text not in [text for _, text in entries(stakeholder, "challenge")]
        assert dismissed_defaults(stakeholder) == [default]

        matrix_default_restore(stakeholder=stakeholder, default=default, by=None)
        assert ("default", default.text) in entries(stakeholder, "challenge")
        assert dismissed_defaults(stakeholder) == []

    def test_restoring_an_edited_default_brings_back_the_catalogue_wording(self, city):
        stakeholder = StakeholderFactory(city=city)
        default = default_of("ngo")
        matrix_default_edit(stakeholder=stakeholder, default=default, text="Ours", by=None)

        matrix_default_restore(stakeholder=stakeholder, default=default, by=None)

        assert ("default", default.text) in entries(stakeholder, "aim")
        assert ("edited", "Ours") not in entries(stakeholder, "aim")

    def test_editing_a_dismissed_default_brings_it_back_edited(self, city):
        stakeholder = StakeholderFactory(city=city)
        default = default_of("ngo")
        dismissal = matrix_default_dismiss(stakeholder=stakeholder, default=default, by=None)

        with pytest.raises(ValidationError):
            matrix_item_update(item=dismissal, text="Ours", by=None, expected_version=None)

        matrix_default_edit(stakeholder=stakeholder, default=default, text="Ours", by=None)

        assert ("edited", "Ours") in entries(stakeholder, "aim")
        assert dismissed_defaults(stakeholder) == []

    def test_a_default_of_another_type_is_refused(self, city):
        stakeholder = StakeholderFactory(city=city)
        foreign_default = default_of("municipality")

        with pytest.raises(ValidationError) as excinfo:
            matrix_default_edit(
                stakeholder=stakeholder, default=foreign_default, text="Ours", by=None
            )
        assert "replaces" in errors_of(excinfo)

        with pytest.raises(ValidationError) as excinfo:
            matrix_default_dismiss(stakeholder=stakeholder, default=foreign_default, by=None)
        assert "replaces" in errors_of(excinfo)
        assert not MatrixItem.objects.exists()

    def test_an_empty_wording_is_refused(self, city):
        stakeholder = StakeholderFactory(city=city)
        default = default_of("ngo")

        with pytest.raises(ValidationError) as excinfo:
            matrix_default_edit(stakeholder=stakeholder, default=default, text="  ", by=None)

        assert "text" in errors_of(excinfo)
        assert not MatrixItem.objects.exists()


# --- permissions checked by the services themselves --------------------------------------


@pytest.fixture
def scene(city: City) -> SimpleNamespace:
    """A city with stakeholders whose records every service can act on, changing something."""
    own = StakeholderFactory(city=city, name="Repair Café")
    other = StakeholderFactory(city=city, name="Green Lumen")
    spare = StakeholderFactory(city=city, name="Lumen Greens")
    initiative = InitiativeFactory(city=city, name="Smart lighting")
    default = default_of("ngo")
    records: dict[str, Any] = {"own": own, "other": other, "spare": spare}
    for name, stakeholder in (("own", own), ("other", other)):
        matrix_default_edit(stakeholder=stakeholder, default=default, text="Reworded", by=None)
        records[f"{name}_item"] = matrix_item_add(
            stakeholder=stakeholder, dimension="aim", text="Clean air", by=None
        )
        records[f"{name}_contact"] = contact_add(stakeholder=stakeholder, name="Ana", by=None)
        records[f"{name}_categorization"] = categorization_set(
            stakeholder=stakeholder, initiative=initiative, by=None
        )
    return SimpleNamespace(city=city, initiative=initiative, default=default, **records)


def matrix_calls(whose: str) -> list[Any]:
    """Return the matrix services, acting on the scene's `own` or `other` stakeholder."""
    return [
        pytest.param(
            lambda s, by: matrix_item_add(
                stakeholder=getattr(s, whose), dimension="aim", text="More trees", by=by
            ),
            id=f"matrix_item_add-{whose}",
        ),
        pytest.param(
            lambda s, by: matrix_item_update(
                item=getattr(s, f"{whose}_item"), text="Fresh air", by=by, expected_version=1
            ),
            id=f"matrix_item_update-{whose}",
        ),
        pytest.param(
            lambda s, by: matrix_item_remove(item=getattr(s, f"{whose}_item"), by=by),
            id=f"matrix_item_remove-{whose}",
        ),
        pytest.param(
            lambda s, by: matrix_default_edit(
                stakeholder=getattr(s, whose), default=s.default, text="Ours", by=by
            ),
            id=f"matrix_default_edit-{whose}",
        ),
        pytest.param(
            lambda s, by: matrix_default_dismiss(
                stakeholder=getattr(s, whose), default=s.default, by=by
            ),
            id=f"matrix_default_dismiss-{whose}",
        ),
        pytest.param(
            lambda s, by: matrix_default_restore(
                stakeholder=getattr(s, whose), default=s.default, by=by
            ),
            id=f"matrix_default_restore-{whose}",
        ),
    ]


REGISTRY_CALLS = [
    pytest.param(
        lambda s, by: stakeholder_create(
            city=s.city, name="New", type=stakeholder_type("ngo"), by=by
        ),
        id="stakeholder_create",
    ),
    pytest.param(
        lambda s, by: stakeholder_update(
            stakeholder=s.own, by=by, expected_version=s.own.version, description="Edited"
        ),
        id="stakeholder_update",
    ),
    pytest.param(
        lambda s, by: stakeholder_archive(stakeholder=s.own, by=by), id="stakeholder_archive"
    ),
    pytest.param(
        lambda s, by: stakeholder_delete(stakeholder=s.spare, by=by), id="stakeholder_delete"
    ),
    pytest.param(
        lambda s, by: stakeholder_merge(source=s.spare, target=s.own, by=by), id="stakeholder_merge"
    ),
    pytest.param(
        lambda s, by: city_seed_from_catalogue(city=s.city, by=by), id="city_seed_from_catalogue"
    ),
    pytest.param(lambda s, by: contact_add(stakeholder=s.own, name="Rui", by=by), id="contact_add"),
    pytest.param(
        lambda s, by: contact_update(contact=s.own_contact, name="Rui", by=by), id="contact_update"
    ),
    pytest.param(lambda s, by: contact_remove(contact=s.own_contact, by=by), id="contact_remove"),
    pytest.param(
        lambda s, by: categorization_set(
            stakeholder=s.own, initiative=s.initiative, by=by, expected_version=1, interest=5
        ),
        id="categorization_set",
    ),
    pytest.param(
        lambda s, by: categorization_delete(categorization=s.own_categorization, by=by),
        id="categorization_delete",
    ),
]

Call = Callable[[SimpleNamespace, User | None], Any]


def contributor_for(city: City, stakeholder: Stakeholder) -> User:
    user = UserFactory()
    membership_set(city=city, user=user, role="contributor", stakeholder=stakeholder, by=None)
    return user


class TestServicePermissions:
    @pytest.mark.parametrize("call", REGISTRY_CALLS + matrix_calls("own"))
    @pytest.mark.parametrize("role", ["viewer", "outsider"])
    def test_a_viewer_or_an_outsider_may_change_nothing(self, scene, call: Call, role):
        if role == "outsider":
            user = CityFactory(name="Elsewhere").memberships.get().user
        else:
            user = member(scene.city, role)
        before = registry_state()

        with pytest.raises(PermissionDeniedError):
            call(scene, user)

        assert registry_state() == before

    @pytest.mark.parametrize("call", REGISTRY_CALLS)
    def test_a_contributor_may_not_change_the_registry_even_for_its_own_stakeholder(
        self, scene, call: Call
    ):
        contributor = contributor_for(scene.city, scene.own)
        before = registry_state()

        with pytest.raises(PermissionDeniedError):
            call(scene, contributor)

        assert registry_state() == before

    @pytest.mark.parametrize("call", matrix_calls("own"))
    def test_a_contributor_may_change_its_own_stakeholders_matrix(self, scene, call: Call):
        contributor = contributor_for(scene.city, scene.own)
        before = registry_state()

        call(scene, contributor)

        assert registry_state() != before

    @pytest.mark.parametrize("call", matrix_calls("other"))
    def test_a_contributor_may_not_change_another_stakeholders_matrix(self, scene, call: Call):
        contributor = contributor_for(scene.city, scene.own)
        before = registry_state()

        with pytest.raises(PermissionDeniedError):
            call(scene, contributor)

        assert registry_state() == before

    @pytest.mark.parametrize("role", ["owner", "analyst"])
    @pytest.mark.parametrize("call", REGISTRY_CALLS + matrix_calls("other"))
    def test_owners_and_analysts_may_do_everything(self, scene, user_in, owner, call: Call, role):
        user = owner if role == "owner" else user_in(role)
        before = registry_state()

        call(scene, user)

        assert registry_state() != before
