"""`civitas demo`: the demo city Aurelia."""

import pytest

from civitas.accounts.models import Membership, Role, User
from civitas.catalogue.models import StakeholderType, TypeKind
from civitas.cities.demo import DEMO_PASSWORD
from civitas.cities.models import City
from civitas.stakeholders.models import Categorization, MatrixItem, Stakeholder
from civitas.stakeholders.selectors import completeness_check, stakeholder_matrix
from tests.cli import fails, run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aurelia() -> City:
    run("demo")
    return City.objects.get(slug="aurelia")


def test_the_demo_covers_every_generic_type_with_forty_stakeholders_or_more(aurelia):
    stakeholders = Stakeholder.objects.filter(city=aurelia)
    assert stakeholders.count() >= 40
    generic = set(
        StakeholderType.objects.filter(kind=TypeKind.GENERIC).values_list("code", flat=True)
    )
    present = set(stakeholders.values_list("type__code", flat=True))
    assert generic <= present
    assert completeness_check(city=aurelia).missing_types == []
    units = stakeholders.exclude(type__kind=TypeKind.GENERIC)
    assert units.filter(type__kind=TypeKind.MUNICIPAL_UNIT).count() >= 3
    assert units.filter(type__kind=TypeKind.NATIONAL_UNIT).count() >= 3
    assert all(unit.parent is not None for unit in units.select_related("parent"))
    assert aurelia.country and aurelia.development_context == "developing"
    assert aurelia.initiatives.count() >= 3


def test_the_demo_makes_the_grid_and_figure_2_interesting(aurelia):
    categorizations = list(Categorization.objects.filter(stakeholder__city=aurelia))
    categorized = {c.stakeholder_id for c in categorizations}
    assert len(categorized) >= 0.8 * Stakeholder.objects.filter(city=aurelia).count()
    assert any("potential_opponent" in c.lfa_roles for c in categorizations)
    assert any(c.attitude == -2 for c in categorizations)
    assert {c.quadrant for c in categorizations} == {
        "manage_closely", "keep_satisfied", "keep_informed", "monitor"
    }  # fmt: skip
    assert all(c.rationale for c in categorizations)
    technology_roles = {role for c in categorizations for role in c.technology_roles}
    assert technology_roles == {"technology_enabler", "technology_driver", "ssc_enabler"}


def test_the_demo_has_city_matrix_items_edits_and_contacts(aurelia):
    items = MatrixItem.objects.filter(stakeholder__city=aurelia)
    assert items.filter(replaces=None).count() >= 10
    assert items.filter(replaces__isnull=False, dismissed=False).exists()
    assert items.filter(dismissed=True).exists()
    assert items.values("stakeholder").distinct().count() >= 12
    council = Stakeholder.objects.get(city=aurelia, name="Aurelia City Council")
    sources = {
        entry.source for entries in stakeholder_matrix(council).values() for entry in entries
    }
    assert sources == {"default", "edited", "city"}
    emails = [c.email for s in Stakeholder.objects.filter(city=aurelia) for c in s.contacts.all()]
    assert emails and all(email.endswith("@example.org") for email in emails)


def test_the_demo_accounts_can_sign_in_with_the_printed_password(db):
    out, _ = run("demo")
    assert DEMO_PASSWORD in out
    city = City.objects.get(slug="aurelia")
    roles = {
        m.user.username: m
        for m in Membership.objects.filter(city=city).select_related("user", "stakeholder")
    }
    assert roles["ana"].role == Role.ANALYST
    assert roles["vera"].role == Role.VIEWER
    assert roles["carlos"].role == Role.CONTRIBUTOR
    assert roles["carlos"].stakeholder.type.code == "ngo"
    assert User.objects.get(username="vera").check_password(DEMO_PASSWORD)
    assert "no owner" in out


def test_an_administrator_becomes_the_owner(db):
    User.objects.create_superuser(username="admin", password="not-the-demo-one")
    out, _ = run("demo")
    city = City.objects.get(slug="aurelia")
    assert Membership.objects.get(city=city, user__username="admin").role == Role.OWNER
    assert "Owner of Aurelia: admin" in out


def test_a_second_run_does_nothing(aurelia):
    counts = (Stakeholder.objects.count(), Categorization.objects.count(), User.objects.count())
    out, _ = run("demo")
    assert "already there" in out
    assert (
        Stakeholder.objects.count(),
        Categorization.objects.count(),
        User.objects.count(),
    ) == counts


def test_reset_rebuilds_the_city_and_keeps_existing_passwords(db):
    UserFactory(username="ana")  # a real account of that name must keep its password
    run("demo")
    first = City.objects.get(slug="aurelia")
    stakeholders = Stakeholder.objects.filter(city=first).count()
    out, _ = run("demo", "--reset")
    rebuilt = City.objects.get(slug="aurelia")
    assert rebuilt.pk != first.pk
    assert Stakeholder.objects.filter(city=rebuilt).count() == stakeholders
    assert Stakeholder.objects.count() == stakeholders
    assert not User.objects.get(username="ana").check_password(DEMO_PASSWORD)
    assert "ana      analyst (account already existed; password unchanged)" in out


def test_unknown_options_exit_2():
    assert "--bogus" in fails("demo", "--bogus")
