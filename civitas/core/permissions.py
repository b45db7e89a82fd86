"""Role look-ups shared by every app's rules, and the check services make."""

from typing import Any

from civitas.core.errors import PermissionDeniedError


def city_id_of(obj: Any) -> int | None:
    """Return the id of the city an object belongs to (a City, or anything with city_id)."""
    if obj is None:
        return None
    from civitas.cities.models import City

    if isinstance(obj, City):
        return obj.pk
    if hasattr(obj, "city_id"):
        return obj.city_id
    for attr in ("stakeholder", "initiative"):
        related = getattr(obj, attr, None)
        if related is not None:
            return city_id_of(related)
    return None


def roles_of(user: Any) -> dict[int, str]:
    """Return {city id: role} for a user, read once per user object."""
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(user, "_civitas_roles", None)
    if cached is None:
        cached = dict(user.memberships.values_list("city_id", "role"))
        user._civitas_roles = cached
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a membership changes."""
    if hasattr(user, "_civitas_roles"):
        del user._civitas_roles


def role_in(user: Any, obj: Any) -> str | None:
    """Return the user's role in the object's city, or None."""
    city_id = city_id_of(obj)
    if city_id is None:
        return None
    return roles_of(user).get(city_id)


def require(user: Any, permission: str, obj: Any = None) -> None:
    """Raise PermissionDeniedError unless the user holds the permission on the object."""
    if user is None or not user.has_perm(permission, obj):
        raise PermissionDeniedError(f"You do not have permission to do this ({permission}).")
