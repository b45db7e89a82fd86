"""A map's graph as plain data: what analytics, layouts and formats read, free of the ORM."""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from civitas.network.vocabulary import Direction

# Compared as a plain string: an enum member compares much more slowly, on every edge.
MUTUAL = str(Direction.MUTUAL.value)


@dataclass(slots=True)
class Node:
    """A stakeholder on the map, with what colours, sizes and filters it."""

    id: int
    name: str
    type_code: str
    type_name: str
    parent_type_code: str = ""  # a unit's organization type ("municipality"); "" for others
    parent_type_name: str = ""
    kind: str = "organization"
    sector: str = ""
    levels: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    lfa_roles: list[str] = field(default_factory=list)
    technology_roles: list[str] = field(default_factory=list)
    power: int = 0
    interest: int = 0
    attitude: int = 0
    categorized: bool = False  # False: power and interest are the catalogue type's defaults


@dataclass(slots=True)
class Edge:
    """A relationship on the map."""

    id: int
    source: int
    target: int
    kind: str
    direction: str = str(Direction.DIRECTED)
    strength: int = 2
    description: str = ""
    initiative_id: int | None = None
    start_date: date | None = None
    end_date: date | None = None

    @property
    def is_mutual(self) -> bool:
        return self.direction == MUTUAL


@dataclass
class Network:
    """The stakeholders and relationships of one map (a city, or one of its initiatives)."""

    nodes: list[Node]
    edges: list[Edge]
    title: str = ""

    def node_map(self) -> dict[int, Node]:
        return {node.id: node for node in self.nodes}

    def fingerprint(self) -> str:
        """Digest what metrics and layouts depend on: the nodes and the weighted edges."""
        nodes = ",".join(str(node.id) for node in sorted(self.nodes, key=_by_id))
        edges = ";".join(
            f"{source}>{target}:{kind}:{direction}:{strength}"
            for source, target, kind, _, direction, strength in sorted(
                (e.source, e.target, e.kind, e.id, e.direction, e.strength) for e in self.edges
            )
        )
        return hashlib.sha256(f"{nodes}|{edges}".encode()).hexdigest()

    def filtered(
        self, *, kinds: "set[str] | None" = None, level: str = "", type: str = ""
    ) -> "Network":
        """Return the map showing only some kinds of relationship, one level, or one type.

        A type also matches its units. Stakeholders without a shown relationship stay.
        """
        nodes = self.nodes
        if level:
            nodes = [node for node in nodes if level in node.levels]
        if type:
            nodes = [node for node in nodes if type in (node.type_code, node.parent_type_code)]
        ids = {node.id for node in nodes}
        edges = [
            edge
            for edge in self.edges
            if edge.source in ids and edge.target in ids and (kinds is None or edge.kind in kinds)
        ]
        return Network(nodes=list(nodes), edges=edges, title=self.title)


def _by_id(node: Node) -> int:
    return node.id
