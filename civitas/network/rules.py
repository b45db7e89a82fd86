"""Who may see the map and change relationships and saved layouts."""

import rules

from civitas.accounts.rules import can_edit_city_data, is_contributor, is_member
from civitas.stakeholders.rules import acts_for_stakeholder

# A relationship is changed on behalf of its source: contributors may keep the relationships
# of the stakeholder they act for, as they keep its analysis matrix.
can_change_relationship = can_edit_city_data | (is_contributor & acts_for_stakeholder)

rules.add_perm("network.view_network", is_member)
rules.add_perm("network.add_relationship", can_change_relationship)
rules.add_perm("network.change_relationship", can_change_relationship)
rules.add_perm("network.delete_relationship", can_change_relationship)
rules.add_perm("network.save_layout", can_edit_city_data)
