"""Stored runs, trend, thresholds, the property test, and permissions of the service."""

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civitas.accounts.models import User
from civitas.core.errors import PermissionDeniedError, ValidationError
from civitas.health.checks import CHECKS, status_for
from civitas.health.models import HealthFinding, HealthRun, HealthThresholds, Status
from civitas.health.selectors import latest_run, previous_run, run_history, trend
from civitas.health.services import health_run, thresholds_update
from tests.factories import CityFactory, UserFactory
from tests.health.conftest import Builder
from tests.health.test_checks import heard_at_risk, heard_not_met


def test_a_run_stores_one_finding_per_check(build: Builder, owner: User) -> None:
    heard_not_met(build)
    run = health_run(initiative=build.initiative, by=owner)
    findings = list(run.findings.all())
    assert [f.check_id for f in findings] == [c.id for c in CHECKS]
    heard = next(f for f in findings if f.check_id == "heard")
    assert heard.status == Status.NOT_MET and heard.score == 0
    assert heard.evidence["figures"][2]["records"]["model"] == "engagement.contribution"
    assert run.run_by == owner
    assert run.thresholds["met_from"] == 80
    scored = [f.score for f in findings if f.score is not None]
    assert run.overall_score == round(sum(scored) / len(scored))


def test_runs_are_compared_with_the_previous_one(build: Builder, owner: User) -> None:
    heard_not_met(build)
    first = health_run(initiative=build.initiative, by=owner)
    heard_at_risk(build)  # one more activity: 5 contributions, 2 answered
    second = health_run(initiative=build.initiative, by=owner)
    assert previous_run(second) == first
    assert previous_run(first) is None
    change = trend(latest_run(city=build.city, initiative=build.initiative), first)  # type: ignore[arg-type]
    assert change.per_check["heard"] == 40
    assert list(run_history(city=build.city, initiative=build.initiative)) == [second, first]
    assert list(run_history(city=build.city)) == []


def test_roles_that_may_run(build: Builder, user_in: Callable[[str], User]) -> None:
    for role in ("owner", "analyst"):
        health_run(initiative=build.initiative, by=user_in(role))
    for role in ("contributor", "viewer"):
        with pytest.raises(PermissionDeniedError):
            health_run(initiative=build.initiative, by=user_in(role))
    with pytest.raises(PermissionDeniedError):
        health_run(initiative=build.initiative, by=UserFactory())
    assert HealthRun.objects.count() == 2


def test_thresholds_change_the_cut_offs(build: Builder, owner: User) -> None:
    heard_at_risk(build)  # score 66.7
    thresholds_update(city=build.city, by=owner, met_from=60, at_risk_from=30)
    run = health_run(initiative=build.initiative, by=None)
    assert run.findings.get(check_id="heard").status == Status.MET
    assert run.thresholds["met_from"] == 60


def test_bad_thresholds_are_refused_per_field(city: object, owner: User) -> None:
    with pytest.raises(ValidationError) as error:
        thresholds_update(city=city, by=owner, met_from=40, at_risk_from=60)  # type: ignore[arg-type]
    assert "at_risk_from" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        thresholds_update(city=city, by=owner, high_power_from=9)  # type: ignore[arg-type]
    assert "high_power_from" in error.value.message_dict
    assert not HealthThresholds.objects.exists()


def test_only_owners_change_thresholds(city: object, user_in: Callable[[str], User]) -> None:
    with pytest.raises(PermissionDeniedError):
        thresholds_update(city=city, by=user_in("analyst"), met_from=90)  # type: ignore[arg-type]


@given(
    score=st.floats(min_value=0, max_value=100),
    met=st.integers(min_value=1, max_value=100),
    gap=st.integers(min_value=1, max_value=100),
)
def test_status_agrees_with_score(score: float, met: int, gap: int) -> None:
    thresholds = HealthThresholds(met_from=met, at_risk_from=max(0, met - gap))
    status = status_for(score, thresholds)
    if score >= met:
        assert status == Status.MET
    elif score >= thresholds.at_risk_from:
        assert status == Status.AT_RISK
    else:
        assert status == Status.NOT_MET


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=st.lists(
        st.tuples(
            st.sampled_from(["ngo", "ict_company", "municipality", "citizens"]),
            st.sampled_from(["civil_society", "private", "public", "citizens"]),
            st.integers(min_value=0, max_value=5),
            st.booleans(),
            st.integers(min_value=0, max_value=3),
            st.booleans(),
            st.booleans(),
        ),
        max_size=6,
    ),
    shared=st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
    question=st.booleans(),
)
def test_scores_stay_within_0_100_and_statuses_follow(
    catalogue: None,
    plan: list[tuple],
    shared: int | None,
    question: bool,  # type: ignore[type-arg]
) -> None:
    city = CityFactory(owner=UserFactory())
    build = Builder(city)
    activity = build.activity(shared_days_before=shared, question="Why?" if question else "")
    for type_, sector, power, affected, said, answered, told in plan:
        stakeholder = build.stakeholder(type=type_, sector=sector, power=power, affected=affected)
        if said:
            build.attend(activity, stakeholder)
        for _ in range(said):
            contribution = build.contribute(activity, stakeholder)
            if answered:
                build.answer(contribution, told=told)
    run = health_run(initiative=build.initiative, by=None)
    for finding in HealthFinding.objects.filter(run=run):
        if finding.score is None:
            assert finding.status == Status.NOT_APPLICABLE
        else:
            assert 0 <= finding.score <= 100
            assert finding.status == status_for(finding.score, HealthThresholds())
    assert run.overall_score is None or 0 <= run.overall_score <= 100
