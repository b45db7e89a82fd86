"""Who may see health checks, run them and set the thresholds they use.

Every member sees the findings; owners and analysts, who run the engagement, run the
checks; owners set the city's thresholds.
"""

import rules

from civitas.accounts.rules import can_edit_city_data, is_member, is_owner

rules.add_perm("health.view_health", is_member)
rules.add_perm("health.run_health", can_edit_city_data)
rules.add_perm("health.change_thresholds", is_owner)
