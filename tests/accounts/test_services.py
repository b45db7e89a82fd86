"""API tokens, memberships and the first administrator."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from civitas.accounts.models import ApiToken, Membership, Role, User, hash_token
from civitas.accounts.services import (
    administrator_ensure,
    membership_remove,
    membership_set,
    token_authenticate,
    token_create,
    token_revoke,
)
from civitas.core.errors import PermissionDeniedError, ValidationError, error_messages
from tests.factories import CityFactory, StakeholderFactory, UserFactory, member, membership

pytestmark = pytest.mark.django_db


# --- API tokens ---------------------------------------------------------------------------


class TestTokens:
    def test_a_token_is_shown_once_and_stored_hashed(self):
        user = UserFactory()

        token, raw = token_create(user=user, name="  Nightly export  ")

        assert raw.startswith(ApiToken.PREFIX)
        assert len(raw) > 40
        stored = ApiToken.objects.get(pk=token.pk)
        assert stored.name == "Nightly export"
        assert stored.key_hash == hash_token(raw) != raw
        assert stored.hint == raw[:12]
        assert raw not in {stored.key_hash, stored.name}

    def test_every_token_is_different(self):
        user = UserFactory()

        raws = {token_create(user=user, name=f"Script {n}")[1] for n in range(5)}

        assert len(raws) == 5

    def test_a_token_needs_a_name(self):
        with pytest.raises(ValidationError) as excinfo:
            token_create(user=UserFactory(), name="   ")

        assert "name" in error_messages(excinfo.value)
        assert not ApiToken.objects.exists()

    def test_a_token_authenticates_its_user_and_records_its_use(self):
        user = UserFactory()
        token, raw = token_create(user=user, name="Script")

        assert token_authenticate(raw) == user
        assert ApiToken.objects.get(pk=token.pk).last_used_at is not None

    @pytest.mark.parametrize("raw", ["", "cvt_", "cvt_not-a-token", "Bearer cvt_x"])
    def test_an_unknown_token_authenticates_no_one(self, raw):
        token_create(user=UserFactory(), name="Script")

        assert token_authenticate(raw) is None

    def test_a_revoked_token_no_longer_authenticates(self):
        user = UserFactory()
        token, raw = token_create(user=user, name="Script")
        _, other_raw = token_create(user=user, name="Other script")

        token_revoke(token=token, by=user)

        assert token_authenticate(raw) is None
        assert token_authenticate(other_raw) == user
        assert ApiToken.objects.get(pk=token.pk).revoked_at is not None

    def test_a_deactivated_users_token_no_longer_authenticates(self):
        user = UserFactory()
        _, raw = token_create(user=user, name="Script")
        user.is_active = False
        user.save()

        assert token_authenticate(raw) is None

    def test_only_the_tokens_owner_or_a_superuser_revokes_it(self):
        user = UserFactory()
        token, raw = token_create(user=user, name="Script")

        with pytest.raises(PermissionDeniedError):
            token_revoke(token=token, by=UserFactory())
        assert token_authenticate(raw) == user

        token_revoke(token=token, by=UserFactory(is_superuser=True))
        assert token_authenticate(raw) is None


# --- memberships --------------------------------------------------------------------------


class TestMemberships:
    def test_the_owner_gives_and_changes_a_role(self, city, owner):
        user = UserFactory()

        membership_set(city=city, user=user, role=Role.VIEWER, by=owner)
        assert user.has_perm("cities.view_city", city)
        assert not user.has_perm("stakeholders.add_stakeholder", city)

        membership_set(city=city, user=user, role=Role.ANALYST, by=owner)
        assert user.has_perm("stakeholders.add_stakeholder", city)
        assert Membership.objects.filter(city=city, user=user).count() == 1

    @pytest.mark.parametrize("role", ["analyst", "contributor", "viewer"])
    def test_only_an_owner_manages_members(self, city, user_in, role):
        user = UserFactory()

        with pytest.raises(PermissionDeniedError):
            membership_set(city=city, user=user, role=Role.VIEWER, by=user_in(role))

        assert not Membership.objects.filter(user=user).exists()

    def test_an_unknown_role_is_refused(self, city, owner):
        with pytest.raises(ValidationError) as excinfo:
            membership_set(city=city, user=UserFactory(), role="mayor", by=owner)

        assert "role" in error_messages(excinfo.value)

    def test_a_contributor_acts_for_a_stakeholder_of_the_same_city_only(self, city, owner):
        user = UserFactory()
        foreign = StakeholderFactory(city=CityFactory())

        with pytest.raises(ValidationError) as excinfo:
            membership_set(
                city=city, user=user, role=Role.CONTRIBUTOR, stakeholder=foreign, by=owner
            )

        assert "stakeholder" in error_messages(excinfo.value)
        assert not Membership.objects.filter(user=user).exists()

    def test_only_a_contributor_keeps_a_stakeholder(self, city, owner):
        stakeholder = StakeholderFactory(city=city)
        user = UserFactory()
        membership_set(
            city=city, user=user, role=Role.CONTRIBUTOR, stakeholder=stakeholder, by=owner
        )
        assert membership(city, user).stakeholder == stakeholder

        membership_set(city=city, user=user, role=Role.VIEWER, stakeholder=stakeholder, by=owner)

        assert membership(city, user).stakeholder is None

    def test_the_only_owner_cannot_step_down_or_leave(self, city, owner):
        with pytest.raises(ValidationError) as excinfo:
            membership_set(city=city, user=owner, role=Role.ANALYST, by=owner)
        assert "role" in error_messages(excinfo.value)

        with pytest.raises(ValidationError):
            membership_remove(membership=membership(city, owner), by=owner)

        assert membership(city, owner).role == Role.OWNER

    def test_an_owner_may_step_down_once_there_is_another(self, city, owner):
        successor = member(city, Role.OWNER)

        membership_set(city=city, user=owner, role=Role.ANALYST, by=owner)

        assert membership(city, owner).role == Role.ANALYST
        with pytest.raises(ValidationError):
            membership_remove(membership=membership(city, successor), by=successor)
        assert membership(city, successor).role == Role.OWNER

    def test_a_removed_member_loses_access(self, city, owner, user_in):
        viewer = user_in("viewer")
        assert viewer.has_perm("cities.view_city", city)

        membership_remove(membership=membership(city, viewer), by=owner)

        assert not Membership.objects.filter(user=viewer).exists()
        next_request_user = User.objects.get(pk=viewer.pk)
        assert not next_request_user.has_perm("cities.view_city", city)

    def test_an_analyst_may_not_remove_members(self, city, user_in):
        viewer = user_in("viewer")

        with pytest.raises(PermissionDeniedError):
            membership_remove(membership=membership(city, viewer), by=user_in("analyst"))

        assert Membership.objects.filter(user=viewer).exists()


# --- the first administrator --------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Let new files be readable by everyone, unless the code asks otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


class TestAdministrator:
    def test_an_administrator_is_created_once_with_a_private_password_file(
        self, tmp_path: Path, open_umask: None
    ):
        password_file = tmp_path / "secrets" / "admin-password.txt"

        user, password = administrator_ensure(password_file=password_file)

        assert user.is_superuser and user.is_staff and user.username == "admin"
        assert password and user.check_password(password)
        assert password_file.read_text().splitlines() == ["admin", password]
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600

        again, no_password = administrator_ensure(password_file=password_file)

        assert (again, no_password) == (user, None)
        assert User.objects.filter(is_superuser=True).count() == 1
        assert password_file.read_text().splitlines() == ["admin", password]

    def test_an_existing_file_is_made_private_too(self, tmp_path: Path, open_umask: None):
        password_file = tmp_path / "admin-password.txt"
        password_file.write_text("old\n")
        password_file.chmod(0o644)

        _, password = administrator_ensure(password_file=password_file, username="root")

        assert password_file.read_text().splitlines() == ["root", password]
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600

    def test_an_existing_superuser_is_kept_and_no_file_is_written(self, tmp_path: Path):
        existing = UserFactory(is_superuser=True, is_staff=True)
        password_file = tmp_path / "admin-password.txt"

        user, password = administrator_ensure(password_file=password_file)

        assert (user, password) == (existing, None)
        assert not password_file.exists()
        assert not User.objects.filter(username="admin").exists()
