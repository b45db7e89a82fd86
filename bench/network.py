"""The map of relationships: analysis, map data and rendering on generated graphs, in one run.

Targets (issue 4):
- on 5,000 stakeholders and 50,000 relationships, our full analysis (loading the graph
  from the database, metrics, communities, brokers, influence without voice, gaps and
  overlaps; no cache) takes at most 2 x the bare igraph calls on the same graph
  (degree, betweenness, PageRank, eigenvector centrality, Leiden);
- the map data endpoint takes the same number of queries at 200, 2,000 and 5,000
  stakeholders;
- the time to first render of the map in headless chromium at 2,000 stakeholders is at
  most 10 x the time at 200.

Run: `.venv/bin/python bench/network.py` (add DATABASE_URL=... for PostgreSQL). Cities
are built through the importers (civitas.stakeholders.imports, civitas.network.imports).
"""

import random
import statistics
import sys
import time
from typing import Any

from common import setup_django, verdict

BIG = (5_000, 50_000)
SMALL_MAP, LARGE_MAP = 200, 2_000
RELATIONSHIPS_PER_STAKEHOLDER = 5  # on the rendered maps
ANALYSIS_LIMIT = 2.0
RENDER_LIMIT = 10.0
RENDER_RUNS = 5
ANALYSIS_RUNS = 5
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "bench-password-123"  # noqa: S105


def build_city(slug: str, stakeholders: int, relationships: int, owner: Any) -> Any:
    """Create a city of generated stakeholders and relationships, through the importers."""
    from civitas.catalogue.models import StakeholderType
    from civitas.cities.services import city_create
    from civitas.core.imports import read_table
    from civitas.network.imports import relationship_import
    from civitas.network.vocabulary import RelationshipKind
    from civitas.stakeholders.imports import stakeholder_import

    rng = random.Random(slug)
    city = city_create(slug=slug, name=slug.title(), by=owner)
    types = list(StakeholderType.objects.values_list("code", flat=True))
    names = [f"Stakeholder {number:05d}" for number in range(stakeholders)]
    rows = ["name,type"] + [f"{name},{rng.choice(types)}" for name in names]
    result = stakeholder_import(city=city, table=read_table("\n".join(rows).encode()), by=None)
    assert result.written, result.problems[:3]
    kinds = RelationshipKind.values
    seen: set[tuple[int, int, str]] = set()
    lines = ["source,target,kind,strength"]
    while len(seen) < relationships:
        source = rng.randrange(stakeholders)
        # A few stakeholders attract many relationships, as in real maps.
        target = int(stakeholders * rng.random() ** 2)
        kind = rng.choice(kinds)
        if source == target or (source, target, kind) in seen:
            continue
        seen.add((source, target, kind))
        lines.append(f"{names[source]},{names[target]},{kind},{rng.randint(1, 3)}")
    result = relationship_import(city=city, table=read_table("\n".join(lines).encode()), by=None)
    assert result.written, result.problems[:3]
    return city


def bare_igraph(network: Any) -> Any:
    """Return the same metrics computed with plain igraph calls on prepared lists."""
    import igraph

    index = {node.id: position for position, node in enumerate(network.nodes)}
    n = len(index)
    arcs = [(index[e.source], index[e.target]) for e in network.edges]
    weights = [e.strength for e in network.edges]

    def run() -> None:
        directed = igraph.Graph(n=n, edges=arcs, directed=True)
        directed.es["weight"] = weights
        undirected = directed.as_undirected(mode="collapse", combine_edges={"weight": "sum"})
        undirected.degree()
        undirected.betweenness(directed=False)
        directed.pagerank(weights="weight")
        undirected.eigenvector_centrality(weights="weight")
        undirected.community_leiden(
            objective_function="modularity", weights="weight", n_iterations=-1
        )

    return run


def measure_analysis(city: Any) -> bool:
    import warnings

    from civitas.network.models import NetworkCache
    from civitas.network.report import network_report
    from civitas.network.selectors import network_for

    warnings.simplefilter("ignore", RuntimeWarning)
    network = network_for(city=city, user=None)

    def ours() -> None:
        NetworkCache.objects.filter(city=city).delete()
        network_report(city=city, user=None)

    # Alternate the two, so that a busy moment of the machine weighs on both alike.
    baseline = bare_igraph(network)
    bare_times: list[float] = []
    our_times: list[float] = []
    baseline()
    ours()
    for _ in range(ANALYSIS_RUNS):
        for action, times in ((baseline, bare_times), (ours, our_times)):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    bare, full = statistics.median(bare_times), statistics.median(our_times)
    ratio = full / bare
    print(
        f"{'full analysis vs bare igraph calls':44} {bare * 1000:9.0f} {full * 1000:9.0f} "
        f"{ratio:6.2f}  {verdict(ratio, ANALYSIS_LIMIT)} (limit {ANALYSIS_LIMIT})"
    )
    print(
        f"  graph: {len(network.nodes)} stakeholders, {len(network.edges)} relationships "
        "(times in ms: bare igraph, ours)"
    )
    return ratio <= ANALYSIS_LIMIT


def measure_queries(client: Any, cities: list[Any]) -> bool:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for city in cities:
        url = f"/cities/{city.slug}/map/data.json"
        assert client.get(url).status_code == 200  # fill the cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
        cold = _cold_queries(client, city, url)
        print(
            f"  map data of {city.stakeholders.count():>5} stakeholders: {len(queries)} queries "
            f"(cache computed: {cold}), {len(response.content) / 1e6:.1f} MB"
        )
    ok = len(set(counts)) == 1
    print(f"{'map data endpoint: queries at 200/2,000/5,000':44} {'/'.join(map(str, counts)):>19}  "
          f"{'PASS' if ok else 'FAIL'}")  # fmt: skip
    return ok


def _cold_queries(client: Any, city: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civitas.network.models import NetworkCache

    NetworkCache.objects.filter(city=city).delete()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def measure_render(base_url: str, cities: list[Any]) -> bool:
    from playwright.sync_api import sync_playwright

    times: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(120_000)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("bench-owner")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for city in cities:
            samples = []
            for run in range(RENDER_RUNS + 1):
                page.goto(f"/cities/{city.slug}/map/")
                page.locator('#network-map[data-ready="true"]').wait_for()
                rendered = float(
                    page.locator("#network-map").get_attribute("data-rendered-ms") or 0
                )
                if run:  # the first load warms the caches
                    samples.append(rendered / 1000)
            times[city.slug] = statistics.median(samples)
        browser.close()
    small, large = (times[city.slug] for city in cities)
    ratio = large / small
    print(
        f"{'first render of the map, 2,000 vs 200':44} {small * 1000:9.0f} {large * 1000:9.0f} "
        f"{ratio:6.2f}  {verdict(ratio, RENDER_LIMIT)} (limit {RENDER_LIMIT})"
    )
    print("  (ms from navigation start to the first frame drawn, median of "
          f"{RENDER_RUNS} loads, headless chromium)")  # fmt: skip
    return ratio <= RENDER_LIMIT


def serve() -> tuple[Any, str]:
    """Start the site in a thread of this process (the benchmark's database) and return it."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server, f"http://127.0.0.1:{server.port}"


def main() -> int:
    setup_django()
    import os

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.test import Client

    from civitas.accounts.models import User

    owner = User.objects.create_user("bench-owner", password=PASSWORD)
    started = time.perf_counter()
    print(f"building cities of {SMALL_MAP}, {LARGE_MAP} and {BIG[0]} stakeholders ...", flush=True)
    small = build_city("small", SMALL_MAP, SMALL_MAP * RELATIONSHIPS_PER_STAKEHOLDER, owner)
    large = build_city("large", LARGE_MAP, LARGE_MAP * RELATIONSHIPS_PER_STAKEHOLDER, owner)
    big = build_city("big", *BIG, owner)
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"{'what':44} {'baseline':>9} {'ours':>9} {'ratio':>6}  verdict")
    ok = measure_analysis(big)
    client = Client()
    client.force_login(owner)
    ok &= measure_queries(client, [small, large, big])
    server, url = serve()
    try:
        ok &= measure_render(url, [small, large])
    finally:
        server.terminate()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
