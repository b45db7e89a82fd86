"""Network metrics of a map (§4.1 b, Figure 3; §6 step 2), computed with igraph.

- degree: how many other stakeholders one is related to; `relationships` counts its
  relationships, `in_degree` and `out_degree` those it receives and holds (a mutual one
  counts both ways);
- betweenness: the share of shortest paths between other stakeholders that pass through
  it (0 to 1), over the relationships taken as undirected links;
- PageRank over the directed relationships weighted by strength (it rises with what a
  stakeholder receives: funds, services, rules, information);
- eigenvector centrality over undirected links weighted by strength, per connected part of
  the map and scaled by that part's size against the largest, so that a pair on its own
  does not look as central as the heart of the map;
- communities found with the Leiden algorithm maximising modularity (weighted by strength).

From these: isolated stakeholders (no relationship), brokers (betweenness of at least
BROKER_BETWEENNESS), and "influence without voice": stakeholders linked to at least
MIN_CENTRAL_DEGREE others and central, yet whose power stays below the grid's "high"
(§4.2: power imbalance hides such stakeholders). Central means among the top
CENTRAL_SHARE of the related stakeholders by eigenvector centrality or by betweenness
(ties included), so that the test adapts to maps of any size.
"""

import math
import random
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import igraph

from civitas.network.graph import Network, Node
from civitas.stakeholders.models import GRID_THRESHOLD

BROKER_BETWEENNESS = 0.1
CENTRAL_SHARE = 0.2
MIN_CENTRAL_DEGREE = 2
SEED = 20240601


@contextmanager
def seeded(seed: int = SEED) -> Iterator[None]:
    """Make igraph's random choices (Leiden, layouts) repeatable while the block runs."""
    igraph.set_random_number_generator(random.Random(seed))  # noqa: S311 (not for secrets)
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


@dataclass(slots=True)
class NodeMetrics:
    """What the analysis says about one stakeholder."""

    degree: int = 0
    relationships: int = 0
    in_degree: int = 0
    out_degree: int = 0
    betweenness: float = 0.0
    pagerank: float = 0.0
    eigenvector: float = 0.0
    community: int | None = None  # 1 is the largest community; None when isolated


@dataclass
class Metrics:
    """The metrics of every stakeholder of a map, and the partition's modularity."""

    nodes: dict[int, NodeMetrics]
    modularity: float = 0.0
    components: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "modularity": self.modularity,
            "components": self.components,
            "nodes": {
                str(pk): {name: getattr(metrics, name) for name in NodeMetrics.__slots__}
                for pk, metrics in self.nodes.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Metrics":
        return cls(
            nodes={int(pk): NodeMetrics(**values) for pk, values in data["nodes"].items()},
            modularity=data.get("modularity", 0.0),
            components=data.get("components", 0),
        )


@dataclass
class Community:
    number: int
    members: list[Node]


@dataclass
class Analysis:
    """The metrics of a map and what stands out in them."""

    network: Network
    metrics: Metrics
    isolated: list[Node] = field(default_factory=list)
    brokers: list[Node] = field(default_factory=list)
    influence_without_voice: list[Node] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)

    @property
    def density(self) -> float:
        """Share of the possible pairs of stakeholders that are related (0 to 1)."""
        n = len(self.network.nodes)
        if n < 2:
            return 0.0
        linked = sum(m.degree for m in self.metrics.nodes.values()) / 2
        return linked / (n * (n - 1) / 2)


def _graphs(network: Network) -> tuple[igraph.Graph, igraph.Graph, igraph.Graph]:
    """Return the directed graph of relationships, and the undirected one with and without
    repeated links (the simple one weighted by the summed strengths)."""
    index = {node.id: position for position, node in enumerate(network.nodes)}
    n = len(index)
    arcs: list[tuple[int, int]] = []
    arc_weights: list[int] = []
    pairs: list[tuple[int, int]] = []
    weights: list[int] = []
    for edge in network.edges:
        source, target = index[edge.source], index[edge.target]
        arcs.append((source, target))
        arc_weights.append(edge.strength)
        if edge.is_mutual:
            arcs.append((target, source))
            arc_weights.append(edge.strength)
        pairs.append((source, target))
        weights.append(edge.strength)
    directed = igraph.Graph(n=n, edges=arcs, directed=True)
    directed.es["weight"] = arc_weights
    multi = igraph.Graph(n=n, edges=pairs, directed=False)
    multi.es["weight"] = weights
    simple = multi.copy()
    simple.simplify(multiple=True, loops=True, combine_edges={"weight": "sum"})
    return directed, multi, simple


def _eigenvector(simple: igraph.Graph) -> tuple[list[float], int]:
    """Return eigenvector centralities per connected part, scaled by the part's size."""
    n = simple.vcount()
    scores = [0.0] * n
    if simple.ecount() == 0:
        return scores, n
    parts = simple.connected_components()
    largest = max(len(part) for part in parts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if len(parts) == 1:
            return list(simple.eigenvector_centrality(weights="weight")), 1
        for part in parts:
            if len(part) < 2:
                continue
            sub = simple.induced_subgraph(part)
            values = sub.eigenvector_centrality(weights="weight")
            scale = len(part) / largest
            for vertex, value in zip(part, values, strict=True):
                scores[vertex] = max(0.0, value) * scale
    return scores, len(parts)


def compute_metrics(network: Network) -> Metrics:
    """Compute every stakeholder's metrics and the communities of a map."""
    n = len(network.nodes)
    if n == 0:
        return Metrics(nodes={})
    directed, multi, simple = _graphs(network)
    degree = simple.degree()
    relationships = multi.degree()
    in_degree = directed.indegree()
    out_degree = directed.outdegree()
    betweenness = simple.betweenness(directed=False)
    pairs = (n - 1) * (n - 2) / 2
    pagerank = directed.pagerank(weights="weight") if directed.ecount() else [1.0 / n] * n
    eigenvector, components = _eigenvector(simple)
    with seeded():
        partition = simple.community_leiden(
            objective_function="modularity", weights="weight", n_iterations=-1
        )
    membership = list(partition.membership)
    modularity = simple.modularity(membership, weights="weight") if simple.ecount() else 0.0
    # Number communities by size (1 is the largest); isolated stakeholders have none.
    sizes: dict[int, int] = {}
    for position, group in enumerate(membership):
        if degree[position]:
            sizes[group] = sizes.get(group, 0) + 1
    ranking = sorted(sizes, key=lambda group: (-sizes[group], group))
    number = {group: rank for rank, group in enumerate(ranking, start=1)}
    metrics = {
        node.id: NodeMetrics(
            degree=degree[i],
            relationships=relationships[i],
            in_degree=in_degree[i],
            out_degree=out_degree[i],
            betweenness=round(betweenness[i] / pairs, 6) if pairs > 0 else 0.0,
            pagerank=round(pagerank[i], 6),
            eigenvector=round(eigenvector[i], 6),
            community=number.get(membership[i]) if degree[i] else None,
        )
        for i, node in enumerate(network.nodes)
    }
    return Metrics(nodes=metrics, modularity=round(modularity, 6), components=components)


def _top_share(descending: list[float]) -> float:
    """Return the value a stakeholder must reach to be in the top CENTRAL_SHARE."""
    if not descending:
        return math.inf
    return descending[max(1, math.ceil(CENTRAL_SHARE * len(descending))) - 1]


def analyse(network: Network, metrics: Metrics | None = None) -> Analysis:
    """Compute (or take) a map's metrics and list what stands out in them."""
    metrics = metrics if metrics is not None else compute_metrics(network)
    analysis = Analysis(network=network, metrics=metrics)
    related = [metrics.nodes[node.id] for node in network.nodes if metrics.nodes[node.id].degree]
    top_eigenvector = _top_share(sorted((m.eigenvector for m in related), reverse=True))
    top_betweenness = _top_share(sorted((m.betweenness for m in related), reverse=True))
    groups: dict[int, list[Node]] = {}
    for node in network.nodes:
        values = metrics.nodes[node.id]
        if values.degree == 0:
            analysis.isolated.append(node)
            continue
        if values.community is not None:
            groups.setdefault(values.community, []).append(node)
        if values.betweenness >= BROKER_BETWEENNESS:
            analysis.brokers.append(node)
        central = (values.eigenvector > 0 and values.eigenvector >= top_eigenvector) or (
            values.betweenness > 0 and values.betweenness >= top_betweenness
        )
        if central and values.degree >= MIN_CENTRAL_DEGREE and node.power < GRID_THRESHOLD:
            analysis.influence_without_voice.append(node)
    analysis.brokers.sort(key=lambda node: (-metrics.nodes[node.id].betweenness, node.name))
    analysis.influence_without_voice.sort(
        key=lambda node: (-metrics.nodes[node.id].eigenvector, node.name)
    )
    analysis.communities = [
        Community(number, sorted(members, key=lambda node: node.name))
        for number, members in sorted(groups.items())
    ]
    return analysis
