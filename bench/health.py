"""Health check of one initiative: 100,000 contributions against 1,000 in the same run.

Target (issue 6): a health run on an initiative with 1,000 stakeholders and 100,000
contributions takes at most 5 x the time of one with 1,000 contributions, because the
checks aggregate in the database. Run: `.venv/bin/python bench/health.py`; for
PostgreSQL, recreate a dedicated database and point DATABASE_URL at it:

    psql -h 127.0.0.1 -U root -d postgres -c 'DROP DATABASE IF EXISTS civitas_bench_health'
    psql -h 127.0.0.1 -U root -d postgres -c 'CREATE DATABASE civitas_bench_health'
    DATABASE_URL=postgres://root@127.0.0.1/civitas_bench_health .venv/bin/python bench/health.py
"""

import random
import sys
import time
from datetime import timedelta
from typing import Any

from common import paired_median_seconds, setup_django, verdict

STAKEHOLDERS = 1_000
SMALL, LARGE = 1_000, 100_000
ACTIVITIES = 10
TIME_LIMIT = 5.0


def build(city: Any, name: str, stakeholders: list[Any], contributions: int) -> Any:
    """Create an initiative with activities, invitations and a decision through the services,
    then its contributions and half their answers in bulk."""
    from django.utils import timezone

    from civitas.cities.services import initiative_create
    from civitas.engagement.models import Contribution, Response
    from civitas.engagement.services import (
        activity_create,
        activity_invite,
        activity_open,
        decision_create,
        disclosure_add,
    )
    from civitas.stakeholders.services import categorization_set

    rng = random.Random(name)
    initiative = initiative_create(city=city, name=name, by=None)
    for stakeholder in stakeholders:
        categorization_set(
            stakeholder=stakeholder,
            initiative=initiative,
            by=None,
            power_monetary=rng.randint(0, 5),
            lfa_roles=[rng.choice(["active", "potential_supporter", "potential_opponent"])],
        )
    activities = []
    for number in range(ACTIVITIES):
        starts = timezone.now() - timedelta(days=60 - number)
        activity = activity_create(
            initiative=initiative,
            by=None,
            kind="consultation",
            title=f"Consultation {number}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            channels=["in_person", "online"],
            question="What should come first?",
        )
        disclosure_add(
            activity=activity,
            by=None,
            title="Plans",
            url="https://example.org/plans.pdf",
            shared_on=starts.date() - timedelta(days=rng.choice([1, 10])),
        )
        activity_invite(activity=activity, stakeholders=rng.sample(stakeholders, 200), by=None)
        activities.append(activity_open(activity=activity, by=None))
    decision = decision_create(
        initiative=initiative, by=None, title="Lighting plan", decided_on=timezone.localdate()
    )
    # Bulk rows, in the benchmark only: going through contribution_create 100,000 times
    # would take far longer than the measurement itself; the checks only read these rows.
    now = timezone.now()
    stances = ["support", "oppose", "concern", "proposal", "question"]
    for start in range(0, contributions, 5_000):
        batch = [
            Contribution(
                city=city,
                initiative=initiative,
                activity=rng.choice(activities),
                stakeholder=rng.choice(stakeholders) if rng.random() < 0.9 else None,
                text="Generated for the health benchmark.",
                stance=rng.choice(stances),
                submitted_at=now - timedelta(days=rng.randint(1, 90)),
                tracking_code=f"{name[:8]}-{start + offset}",
            )
            for offset in range(min(5_000, contributions - start))
        ]
        created = Contribution.objects.bulk_create(batch)
        answers = []
        for contribution in created:
            if rng.random() < 0.5:
                told = rng.random() < 0.5
                answers.append(
                    Response(
                        decision=decision,
                        contribution=contribution,
                        outcome=rng.choice(["accepted", "not_accepted", "partly_accepted"]),
                        explanation="Considered.",
                        communicated_at=now if told else None,
                        communicated_via="email" if told else "",
                    )
                )
        Response.objects.bulk_create(answers)
    return initiative


def main() -> int:
    setup_django()
    from django.db import connection

    from civitas.accounts.models import User
    from civitas.catalogue.models import StakeholderType
    from civitas.cities.services import city_create
    from civitas.core.vocabulary import Level, Sector
    from civitas.health.checks import CHECKS, Scope
    from civitas.health.selectors import thresholds_of
    from civitas.health.services import health_run
    from civitas.stakeholders.services import stakeholder_create

    owner = User.objects.create_user("bench-owner")
    city = city_create(slug="bench", name="Bench", by=owner)
    types = list(StakeholderType.objects.all())
    rng = random.Random(6)
    began = time.perf_counter()
    print(f"creating {STAKEHOLDERS} stakeholders through the services ...", flush=True)
    stakeholders = [
        stakeholder_create(
            city=city,
            name=f"Stakeholder {number:04d}",
            type=rng.choice(types),
            sector=rng.choice(Sector.values),
            levels=rng.sample(Level.values, rng.randint(1, 2)),
            by=None,
        )
        for number in range(STAKEHOLDERS)
    ]
    print(f"building initiatives of {SMALL} and {LARGE} contributions ...", flush=True)
    small = build(city, "Small initiative", stakeholders, SMALL)
    large = build(city, "Large initiative", stakeholders, LARGE)
    # A database refreshes its planner statistics after a bulk load (PostgreSQL's autovacuum
    # does it on its own within a minute); do it now rather than time a stale plan.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"data ready in {time.perf_counter() - began:.0f} s", flush=True)

    t_small, t_large = paired_median_seconds(
        lambda: health_run(initiative=small, by=None),
        lambda: health_run(initiative=large, by=None),
        repeat=5,
        warmup=1,
    )
    ratio = t_large / t_small
    print("per check (information, one run each):")
    for check in CHECKS:
        times = []
        for initiative in (small, large):
            scope = Scope.of(city, initiative, thresholds_of(city))
            start = time.perf_counter()
            check.run(scope)
            times.append(time.perf_counter() - start)
        print(f"  {check.id:38} {times[0] * 1000:9.1f} {times[1] * 1000:9.1f}")
    print(f"database: {connection.vendor}")
    print(f"{'what':40} {'ms@1k':>9} {'ms@100k':>9} {'ratio':>6}  verdict (limit {TIME_LIMIT:g}x)")
    print(
        f"{'health run of one initiative':40} {t_small * 1000:9.1f} {t_large * 1000:9.1f} "
        f"{ratio:6.2f}  {verdict(ratio, TIME_LIMIT)}"
    )
    return 0 if ratio <= TIME_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
