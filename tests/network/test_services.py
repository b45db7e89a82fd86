"""Writing relationships and saved layouts: validation, permissions, history, caches."""

from collections.abc import Callable
from datetime import date

import pytest

from civitas.accounts.services import membership_set
from civitas.cities.models import City
from civitas.core.errors import ConflictError, PermissionDeniedError, ValidationError
from civitas.network.models import NetworkCache, Relationship, SavedLayout
from civitas.network.selectors import relationship_history
from civitas.network.services import (
    layout_reset,
    layout_save,
    relationship_create,
    relationship_delete,
    relationship_transfer,
    relationship_update,
)
from civitas.stakeholders.models import Stakeholder
from civitas.stakeholders.services import stakeholder_archive
from tests.factories import CityFactory, InitiativeFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db
Add = Callable[..., Stakeholder]


@pytest.fixture
def pair(add: Add) -> tuple[Stakeholder, Stakeholder]:
    return add("Lumen Council", "municipality"), add("Lumen Waste", "city_services_company")


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_create_takes_the_kinds_direction_and_records_who(pair, user_in) -> None:
    council, waste = pair
    analyst = user_in("analyst")
    evaluates = relationship_create(source=council, target=waste, kind="evaluates", by=analyst)
    works = relationship_create(source=waste, target=council, kind="collaborates", by=analyst)
    assert evaluates.direction == "directed" and works.direction == "mutual"
    assert evaluates.city_id == council.city_id
    assert evaluates.history.first().history_user == analyst
    assert str(evaluates) == "Lumen Council evaluates Lumen Waste"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"strength": 4}, "strength"),
        ({"strength": 0}, "strength"),
        ({"start_date": date(2025, 5, 1), "end_date": date(2025, 1, 1)}, "end_date"),
        ({"kind": "likes"}, "kind"),
        ({"direction": "sideways"}, "direction"),
    ],
)
def test_create_refuses_bad_values(pair, changes, field) -> None:
    council, waste = pair
    arguments = {"kind": "funds", **changes}
    with pytest.raises(ValidationError) as excinfo:
        relationship_create(source=council, target=waste, by=None, **arguments)
    assert field in errors_of(excinfo)
    assert not Relationship.objects.exists()


def test_create_refuses_itself_other_cities_and_archived(pair, add) -> None:
    council, waste = pair
    with pytest.raises(ValidationError) as excinfo:
        relationship_create(source=council, target=council, kind="funds", by=None)
    assert "target" in errors_of(excinfo)
    elsewhere = StakeholderFactory(city=CityFactory(owner=UserFactory()), name="Elsewhere")
    with pytest.raises(ValidationError) as excinfo:
        relationship_create(source=council, target=elsewhere, kind="funds", by=None)
    assert "target" in errors_of(excinfo)
    stakeholder_archive(stakeholder=waste, by=None)
    with pytest.raises(ValidationError) as excinfo:
        relationship_create(source=council, target=waste, kind="funds", by=None)
    assert "archived" in errors_of(excinfo)["target"][0]


def test_an_initiative_of_another_city_is_refused(pair) -> None:
    council, waste = pair
    other = InitiativeFactory(city=CityFactory(owner=UserFactory()))
    with pytest.raises(ValidationError) as excinfo:
        relationship_create(source=council, target=waste, kind="funds", by=None, initiative=other)
    assert "initiative" in errors_of(excinfo)


def test_the_same_relationship_twice_is_refused_but_not_in_another_initiative(pair, city) -> None:
    council, waste = pair
    relationship_create(source=council, target=waste, kind="funds", by=None)
    with pytest.raises(ValidationError) as excinfo:
        relationship_create(source=council, target=waste, kind="funds", by=None)
    assert "already funds" in errors_of(excinfo)["__all__"][0]
    initiative = InitiativeFactory(city=city)
    relationship_create(source=council, target=waste, kind="funds", by=None, initiative=initiative)
    with pytest.raises(ValidationError):
        relationship_create(
            source=council, target=waste, kind="funds", by=None, initiative=initiative
        )
    assert Relationship.objects.count() == 2


def test_a_mutual_relationship_cannot_be_recorded_again_the_other_way(pair) -> None:
    council, waste = pair
    relationship_create(source=council, target=waste, kind="collaborates", by=None)
    with pytest.raises(ValidationError):
        relationship_create(source=waste, target=council, kind="collaborates", by=None)


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_readers_may_not_record_relationships(pair, user_in, role) -> None:
    council, waste = pair
    with pytest.raises(PermissionDeniedError):
        relationship_create(source=council, target=waste, kind="funds", by=user_in(role))


def test_a_contributor_records_the_relationships_of_its_own_stakeholder(pair, city, add) -> None:
    council, waste = pair
    carla = UserFactory()
    membership_set(city=city, user=carla, role="contributor", stakeholder=waste, by=None)
    mine = relationship_create(source=waste, target=council, kind="informs", by=carla)
    relationship_update(relationship=mine, by=carla, expected_version=1, strength=3)
    with pytest.raises(PermissionDeniedError):
        relationship_create(source=council, target=waste, kind="funds", by=carla)


def test_update_refuses_a_stale_version_and_keeps_history(pair, user_in) -> None:
    council, waste = pair
    analyst = user_in("analyst")
    relationship = relationship_create(source=council, target=waste, kind="funds", by=analyst)
    relationship_update(relationship=relationship, by=analyst, expected_version=1, strength=3)
    stale = Relationship.objects.get(pk=relationship.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        relationship_update(relationship=stale, by=analyst, expected_version=1, strength=1)
    assert Relationship.objects.get(pk=relationship.pk).strength == 3
    history = relationship_history(relationship)
    assert [entry["action"] for entry in history] == ["changed", "created"]
    assert {"field": "strength", "old": 2, "new": 3} in history[0]["changes"]
    assert history[0]["who"] == analyst.username


def test_update_refuses_unknown_fields(pair) -> None:
    council, waste = pair
    relationship = relationship_create(source=council, target=waste, kind="funds", by=None)
    with pytest.raises(ValidationError) as excinfo:
        relationship_update(relationship=relationship, by=None, expected_version=None, city=None)
    assert "city" in errors_of(excinfo)


def test_delete_keeps_the_history(pair, user_in) -> None:
    council, waste = pair
    relationship = relationship_create(source=council, target=waste, kind="funds", by=None)
    pk = relationship.pk
    relationship_delete(relationship=relationship, by=user_in("owner"))
    assert not Relationship.objects.filter(pk=pk).exists()
    assert Relationship.history.filter(id=pk, history_type="-").exists()


def test_writes_drop_the_citys_cached_maps(pair, city) -> None:
    council, waste = pair
    NetworkCache.objects.create(city=city, audience="all", fingerprint="x")
    relationship = relationship_create(source=council, target=waste, kind="funds", by=None)
    assert not NetworkCache.objects.exists()
    NetworkCache.objects.create(city=city, audience="all", fingerprint="x")
    relationship_update(relationship=relationship, by=None, expected_version=None, strength=1)
    assert not NetworkCache.objects.exists()


def test_transfer_moves_relationships_when_merging(pair, add) -> None:
    council, waste = pair
    old = add("Old waste company", "city_services_company")
    relationship_create(source=council, target=old, kind="evaluates", by=None)
    relationship_create(source=council, target=waste, kind="evaluates", by=None)
    relationship_create(source=old, target=council, kind="provides_service", by=None)
    moved = relationship_transfer(source=old, target=waste, by=None)
    assert moved == 1  # the evaluation waste already had is not doubled
    assert set(Relationship.objects.values_list("source__name", "kind", "target__name")) == {
        ("Lumen Council", "evaluates", "Lumen Waste"),
        ("Lumen Waste", "provides_service", "Lumen Council"),
    }


# Saved layouts


def test_save_and_reset_a_layout(pair, city, user_in) -> None:
    council, waste = pair
    analyst = user_in("analyst")
    layout = layout_save(
        city=city, positions={str(council.pk): [10, 20], waste.pk: [30.55, -4]}, by=analyst
    )
    assert layout.positions == {str(council.pk): [10.0, 20.0], str(waste.pk): [30.6, -4.0]}
    assert layout.saved_by == analyst and layout.version == 1
    again = layout_save(city=city, positions={}, by=analyst, expected_version=1)
    assert again.version == 2
    assert layout_reset(city=city, by=analyst) is True
    assert not SavedLayout.objects.exists()


def test_a_layout_saved_meanwhile_is_not_overwritten(pair, city) -> None:
    council, _ = pair
    layout_save(city=city, positions={council.pk: [1, 1]}, by=None)
    with pytest.raises(ConflictError):
        layout_save(city=city, positions={council.pk: [2, 2]}, by=None, expected_version=None)
    with pytest.raises(ConflictError):
        layout_save(city=city, positions={council.pk: [2, 2]}, by=None, expected_version=7)
    assert SavedLayout.objects.get().positions == {str(council.pk): [1.0, 1.0]}


@pytest.mark.parametrize(
    "positions",
    [[1, 2], {"1": "x"}, {"1": [1]}, {"abc": [1, 2]}, {"1": [1e12, 0]}, {"999999": [1, 2]}],
)
def test_bad_positions_are_refused(city: City, positions) -> None:
    with pytest.raises(ValidationError) as excinfo:
        layout_save(city=city, positions=positions, by=None)
    assert "positions" in errors_of(excinfo)


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_readers_may_not_save_layouts(city, user_in, role) -> None:
    with pytest.raises(PermissionDeniedError):
        layout_save(city=city, positions={}, by=user_in(role))


def test_merging_stakeholders_moves_their_relationships(city):
    from civitas.stakeholders.services import stakeholder_has_records, stakeholder_merge
    from tests.factories import StakeholderFactory

    duplicate = StakeholderFactory(city=city, name="Lumen Water Co")
    original = StakeholderFactory(city=city, name="Lumen Water Company")
    regulator = StakeholderFactory(city=city, name="Water Regulator")
    relationship_create(source=regulator, target=duplicate, kind="regulates", by=None)

    assert stakeholder_has_records(duplicate)
    stakeholder_merge(source=duplicate, target=original, by=None)

    assert list(original.relationships_in.values_list("source__name", flat=True)) == [
        "Water Regulator"
    ]
    assert not duplicate.relationships_in.exists()
