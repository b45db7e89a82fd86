"""Fuzz the engagement operations from the OpenAPI schema: no server errors, answers as documented."""

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from civitas.accounts.services import token_create
from civitas.engagement.services import (
    decision_create,
    disclosure_add,
    grievance_submit,
    participation_add,
    registration_submit,
    response_set,
)
from tests.engagement.conftest import contribute, make_activity

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler()).include(
    path_regex=r"/(activities|contributions|decisions|grievances|reviews|engagement|exports/"
    r"contributions)|^/api/v1/public/"
)


@pytest.fixture
def same_connection():
    """Keep the test's database connection across requests, as Django's test client does.

    The WSGI handler closes connections that are inside a transaction when a request
    starts or ends; on PostgreSQL that would close the test's own transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def known(same_connection, public_city, owner, initiative, green, settings) -> dict[str, Any]:
    """Give the fuzzer a public city with one record of each kind, and their ids."""
    settings.CIVITAS_PUBLIC_SUBMIT_RATE = settings.CIVITAS_PUBLIC_READ_RATE = "100000/min"
    _, raw = token_create(user=owner, name="fuzz")
    activity = make_activity(initiative, is_public=True)
    participation = participation_add(activity=activity, stakeholder=green, by=None)
    disclosure = disclosure_add(activity=activity, by=None, title="Plan", url="https://x.example/p")
    registration, _ = registration_submit(
        activity=activity, name="Rosa", consent=True, submission_token="fuzz-registration"
    )
    contribution = contribute(activity, stakeholder=green)
    decision = decision_create(
        initiative=initiative, by=None, title="Park", decided_on=timezone.localdate()
    )
    response_set(
        contribution=contribute(activity), decision=decision, by=None, outcome="accepted",
        explanation="Yes",
    )  # fmt: skip
    grievance, _ = grievance_submit(
        city=public_city, subject="Noise", description="Loud", submission_token="fuzz-grievance"
    )
    return {
        "headers": {"Authorization": f"Bearer {raw}"},
        "path": {
            "slug": public_city.slug,
            "activity_id": activity.pk,
            "participation_id": participation.pk,
            "disclosure_id": disclosure.pk,
            "registration_id": registration.pk,
            "contribution_id": contribution.pk,
            "decision_id": decision.pk,
            "grievance_id": grievance.pk,
            "initiative_id": initiative.pk,
            "stakeholder_id": green.pk,
            "code": grievance.tracking_code,
        },
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_engagement_api_answers_as_documented(case: Any, known: dict[str, Any]) -> None:
    for name in case.path_parameters:
        case.path_parameters[name] = known["path"][name]
    case.call_and_validate(
        headers=known["headers"], checks=[not_a_server_error, response_schema_conformance]
    )
