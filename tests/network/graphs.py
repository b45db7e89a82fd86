"""Small graphs built by hand, without the database, for the analytics and formats tests."""

from civitas.network.graph import Edge, Network, Node


def node(pk: int, name: str = "", type_code: str = "ngo", **values: object) -> Node:
    return Node(id=pk, name=name or f"S{pk}", type_code=type_code, type_name=type_code, **values)  # type: ignore[arg-type]


def network(
    count: int, pairs: list[tuple[int, int]], kind: str = "collaborates", **edge_values: object
) -> Network:
    """Return a map of stakeholders 1..count joined by directed relationships of one kind."""
    nodes = [node(pk) for pk in range(1, count + 1)]
    edges = [
        Edge(id=number, source=a, target=b, kind=kind, **edge_values)  # type: ignore[arg-type]
        for number, (a, b) in enumerate(pairs, start=1)
    ]
    return Network(nodes=nodes, edges=edges, title="Test")
