"""Fuzz every API operation from its OpenAPI schema: no server errors, answers as documented."""

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from civitas.accounts.services import token_create
from civitas.cities.models import City
from civitas.stakeholders.services import contact_add, matrix_item_add
from tests.factories import (
    CategorizationFactory,
    InitiativeFactory,
    StakeholderFactory,
    stakeholder_type,
)

# Engagement operations have their own fuzz with records of their kind
# (tests/engagement/test_api_schema.py); this one covers the rest.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler()).exclude(
    path_regex=r"/(activities|contributions|decisions|grievances|reviews|engagement|exports/"
    r"contributions)|^/api/v1/public/"
)


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Any:
    """Keep the test's database connection open across the WSGI requests schemathesis makes.

    Django's own test client does the same: at the end of each request Django closes a
    connection that is not in autocommit mode, and inside a test it never is (PostgreSQL
    then fails every later query of the test with "the connection is closed").
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known(city: City, owner: Any) -> dict[str, Any]:
    """Give the fuzzer a city with records, and path values that point at them."""
    _, raw = token_create(user=owner, name="fuzz")
    stakeholder = StakeholderFactory(
        city=city, name="Lumen Energy", type=stakeholder_type("utility_provider")
    )
    StakeholderFactory(city=city, name="Repair Café Network")
    initiative = InitiativeFactory(city=city, name="Smart street lighting")
    CategorizationFactory(stakeholder=stakeholder, initiative=initiative)
    contact = contact_add(stakeholder=stakeholder, by=None, name="Ana Reis")
    item = matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Cut losses", by=None)
    return {
        "headers": {"Authorization": f"Bearer {raw}"},
        "path": {
            "slug": city.slug,
            "stakeholder_id": stakeholder.pk,
            "initiative_id": initiative.pk,
            "contact_id": contact.pk,
            "item_id": item.pk,
            "key": stakeholder.type.matrix.first().key,
            "code": "ngo",
        },
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_answers_as_documented(case: Any, known: dict[str, Any]) -> None:
    for name in case.path_parameters:
        # Point at real records where we have them, so requests get past "not found".
        if name in known["path"]:
            case.path_parameters[name] = known["path"][name]
    case.call_and_validate(
        headers=known["headers"], checks=[not_a_server_error, response_schema_conformance]
    )
