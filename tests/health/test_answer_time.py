"""Answers counted "within N days" on the exact boundary, to the microsecond."""

from datetime import timedelta

import pytest
from django.db import connection

from civitas.engagement.models import Response
from civitas.health.checks import Scope
from civitas.health.selectors import thresholds_of
from tests.health.conftest import Builder


def test_answer_on_the_last_microsecond_is_in_time(build: Builder) -> None:
    days = thresholds_of(build.city).answer_days
    activity = build.activity()
    late_by = [timedelta(0), timedelta(microseconds=1), timedelta(seconds=-1)]
    for extra in late_by:
        contribution = build.contribute(activity, build.stakeholder(), days_ago=days + 5)
        build.answer(contribution)
        Response.objects.filter(contribution=contribution).update(
            answered_at=contribution.submitted_at + timedelta(days=days) + extra
        )
    scope = Scope.of(build.city, build.initiative, thresholds_of(build.city))
    figures = scope.contribution_figures()
    assert (figures["answered"], figures["in_time"]) == (3, 2)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own date arithmetic")
def test_answer_time_without_unixepoch_on_older_sqlite(
    build: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection.Database, "sqlite_version_info", (3, 37, 2))
    test_answer_on_the_last_microsecond_is_in_time(build)
