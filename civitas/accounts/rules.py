"""Predicates on a user's role in the city an object belongs to, shared by every app."""

from typing import Any

import rules

from civitas.core.permissions import role_in


def _has_role(*roles: str) -> Any:
    @rules.predicate(name="has_role_" + "_or_".join(roles))
    def predicate(user: Any, obj: Any = None) -> bool:
        return role_in(user, obj) in roles

    return predicate


is_owner = _has_role("owner")
is_analyst = _has_role("analyst")
is_contributor = _has_role("contributor")
is_viewer = _has_role("viewer")
is_member = _has_role("owner", "analyst", "contributor", "viewer")
can_edit_city_data = is_owner | is_analyst


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


is_authenticated = rules.is_authenticated

rules.add_perm("accounts.manage_tokens", is_authenticated)
