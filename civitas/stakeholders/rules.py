"""Who may see and change the registry, categorizations and the analysis matrix."""

from typing import Any

import rules

from civitas.accounts.rules import can_edit_city_data, is_contributor, is_member
from civitas.core.permissions import roles_of


@rules.predicate
def is_not_confidential(user: Any, obj: Any = None) -> bool:
    return not getattr(obj, "confidential", False)


@rules.predicate
def acts_for_stakeholder(user: Any, obj: Any = None) -> bool:
    """The user is a contributor who belongs to this very stakeholder."""
    from civitas.stakeholders.models import Stakeholder

    stakeholder = getattr(obj, "stakeholder", obj)
    # A city or no object at all names no stakeholder to act for.
    if not isinstance(stakeholder, Stakeholder) or stakeholder.pk is None:
        return False
    if not user.is_authenticated:
        return False
    if stakeholder.city_id not in roles_of(user):
        return False
    return user.memberships.filter(
        city_id=stakeholder.city_id, stakeholder_id=stakeholder.pk
    ).exists()


can_view_stakeholder = is_member & (is_not_confidential | can_edit_city_data)

rules.add_perm("stakeholders.view_stakeholder", can_view_stakeholder)
rules.add_perm("stakeholders.view_confidential", can_edit_city_data)
# Contacts are personal data: no one sees those of a stakeholder hidden from them.
rules.add_perm("stakeholders.view_contacts", can_view_stakeholder)
rules.add_perm("stakeholders.add_stakeholder", can_edit_city_data)
rules.add_perm("stakeholders.change_stakeholder", can_edit_city_data)
rules.add_perm("stakeholders.archive_stakeholder", can_edit_city_data)
rules.add_perm("stakeholders.delete_stakeholder", can_edit_city_data)
rules.add_perm("stakeholders.merge_stakeholder", can_edit_city_data)
rules.add_perm("stakeholders.categorize", can_edit_city_data)
rules.add_perm(
    "stakeholders.change_matrix", can_edit_city_data | (is_contributor & acts_for_stakeholder)
)
