"""The registry, contacts, categorizations, the matrix, completeness and the summary by API."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.accounts.services import membership_set
from civitas.catalogue.models import DefaultMatrixItem
from civitas.cities.models import City, Initiative
from civitas.stakeholders.models import Categorization, ContactPerson, MatrixItem, Stakeholder
from civitas.stakeholders.services import contact_add, matrix_item_add, stakeholder_archive
from tests.api.conftest import Api, api_for
from tests.factories import (
    CategorizationFactory,
    CityFactory,
    InitiativeFactory,
    StakeholderFactory,
    UserFactory,
    stakeholder_type,
)

pytestmark = pytest.mark.django_db

MEMBERS = ["owner", "analyst", "contributor", "viewer"]
EDITORS = ["owner", "analyst"]
DENIED = {"outsider": 404, None: 401, "revoked": 401}
READ_ONLY = {"contributor": 403, "viewer": 403, **DENIED}
STAKEHOLDERS = "/cities/lumen/stakeholders"


@pytest.fixture
def energy(city: City) -> Stakeholder:
    return StakeholderFactory(
        city=city,
        name="Lumen Energy",
        type=stakeholder_type("utility_provider"),
        tags=["energy", "grid"],
        levels=["local"],
    )


@pytest.fixture
def lighting(city: City) -> Initiative:
    return InitiativeFactory(city=city, name="Smart street lighting")


def url(stakeholder: Stakeholder, rest: str = "") -> str:
    return f"{STAKEHOLDERS}/{stakeholder.pk}{rest}"


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code == 200, response.content
    return len(context)


def assert_flat(
    api: Api, path: str, grow: Any, assert_max: Any, limit: int, params: Any = None
) -> None:
    """Call `path` with 5 rows, let `grow` add 45 more, and compare the query counts."""
    api.get(path, params)  # the first call records when the token was used
    with assert_max(limit):
        few = queries(lambda: api.get(path, params))
    grow()
    with assert_max(limit):
        many = queries(lambda: api.get(path, params))
    assert few == many


# Reading the registry


@pytest.mark.parametrize("role", MEMBERS)
def test_members_list_and_read_stakeholders(api_as: Any, energy: Stakeholder, role: str) -> None:
    api = api_as(role)

    listed = api.get(STAKEHOLDERS)
    detail = api.get(url(energy))

    assert listed.json() == {"items": [listed.json()["items"][0]], "count": 1}
    item = listed.json()["items"][0]
    assert item["type"] == {"code": "utility_provider", "name": energy.type.name}
    assert item["scale"] == "local"
    assert item["tags"] == ["energy", "grid"]
    assert detail.status_code == 200
    assert detail.json()["version"] == 1
    assert detail.json()["contacts"] == []


@pytest.mark.parametrize(("role", "status"), DENIED.items())
def test_others_cannot_read_the_registry(
    api_as: Any, energy: Stakeholder, role: str | None, status: int
) -> None:
    api = api_as(role)

    assert api.get(STAKEHOLDERS).status_code == status
    assert api.get(url(energy)).status_code == status


def test_a_stakeholder_of_another_city_is_404(api_as: Any) -> None:
    elsewhere = StakeholderFactory(city=CityFactory(owner=UserFactory()))

    assert api_as("owner").get(url(elsewhere)).status_code == 404


@pytest.mark.parametrize(("role", "visible"), [("owner", True), ("analyst", True),
                                               ("contributor", False), ("viewer", False)])  # fmt: skip
def test_confidential_stakeholders_are_hidden_from_contributors_and_viewers(
    api_as: Any, city: City, role: str, visible: bool
) -> None:
    secret = StakeholderFactory(city=city, name="Quiet investor", confidential=True)
    api = api_as(role)

    assert ("Quiet investor" in names(api.get(STAKEHOLDERS))) is visible
    assert api.get(url(secret)).status_code == (200 if visible else 404)
    assert api.get(url(secret, "/matrix")).status_code == (200 if visible else 404)
    assert api.get(url(secret, "/contacts")).status_code == (200 if visible else 404)


def test_the_list_pages_with_limit_and_offset(api_as: Any, city: City) -> None:
    for letter in "ABCDEFG":
        StakeholderFactory(city=city, name=f"{letter} group")
    api = api_as("viewer")

    first = api.get(STAKEHOLDERS, {"limit": 3})
    last = api.get(STAKEHOLDERS, {"limit": 3, "offset": 6})

    assert names(first) == ["A group", "B group", "C group"]
    assert first.json()["count"] == 7
    assert names(last) == ["G group"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1}])
def test_paging_out_of_bounds_is_refused(api_as: Any, city: City, params: dict[str, int]) -> None:
    response = api_as("viewer").get(STAKEHOLDERS, params)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == list(params)


@pytest.fixture
def registry(city: City, energy: Stakeholder, lighting: Initiative) -> dict[str, Stakeholder]:
    town_hall = StakeholderFactory(
        city=city, name="Town hall", type=stakeholder_type("municipality"), levels=["local"]
    )
    unit = stakeholder_type("municipality").units.first()
    assert unit is not None
    planning = StakeholderFactory(city=city, name="Planning office", type=unit, parent=town_hall)
    ngo = StakeholderFactory(
        city=city,
        name="Repair café",
        type=stakeholder_type("ngo"),
        description="Fixes things",
        tags=["circular"],
        levels=["local", "national"],
    )
    CategorizationFactory(stakeholder=ngo, initiative=lighting, lfa_roles=["potential_opponent"])
    stakeholder_archive(stakeholder=StakeholderFactory(city=city, name="Old committee"), by=None)
    return {"energy": energy, "town_hall": town_hall, "planning": planning, "ngo": ngo}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Lumen Energy", "Planning office", "Repair café", "Town hall"]),
        ({"search": "fixes"}, ["Repair café"]),
        ({"search": "grid"}, ["Lumen Energy"]),
        ({"type": "municipality"}, ["Planning office", "Town hall"]),
        ({"sector": "civil_society"}, ["Repair café"]),
        ({"level": "national"}, ["Repair café"]),
        ({"lfa_role": "potential_opponent"}, ["Repair café"]),
        ({"tag": "Circular"}, ["Repair café"]),
        ({"archived": "true"}, ["Old committee"]),
        ({"sort": "-name"}, ["Town hall", "Repair café", "Planning office", "Lumen Energy"]),
    ],
)
def test_the_list_filters_and_sorts(
    api_as: Any, registry: dict[str, Stakeholder], params: dict[str, str], expected: list[str]
) -> None:
    assert names(api_as("viewer").get(STAKEHOLDERS, params)) == expected


def test_the_role_filter_can_keep_to_one_initiative(
    api_as: Any, registry: dict[str, Stakeholder], lighting: Initiative, city: City
) -> None:
    other = InitiativeFactory(city=city, name="Bike lanes")
    api = api_as("viewer")

    inside = api.get(STAKEHOLDERS, {"lfa_role": "potential_opponent", "initiative": lighting.pk})
    outside = api.get(STAKEHOLDERS, {"lfa_role": "potential_opponent", "initiative": other.pk})

    assert names(inside) == ["Repair café"]
    assert names(outside) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "dragons"}, "type"),
        ({"sector": "magic"}, "sector"),
        ({"level": "orbital"}, "level"),
        ({"sort": "shoe_size"}, "sort"),
        ({"initiative": 999999}, "initiative"),
    ],
)
def test_unknown_filter_values_are_refused_naming_the_parameter(
    api_as: Any, registry: dict[str, Stakeholder], params: dict[str, Any], field: str
) -> None:
    response = api_as("viewer").get(STAKEHOLDERS, params)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_the_stakeholder_list_takes_a_fixed_number_of_queries(
    api_as: Any, city: City, lighting: Initiative, django_assert_max_num_queries: Any
) -> None:
    town_hall = StakeholderFactory(
        city=city, name="Town hall", type=stakeholder_type("municipality")
    )
    unit = stakeholder_type("municipality").units.first()
    for number in range(4):
        StakeholderFactory(city=city, name=f"Unit {number}", type=unit, parent=town_hall)

    def grow() -> None:
        for number in range(45):
            StakeholderFactory(city=city, name=f"Group {number}", tags=["x"])

    api = api_as("viewer")
    assert_flat(api, STAKEHOLDERS, grow, django_assert_max_num_queries, 6, {"limit": 100})
    assert api.get(STAKEHOLDERS, {"limit": 100}).json()["count"] == 50


def test_a_filtered_list_takes_a_fixed_number_of_queries(
    api_as: Any, city: City, lighting: Initiative, django_assert_max_num_queries: Any
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            CategorizationFactory(stakeholder=StakeholderFactory(city=city), initiative=lighting)

    add(5)
    params = {"type": "ngo", "lfa_role": "active", "initiative": lighting.pk, "limit": 100}
    assert_flat(
        api_as("analyst"), STAKEHOLDERS, lambda: add(45), django_assert_max_num_queries, 8, params
    )


# Writing the registry


@pytest.mark.parametrize("role", EDITORS)
def test_owners_and_analysts_add_stakeholders(api_as: Any, city: City, role: str) -> None:
    response = api_as(role).post(
        STAKEHOLDERS,
        {
            "name": "Lumen Tech Hub",
            "type": "ict_company",
            "tags": ["Digital"],
            "confidential": True,
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["type"] == {"code": "ict_company", "name": stakeholder_type("ict_company").name}
    assert body["sector"] == stakeholder_type("ict_company").default_sector
    assert body["tags"] == ["digital"]
    assert body["confidential"] is True
    assert Stakeholder.objects.filter(city=city, name="Lumen Tech Hub").exists()


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_add_stakeholders(
    api_as: Any, city: City, role: str | None, status: int
) -> None:
    response = api_as(role).post(STAKEHOLDERS, {"name": "Sneaky", "type": "ngo"})

    assert response.status_code == status
    assert not Stakeholder.objects.exists()


def test_a_unit_is_added_under_its_parent(api_as: Any, city: City) -> None:
    owner = api_as("owner")
    town_hall = owner.post(STAKEHOLDERS, {"name": "Town hall", "type": "municipality"}).json()
    unit = stakeholder_type("municipality").units.first()
    assert unit is not None

    response = owner.post(
        STAKEHOLDERS, {"name": "Planning", "type": unit.code, "parent": town_hall["id"]}
    )

    assert response.status_code == 201
    assert response.json()["parent"] == {"id": town_hall["id"], "name": "Town hall"}
    assert response.json()["kind"] == "unit"
    detail = owner.get(f"{STAKEHOLDERS}/{town_hall['id']}").json()
    assert detail["units"] == [{"id": response.json()["id"], "name": "Planning"}]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "type": "dragons"}, "type"),
        ({"name": "X"}, "type"),
        ({"type": "ngo"}, "name"),
        ({"name": "Lumen energy", "type": "ngo"}, "name"),
        ({"name": "X", "type": "ngo", "levels": ["orbital"]}, "levels.0"),
        ({"name": "X", "type": "ngo", "sector": "magic"}, "sector"),
        ({"name": "X", "type": "ngo", "kind": "robot"}, "kind"),
        ({"name": "X", "type": "ngo", "website": "not a url"}, "website"),
        ({"name": "X", "type": "ngo", "tags": ["a|b"]}, "tags.0"),
        ({"name": "X", "type": "ngo", "identified_as": ["bored"]}, "identified_as.0"),
        ({"name": "X", "type": "ngo", "parent": 999999}, "parent"),
        ({"name": "X" * 201, "type": "ngo"}, "name"),
    ],
)
def test_bad_stakeholder_input_is_refused_and_nothing_is_written(
    api_as: Any, energy: Stakeholder, payload: dict[str, Any], field: str
) -> None:
    response = api_as("analyst").post(STAKEHOLDERS, payload)

    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert Stakeholder.objects.count() == 1


def test_an_unknown_type_is_named_in_plain_words(api_as: Any, city: City) -> None:
    response = api_as("owner").post(STAKEHOLDERS, {"name": "X", "type": "dragons"})

    assert response.json()["errors"]["type"] == [
        "There is no stakeholder type with the code “dragons” in the catalogue."
    ]


def test_a_parent_in_another_city_is_refused(api_as: Any, city: City) -> None:
    elsewhere = StakeholderFactory(city=CityFactory(owner=UserFactory()), name="Far away")

    response = api_as("owner").post(
        STAKEHOLDERS, {"name": "X", "type": "ngo", "parent": elsewhere.pk}
    )

    assert response.status_code == 422
    assert "parent" in response.json()["errors"]


@pytest.mark.parametrize("role", EDITORS)
def test_owners_and_analysts_change_stakeholders(
    api_as: Any, energy: Stakeholder, role: str
) -> None:
    response = api_as(role).patch(
        url(energy),
        {"version": 1, "name": "Lumen Power", "type": "city_services_company", "levels": []},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Lumen Power"
    assert body["type"]["code"] == "city_services_company"
    assert body["scale"] is None
    assert body["version"] == 2
    assert body["tags"] == ["energy", "grid"]  # left out: kept


def test_a_change_needs_the_version(api_as: Any, energy: Stakeholder) -> None:
    response = api_as("owner").patch(url(energy), {"name": "Lumen Power"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"version": ["This field is required."]}


def test_a_stale_change_is_refused_and_nothing_is_overwritten(
    api_as: Any, energy: Stakeholder
) -> None:
    owner, analyst = api_as("owner"), api_as("analyst")
    assert (
        owner.patch(url(energy), {"version": 1, "description": "Runs the grid"}).status_code == 200
    )

    response = analyst.patch(url(energy), {"version": 1, "name": "Overwritten"})

    assert response.status_code == 409
    assert "Reload" in response.json()["detail"]
    energy.refresh_from_db()
    assert (energy.name, energy.description, energy.version) == ("Lumen Energy", "Runs the grid", 2)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"version": 1, "type": "dragons"}, "type"),
        ({"version": 1, "name": None}, "name"),
        ({"version": 1, "sector": "magic"}, "sector"),
        ({"version": 1, "parent": 999999}, "parent"),
        ({"version": 0}, "version"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_written(
    api_as: Any, energy: Stakeholder, payload: dict[str, Any], field: str
) -> None:
    response = api_as("owner").patch(url(energy), payload)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    energy.refresh_from_db()
    assert (energy.version, energy.type.code) == (1, "utility_provider")


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_change_stakeholders(
    api_as: Any, energy: Stakeholder, role: str | None, status: int
) -> None:
    response = api_as(role).patch(url(energy), {"version": 1, "name": "Renamed"})

    assert response.status_code == status
    energy.refresh_from_db()
    assert energy.name == "Lumen Energy"


@pytest.mark.parametrize("role", EDITORS)
def test_archiving_and_bringing_back(api_as: Any, energy: Stakeholder, role: str) -> None:
    api = api_as(role)

    archived = api.post_without_body(url(energy, "/archive"))
    listed = names(api.get(STAKEHOLDERS))
    back = api.post(url(energy, "/archive"), {"archived": False})

    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    assert listed == []
    assert back.json()["archived"] is False
    assert names(api.get(STAKEHOLDERS)) == ["Lumen Energy"]


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_archive(
    api_as: Any, energy: Stakeholder, role: str | None, status: int
) -> None:
    assert api_as(role).post(url(energy, "/archive")).status_code == status
    energy.refresh_from_db()
    assert energy.archived_at is None


def test_a_stakeholder_without_records_is_deleted(api_as: Any, city: City) -> None:
    fresh = StakeholderFactory(city=city, name="Typo")

    response = api_as("analyst").delete(url(fresh))

    assert response.status_code == 204
    assert not Stakeholder.objects.filter(pk=fresh.pk).exists()


def test_a_stakeholder_with_records_can_only_be_archived(
    api_as: Any, energy: Stakeholder, lighting: Initiative
) -> None:
    CategorizationFactory(stakeholder=energy, initiative=lighting)

    response = api_as("owner").delete(url(energy))

    assert response.status_code == 422
    assert "Archive it instead" in response.json()["errors"]["__all__"][0]
    assert Stakeholder.objects.filter(pk=energy.pk).exists()


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_delete(
    api_as: Any, energy: Stakeholder, role: str | None, status: int
) -> None:
    assert api_as(role).delete(url(energy)).status_code == status
    assert Stakeholder.objects.filter(pk=energy.pk).exists()


def test_merging_moves_the_records_to_the_target(
    api_as: Any, city: City, energy: Stakeholder, lighting: Initiative
) -> None:
    duplicate = StakeholderFactory(
        city=city,
        name="Lumen Energy Co.",
        type=stakeholder_type("utility_provider"),
        tags=["power"],
    )
    CategorizationFactory(stakeholder=duplicate, initiative=lighting)
    contact_add(stakeholder=duplicate, by=None, name="Ana Reis")

    response = api_as("analyst").post(url(duplicate, "/merge"), {"target_id": energy.pk})

    assert response.status_code == 200
    assert response.json()["id"] == energy.pk
    assert set(response.json()["tags"]) == {"energy", "grid", "power"}
    assert Categorization.objects.get(initiative=lighting).stakeholder_id == energy.pk
    assert ContactPerson.objects.get(name="Ana Reis").stakeholder_id == energy.pk
    duplicate.refresh_from_db()
    assert duplicate.archived_at is not None


@pytest.mark.parametrize("target", ["itself", "missing", "elsewhere"])
def test_a_bad_merge_target_is_named(api_as: Any, energy: Stakeholder, target: str) -> None:
    target_id = {
        "itself": energy.pk,
        "missing": 999999,
        "elsewhere": StakeholderFactory(city=CityFactory(owner=UserFactory())).pk,
    }[target]

    response = api_as("owner").post(url(energy, "/merge"), {"target_id": target_id})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["target_id"]
    energy.refresh_from_db()
    assert energy.archived_at is None


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_merge(
    api_as: Any, city: City, energy: Stakeholder, role: str | None, status: int
) -> None:
    other = StakeholderFactory(city=city, name="Other")

    assert api_as(role).post(url(other, "/merge"), {"target_id": energy.pk}).status_code == status
    other.refresh_from_db()
    assert other.archived_at is None


# Contact persons


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_sees_contact_persons(api_as: Any, energy: Stakeholder, role: str) -> None:
    contact_add(stakeholder=energy, by=None, name="Ana Reis", email="ana@example.org")

    response = api_as(role).get(url(energy, "/contacts"))

    assert response.status_code == 200
    assert [(c["name"], c["email"]) for c in response.json()] == [("Ana Reis", "ana@example.org")]
    assert api_as(role).get(url(energy)).json()["contacts"][0]["name"] == "Ana Reis"


@pytest.mark.parametrize(("role", "status"), DENIED.items())
def test_contact_persons_stay_within_the_city(
    api_as: Any, energy: Stakeholder, role: str | None, status: int
) -> None:
    contact_add(stakeholder=energy, by=None, name="Ana Reis")

    assert api_as(role).get(url(energy, "/contacts")).status_code == status


def test_contact_persons_are_added_changed_and_removed(api_as: Any, energy: Stakeholder) -> None:
    analyst = api_as("analyst")

    added = analyst.post(url(energy, "/contacts"), {"name": "Ana Reis", "role": "Director"})
    contact = f"/contacts/{added.json()['id']}"
    changed = analyst.patch(url(energy, contact), {"phone": "+351 21 000 0000"})
    removed = analyst.delete(url(energy, contact))

    assert added.status_code == 201
    assert changed.status_code == 200
    assert changed.json()["phone"] == "+351 21 000 0000"
    assert changed.json()["role"] == "Director"
    assert removed.status_code == 204
    assert not ContactPerson.objects.exists()


def test_a_bad_email_is_refused(api_as: Any, energy: Stakeholder) -> None:
    response = api_as("owner").post(url(energy, "/contacts"), {"name": "Ana", "email": "nope"})

    assert response.status_code == 422
    assert "email" in response.json()["errors"]
    assert not ContactPerson.objects.exists()


def test_a_contact_of_another_stakeholder_is_404(
    api_as: Any, city: City, energy: Stakeholder
) -> None:
    other = StakeholderFactory(city=city, name="Other")
    contact = contact_add(stakeholder=other, by=None, name="Ana Reis")

    response = api_as("owner").patch(url(energy, f"/contacts/{contact.pk}"), {"name": "Bo"})

    assert response.status_code == 404


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_change_contact_persons(
    api_as: Any, energy: Stakeholder, role: str | None, status: int
) -> None:
    contact = contact_add(stakeholder=energy, by=None, name="Ana Reis")
    api = api_as(role)

    assert api.post(url(energy, "/contacts"), {"name": "Bo"}).status_code == status
    assert api.patch(url(energy, f"/contacts/{contact.pk}"), {"name": "Bo"}).status_code == status
    assert api.delete(url(energy, f"/contacts/{contact.pk}")).status_code == status
    assert list(ContactPerson.objects.values_list("name", flat=True)) == ["Ana Reis"]


def test_the_contact_list_takes_a_fixed_number_of_queries(
    api_as: Any, energy: Stakeholder, django_assert_max_num_queries: Any
) -> None:
    def add(count: int) -> None:
        for number in range(count):
            contact_add(stakeholder=energy, by=None, name=f"Person {number}")

    add(5)
    assert_flat(
        api_as("viewer"),
        url(energy, "/contacts"),
        lambda: add(45),
        django_assert_max_num_queries,
        6,
    )


# Categorizations


def categorization_url(stakeholder: Stakeholder, initiative: Initiative) -> str:
    return url(stakeholder, f"/categorizations/{initiative.pk}")


@pytest.mark.parametrize("role", EDITORS)
def test_a_new_categorization_starts_from_the_type(
    api_as: Any, energy: Stakeholder, lighting: Initiative, role: str
) -> None:
    response = api_as(role).put(categorization_url(energy, lighting), {"interest": 4})

    assert response.status_code == 201
    body = response.json()
    assert body["interest"] == 4
    assert body["lfa_roles"] == energy.type.default_lfa_roles
    assert body["power_administrative"] == energy.type.default_power_administrative
    assert body["stakeholder"] == {"id": energy.pk, "name": "Lumen Energy"}
    assert body["quadrant"] in {"manage_closely", "keep_satisfied", "keep_informed", "monitor"}


def test_changing_a_categorization_needs_the_version(
    api_as: Any, energy: Stakeholder, lighting: Initiative
) -> None:
    owner = api_as("owner")
    owner.put(categorization_url(energy, lighting), {"interest": 4})

    unversioned = owner.put(categorization_url(energy, lighting), {"interest": 1})
    versioned = owner.put(
        categorization_url(energy, lighting),
        {"version": 1, "interest": 1, "lfa_roles": ["beneficiary", "potential_supporter"]},
    )
    stale = owner.put(categorization_url(energy, lighting), {"version": 1, "interest": 5})

    assert unversioned.status_code == 422
    assert list(unversioned.json()["errors"]) == ["version"]
    assert versioned.status_code == 200
    assert versioned.json()["lfa_roles"] == ["beneficiary", "potential_supporter"]
    assert versioned.json()["version"] == 2
    assert stale.status_code == 409
    assert Categorization.objects.get().interest == 1


def test_a_version_for_a_categorization_that_is_gone_is_a_conflict(
    api_as: Any, energy: Stakeholder, lighting: Initiative
) -> None:
    response = api_as("owner").put(categorization_url(energy, lighting), {"version": 3})

    assert response.status_code == 409
    assert not Categorization.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"power_monetary": 6}, "power_monetary"),
        ({"interest": -1}, "interest"),
        ({"attitude": 3}, "attitude"),
        ({"lfa_roles": ["villain"]}, "lfa_roles.0"),
        ({"technology_roles": ["wizard"]}, "technology_roles.0"),
        ({"interest": None}, "interest"),
    ],
)
def test_bad_categorizations_are_refused_and_nothing_is_written(
    api_as: Any, energy: Stakeholder, lighting: Initiative, payload: dict[str, Any], field: str
) -> None:
    response = api_as("owner").put(categorization_url(energy, lighting), payload)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Categorization.objects.exists()


def test_an_initiative_of_another_city_cannot_be_used(api_as: Any, energy: Stakeholder) -> None:
    elsewhere = InitiativeFactory(city=CityFactory(owner=UserFactory()))

    response = api_as("owner").put(categorization_url(energy, elsewhere), {})

    assert response.status_code == 404
    assert not Categorization.objects.exists()


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_categorize(
    api_as: Any, energy: Stakeholder, lighting: Initiative, role: str | None, status: int
) -> None:
    api = api_as(role)

    assert api.put(categorization_url(energy, lighting), {"interest": 3}).status_code == status
    assert not Categorization.objects.exists()
    CategorizationFactory(stakeholder=energy, initiative=lighting)
    assert api.delete(categorization_url(energy, lighting)).status_code == status
    assert Categorization.objects.exists()


@pytest.mark.parametrize("role", MEMBERS)
def test_members_read_categorizations(
    api_as: Any, energy: Stakeholder, lighting: Initiative, role: str
) -> None:
    CategorizationFactory(stakeholder=energy, initiative=lighting, interest=5)
    api = api_as(role)

    one = api.get(categorization_url(energy, lighting))
    listed = api.get(f"/cities/lumen/initiatives/{lighting.pk}/categorizations")

    assert one.status_code == 200
    assert one.json()["interest"] == 5
    assert [c["stakeholder"]["name"] for c in listed.json()] == ["Lumen Energy"]
    assert listed.json()[0]["initiative_id"] == lighting.pk


def test_an_uncategorized_stakeholder_has_no_categorization(
    api_as: Any, energy: Stakeholder, lighting: Initiative
) -> None:
    assert api_as("viewer").get(categorization_url(energy, lighting)).status_code == 404


def test_categorizations_of_confidential_stakeholders_are_hidden_from_viewers(
    api_as: Any, city: City, lighting: Initiative
) -> None:
    secret = StakeholderFactory(city=city, name="Quiet investor", confidential=True)
    CategorizationFactory(stakeholder=secret, initiative=lighting)

    viewer = api_as("viewer").get(f"/cities/lumen/initiatives/{lighting.pk}/categorizations")
    analyst = api_as("analyst").get(f"/cities/lumen/initiatives/{lighting.pk}/categorizations")

    assert viewer.json() == []
    assert len(analyst.json()) == 1


def test_a_categorization_is_removed(
    api_as: Any, energy: Stakeholder, lighting: Initiative
) -> None:
    CategorizationFactory(stakeholder=energy, initiative=lighting)

    response = api_as("analyst").delete(categorization_url(energy, lighting))

    assert response.status_code == 204
    assert not Categorization.objects.exists()


def test_the_categorization_list_takes_a_fixed_number_of_queries(
    api_as: Any, city: City, lighting: Initiative, django_assert_max_num_queries: Any
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            CategorizationFactory(stakeholder=StakeholderFactory(city=city), initiative=lighting)

    add(5)
    path = f"/cities/lumen/initiatives/{lighting.pk}/categorizations"
    assert_flat(api_as("viewer"), path, lambda: add(45), django_assert_max_num_queries, 6)


# The analysis matrix


def entries(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["entries"]


@pytest.mark.parametrize("role", MEMBERS)
def test_members_read_the_matrix_with_its_inherited_defaults(
    api_as: Any, energy: Stakeholder, role: str
) -> None:
    response = api_as(role).get(url(energy, "/matrix"))

    defaults = DefaultMatrixItem.objects.filter(type=energy.type)
    assert {e["default_key"] for e in entries(response)} == {d.key for d in defaults}
    assert {e["source"] for e in entries(response)} == {"default"}
    assert all(e["clause"] and e["item_id"] is None for e in entries(response))
    assert response.json()["scale"] == "local"
    assert response.json()["sector"] == energy.sector


def test_the_city_adds_changes_and_removes_its_own_items(api_as: Any, energy: Stakeholder) -> None:
    analyst = api_as("analyst")

    added = analyst.post(url(energy, "/matrix"), {"dimension": "aim", "text": "Cut grid losses"})
    item = f"/matrix/{added.json()['id']}"
    changed = analyst.patch(url(energy, item), {"version": 1, "text": "Cut losses by 10%"})
    stale = analyst.patch(url(energy, item), {"version": 1, "text": "Overwritten"})
    own = [e for e in entries(analyst.get(url(energy, "/matrix"))) if e["source"] == "city"]
    removed = analyst.delete(url(energy, item))

    assert added.status_code == 201
    assert added.json()["default_key"] is None
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert stale.status_code == 409
    assert own == [
        {
            "dimension": "aim",
            "text": "Cut losses by 10%",
            "source": "city",
            "item_id": added.json()["id"],
            "item_version": 2,
            "default_key": None,
            "clause": "",
        }
    ]
    assert removed.status_code == 204
    assert not MatrixItem.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"dimension": "dreams", "text": "Fly"}, "dimension"),
        ({"dimension": "aim", "text": ""}, "text"),
        ({"dimension": "aim"}, "text"),
    ],
)
def test_bad_matrix_items_are_refused(
    api_as: Any, energy: Stakeholder, payload: dict[str, Any], field: str
) -> None:
    response = api_as("owner").post(url(energy, "/matrix"), payload)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not MatrixItem.objects.exists()


def test_a_default_is_reworded_dismissed_and_restored(api_as: Any, energy: Stakeholder) -> None:
    owner = api_as("owner")
    default = DefaultMatrixItem.objects.filter(type=energy.type).first()
    assert default is not None
    path = url(energy, f"/matrix/defaults/{default.key}")

    edited = owner.put(path, {"text": "Our own wording"})
    unversioned = owner.put(path, {"text": "Again"})
    stale = owner.put(path, {"text": "Again", "version": 7})
    reworded = [
        e for e in entries(owner.get(url(energy, "/matrix"))) if e["default_key"] == default.key
    ]
    dismissed = owner.post(f"{path}/dismiss")
    after_dismissal = owner.get(url(energy, "/matrix")).json()
    restored = owner.delete(path)
    after_restore = entries(owner.get(url(energy, "/matrix")))

    assert edited.status_code == 200
    assert edited.json()["default_key"] == default.key
    assert unversioned.status_code == 422
    assert list(unversioned.json()["errors"]) == ["version"]
    assert stale.status_code == 409
    assert [(e["source"], e["text"]) for e in reworded] == [("edited", "Our own wording")]
    assert dismissed.status_code == 200
    assert dismissed.json()["dismissed"] is True
    assert default.key not in {e["default_key"] for e in after_dismissal["entries"]}
    assert [d["key"] for d in after_dismissal["dismissed_defaults"]] == [default.key]
    assert restored.status_code == 204
    assert [(e["source"], e["text"]) for e in after_restore if e["default_key"] == default.key] == [
        ("default", default.text)
    ]


def test_a_reworded_default_changes_with_its_version(api_as: Any, energy: Stakeholder) -> None:
    owner = api_as("owner")
    default = DefaultMatrixItem.objects.filter(type=energy.type).first()
    assert default is not None
    path = url(energy, f"/matrix/defaults/{default.key}")
    first = owner.put(path, {"text": "Our own wording"}).json()

    response = owner.put(path, {"text": "Better wording", "version": first["version"]})

    assert response.status_code == 200
    assert response.json()["text"] == "Better wording"


def test_a_version_for_wording_that_is_gone_is_a_conflict(api_as: Any, energy: Stakeholder) -> None:
    default = DefaultMatrixItem.objects.filter(type=energy.type).first()
    assert default is not None

    response = api_as("owner").put(
        url(energy, f"/matrix/defaults/{default.key}"), {"text": "Mine", "version": 2}
    )

    assert response.status_code == 409
    assert not MatrixItem.objects.exists()


def test_a_default_of_another_type_is_404(api_as: Any, energy: Stakeholder) -> None:
    foreign = DefaultMatrixItem.objects.exclude(type=energy.type).first()
    assert foreign is not None

    response = api_as("owner").put(url(energy, f"/matrix/defaults/{foreign.key}"), {"text": "X"})

    assert response.status_code == 404
    assert not MatrixItem.objects.exists()


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_change_the_matrix(
    api_as: Any, energy: Stakeholder, role: str | None, status: int
) -> None:
    item = matrix_item_add(stakeholder=energy, dimension="aim", text="Mine", by=None)
    default = DefaultMatrixItem.objects.filter(type=energy.type).first()
    assert default is not None
    api = api_as(role)
    defaults = url(energy, f"/matrix/defaults/{default.key}")

    assert api.post(url(energy, "/matrix"), {"dimension": "aim", "text": "X"}).status_code == status
    assert (
        api.patch(url(energy, f"/matrix/{item.pk}"), {"version": 1, "text": "X"}).status_code
        == status
    )
    assert api.delete(url(energy, f"/matrix/{item.pk}")).status_code == status
    assert api.put(defaults, {"text": "X"}).status_code == status
    assert api.post(f"{defaults}/dismiss").status_code == status
    assert list(MatrixItem.objects.values_list("text", flat=True)) == ["Mine"]


def test_a_contributor_works_on_the_matrix_of_their_own_stakeholder(
    api_as: Any, city: City, energy: Stakeholder
) -> None:
    user = UserFactory()
    membership_set(city=city, user=user, role="contributor", stakeholder=energy, by=None)
    other = StakeholderFactory(city=city, name="Other")
    api = api_for(user)

    own = api.post(url(energy, "/matrix"), {"dimension": "potential", "text": "Grid data"})
    foreign = api.post(url(other, "/matrix"), {"dimension": "potential", "text": "Grid data"})

    assert own.status_code == 201
    assert foreign.status_code == 403
    assert MatrixItem.objects.get().stakeholder == energy


# Completeness and the summary


@pytest.mark.parametrize("role", MEMBERS)
def test_members_check_completeness(api_as: Any, energy: Stakeholder, role: str) -> None:
    response = api_as(role).get("/cities/lumen/completeness")

    assert response.status_code == 200
    body = response.json()
    assert body["complete"] is False
    assert body["stakeholder_count"] == 1
    assert "utility_provider" not in body["missing_types"]
    assert "municipality" in body["missing_types"]
    assert len(body["missing_types"]) == 11
    assert body["uncategorized"] == [
        {"id": energy.pk, "name": "Lumen Energy", "type": "utility_provider"}
    ]
    assert body["unvalidated"][0]["missing_steps"] == [
        "definition",
        "classification",
        "supplements",
        "literature",
    ]


@pytest.mark.parametrize("role", MEMBERS)
def test_members_read_the_summary(
    api_as: Any, energy: Stakeholder, lighting: Initiative, role: str
) -> None:
    CategorizationFactory(stakeholder=energy, initiative=lighting, lfa_roles=["active"])

    response = api_as(role).get("/cities/lumen/summary")

    assert response.status_code == 200
    [row] = response.json()
    assert row["stakeholder"]["type"]["code"] == "utility_provider"
    assert row["scale_and_sector"].startswith("Local, ")
    defaults = DefaultMatrixItem.objects.filter(type=energy.type, dimension="aim")
    assert row["aims_and_challenges"]["aims"] == [d.text for d in defaults.order_by("position")]
    assert row["lfa_roles"] == ["Active"]


@pytest.mark.parametrize("path", ["/cities/lumen/completeness", "/cities/lumen/summary"])
@pytest.mark.parametrize(("role", "status"), DENIED.items())
def test_others_see_neither_completeness_nor_summary(
    api_as: Any, city: City, path: str, role: str | None, status: int
) -> None:
    assert api_as(role).get(path).status_code == status


def test_the_summary_leaves_out_what_a_viewer_may_not_see(api_as: Any, city: City) -> None:
    StakeholderFactory(city=city, name="Quiet investor", confidential=True)

    assert api_as("viewer").get("/cities/lumen/summary").json() == []
    assert len(api_as("analyst").get("/cities/lumen/summary").json()) == 1


@pytest.mark.parametrize(("path", "limit"), [("/cities/lumen/summary", 8),
                                             ("/cities/lumen/completeness", 6)])  # fmt: skip
def test_summary_and_completeness_take_a_fixed_number_of_queries(
    api_as: Any,
    city: City,
    lighting: Initiative,
    django_assert_max_num_queries: Any,
    path: str,
    limit: int,
) -> None:
    codes = ["ngo", "municipality", "citizens", "academia_research", "utility_provider"]

    def add(count: int) -> None:
        for number in range(count):
            stakeholder = StakeholderFactory(
                city=city, type=stakeholder_type(codes[number % len(codes)])
            )
            CategorizationFactory(stakeholder=stakeholder, initiative=lighting)
            matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Own aim", by=None)

    add(5)
    assert_flat(api_as("viewer"), path, lambda: add(45), django_assert_max_num_queries, limit)


@pytest.mark.parametrize("role", EDITORS)
def test_owners_and_analysts_start_from_the_supplement(api_as: Any, city: City, role: str) -> None:
    api = api_as(role)

    first = api.post("/cities/lumen/start", {"include_units": False})
    again = api.post("/cities/lumen/start")

    assert first.status_code == 201
    assert {item["type"]["code"] for item in first.json()} >= {"municipality", "citizens"}
    assert len(first.json()) == 12
    assert all(item["is_placeholder"] for item in first.json())
    assert again.status_code == 201 and again.json() == []


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_cannot_start_from_the_supplement(
    api_as: Any, city: City, role: str | None, status: int
) -> None:
    response = api_as(role).post("/cities/lumen/start", {"include_units": True})

    assert response.status_code == status
    assert not Stakeholder.objects.filter(city=city).exists()


def test_the_history_says_who_changed_what(api_as: Any, energy: Stakeholder) -> None:
    api = api_as("analyst")
    api.patch(f"{STAKEHOLDERS}/{energy.pk}", {"version": energy.version, "name": "Lumen Power"})

    response = api.get(f"{STAKEHOLDERS}/{energy.pk}/history")

    assert response.status_code == 200
    latest = response.json()[0]
    assert (latest["action"], latest["who"], latest["record"]) == (
        "changed",
        api.user.username,
        "stakeholder",
    )
    assert {"field": "name", "old": "Lumen Energy", "new": "Lumen Power"} in latest["changes"]
