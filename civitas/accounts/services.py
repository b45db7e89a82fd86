"""Writes for users, memberships and API tokens."""

import os
import secrets
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import ApiToken, Membership, Role, User, hash_token
from civitas.cities.models import City
from civitas.core.errors import PermissionDeniedError, ValidationError
from civitas.core.permissions import forget_roles, require
from civitas.stakeholders.models import Stakeholder


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for the user; return it with the raw key, which is shown once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Give the token a name, e.g. the script that uses it."]})
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=hash_token(raw), hint=raw[:12]
    )
    return token, raw


def token_revoke(*, token: ApiToken, by: User) -> None:
    """Revoke a token so that it no longer authenticates."""
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDeniedError("You can only revoke your own tokens.")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_authenticate(raw: str) -> User | None:
    """Return the active user a raw token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def membership_set(
    *,
    city: City,
    user: User,
    role: str,
    by: User | None,
    stakeholder: Stakeholder | None = None,
) -> Membership:
    """Give a user a role in a city (or change it); `by` None means the system itself."""
    if by is not None:
        require(by, "cities.manage_members", city)
    if role not in Role.values:
        raise ValidationError(
            {"role": [f"Unknown role '{role}'. Choose one of: {', '.join(Role.values)}."]}
        )
    if stakeholder is not None and stakeholder.city_id != city.pk:
        raise ValidationError({"stakeholder": ["The stakeholder belongs to another city."]})
    if role != Role.CONTRIBUTOR:
        stakeholder = None
    existing = Membership.objects.filter(city=city, user=user).first()
    if existing and existing.role == Role.OWNER and role != Role.OWNER:
        _keep_an_owner(city, leaving=existing)
    membership, _ = Membership.objects.update_or_create(
        city=city, user=user, defaults={"role": role, "stakeholder": stakeholder}
    )
    forget_roles(user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a user from a city; a city always keeps at least one owner."""
    require(by, "cities.manage_members", membership.city)
    if membership.role == Role.OWNER:
        _keep_an_owner(membership.city, leaving=membership)
    membership.delete()
    forget_roles(membership.user)


def _keep_an_owner(city: City, *, leaving: Membership) -> None:
    others = Membership.objects.filter(city=city, role=Role.OWNER).exclude(pk=leaving.pk)
    if not others.exists():
        raise ValidationError({"role": ["A city needs at least one owner: appoint another first."]})


@transaction.atomic
def administrator_ensure(
    *, password_file: Path, username: str = "admin"
) -> tuple[User, str | None]:
    """Create an administrator if no superuser exists; return it and its new password, if any.

    The generated password is also written to `password_file` (readable by its owner only),
    so that a later start can say where to find it.
    """
    existing = User.objects.filter(is_superuser=True).order_by("pk").first()
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    user = User.objects.create_superuser(username=username, email="", password=password)
    password_file.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only from the start: writing first and restricting afterwards would leave the
    # password readable for a moment.
    descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(f"{username}\n{password}\n")
    password_file.chmod(0o600)
    return user, password
