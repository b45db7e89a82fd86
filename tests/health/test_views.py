"""The health dashboard, run pages and thresholds page, as each role."""

from collections.abc import Callable

import pytest
from django.test import Client

from civitas.health.models import HealthRun, HealthThresholds
from civitas.health.services import health_run
from tests.health.conftest import Builder
from tests.health.test_checks import heard_not_met, stand_at_risk


@pytest.mark.parametrize("role", ["owner", "analyst", "contributor", "viewer"])
def test_members_see_the_dashboard(
    build: Builder, client_as: Callable[[str | None], Client], role: str
) -> None:
    stand_at_risk(build)
    run = health_run(initiative=build.initiative, by=None)
    response = client_as(role).get(f"/cities/lumen/health/initiatives/{build.initiative.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "A stand on every decision" in page
    assert "At risk" in page
    assert f"/cities/lumen/health/runs/{run.pk}/" in page
    # Drill-down: the stakeholder never invited is linked to its page.
    never_invited = run.findings.get(check_id="stand").evidence["figures"][2]["records"]
    assert f"/cities/lumen/stakeholders/{never_invited['items'][0]['id']}/" in page
    assert ("Run the health check now" in page) == (role in ("owner", "analyst"))


def test_city_dashboard_without_runs(client_as: Callable[[str | None], Client]) -> None:
    response = client_as("viewer").get("/cities/lumen/health/")
    assert response.status_code == 200
    assert "No health check has run yet" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("outsider", 404)])
def test_others_do_not_see_it(
    client_as: Callable[[str | None], Client], role: str | None, status: int
) -> None:
    assert client_as(role).get("/cities/lumen/health/").status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 302), ("analyst", 302), ("contributor", 403), ("viewer", 403)]
)
def test_who_may_run(
    build: Builder, client_as: Callable[[str | None], Client], role: str, status: int
) -> None:
    response = client_as(role).post(
        "/cities/lumen/health/run/", {"initiative": build.initiative.pk}
    )
    assert response.status_code == status
    assert HealthRun.objects.filter(initiative=build.initiative).count() == (status == 302)


def test_run_page_shows_trend(build: Builder, client_as: Callable[[str | None], Client]) -> None:
    heard_not_met(build)
    health_run(initiative=build.initiative, by=None)
    activity = build.activity()
    for contribution in activity.contributions.all():
        build.answer(contribution)
    build.answer(build.contribute(activity, None))
    second = health_run(initiative=build.initiative, by=None)
    page = client_as("viewer").get(f"/cities/lumen/health/runs/{second.pk}/").content.decode()
    assert "▲ +33" in page  # heard: 0 → 33


def test_dashboard_queries_stay_flat(
    build: Builder, client_as: Callable[[str | None], Client], django_assert_max_num_queries: object
) -> None:
    heard_not_met(build)
    health_run(initiative=build.initiative, by=None)
    client = client_as("viewer")
    url = f"/cities/lumen/health/initiatives/{build.initiative.pk}/"
    client.get(url)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        client.get(url)


def test_owner_sets_thresholds(client_as: Callable[[str | None], Client]) -> None:
    data = {
        "met_from": "85",
        "at_risk_from": "55",
        "dominance_percent": "40",
        "concentration_limit": "2500",
        "civic_share_percent": "20",
        "answer_days": "30",
        "activities_per_decision": "4",
        "high_power_from": "3",
    }
    assert client_as("owner").post("/cities/lumen/health/thresholds/", data).status_code == 302
    assert HealthThresholds.objects.get().met_from == 85
    bad = client_as("owner").post("/cities/lumen/health/thresholds/", {**data, "answer_days": "x"})
    assert bad.status_code == 422
    assert "Give a whole number." in bad.content.decode()
    assert client_as("analyst").post("/cities/lumen/health/thresholds/", data).status_code == 403
    assert client_as("viewer").get("/cities/lumen/health/thresholds/").status_code == 200
