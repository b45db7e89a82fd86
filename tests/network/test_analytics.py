"""Network metrics against small graphs computed by hand."""

import pytest

from civitas.network.analytics import Metrics, analyse, compute_metrics
from civitas.network.graph import Edge, Network
from tests.network.graphs import network, node


def test_path_of_three_puts_the_middle_on_every_path() -> None:
    metrics = compute_metrics(network(3, [(1, 2), (2, 3)])).nodes
    assert [metrics[pk].degree for pk in (1, 2, 3)] == [1, 2, 1]
    # Only the pair (1, 3) has a shortest path through someone, and it runs through 2.
    assert metrics[2].betweenness == 1.0
    assert metrics[1].betweenness == metrics[3].betweenness == 0.0


def test_star_centre_is_the_only_broker_and_leaves_are_half_as_central() -> None:
    analysis = analyse(network(5, [(1, 2), (1, 3), (1, 4), (1, 5)]))
    metrics = analysis.metrics.nodes
    assert metrics[1].betweenness == 1.0
    assert [n.id for n in analysis.brokers] == [1]
    # Eigenvector of a star with k leaves: centre 1, each leaf 1/sqrt(k) = 0.5 for k = 4.
    assert metrics[1].eigenvector == pytest.approx(1.0)
    assert metrics[2].eigenvector == pytest.approx(0.5, abs=1e-4)


def test_pagerank_of_a_two_cycle_is_shared_equally() -> None:
    metrics = compute_metrics(network(2, [(1, 2), (2, 1)])).nodes
    assert metrics[1].pagerank == pytest.approx(0.5)
    assert metrics[2].pagerank == pytest.approx(0.5)


def test_pagerank_follows_direction() -> None:
    # 1 -> 2 -> 3: what is received accumulates downstream.
    metrics = compute_metrics(network(3, [(1, 2), (2, 3)])).nodes
    assert metrics[3].pagerank > metrics[2].pagerank > metrics[1].pagerank


def test_two_triangles_joined_by_a_bridge_make_two_communities() -> None:
    pairs = [(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)]
    analysis = analyse(network(6, pairs))
    metrics = analysis.metrics.nodes
    assert len(analysis.communities) == 2
    assert {frozenset(n.id for n in c.members) for c in analysis.communities} == {
        frozenset({1, 2, 3}),
        frozenset({4, 5, 6}),
    }
    assert metrics[1].community == metrics[2].community != metrics[5].community
    # Node 3 lies on the paths from 1 and 2 to 4, 5 and 6: 6 of the C(5, 2) = 10 pairs.
    assert metrics[3].betweenness == pytest.approx(0.6)
    assert metrics[4].betweenness == pytest.approx(0.6)
    assert {n.id for n in analysis.brokers} == {3, 4}
    # Q = 2 x (3/7 - (7/14)^2) = 5/14: each side holds 3 of the 7 links and half the degree.
    assert analysis.metrics.modularity == pytest.approx(5 / 14, abs=1e-6)


def test_isolated_stakeholders_have_no_community() -> None:
    analysis = analyse(network(4, [(1, 2)]))
    assert [n.id for n in analysis.isolated] == [3, 4]
    assert analysis.metrics.nodes[3].community is None
    assert analysis.metrics.nodes[1].community == 1


def test_repeated_relationships_count_once_in_degree_and_each_in_relationships() -> None:
    net = network(2, [(1, 2)])
    net.edges.append(Edge(id=9, source=1, target=2, kind="funds"))
    metrics = compute_metrics(net).nodes
    assert metrics[1].degree == 1
    assert metrics[1].relationships == 2
    assert metrics[1].out_degree == 2 and metrics[2].in_degree == 2


def test_mutual_relationship_counts_both_ways() -> None:
    metrics = compute_metrics(network(2, [(1, 2)], direction="mutual")).nodes
    assert metrics[1].in_degree == metrics[1].out_degree == 1
    assert metrics[2].in_degree == metrics[2].out_degree == 1


def test_a_small_separate_pair_is_not_as_central_as_the_main_part() -> None:
    # A star of five and, apart, a pair: the pair's eigenvector is scaled by 2/5.
    metrics = compute_metrics(network(7, [(1, 2), (1, 3), (1, 4), (1, 5), (6, 7)])).nodes
    assert metrics[1].eigenvector == pytest.approx(1.0)
    assert metrics[6].eigenvector == pytest.approx(0.4)


def test_influence_without_voice_is_central_and_of_low_power() -> None:
    nodes = [node(1, power=1), node(2, power=4), node(3, power=4), node(4, power=1)]
    # 1 is the hub of a star of 3 leaves; 4 hangs on 3 only.
    edges = [Edge(1, 1, 2, "informs"), Edge(2, 1, 3, "informs"), Edge(3, 3, 4, "informs")]
    analysis = analyse(Network(nodes=nodes, edges=edges))
    assert [n.id for n in analysis.influence_without_voice] == [1]


def test_a_powerful_hub_is_not_without_voice() -> None:
    nodes = [node(1, power=5), node(2), node(3), node(4)]
    edges = [Edge(1, 1, 2, "informs"), Edge(2, 1, 3, "informs"), Edge(3, 1, 4, "informs")]
    analysis = analyse(Network(nodes=nodes, edges=edges))
    assert analysis.influence_without_voice == []


def test_metrics_survive_the_cache_format() -> None:
    metrics = compute_metrics(network(4, [(1, 2), (2, 3)]))
    again = Metrics.from_json(metrics.as_json())
    assert again.nodes == metrics.nodes
    assert again.modularity == metrics.modularity


def test_empty_and_edgeless_maps() -> None:
    assert compute_metrics(Network(nodes=[], edges=[])).nodes == {}
    analysis = analyse(network(3, []))
    assert len(analysis.isolated) == 3 and analysis.density == 0


def test_results_are_repeatable() -> None:
    pairs = [(a, b) for a in range(1, 15) for b in range(a + 1, 15) if (a * b) % 5 == 1]
    first = compute_metrics(network(14, pairs))
    second = compute_metrics(network(14, pairs))
    assert first.nodes == second.nodes
