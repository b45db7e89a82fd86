"""Clients for the API: a bearer token per role, the session, or nobody."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from civitas.accounts.models import ApiToken, User
from civitas.accounts.services import token_create, token_revoke
from civitas.cities.models import City
from tests.factories import UserFactory

BASE = "/api/v1"


class Api:
    """A test client that speaks JSON to /api/v1 with an optional bearer token."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = client or Client(headers=headers)
        self.user: User | None = None

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {})

    def _send(self, method: str, path: str, body: Any) -> Any:
        data = "" if body is None else json.dumps(body)
        return getattr(self.client, method)(BASE + path, data, content_type="application/json")

    def post(self, path: str, body: Any = None) -> Any:
        return self._send("post", path, {} if body is None else body)

    def post_without_body(self, path: str) -> Any:
        return self.client.post(BASE + path, "", content_type="application/json")

    def put(self, path: str, body: Any = None) -> Any:
        return self._send("put", path, {} if body is None else body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self._send("patch", path, {} if body is None else body)

    def delete(self, path: str) -> Any:
        return self.client.delete(BASE + path)


def api_for(user: User) -> Api:
    """Return an API client holding a fresh token of the user."""
    _, raw = token_create(user=user, name="tests")
    api = Api(raw)
    api.user = user
    return api


@pytest.fixture
def api_as(city: City, user_in: Callable[[str], User]) -> Callable[[str | None], Api]:
    """Return a function giving an API client for a role in `city`.

    Besides the four roles: "outsider" (a user of no city), None (no credentials) and
    "revoked" (an owner whose token was revoked).
    """

    def make(role: str | None) -> Api:
        if role is None:
            return Api()
        if role == "outsider":
            return api_for(UserFactory())
        if role == "revoked":
            user = user_in("owner")
            token, raw = token_create(user=user, name="old")
            token_revoke(token=token, by=user)
            assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
            return Api(raw)
        return api_for(user_in(role))

    return make
