"""Registry list page and stakeholder list API: 10,000 stakeholders against 100 in one run.

Target (issue 2): time per request at 10,000 at most 1.5 x the time at 100, and the same
number of queries. Run: `.venv/bin/python bench/registry.py` (add DATABASE_URL=... for
PostgreSQL).
"""

import random
import sys
from typing import Any

from common import paired_median_seconds, setup_django, verdict

SMALL, LARGE = 100, 10_000
TIME_LIMIT = 1.5


def build_city(slug: str, count: int, owner: Any) -> Any:
    """Create a city of `count` stakeholders through the services, some categorized."""
    from civitas.catalogue.models import StakeholderType
    from civitas.cities.services import city_create, initiative_create
    from civitas.core.vocabulary import Level
    from civitas.stakeholders.services import categorization_set, stakeholder_create

    rng = random.Random(slug)
    city = city_create(slug=slug, name=slug.title(), by=owner)
    initiative = initiative_create(city=city, name="Smart mobility", by=None)
    types = list(StakeholderType.objects.filter(kind="generic"))
    tags = ["energy", "mobility", "water", "data", "housing"]
    for number in range(count):
        stakeholder = stakeholder_create(
            city=city,
            name=f"Stakeholder {number:05d} {rng.choice(['Cooperative', 'Agency', 'Group'])}",
            type=rng.choice(types),
            by=None,
            levels=rng.sample(Level.values, rng.randint(1, 2)),
            tags=rng.sample(tags, 2),
            description="Generated for the registry benchmark.",
        )
        if number % 4 == 0:
            categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)
    return city


def fetcher(client: Any, url: str) -> Any:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def query_count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a client also loads its session
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def main() -> int:
    setup_django()
    from django.test import Client

    from civitas.accounts.models import User

    owner = User.objects.create_user("bench-owner")
    print(f"building cities of {SMALL} and {LARGE} stakeholders ...", flush=True)
    small = build_city("small", SMALL, owner)
    large = build_city("large", LARGE, owner)
    client = Client()
    client.force_login(owner)
    # The targets: the registry list page and the stakeholder list API.
    pages = {
        "registry page": "/cities/{slug}/stakeholders/",
        "API stakeholder list": "/api/v1/cities/{slug}/stakeholders?limit=50",
    }
    # For information: a level filter and a sort by type read every row of the city
    # (a LIKE over the level codes, a sort on a joined column), so they grow with it.
    informational = {
        "registry page, level filter, sorted by type (info)": (
            "/cities/{slug}/stakeholders/?level=local&sort=type"
        ),
    }
    failed = False
    print(f"{'what':52} {'ms@100':>8} {'ms@10k':>8} {'ratio':>6} {'queries':>9}  verdict")
    for label, pattern in [*pages.items(), *informational.items()]:
        small_url, large_url = pattern.format(slug=small.slug), pattern.format(slug=large.slug)
        t_small, t_large = paired_median_seconds(
            fetcher(client, small_url), fetcher(client, large_url)
        )
        q_small, q_large = query_count(client, small_url), query_count(client, large_url)
        ratio = t_large / t_small
        ok = ratio <= TIME_LIMIT and q_small == q_large
        failed |= not ok and label in pages
        print(
            f"{label:52} {t_small * 1000:8.2f} {t_large * 1000:8.2f} {ratio:6.2f} "
            f"{q_small:>4}/{q_large:<4}  {verdict(ratio, TIME_LIMIT) if q_small == q_large else 'FAIL (queries)'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
