"""Who may do what with engagement records: one test per permission and role."""

import pytest

from civitas.engagement.models import Contribution, Grievance, Participation
from tests.factories import StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["owner", "analyst", "contributor", "viewer", "outsider", "anonymous"]

# permission: roles allowed, asked about the city
ON_CITY = {
    "engagement.view_engagement": {"owner", "analyst", "contributor", "viewer"},
    "engagement.view_personal_data": {"owner", "analyst"},
    "engagement.change_settings": {"owner"},
    "engagement.manage_activity": {"owner", "analyst"},
    "engagement.decide": {"owner", "analyst"},
    "engagement.delete_contribution": {"owner", "analyst"},
    "engagement.view_grievances": {"owner", "analyst", "viewer"},
    "engagement.handle_grievance": {"owner", "analyst"},
    "engagement.manage_reviews": {"owner", "analyst"},
}

# permission: (roles allowed for the contributor's own stakeholder, for another one)
ON_STAKEHOLDER = {
    "engagement.answer_invitation": (
        {"owner", "analyst", "contributor"}, {"owner", "analyst"}
    ),
    "engagement.add_contribution": ({"owner", "analyst", "contributor"}, {"owner", "analyst"}),
    "engagement.change_contribution": (
        {"owner", "analyst", "contributor"}, {"owner", "analyst"}
    ),
    "engagement.lodge_grievance": ({"owner", "analyst", "contributor"}, {"owner", "analyst"}),
    "engagement.appeal_grievance": ({"owner", "analyst", "contributor"}, {"owner", "analyst"}),
    "engagement.view_grievance": (
        {"owner", "analyst", "contributor", "viewer"}, {"owner", "analyst", "viewer"}
    ),
}  # fmt: skip


@pytest.fixture
def people(city, green, user_in, contributor_for):
    from django.contrib.auth.models import AnonymousUser

    return {
        "owner": user_in("owner"),
        "analyst": user_in("analyst"),
        "contributor": contributor_for(green),
        "viewer": user_in("viewer"),
        "outsider": UserFactory(),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("permission", sorted(ON_CITY))
@pytest.mark.parametrize("role", ROLES)
def test_permissions_on_the_city(city, people, permission, role):
    assert people[role].has_perm(permission, city) == (role in ON_CITY[permission])


def _records(city, activity, stakeholder):
    return {
        "engagement.answer_invitation": Participation(activity=activity, stakeholder=stakeholder),
        "engagement.add_contribution": Contribution(city=city, stakeholder=stakeholder),
        "engagement.change_contribution": Contribution(city=city, stakeholder=stakeholder),
        "engagement.lodge_grievance": Grievance(city=city, stakeholder=stakeholder),
        "engagement.appeal_grievance": Grievance(city=city, stakeholder=stakeholder),
        "engagement.view_grievance": Grievance(city=city, stakeholder=stakeholder),
    }


@pytest.mark.parametrize("permission", sorted(ON_STAKEHOLDER))
@pytest.mark.parametrize("role", ROLES)
def test_contributors_act_only_for_their_own_stakeholder(
    city, activity, green, people, permission, role
):
    other = StakeholderFactory(city=city, name="Other NGO")
    own_allowed, other_allowed = ON_STAKEHOLDER[permission]
    user = people[role]
    assert user.has_perm(permission, _records(city, activity, green)[permission]) == (
        role in own_allowed
    )
    assert user.has_perm(permission, _records(city, activity, other)[permission]) == (
        role in other_allowed
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_citizens_record_is_only_staff_business(city, people, role):
    citizens = Contribution(city=city, stakeholder=None)
    allowed = role in {"owner", "analyst"}
    assert people[role].has_perm("engagement.add_contribution", citizens) == allowed
    assert people[role].has_perm("engagement.lodge_grievance", Grievance(city=city)) == allowed
