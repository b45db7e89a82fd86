"""Who may see and change cities, their initiatives and their members."""

import rules

from civitas.accounts.rules import can_edit_city_data, is_authenticated, is_member, is_owner

rules.add_perm("cities.add_city", is_authenticated)
rules.add_perm("cities.view_city", is_member)
rules.add_perm("cities.change_city", is_owner)
rules.add_perm("cities.manage_members", is_owner)
rules.add_perm("cities.view_initiative", is_member)
rules.add_perm("cities.add_initiative", can_edit_city_data)
rules.add_perm("cities.change_initiative", can_edit_city_data)
rules.add_perm("cities.archive_initiative", is_owner)
