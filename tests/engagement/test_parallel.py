"""A double submission under parallel requests stores one contribution (PostgreSQL only).

SQLite serializes writers, so the race these tests provoke cannot happen there; they run
when DATABASE_URL points at PostgreSQL.
"""

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from civitas.engagement.models import Contribution, Grievance
from civitas.engagement.services import (
    activity_create,
    activity_open,
    contribution_create,
    contribution_submit,
    engagement_settings_update,
    grievance_submit,
)
from tests.factories import InitiativeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
    ),
]

THREADS = 8


@pytest.fixture
def open_activity(city):
    engagement_settings_update(
        city=city, by=None, public_page=True, grievance_established_on=timezone.localdate(),
        grievance_channels=["online"],
    )  # fmt: skip
    start = timezone.now() + timedelta(days=3)
    activity = activity_create(
        initiative=InitiativeFactory(city=city, name="Parallel river"), by=None,
        kind="survey", title="Parallel survey", starts_at=start,
        ends_at=start + timedelta(days=1), channels=["online"], is_public=True,
    )  # fmt: skip
    activity_open(activity=activity, by=None)
    return activity


def in_parallel(work: Callable[[int], Any], threads: int = THREADS) -> list[Any]:
    """Run `work(n)` in threads released at the same moment; return results or errors."""
    start = threading.Barrier(threads)
    results: list[Any] = [None] * threads

    def run(n: int) -> None:
        try:
            start.wait()
            results[n] = work(n)
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[n] = error
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


def submit(activity, token):
    return contribution_submit(
        activity=activity, text="Once only.", stance="support", consent=True,
        submission_token=token,
    )  # fmt: skip


def test_parallel_public_submissions_store_one_contribution(open_activity):
    for round in range(5):
        token = f"parallel-round-{round}"
        results = in_parallel(lambda n, token=token: submit(open_activity, token))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert sum(created for _, created in results) == 1
        assert len({contribution.pk for contribution, _ in results}) == 1
        assert Contribution.objects.filter(submission_token=token).count() == 1


def test_parallel_submissions_that_insert_together_store_one(open_activity, monkeypatch):
    """Force the race: every request reaches its insert before any of them has inserted."""
    ready = threading.Barrier(THREADS)
    real_save = Contribution.save

    def save_when_everyone_is_ready(self, *args, **kwargs):
        ready.wait(timeout=30)
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Contribution, "save", save_when_everyone_is_ready)
    results = in_parallel(lambda n: submit(open_activity, "forced-race-token"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(created for _, created in results) == 1
    assert len({contribution.pk for contribution, _ in results}) == 1
    assert Contribution.objects.count() == 1


def test_parallel_staff_entries_with_one_token_store_one(open_activity, owner):
    results = in_parallel(
        lambda n: contribution_create(
            activity=open_activity,
            by=owner,
            text="Staff once.",
            stance="concern",
            submission_token="staff-parallel-token",
        )  # fmt: skip
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(created for _, created in results) == 1
    assert Contribution.objects.count() == 1


def test_parallel_api_requests_store_one_contribution(open_activity, settings):
    settings.CIVITAS_PUBLIC_SUBMIT_RATE = "1000/min"
    url = f"/api/v1/public/lumen/activities/{open_activity.pk}/contributions"
    body = {"text": "Double click.", "stance": "proposal", "consent": True,
            "submission_token": "api-parallel-token-1"}  # fmt: skip

    def post(n: int) -> tuple[int, str]:
        response = Client().post(url, body, content_type="application/json")
        return response.status_code, response.json().get("tracking_code", "")

    results = in_parallel(post)
    assert sorted(status for status, _ in results) == [200] * (THREADS - 1) + [201], results
    assert len({code for _, code in results}) == 1
    assert Contribution.objects.count() == 1


def test_parallel_grievance_submissions_store_one(open_activity, city):
    results = in_parallel(
        lambda n: grievance_submit(
            city=city,
            subject="Noise",
            description="At night.",
            submission_token="grievance-parallel-token",
        )  # fmt: skip
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(created for _, created in results) == 1
    assert Grievance.objects.count() == 1
    assert Grievance.objects.get().events.count() == 1
