"""Engagement data for health-check tests, built through the services."""

from datetime import datetime, timedelta
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from civitas.cities.models import City, Initiative
from civitas.engagement.models import Activity, Contribution, Response
from civitas.engagement.services import (
    activity_close,
    activity_create,
    activity_open,
    contribution_create,
    decision_create,
    disclosure_add,
    participation_add,
    response_record_communication,
    response_set,
)
from civitas.health.checks import CHECKS_BY_ID, Result, Scope
from civitas.health.selectors import thresholds_of
from civitas.stakeholders.models import Stakeholder
from civitas.stakeholders.services import categorization_set, stakeholder_create
from tests.factories import InitiativeFactory, stakeholder_type

_names = count()


class Builder:
    """Make stakeholders, activities, contributions and answers for one initiative."""

    def __init__(self, city: City) -> None:
        self.city = city
        self.initiative: Initiative = InitiativeFactory(
            city=city, name=f"Smart lighting {next(_names)}"
        )
        self._decision: Any = None

    def stakeholder(
        self,
        *,
        type: str = "ngo",
        sector: str = "civil_society",
        levels: tuple[str, ...] = ("local",),
        power: int = 0,
        affected: bool = False,
        categorize: bool = True,
    ) -> Stakeholder:
        stakeholder = stakeholder_create(
            city=self.city,
            name=f"Stakeholder {next(_names)}",
            type=stakeholder_type(type),
            sector=sector,
            levels=list(levels),
            by=None,
        )
        if categorize:
            categorization_set(
                stakeholder=stakeholder,
                initiative=self.initiative,
                by=None,
                power_monetary=power,
                power_administrative=0,
                lfa_roles=["potential_opponent"] if affected else ["active"],
            )
        return stakeholder

    def activity(
        self,
        *,
        days_ago: int = 10,
        kind: str = "consultation",
        channels: tuple[str, ...] = ("in_person",),
        question: str = "Where should the lights go?",
        is_public: bool = False,
        shared_days_before: int | None = 14,
        outcome: str | None = None,
    ) -> Activity:
        starts = timezone.now() - timedelta(days=days_ago)
        activity = activity_create(
            initiative=self.initiative,
            by=None,
            kind=kind,
            title=f"Activity {next(_names)}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            channels=list(channels),
            question=question,
            is_public=is_public,
        )
        if shared_days_before is not None:
            disclosure_add(
                activity=activity,
                by=None,
                title="Plans",
                url="https://example.org/plans.pdf",
                shared_on=timezone.localtime(starts).date() - timedelta(days=shared_days_before),
            )
        activity_open(activity=activity, by=None)
        if outcome is not None:
            activity_close(activity=activity, by=None, outcome=outcome)
        return activity

    def attend(
        self, activity: Activity, stakeholder: Stakeholder, status: str = "attended"
    ) -> None:
        participation_add(activity=activity, stakeholder=stakeholder, by=None, status=status)

    def contribute(
        self,
        activity: Activity,
        stakeholder: Stakeholder | None,
        *,
        stance: str = "support",
        days_ago: int = 5,
    ) -> Contribution:
        contribution, _ = contribution_create(
            activity=activity,
            by=None,
            text="We would like more light on the square.",
            stance=stance,
            stakeholder=stakeholder,
            submitted_at=timezone.now() - timedelta(days=days_ago),
        )
        return contribution

    def decision(self, makers: list[Stakeholder] | None = None) -> Any:
        return decision_create(
            initiative=self.initiative,
            by=None,
            title=f"Decision {next(_names)}",
            decided_on=timezone.localdate(),
            decision_makers=makers or [],
        )

    def answer(
        self, contribution: Contribution, *, outcome: str = "accepted", told: bool = False
    ) -> Response:
        if self._decision is None:
            self._decision = self.decision()
        response, _ = response_set(
            contribution=contribution,
            decision=self._decision,
            by=None,
            outcome=outcome,
            explanation="Taken into account in the plan.",
        )
        if told:
            response = response_record_communication(response=response, by=None, via="email")
        return response

    def check(self, check_id: str, whole_city: bool = False) -> Result:
        scope = Scope.of(
            self.city, None if whole_city else self.initiative, thresholds_of(self.city)
        )
        return CHECKS_BY_ID[check_id].run(scope)


@pytest.fixture
def build(city: City) -> Builder:
    return Builder(city)


def moment(days_ago: int) -> datetime:
    return timezone.now() - timedelta(days=days_ago)
