"""The catalogue is the Supplement's public content: anyone may read it."""

import rules

rules.add_perm("catalogue.view_catalogue", rules.always_allow)
rules.add_perm("catalogue.load_catalogue", rules.is_superuser)
