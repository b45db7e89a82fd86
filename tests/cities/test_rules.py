"""Who may see and change cities, initiatives and members: every permission × every role.

The expected answers are written as a table, row for row the one in docs/permissions.md;
tests/stakeholders/test_rules.py checks that the document says the same.
"""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from civitas.accounts.services import membership_set
from civitas.cities.models import City
from civitas.stakeholders.models import Stakeholder
from tests.factories import CityFactory, InitiativeFactory, UserFactory, member

pytestmark = pytest.mark.django_db

ROLES = ("owner", "analyst", "contributor", "viewer", "outsider", "anonymous")

#  (permission, on what)                         owner analyst contributor viewer outsider anonymous
CITY_MATRIX: dict[tuple[str, str], str] = {
    ("cities.add_city", "—"):                      "yes yes yes yes yes no",
    ("cities.view_city", "city"):                  "yes yes yes yes no  no",
    ("cities.change_city", "city"):                "yes no  no  no  no  no",
    ("cities.manage_members", "city"):             "yes no  no  no  no  no",
    ("cities.view_initiative", "initiative"):      "yes yes yes yes no  no",
    ("cities.add_initiative", "city"):             "yes yes no  no  no  no",
    ("cities.change_initiative", "initiative"):    "yes yes no  no  no  no",
    ("cities.archive_initiative", "initiative"):   "yes no  no  no  no  no",
}  # fmt: skip


def expected(matrix: dict[tuple[str, str], str], row: tuple[str, str], role: str) -> bool:
    """Return the table's answer for a role: True for "yes", False for "no"."""
    answers = dict(zip(ROLES, matrix[row].split(), strict=True))
    assert answers[role] in ("yes", "no")
    return answers[role] == "yes"


def cast(city: City, own: Stakeholder | None = None) -> dict[str, Any]:
    """Return one user per role; the contributor acts for `own`, the outsider owns another city."""
    contributor = UserFactory(username="carla")
    membership_set(city=city, user=contributor, role="contributor", stakeholder=own, by=None)
    return {
        "owner": city.memberships.get(role="owner").user,
        "analyst": member(city, "analyst"),
        "contributor": contributor,
        "viewer": member(city, "viewer"),
        "outsider": CityFactory(name="Elsewhere").memberships.get().user,
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", list(CITY_MATRIX), ids=lambda row: f"{row[0]}[{row[1]}]")
def test_city_permissions(city, row, role):
    permission, on = row
    targets = {"—": None, "city": city, "initiative": InitiativeFactory(city=city)}
    user = cast(city)[role]

    assert user.has_perm(permission, targets[on]) is expected(CITY_MATRIX, row, role)


def test_a_member_of_two_cities_holds_each_role_in_its_own_city(city, owner):
    elsewhere = CityFactory(name="Elsewhere")
    membership_set(city=elsewhere, user=owner, role="viewer", by=None)

    assert owner.has_perm("cities.change_city", city)
    assert not owner.has_perm("cities.change_city", elsewhere)
    assert owner.has_perm("cities.view_city", elsewhere)


def test_a_changed_role_takes_effect_at_once(city, user_in):
    user = user_in("viewer")
    assert not user.has_perm("cities.add_initiative", city)

    membership_set(city=city, user=user, role="analyst", by=None)

    assert user.has_perm("cities.add_initiative", city)
