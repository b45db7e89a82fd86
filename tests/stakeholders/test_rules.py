"""Who may see and change the registry and the analysis matrix: every permission × every role.

The expected answers are a table, and docs/permissions.md must show the same table: the last
tests read the document and compare.
"""

import re
from pathlib import Path

import pytest
from rules.permissions import permissions as registered_permissions

from tests.cities.test_rules import CITY_MATRIX, ROLES, cast, expected
from tests.factories import StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"

OWN = "contributor's own stakeholder"

#  (permission, on what)                                   owner analyst contributor viewer outsider anonymous
STAKEHOLDER_MATRIX: dict[tuple[str, str], str] = {
    ("stakeholders.view_stakeholder", "stakeholder"):              "yes yes yes yes no  no",
    ("stakeholders.view_stakeholder", "confidential stakeholder"): "yes yes no  no  no  no",
    ("stakeholders.view_confidential", "city"):                    "yes yes no  no  no  no",
    ("stakeholders.view_contacts", "stakeholder"):                 "yes yes yes yes no  no",
    ("stakeholders.view_contacts", "confidential stakeholder"):    "yes yes no  no  no  no",
    ("stakeholders.add_stakeholder", "city"):                      "yes yes no  no  no  no",
    ("stakeholders.change_stakeholder", "stakeholder"):            "yes yes no  no  no  no",
    ("stakeholders.change_stakeholder", OWN):                      "yes yes no  no  no  no",
    ("stakeholders.archive_stakeholder", "stakeholder"):           "yes yes no  no  no  no",
    ("stakeholders.delete_stakeholder", "stakeholder"):            "yes yes no  no  no  no",
    ("stakeholders.merge_stakeholder", "stakeholder"):             "yes yes no  no  no  no",
    ("stakeholders.categorize", "stakeholder"):                    "yes yes no  no  no  no",
    ("stakeholders.categorize", OWN):                              "yes yes no  no  no  no",
    ("stakeholders.change_matrix", "stakeholder"):                 "yes yes no  no  no  no",
    ("stakeholders.change_matrix", OWN):                           "yes yes yes no  no  no",
}  # fmt: skip

NETWORK_MATRIX: dict[tuple[str, str], str] = {
    ("network.view_network", "city"):                              "yes yes yes yes no  no",
    ("network.add_relationship", "stakeholder"):                   "yes yes no  no  no  no",
    ("network.add_relationship", OWN):                             "yes yes yes no  no  no",
    ("network.change_relationship", "stakeholder"):                "yes yes no  no  no  no",
    ("network.change_relationship", OWN):                          "yes yes yes no  no  no",
    ("network.delete_relationship", "stakeholder"):                "yes yes no  no  no  no",
    ("network.delete_relationship", OWN):                          "yes yes yes no  no  no",
    ("network.save_layout", "city"):                               "yes yes no  no  no  no",
}  # fmt: skip

PLATFORM_MATRIX: dict[tuple[str, str], str] = {
    ("catalogue.view_catalogue", "—"):                             "yes yes yes yes yes yes",
    ("catalogue.load_catalogue", "—"):                             "no  no  no  no  no  no",
    ("accounts.manage_tokens", "—"):                               "yes yes yes yes yes no",
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "row",
    list(STAKEHOLDER_MATRIX | NETWORK_MATRIX | PLATFORM_MATRIX),
    ids=lambda row: f"{row[0]}[{row[1]}]",
)
def test_registry_permissions(city, row, role):
    permission, on = row
    own = StakeholderFactory(city=city, name="Repair Café")
    targets = {
        "—": None,
        "city": city,
        "stakeholder": StakeholderFactory(city=city, name="Green Lumen"),
        "confidential stakeholder": StakeholderFactory(city=city, name="Secret", confidential=True),
        OWN: own,
    }
    user = cast(city, own=own)[role]

    allowed = user.has_perm(permission, targets[on])

    assert allowed is expected(STAKEHOLDER_MATRIX | NETWORK_MATRIX | PLATFORM_MATRIX, row, role)


def test_a_contributor_acts_for_its_stakeholder_in_its_own_city_only(city):
    own = StakeholderFactory(city=city, name="Repair Café")
    contributor = cast(city, own=own)["contributor"]
    namesake_elsewhere = StakeholderFactory(name="Repair Café")

    assert contributor.has_perm("stakeholders.change_matrix", own)
    assert not contributor.has_perm("stakeholders.change_matrix", namesake_elsewhere)


def test_a_contributor_without_a_stakeholder_changes_no_matrix(city):
    stakeholder = StakeholderFactory(city=city)
    contributor = cast(city, own=None)["contributor"]

    assert not contributor.has_perm("stakeholders.change_matrix", stakeholder)


@pytest.mark.parametrize("role", ROLES)
def test_asking_about_the_matrix_of_a_city_rather_than_a_stakeholder_is_answered(city, role):
    """Pages ask with the city to decide whether to offer matrix edits at all."""
    user = cast(city, own=StakeholderFactory(city=city))[role]

    assert user.has_perm("stakeholders.change_matrix", city) is (role in ("owner", "analyst"))


def test_only_a_superuser_loads_the_catalogue():
    assert UserFactory(is_superuser=True).has_perm("catalogue.load_catalogue")


# --- docs/permissions.md shows the same matrix --------------------------------------------

ROW = re.compile(r"^\|(?P<cells>.+)\|\s*$")


def documented_matrix() -> dict[tuple[str, str], str]:
    """Read the role table from docs/permissions.md as {(permission, on): "yes no ..."}."""
    matrix: dict[tuple[str, str], str] = {}
    for line in DOCUMENT.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if not match:
            continue
        cells = [cell.strip() for cell in match["cells"].split("|")]
        permission = re.fullmatch(r"`([a-z_]+\.[a-z_]+)`", cells[1]) if len(cells) > 2 else None
        if permission is None:
            continue
        answers = [cell.lower() for cell in cells[3:]]
        matrix[(permission[1], cells[2])] = " ".join(answers)
    return matrix


def normalized(matrix: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    return {row: " ".join(answers.split()) for row, answers in matrix.items()}


def test_the_document_shows_the_tested_matrix():
    tested = normalized(CITY_MATRIX | STAKEHOLDER_MATRIX | NETWORK_MATRIX | PLATFORM_MATRIX)

    assert documented_matrix() == tested


def test_the_document_names_the_roles_in_the_tested_order():
    header = next(
        line for line in DOCUMENT.read_text(encoding="utf-8").splitlines() if "| Owner" in line
    )
    columns = [cell.strip().lower() for cell in header.strip().strip("|").split("|")][3:]

    assert tuple(columns) == ROLES


def test_every_permission_of_these_apps_is_in_the_matrix():
    apps = ("accounts.", "cities.", "stakeholders.", "catalogue.", "network.")
    defined = {name for name in registered_permissions if name.startswith(apps)}
    matrices = CITY_MATRIX | STAKEHOLDER_MATRIX | NETWORK_MATRIX | PLATFORM_MATRIX
    tested = {permission for permission, _ in matrices}

    assert defined == tested
