"""Who gets in: tokens, the session with its CSRF check, nobody; the schema and the docs."""

import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import IntegrityError
from django.test import Client
from openapi_spec_validator import validate

from civitas.accounts.services import membership_set, token_create
from civitas.api import api
from civitas.cities.models import City, Initiative
from tests.api.conftest import BASE, Api, api_for
from tests.factories import CityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_params={})
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if not path.startswith((f"{BASE}/catalogue", f"{BASE}/public/"))
    ]


OPERATIONS = _operations()


def _call(client: Client, method: str, path: str) -> Any:
    url = re.sub(r"\{slug\}", "lumen", path)
    url = re.sub(r"\{key\}", "ngo-aim-1", url)
    url = re.sub(r"\{\w+\}", "1", url)
    return client.generic(method, url, "{}", content_type="application/json")


def test_the_schema_lists_every_registry_operation() -> None:
    city = f"{BASE}/cities/{{slug}}"
    stakeholder = f"{city}/stakeholders/{{stakeholder_id}}"
    expected = {
        ("GET", f"{BASE}/me"),
        ("GET", f"{BASE}/cities"),
        ("POST", f"{BASE}/cities"),
        ("GET", city),
        ("PATCH", city),
        ("GET", f"{city}/initiatives"),
        ("POST", f"{city}/initiatives"),
        ("GET", f"{city}/initiatives/{{initiative_id}}"),
        ("PATCH", f"{city}/initiatives/{{initiative_id}}"),
        ("POST", f"{city}/initiatives/{{initiative_id}}/archive"),
        ("GET", f"{city}/initiatives/{{initiative_id}}/categorizations"),
        ("GET", f"{city}/stakeholders"),
        ("POST", f"{city}/stakeholders"),
        ("GET", stakeholder),
        ("PATCH", stakeholder),
        ("DELETE", stakeholder),
        ("POST", f"{stakeholder}/archive"),
        ("POST", f"{stakeholder}/merge"),
        ("GET", f"{stakeholder}/history"),
        ("POST", f"{city}/start"),
        ("GET", f"{stakeholder}/contacts"),
        ("POST", f"{stakeholder}/contacts"),
        ("PATCH", f"{stakeholder}/contacts/{{contact_id}}"),
        ("DELETE", f"{stakeholder}/contacts/{{contact_id}}"),
        ("GET", f"{stakeholder}/categorizations/{{initiative_id}}"),
        ("PUT", f"{stakeholder}/categorizations/{{initiative_id}}"),
        ("DELETE", f"{stakeholder}/categorizations/{{initiative_id}}"),
        ("GET", f"{stakeholder}/matrix"),
        ("POST", f"{stakeholder}/matrix"),
        ("PATCH", f"{stakeholder}/matrix/{{item_id}}"),
        ("DELETE", f"{stakeholder}/matrix/{{item_id}}"),
        ("PUT", f"{stakeholder}/matrix/defaults/{{key}}"),
        ("DELETE", f"{stakeholder}/matrix/defaults/{{key}}"),
        ("POST", f"{stakeholder}/matrix/defaults/{{key}}/dismiss"),
        ("GET", f"{city}/completeness"),
        ("GET", f"{city}/summary"),
    }

    # Later capabilities add their own operations; these must all stay.
    assert expected <= set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_anonymous_callers_get_401_everywhere_but_the_catalogue(
    city: City, method: str, path: str
) -> None:
    response = _call(Client(), method, path)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_revoked_tokens_get_401_everywhere(api_as: Any, method: str, path: str) -> None:
    revoked = api_as("revoked")

    response = _call(revoked.client, method, path)

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_unknown_token_gets_401(city: City) -> None:
    response = Api("cvt_not-a-real-token").get("/cities")

    assert response.status_code == 401


def test_a_revoked_token_does_not_fall_back_to_the_session(api_as: Any, owner: Any) -> None:
    revoked = api_as("revoked")
    revoked.client.force_login(owner)

    assert revoked.get("/cities/lumen").status_code == 401


def test_the_catalogue_is_readable_without_credentials(catalogue: None) -> None:
    assert Api().get("/catalogue/types").status_code == 200
    assert Api().get("/catalogue/types/ngo").status_code == 200


def test_me_shows_the_user_and_each_membership(city: City) -> None:
    user = member(city, "analyst", first_name="Rui")
    other = CityFactory(name="Aurora", slug="aurora", owner=UserFactory())
    membership_set(city=other, user=user, role="viewer", by=None)

    response = api_for(user).get("/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["first_name"] == "Rui"
    assert body["memberships"] == [
        {"city_slug": "aurora", "city_name": "Aurora", "role": "viewer", "stakeholder_id": None},
        {"city_slug": "lumen", "city_name": "Lumen", "role": "analyst", "stakeholder_id": None},
    ]


def test_a_user_of_no_city_has_no_memberships(catalogue: None) -> None:
    response = api_for(UserFactory()).get("/me")

    assert response.status_code == 200
    assert response.json()["memberships"] == []


# The browser session


def test_the_session_reads_without_a_csrf_token(city: City, owner: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.get(f"{BASE}/cities/lumen")

    assert response.status_code == 200


def test_a_session_change_without_the_csrf_token_is_refused(city: City, owner: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post(
        f"{BASE}/cities/lumen/initiatives",
        json.dumps({"name": "Smart lighting"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Initiative.objects.filter(name="Smart lighting").exists()


def test_a_session_change_with_the_csrf_token_goes_through(city: City, owner: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get(f"{BASE}/docs")  # the docs page sets the CSRF cookie, as in a browser
    token = client.cookies["csrftoken"].value

    response = client.post(
        f"{BASE}/cities/lumen/initiatives",
        json.dumps({"name": "Smart lighting"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201
    assert Initiative.objects.filter(name="Smart lighting").exists()


def test_an_anonymous_change_is_401_not_a_csrf_failure(city: City) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"{BASE}/cities", json.dumps({"slug": "x", "name": "X"}), content_type="application/json"
    )

    assert response.status_code == 401


def test_a_token_needs_no_csrf_token(city: City, owner: Any) -> None:
    _, raw = token_create(user=owner, name="script")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})

    response = client.post(
        f"{BASE}/cities/lumen/initiatives",
        json.dumps({"name": "Open data portal"}),
        content_type="application/json",
    )

    assert response.status_code == 201


# Errors


def test_request_validation_errors_name_the_field(api_as: Any) -> None:
    owner = api_as("owner")

    query = owner.get("/cities/lumen/stakeholders", {"limit": 0})
    body = owner.post("/cities/lumen/stakeholders", {"type": "ngo", "levels": ["moon"]})

    assert query.status_code == 422
    assert set(query.json()["errors"]) == {"limit"}
    assert body.status_code == 422
    assert body.json()["detail"] == "Invalid input."
    assert body.json()["errors"]["name"] == ["This field is required."]
    assert "levels.0" in body.json()["errors"]


def test_a_missing_body_is_named(api_as: Any) -> None:
    owner = api_as("owner")

    response = owner.client.post(f"{BASE}/cities", "", content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"] == {"__all__": ["Send a JSON body."]}


def test_a_body_that_is_not_json_is_a_bad_request(api_as: Any) -> None:
    owner = api_as("owner")

    response = owner.client.post(f"{BASE}/cities", "{oops", content_type="application/json")

    assert response.status_code == 400


def test_text_with_nul_characters_is_refused(api_as: Any) -> None:
    response = api_as("owner").post("/cities/lumen/initiatives", {"name": "Bad\x00name"})

    assert response.status_code == 422
    assert response.json()["errors"]["name"] == ["Text may not contain NUL characters."]


def test_a_save_that_loses_a_race_is_a_conflict(api_as: Any, monkeypatch: Any) -> None:
    def collide(**kwargs: Any) -> None:
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr("civitas.cities.api.initiative_create", collide)

    response = api_as("owner").post("/cities/lumen/initiatives", {"name": "Twice"})

    assert response.status_code == 409
    assert "Someone else changed" in response.json()["detail"]


# The schema and the docs


def test_the_openapi_schema_is_valid(catalogue: None) -> None:
    response = Client().get(f"{BASE}/openapi.json")

    assert response.status_code == 200
    validate(response.json())


def test_the_schema_documents_allowed_values_and_limits(catalogue: None) -> None:
    components = Client().get(f"{BASE}/openapi.json").json()["components"]["schemas"]

    assert components["Level"]["enum"] == ["local", "sub_national", "national", "international"]
    assert "potential_opponent" in components["LfaRole"]["enum"]
    power = components["CategorizationIn"]["properties"]["power_monetary"]
    assert (power["minimum"], power["maximum"]) == (0, 5)
    assert set(components) >= {"StakeholderIn", "StakeholderOut", "InvalidOut", "MatrixOut"}


def test_the_docs_load_from_our_own_static_files(catalogue: None) -> None:
    response = Client().get(f"{BASE}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(source.startswith("/static/") for source in sources), sources
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source
    for tag in re.findall(r"<script[^>]*>", html):  # the CSP forbids inline scripts
        assert "src=" in tag or 'type="application/json"' in tag, tag
