"""Who may see and change a city's engagement records.

Owners and analysts run the engagement. Contributors act only for the stakeholder their
membership names: they answer its invitations, send its contributions and grievances
and appeal its grievances. Viewers read. Citizens and anonymous visitors reach only the
public services, which take no user and check what the city published.
"""

import rules

from civitas.accounts.rules import (
    can_edit_city_data,
    is_contributor,
    is_member,
    is_owner,
    is_viewer,
)
from civitas.stakeholders.rules import acts_for_stakeholder

acts_for_own_stakeholder = is_contributor & acts_for_stakeholder

rules.add_perm("engagement.view_engagement", is_member)
# Names, e-mail addresses and consent of citizens and complainants.
rules.add_perm("engagement.view_personal_data", can_edit_city_data)
rules.add_perm("engagement.change_settings", is_owner)
rules.add_perm("engagement.manage_activity", can_edit_city_data)
rules.add_perm("engagement.answer_invitation", can_edit_city_data | acts_for_own_stakeholder)
rules.add_perm("engagement.add_contribution", can_edit_city_data | acts_for_own_stakeholder)
rules.add_perm("engagement.change_contribution", can_edit_city_data | acts_for_own_stakeholder)
rules.add_perm("engagement.delete_contribution", can_edit_city_data)
rules.add_perm("engagement.decide", can_edit_city_data)
rules.add_perm(
    "engagement.view_grievance", can_edit_city_data | is_viewer | acts_for_own_stakeholder
)
rules.add_perm("engagement.view_grievances", can_edit_city_data | is_viewer)
rules.add_perm("engagement.lodge_grievance", can_edit_city_data | acts_for_own_stakeholder)
rules.add_perm("engagement.handle_grievance", can_edit_city_data)
rules.add_perm("engagement.appeal_grievance", can_edit_city_data | acts_for_own_stakeholder)
rules.add_perm("engagement.manage_reviews", can_edit_city_data)
