"""The graph of a map, its cache, positions and the map's data in a fixed number of queries."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.cities.models import City
from civitas.network.cache import cached_state
from civitas.network.layout import compute_layout
from civitas.network.maps import map_data, merge_positions
from civitas.network.models import NetworkCache
from civitas.network.selectors import network_for
from civitas.network.services import layout_save, relationship_create
from civitas.stakeholders.models import Stakeholder
from civitas.stakeholders.services import categorization_set, stakeholder_archive
from tests.factories import InitiativeFactory
from tests.network.graphs import network

pytestmark = pytest.mark.django_db
Add = Callable[..., Stakeholder]


def test_city_map_holds_every_active_stakeholder_with_its_strongest_power(city, add) -> None:
    council, ngo = add("Council", "municipality"), add("Friends", "ngo")
    archived = add("Gone", "ngo")
    stakeholder_archive(stakeholder=archived, by=None)
    for power in (2, 4):
        categorization_set(
            stakeholder=ngo,
            initiative=InitiativeFactory(city=city),
            by=None,
            power_monetary=power,
            lfa_roles=["beneficiary"],
        )
    relationship_create(source=ngo, target=council, kind="informs", by=None)
    graph = network_for(city=city, user=None)
    nodes = graph.node_map()
    assert set(nodes) == {council.pk, ngo.pk}
    assert nodes[ngo.pk].power == 4 and nodes[ngo.pk].categorized
    assert nodes[ngo.pk].lfa_roles == ["beneficiary"]
    # Not categorized: the catalogue type's default power (municipality: 5).
    assert nodes[council.pk].power == 5 and not nodes[council.pk].categorized
    assert [(e.source, e.target) for e in graph.edges] == [(ngo.pk, council.pk)]


def test_an_initiatives_map_holds_its_stakeholders_and_relationships(city, add) -> None:
    council, ngo, lab = add("Council", "municipality"), add("Friends", "ngo"), add("Lab")
    outsider = add("Outsider")
    mobility = InitiativeFactory(city=city)
    categorization_set(stakeholder=council, initiative=mobility, by=None)
    relationship_create(source=ngo, target=council, kind="informs", by=None, initiative=mobility)
    relationship_create(source=lab, target=outsider, kind="advises", by=None)
    relationship_create(source=ngo, target=council, kind="advises", by=None)
    graph = network_for(city=city, user=None, initiative=mobility)
    assert {node.id for node in graph.nodes} == {council.pk, ngo.pk}
    assert sorted(edge.kind for edge in graph.edges) == ["advises", "informs"]


def test_ended_relationships_leave_the_map(city, add) -> None:
    a, b = add("A"), add("B")
    yesterday = timezone.localdate() - timedelta(days=1)
    relationship_create(source=a, target=b, kind="funds", by=None, end_date=yesterday)
    assert network_for(city=city, user=None).edges == []
    assert len(network_for(city=city, user=None, include_ended=True).edges) == 1


def test_confidential_stakeholders_are_hidden_from_viewers(city, add, user_in) -> None:
    bank, council = add("Bank", "international_organization", confidential=True), add("Council")
    relationship_create(source=bank, target=council, kind="funds", by=None)
    viewer_map = network_for(city=city, user=user_in("viewer"))
    assert [node.name for node in viewer_map.nodes] == ["Council"] and viewer_map.edges == []
    assert len(network_for(city=city, user=user_in("analyst")).nodes) == 2


def test_the_cache_is_used_until_the_graph_changes(city, add) -> None:
    a, b, c = add("A"), add("B"), add("C")
    relationship_create(source=a, target=b, kind="funds", by=None)
    graph = network_for(city=city, user=None)
    first, positions = cached_state(graph, city=city, initiative=None, audience="all", grouping="")
    assert set(positions) == {a.pk, b.pk, c.pk}
    with CaptureQueriesContext(connection) as queries:
        again, same = cached_state(graph, city=city, initiative=None, audience="all", grouping="")
    assert len(queries) == 1 and same == positions and again.nodes == first.nodes
    stakeholder_archive(stakeholder=c, by=None)  # no relationship service runs
    changed = network_for(city=city, user=None)
    metrics, moved = cached_state(changed, city=city, initiative=None, audience="all", grouping="")
    assert set(metrics.nodes) == {a.pk, b.pk} and set(moved) == {a.pk, b.pk}
    assert NetworkCache.objects.get().fingerprint == changed.fingerprint()


def _build(city: City, add: Add, count: int) -> None:
    people = [add(f"Stakeholder {number:03d}") for number in range(count)]
    for number, person in enumerate(people[1:], start=1):
        relationship_create(source=person, target=people[number // 2], kind="informs", by=None)


def test_map_data_takes_the_same_queries_for_any_size(
    city, add, django_assert_max_num_queries
) -> None:
    _build(city, add, 6)
    map_data(city=city, user=None)  # fill the cache
    with CaptureQueriesContext(connection) as small:
        map_data(city=city, user=None)
    for number in range(6, 60):
        add(f"More {number}")
    map_data(city=city, user=None)
    with django_assert_max_num_queries(len(small)):
        data = map_data(city=city, user=None)
    assert data["counts"]["stakeholders"] == 60
    assert all({"x", "y"} <= node["position"].keys() for node in data["nodes"])


def test_map_data_when_the_cache_is_cold_is_also_bounded(
    city, add, django_assert_max_num_queries
) -> None:
    _build(city, add, 30)
    with django_assert_max_num_queries(8):
        data = map_data(city=city, user=None, grouping="sector")
    groups = [node for node in data["nodes"] if node["data"].get("is_group")]
    assert groups and all(
        node["data"]["parent"].startswith("group:")
        for node in data["nodes"]
        if not node["data"].get("is_group")
    )


def test_saved_positions_win_and_newcomers_sit_near_their_partners(city, add) -> None:
    a, b = add("A"), add("B")
    relationship_create(source=a, target=b, kind="funds", by=None)
    layout_save(city=city, positions={a.pk: [100, 100], b.pk: [300, 100]}, by=None)
    c = add("C")
    relationship_create(source=c, target=a, kind="funds", by=None)
    data = map_data(city=city, user=None)
    positions = {node["data"]["id"]: node["position"] for node in data["nodes"]}
    assert positions[str(a.pk)] == {"x": 100.0, "y": 100.0}
    assert abs(positions[str(c.pk)]["x"] - 100) < 100 and data["layout"]["saved"]


def test_merge_positions_without_saved_ones_keeps_the_computed() -> None:
    graph = network(2, [(1, 2)])
    computed = {1: (0.0, 0.0), 2: (5.0, 5.0)}
    assert merge_positions(graph, computed, {}) == computed


def test_layouts_place_everyone_and_repeat() -> None:
    graph = network(8, [(1, 2), (2, 3), (3, 1), (4, 5)])
    first = compute_layout(graph)
    assert set(first) == set(range(1, 9)) and compute_layout(graph) == first
    # Stakeholders without relationships line up below the others.
    assert min(first[pk][1] for pk in (6, 7, 8)) > max(first[pk][1] for pk in (1, 2, 3, 4, 5))


def test_grouped_layouts_keep_groups_apart() -> None:
    graph = network(9, [(1, 2), (2, 3), (4, 5), (7, 8)])
    for node in graph.nodes:
        node.sector = ["public", "private", "academia"][(node.id - 1) // 3]
    positions = compute_layout(graph, "sector")
    boxes = []
    for group in range(3):
        xs = [positions[pk][0] for pk in range(group * 3 + 1, group * 3 + 4)]
        ys = [positions[pk][1] for pk in range(group * 3 + 1, group * 3 + 4)]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
