"""`civitas token create`."""

import pytest

from civitas.accounts.models import ApiToken
from civitas.accounts.services import token_authenticate
from tests.cli import fails, run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_prints_only_a_working_token():
    user = UserFactory(username="helena")
    out, err = run("token", "create", "--user", "helena", "--name", "Nightly import")
    raw = out.strip()
    assert out == raw + "\n"
    assert raw.startswith(ApiToken.PREFIX)
    assert token_authenticate(raw) == user
    token = ApiToken.objects.get(user=user)
    assert token.name == "Nightly import"
    assert token.key_hash != raw


def test_the_label_has_a_default():
    UserFactory(username="helena")
    run("token", "create", "--user", "helena")
    assert ApiToken.objects.get().name == "Command line"


def test_an_unknown_user_exits_2_and_creates_nothing():
    assert "No user named 'ghost'" in fails("token", "create", "--user", "ghost")
    assert not ApiToken.objects.exists()


def test_a_deactivated_user_gets_no_token():
    UserFactory(username="gone", is_active=False)
    assert "deactivated" in fails("token", "create", "--user", "gone")
    assert not ApiToken.objects.exists()


def test_a_blank_label_exits_2():
    UserFactory(username="helena")
    assert "name" in fails("token", "create", "--user", "helena", "--name", "  ")
    assert not ApiToken.objects.exists()


def test_the_user_is_required():
    assert "--user" in fails("token", "create")
