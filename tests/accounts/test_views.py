"""Signing in and out, changing the password, and API tokens in the browser."""

import hashlib
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from civitas.accounts.models import ApiToken, User
from civitas.accounts.services import token_authenticate, token_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db: None) -> User:
    return UserFactory(username="tomas")


@pytest.fixture
def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def login_url(next_url: str) -> str:
    return f"{reverse('accounts:login')}?next={next_url}"


# ---- Log in and out -------------------------------------------------------------------------


def test_login_page_is_a_plain_accessible_form(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert '<button type="submit">Log in</button>' in html
    assert 'href="#main"' in html  # skip link


def test_login_with_a_wrong_password_says_so_and_stays_out(client: Client, user: User) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "tomas", "password": "not-the-password"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Please enter a correct username and password" in html
    assert SESSION_KEY not in client.session


def test_login_with_empty_fields_marks_them(client: Client, db: None) -> None:
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_username_error"' in html
    assert 'aria-describedby="id_username_error"' in html


def test_login_goes_to_my_cities_or_to_the_page_asked_for(client: Client, user: User) -> None:
    response = client.post(reverse("accounts:login"), {"username": "tomas", "password": PASSWORD})
    assert response.url == reverse("cities:list")
    assert client.session[SESSION_KEY] == str(user.pk)
    client.logout()
    tokens = reverse("accounts:tokens")
    response = client.post(
        reverse("accounts:login"), {"username": "tomas", "password": PASSWORD, "next": tokens}
    )
    assert response.url == tokens


def test_login_ignores_a_next_address_on_another_site(client: Client, user: User) -> None:
    response = client.post(
        reverse("accounts:login"),
        {"username": "tomas", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("cities:list")


def test_a_page_that_needs_login_says_so_on_the_login_page(client: Client, db: None) -> None:
    response = client.get(login_url(reverse("cities:list")))
    assert b"Please log in to see that page." in response.content


def test_logout_needs_a_post(logged_in: Client) -> None:
    assert logged_in.get(reverse("accounts:logout")).status_code == 405
    assert SESSION_KEY in logged_in.session
    response = logged_in.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert SESSION_KEY not in logged_in.session


# ---- Password change ------------------------------------------------------------------------


def test_password_change_needs_login(client: Client) -> None:
    url = reverse("accounts:password_change")
    assert client.get(url).url == login_url(url)


def test_password_change_changes_it(logged_in: Client, user: User) -> None:
    assert logged_in.get(reverse("accounts:password_change")).status_code == 200
    response = logged_in.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
    )
    assert response.url == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("a-much-longer-passphrase-42")
    done = logged_in.get(response.url)
    assert b"Your password is changed" in done.content


def test_password_change_with_a_wrong_old_password_changes_nothing(
    logged_in: Client, user: User
) -> None:
    response = logged_in.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert b'id="id_old_password_error"' in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# ---- API tokens ---------------------------------------------------------------------------------


def test_tokens_need_login(client: Client) -> None:
    url = reverse("accounts:tokens")
    assert client.get(url).url == login_url(url)
    assert client.post(url, {"name": "x"}).url == login_url(url)
    assert not ApiToken.objects.exists()


def test_tokens_page_lists_only_my_tokens(logged_in: Client, user: User) -> None:
    mine, _ = token_create(user=user, name="nightly export")
    token_create(user=UserFactory(), name="someone else's script")
    response = logged_in.get(reverse("accounts:tokens"))
    assert response.status_code == 200
    assert list(response.context["tokens"]) == [mine]
    html = response.content.decode()
    assert "nightly export" in html
    assert f"{mine.hint}…" in html
    assert "never" in html
    assert "someone else" not in html


def test_a_new_token_is_shown_once_and_stored_hashed(logged_in: Client, user: User) -> None:
    response = logged_in.post(reverse("accounts:tokens"), {"name": "GIS sync"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw_key"]
    assert re.fullmatch(r"cvt_[-\w]{20,}", raw)
    assert f'value="{raw}"' in response.content.decode()
    assert b"it is shown only this once" in response.content
    assert b'data-copy="#new-token-key"' in response.content
    token = ApiToken.objects.get(user=user)
    assert token.name == "GIS sync"
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.key_hash, token.hint, token.name}
    assert token_authenticate(raw) == user
    again = logged_in.get(reverse("accounts:tokens"))
    assert raw not in again.content.decode()
    assert token.hint in again.content.decode()


def test_a_token_without_a_name_is_not_created(logged_in: Client) -> None:
    response = logged_in.post(reverse("accounts:tokens"), {"name": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not response.context["raw_key"]
    assert b'id="id_name_error"' in response.content
    assert not ApiToken.objects.exists()


def test_revoking_a_token_asks_first_then_stops_it(logged_in: Client, user: User) -> None:
    token, raw = token_create(user=user, name="old script")
    url = reverse("accounts:token_revoke", args=[token.pk])
    page = logged_in.get(url)
    assert page.status_code == 200
    assert "Revoke the token “old script”?" in page.content.decode()
    assert logged_in.post(url).status_code == 200  # not confirmed: the question again
    token.refresh_from_db()
    assert token.revoked_at is None
    response = logged_in.post(url, {"confirmed": "yes"})
    assert response.url == reverse("accounts:tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(raw) is None
    listing = logged_in.get(reverse("accounts:tokens")).content.decode()
    assert "is revoked" in listing
    assert "badge-revoked" in listing


def test_someone_elses_token_cannot_be_revoked(logged_in: Client) -> None:
    token, raw = token_create(user=UserFactory(), name="theirs")
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert logged_in.get(url).status_code == 404
    assert logged_in.post(url, {"confirmed": "yes"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token_authenticate(raw) is not None


def test_revoking_needs_login(client: Client, user: User) -> None:
    token, _ = token_create(user=user, name="x")
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client.post(url, {"confirmed": "yes"}).url == login_url(url)
    token.refresh_from_db()
    assert token.revoked_at is None
