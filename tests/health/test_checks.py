"""Each check with data that makes it met, at risk and not met."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from civitas.engagement.services import (
    engagement_settings_update,
    grievance_lodge,
    review_schedule_set,
)
from civitas.health.checks import status_for
from civitas.health.selectors import thresholds_of
from civitas.stakeholders.services import categorization_set, matrix_item_add
from tests.health.conftest import Builder, moment

Scenario = Callable[[Builder], None]


def diversity_met(b: Builder) -> None:
    activity = b.activity()
    for type_, levels in (
        ("ngo", ("local",)),
        ("municipality", ("sub_national",)),
        ("national_regional_government", ("national",)),
    ):
        b.attend(activity, b.stakeholder(type=type_, levels=levels))


def diversity_at_risk(b: Builder) -> None:
    activity = b.activity()
    b.attend(activity, b.stakeholder(type="ngo", levels=("local",)))
    b.attend(activity, b.stakeholder(type="municipality", levels=("sub_national",)), "invited")
    b.attend(
        activity,
        b.stakeholder(type="national_regional_government", levels=("national",)),
        "invited",
    )
    b.stakeholder(type="ict_company", sector="private")


def diversity_not_met(b: Builder) -> None:
    activity = b.activity()
    b.attend(activity, b.stakeholder(type="ngo", levels=("local",)))
    for type_ in ("municipality", "national_regional_government", "ict_company"):
        b.stakeholder(type=type_, sector="public")


def _engaged(b: Builder, activity: object, count: int, total: int, **kwargs: object) -> None:
    for number in range(total):
        stakeholder = b.stakeholder(affected=True, **kwargs)  # type: ignore[arg-type]
        if number < count:
            b.attend(activity, stakeholder)  # type: ignore[arg-type]
            b.contribute(activity, stakeholder)  # type: ignore[arg-type]


def exclusion_met(b: Builder) -> None:
    _engaged(b, b.activity(), 2, 2)


def exclusion_at_risk(b: Builder) -> None:
    _engaged(b, b.activity(), 2, 4)


def exclusion_not_met(b: Builder) -> None:
    _engaged(b, b.activity(), 1, 4, type="ict_company", sector="private")


def power_met(b: Builder) -> None:
    activity = b.activity()
    for _ in range(5):
        b.contribute(activity, b.stakeholder())


def power_at_risk(b: Builder) -> None:
    activity = b.activity()
    leader = b.stakeholder()
    for _ in range(3):
        b.contribute(activity, leader)
    b.contribute(activity, b.stakeholder())
    b.contribute(activity, b.stakeholder())


def power_not_met(b: Builder) -> None:
    activity = b.activity()
    company = b.stakeholder(type="ict_company", sector="private", power=5)
    for _ in range(3):
        b.answer(b.contribute(activity, company))


def prior_met(b: Builder) -> None:
    b.activity(shared_days_before=14)


def prior_at_risk(b: Builder) -> None:
    b.activity(shared_days_before=14)
    b.activity(shared_days_before=10)
    b.activity(shared_days_before=None)


def prior_not_met(b: Builder) -> None:
    b.activity(shared_days_before=1)
    b.activity(shared_days_before=None)


def consensus_met(b: Builder) -> None:
    b.activity(outcome="Lights on the square first.")


def consensus_at_risk(b: Builder) -> None:
    b.activity(outcome="Agreed on the square.")
    b.activity(outcome="")


def consensus_not_met(b: Builder) -> None:
    b.activity(question="", outcome="")
    b.activity(question="", outcome="")


def _mechanism(b: Builder, days_ago: int) -> None:
    engagement_settings_update(
        city=b.city,
        by=None,
        grievance_established_on=timezone.localdate() - timedelta(days=days_ago),
        grievance_channels=["online", "post"],
    )


def grievance_met(b: Builder) -> None:
    _mechanism(b, 30)
    b.activity(days_ago=10)


def grievance_at_risk(b: Builder) -> None:
    _mechanism(b, 30)
    b.activity(days_ago=10)
    grievance_lodge(
        city=b.city,
        by=None,
        subject="No answer",
        description="Nobody answered my letter.",
        initiative=b.initiative,
        received_at=moment(60),
    )


def grievance_not_met(b: Builder) -> None:
    b.activity(days_ago=10)


def _contributions(b: Builder, total: int, answered: int, told: int = 0) -> None:
    activity = b.activity()
    for number in range(total):
        contribution = b.contribute(activity, b.stakeholder())
        if number < answered:
            b.answer(contribution, told=number < told)


def heard_met(b: Builder) -> None:
    _contributions(b, 1, 1)


def heard_at_risk(b: Builder) -> None:
    _contributions(b, 3, 2)


def heard_not_met(b: Builder) -> None:
    _contributions(b, 2, 0)


def feedback_met(b: Builder) -> None:
    _contributions(b, 1, 1, 1)


def feedback_at_risk(b: Builder) -> None:
    _contributions(b, 3, 3, 2)


def feedback_not_met(b: Builder) -> None:
    _contributions(b, 2, 2, 0)


def _participants(b: Builder, total: int, recorded: int) -> None:
    activity = b.activity()
    for number in range(total):
        stakeholder = b.stakeholder()
        b.attend(activity, stakeholder)
        if number < recorded:
            matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Safer streets", by=None)


def needs_met(b: Builder) -> None:
    _participants(b, 1, 1)


def needs_at_risk(b: Builder) -> None:
    _participants(b, 3, 2)


def needs_not_met(b: Builder) -> None:
    _participants(b, 1, 0)
    b.decision(makers=[b.stakeholder(type="municipality", sector="public")])


def _affected(b: Builder, total: int, invited: int) -> None:
    activity = b.activity()
    for number in range(total):
        stakeholder = b.stakeholder(affected=True)
        if number < invited:
            b.attend(activity, stakeholder, "invited")
    b.stakeholder(affected=False)  # not affected: does not count


def stand_met(b: Builder) -> None:
    _affected(b, 1, 1)


def stand_at_risk(b: Builder) -> None:
    _affected(b, 3, 2)


def stand_not_met(b: Builder) -> None:
    _affected(b, 2, 0)


def bureaucracy_met(b: Builder) -> None:
    review_schedule_set(initiative=b.initiative, by=None, cadence_days=90)
    b.activity()
    b.decision()


def bureaucracy_at_risk(b: Builder) -> None:
    review_schedule_set(
        initiative=b.initiative,
        by=None,
        cadence_days=90,
        next_due_on=timezone.localdate() - timedelta(days=3),
    )
    activity = b.activity()
    b.answer(b.contribute(activity, b.stakeholder(), days_ago=2))


def bureaucracy_not_met(b: Builder) -> None:
    for _ in range(5):
        b.activity()


SCENARIOS: dict[str, dict[str, Scenario]] = {
    "diversity": {"met": diversity_met, "at_risk": diversity_at_risk, "not_met": diversity_not_met},
    "exclusion": {"met": exclusion_met, "at_risk": exclusion_at_risk, "not_met": exclusion_not_met},
    "power_balance": {"met": power_met, "at_risk": power_at_risk, "not_met": power_not_met},
    "prior_access": {"met": prior_met, "at_risk": prior_at_risk, "not_met": prior_not_met},
    "consensus": {"met": consensus_met, "at_risk": consensus_at_risk, "not_met": consensus_not_met},
    "grievance": {"met": grievance_met, "at_risk": grievance_at_risk, "not_met": grievance_not_met},
    "heard": {"met": heard_met, "at_risk": heard_at_risk, "not_met": heard_not_met},
    "feedback": {"met": feedback_met, "at_risk": feedback_at_risk, "not_met": feedback_not_met},
    "needs": {"met": needs_met, "at_risk": needs_at_risk, "not_met": needs_not_met},
    "stand": {"met": stand_met, "at_risk": stand_at_risk, "not_met": stand_not_met},
    "bureaucracy": {
        "met": bureaucracy_met,
        "at_risk": bureaucracy_at_risk,
        "not_met": bureaucracy_not_met,
    },
}


@pytest.mark.parametrize(
    ("check_id", "expected"),
    [(check_id, status) for check_id, cases in SCENARIOS.items() for status in cases],
)
def test_check_status(build: Builder, check_id: str, expected: str) -> None:
    SCENARIOS[check_id][expected](build)
    result = build.check(check_id)
    assert result.score is not None
    assert 0 <= result.score <= 100
    assert status_for(result.score, thresholds_of(build.city)) == expected, result.figures
    assert result.recommendation


@pytest.mark.parametrize("check_id", list(SCENARIOS))
def test_check_without_data_is_not_applicable_or_scored(build: Builder, check_id: str) -> None:
    result = build.check(check_id)
    assert result.score is None or 0 <= result.score <= 100


def _figure(result: object, label: str) -> dict:  # type: ignore[type-arg]
    return next(f for f in result.figures if f["label"] == label)  # type: ignore[attr-defined]


def test_power_balance_reports_concentration_and_threshold(build: Builder) -> None:
    power_at_risk(build)
    result = build.check("power_balance")
    assert _figure(result, "Concentration index (0–10,000)")["value"] == 4400
    assert _figure(result, "Dominance threshold")["value"] == 40
    assert _figure(result, "Dominance found in")["value"] == "top stakeholder"
    top = _figure(result, "Largest share of one stakeholder")["records"]
    assert top["model"] == "stakeholders.stakeholder"
    assert "(3 contributions)" in top["items"][0]["label"]


def test_power_balance_counts_accepted_contributions_of_the_powerful(build: Builder) -> None:
    power_not_met(build)
    result = build.check("power_balance")
    assert _figure(result, "Accepted ones from high-power stakeholders")["value"] == 100.0
    assert _figure(result, "Accepted ones from the private sector")["value"] == 100.0


def test_exclusion_flags_activities_for_citizens_only_online(build: Builder) -> None:
    exclusion_met(build)
    online = build.activity(channels=("online",), is_public=True)
    result = build.check("exclusion")
    only_online = _figure(result, "Of which only online (§5.10)")
    assert only_online["value"] == 1
    assert only_online["records"]["items"][0]["id"] == online.pk
    assert result.score is not None and result.score < 100


def test_prior_access_lists_the_activities_behind_its_figures(build: Builder) -> None:
    late = build.activity(shared_days_before=1)
    result = build.check("prior_access")
    assert _figure(result, "Shared late")["records"]["items"] == [
        {"id": late.pk, "label": late.title}
    ]


def test_consensus_shows_how_stances_move(build: Builder) -> None:
    first = build.activity(days_ago=20)
    second = build.activity(days_ago=5)
    build.contribute(first, None, stance="oppose")
    build.contribute(second, None, stance="support")
    result = build.check("consensus")
    assert _figure(result, "Support from the first to the last activity")["value"] == (
        "0.0 % → 100.0 %"
    )


def test_city_scope_adds_up_every_initiative(build: Builder) -> None:
    heard_not_met(build)
    other = Builder(build.city)
    heard_met(other)
    assert build.check("heard", whole_city=True).score == pytest.approx(100 / 3)


def test_city_figures_judge_power_per_initiative(build: Builder) -> None:
    # Powerful in the first initiative only: its voice there counts as high-power, its
    # voice in the second does not; its contributions in both add up to one author.
    company = build.stakeholder(sector="private", power=5)
    build.answer(build.contribute(build.activity(), company))
    other = Builder(build.city)
    categorization_set(stakeholder=company, initiative=other.initiative, by=None, power_monetary=0)
    second = other.activity()
    other.contribute(second, company)
    other.contribute(second, None)
    result = build.check("power_balance", whole_city=True)
    assert _figure(result, "Contributions")["value"] == 3
    assert _figure(result, "From high-power stakeholders")["value"] == pytest.approx(33.3)
    assert _figure(result, "From the private sector")["value"] == pytest.approx(66.7)
    assert _figure(result, "Accepted ones from high-power stakeholders")["value"] == 100.0
    top = _figure(result, "Largest share of one stakeholder")
    assert top["value"] == pytest.approx(66.7)
    assert "(2 contributions)" in top["records"]["items"][0]["label"]
