"""The analysis of a map as one answer: metrics, what stands out, gaps and overlaps."""

from dataclasses import dataclass
from typing import Any

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.network.analytics import Analysis, analyse
from civitas.network.cache import cached_state
from civitas.network.gaps import Gap, find_gaps
from civitas.network.graph import Network, Node
from civitas.network.overlaps import Overlap, find_overlaps
from civitas.network.selectors import audience_for, contribution_texts, network_for


@dataclass
class NetworkReport:
    """Everything `civitas analyze network`, the API and the page beside the map show."""

    city: City
    initiative: Initiative | None
    analysis: Analysis
    gaps: list[Gap]
    overlaps: list[Overlap]

    @property
    def network(self) -> Network:
        return self.analysis.network

    def ranked(self, metric: str, limit: int | None = None) -> list[tuple[Node, Any]]:
        """Return stakeholders by a metric, highest first."""
        metrics = self.analysis.metrics.nodes
        ordered = sorted(
            self.network.nodes, key=lambda node: (-getattr(metrics[node.id], metric), node.name)
        )
        return [(node, getattr(metrics[node.id], metric)) for node in ordered[:limit]]

    def as_dict(self) -> dict[str, Any]:
        analysis = self.analysis
        metrics = analysis.metrics.nodes

        def ref(node: Node) -> dict[str, Any]:
            return {"id": node.id, "name": node.name, "type": node.type_code}

        return {
            "city": self.city.slug,
            "initiative": self.initiative.pk if self.initiative else None,
            "stakeholders": len(self.network.nodes),
            "relationships": len(self.network.edges),
            "density": round(analysis.density, 6),
            "components": analysis.metrics.components,
            "modularity": analysis.metrics.modularity,
            "metrics": [
                {
                    **ref(node),
                    "power": node.power,
                    "degree": metrics[node.id].degree,
                    "relationships": metrics[node.id].relationships,
                    "in_degree": metrics[node.id].in_degree,
                    "out_degree": metrics[node.id].out_degree,
                    "betweenness": metrics[node.id].betweenness,
                    "pagerank": metrics[node.id].pagerank,
                    "eigenvector": metrics[node.id].eigenvector,
                    "community": metrics[node.id].community,
                }
                for node in self.network.nodes
            ],
            "communities": [
                {"number": c.number, "members": [ref(node) for node in c.members]}
                for c in analysis.communities
            ],
            "isolated": [ref(node) for node in analysis.isolated],
            "brokers": [
                {**ref(node), "betweenness": metrics[node.id].betweenness}
                for node in analysis.brokers
            ],
            "influence_without_voice": [
                {
                    **ref(node),
                    "power": node.power,
                    "eigenvector": metrics[node.id].eigenvector,
                    "betweenness": metrics[node.id].betweenness,
                }
                for node in analysis.influence_without_voice
            ],
            "gaps": [gap.as_dict() for gap in self.gaps],
            "overlaps": [overlap.as_dict() for overlap in self.overlaps],
        }


def network_report(
    *, city: City, user: User | None, initiative: Initiative | None = None
) -> NetworkReport:
    """Analyse a city's map, or an initiative's, for what the user may see."""
    network = network_for(city=city, user=user, initiative=initiative)
    metrics, _ = cached_state(
        network, city=city, initiative=initiative, audience=audience_for(user, city)
    )
    contributions = contribution_texts(
        city=city, stakeholder_ids=[node.id for node in network.nodes]
    )
    return NetworkReport(
        city=city,
        initiative=initiative,
        analysis=analyse(network, metrics),
        gaps=find_gaps(network),
        overlaps=find_overlaps(network, contributions),
    )
