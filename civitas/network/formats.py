"""A map as files other tools open: GraphML, GEXF, plain JSON, Kumu's JSON, and SVG.

GraphML and GEXF are written by networkx and open in Gephi, networkx and igraph with every
attribute: on stakeholders their type, sector, levels, roles, power and metrics; on
relationships their kind and strength. Lists (levels, roles, tags) are written as text
separated by ";" there, because both formats only hold single values. The plain JSON is
networkx's node-link layout (`nx.node_link_graph(data, edges="edges")` reads it, as does
igraph's `Graph.DictList(data["nodes"], data["edges"], directed=True, vertex_name_attr="id")`).
Kumu's import format is its JSON "blueprint": elements and connections, matched by label.

The SVG is drawn on the server from the same positions the map shows, with the same
colours and sizes, so that it is the same picture in a file that stays sharp at any size,
without one more browser library.
"""

import io
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx

from civitas.core.vocabulary import LfaRole, Sector
from civitas.network.analytics import Analysis
from civitas.network.graph import Network, Node
from civitas.network.layout import Positions, group_of
from civitas.network.vocabulary import (
    KIND_STYLES,
    LFA_COLOURS,
    SECTOR_COLOURS,
    RelationshipKind,
)
from civitas.stakeholders.figures import FONT_FAMILY, SVG_NAMESPACE, shorten, text

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class GraphFormat:
    content_type: str
    extension: str


FORMATS = {
    "graphml": GraphFormat("application/graphml+xml; charset=utf-8", "graphml"),
    "gexf": GraphFormat("application/gexf+xml; charset=utf-8", "gexf"),
    "json": GraphFormat("application/json; charset=utf-8", "json"),
    "kumu": GraphFormat("application/json; charset=utf-8", "kumu.json"),
    "svg": GraphFormat("image/svg+xml; charset=utf-8", "svg"),
}
METRICS = ("degree", "relationships", "betweenness", "pagerank", "eigenvector")
SIZES = ("power", *METRICS)
COLOURS = ("sector", "lfa")


def _joined(values: list[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _flags(analysis: Analysis) -> tuple[set[int], set[int]]:
    return (
        {node.id for node in analysis.brokers},
        {node.id for node in analysis.influence_without_voice},
    )


def node_attributes(
    node: Node, analysis: Analysis, flags: tuple[set[int], set[int]] | None = None
) -> dict[str, Any]:
    """Return a stakeholder's attributes as single values every format can hold."""
    metrics = analysis.metrics.nodes[node.id]
    brokers, voiceless = flags if flags is not None else _flags(analysis)
    return {
        "label": node.name,
        "type": str(node.type_code),
        "type_name": str(node.type_name),
        "organization_type": str(node.parent_type_code or node.type_code),
        "kind": str(node.kind),
        "sector": str(node.sector),
        "levels": _joined(node.levels),
        "tags": _joined(node.tags),
        "lfa_roles": _joined(node.lfa_roles),
        "technology_roles": _joined(node.technology_roles),
        "power": node.power,
        "interest": node.interest,
        "attitude": node.attitude,
        "categorized": node.categorized,
        "degree": metrics.degree,
        "relationships": metrics.relationships,
        "in_degree": metrics.in_degree,
        "out_degree": metrics.out_degree,
        "betweenness": float(metrics.betweenness),
        "pagerank": float(metrics.pagerank),
        "eigenvector": float(metrics.eigenvector),
        # 0 stands for "no community" (isolated): the formats hold no empty numbers.
        "community": metrics.community or 0,
        "broker": node.id in brokers,
        "influence_without_voice": node.id in voiceless,
    }


def edge_attributes(edge: Any) -> dict[str, Any]:
    """Return a relationship's attributes as single values."""
    return {
        "relationship_id": edge.id,
        "kind": str(edge.kind),
        "kind_label": str(RelationshipKind(edge.kind).label),
        "direction": str(edge.direction),
        "strength": edge.strength,
        "description": edge.description,
        "initiative": edge.initiative_id or 0,
        "start_date": edge.start_date.isoformat() if edge.start_date else "",
        "end_date": edge.end_date.isoformat() if edge.end_date else "",
    }


def to_networkx(analysis: Analysis, positions: Positions | None = None) -> nx.MultiDiGraph:
    """Return the map as a networkx multigraph (a mutual relationship is one edge)."""
    network = analysis.network
    graph = nx.MultiDiGraph(name=network.title)
    flags = _flags(analysis)
    for node in network.nodes:
        attributes = node_attributes(node, analysis, flags)
        if positions is not None and node.id in positions:
            attributes["x"], attributes["y"] = (float(v) for v in positions[node.id])
        graph.add_node(str(node.id), **attributes)
    for edge in network.edges:
        graph.add_edge(
            str(edge.source), str(edge.target), key=f"r{edge.id}", **edge_attributes(edge)
        )
    return graph


def graphml_bytes(analysis: Analysis, positions: Positions | None = None) -> bytes:
    """Return the map as GraphML."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(analysis, positions), buffer, edge_id_from_attribute=None)
    return buffer.getvalue()


def _hex_to_rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def gexf_bytes(analysis: Analysis, positions: Positions | None = None) -> bytes:
    """Return the map as GEXF 1.2, with Gephi's position, colour (sector) and size (power)."""
    graph = to_networkx(analysis, positions)
    nodes = analysis.network.node_map()
    for key, attributes in graph.nodes(data=True):
        node = nodes[int(key)]
        viz: dict[str, Any] = {
            "color": {**_hex_to_rgb(SECTOR_COLOURS.get(node.sector, "#9e9e9e")), "a": 1.0},
            "size": float(6 + 3 * node.power),
        }
        if "x" in attributes:
            # GEXF's y axis points up, the screen's down.
            viz["position"] = {"x": attributes["x"], "y": -attributes["y"], "z": 0.0}
        attributes["viz"] = viz
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    return buffer.getvalue()


def graph_json(analysis: Analysis, positions: Positions | None = None) -> dict[str, Any]:
    """Return the map as plain JSON: nodes and edges with all their attributes."""
    network = analysis.network
    flags = _flags(analysis)
    nodes = []
    for node in network.nodes:
        attributes = node_attributes(node, analysis, flags)
        attributes.update(
            levels=node.levels,
            tags=node.tags,
            lfa_roles=node.lfa_roles,
            technology_roles=node.technology_roles,
            community=analysis.metrics.nodes[node.id].community,
        )
        if positions is not None and node.id in positions:
            attributes["x"], attributes["y"] = positions[node.id]
        nodes.append({"id": str(node.id), **attributes})
    edges = [
        {
            "id": f"r{edge.id}",
            "key": f"r{edge.id}",
            "source": str(edge.source),
            "target": str(edge.target),
            **edge_attributes(edge),
            "initiative": edge.initiative_id,
        }
        for edge in network.edges
    ]
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"name": network.title},
        "nodes": nodes,
        "edges": edges,
    }


def kumu_json(analysis: Analysis) -> dict[str, Any]:
    """Return the map in Kumu's JSON import format (elements and connections)."""
    network = analysis.network
    names = {node.id: node.name for node in network.nodes}
    sectors = dict(Sector.choices)
    lfa_labels = dict(LfaRole.choices)
    brokers, voiceless = _flags(analysis)
    elements = []
    for node in network.nodes:
        metrics = analysis.metrics.nodes[node.id]
        elements.append(
            {
                "label": node.name,
                "type": node.type_name,
                "tags": node.tags,
                "Sector": str(sectors.get(node.sector, node.sector)),
                "Levels": node.levels,
                "LFA roles": [str(lfa_labels.get(role, role)) for role in node.lfa_roles],
                "Technology roles": node.technology_roles,
                "Power": node.power,
                "Interest": node.interest,
                "Degree": metrics.degree,
                "Betweenness": metrics.betweenness,
                "PageRank": metrics.pagerank,
                "Eigenvector": metrics.eigenvector,
                "Community": metrics.community,
                "Broker": node.id in brokers,
                "Influence without voice": node.id in voiceless,
            }
        )
    connections = [
        {
            "from": names[edge.source],
            "to": names[edge.target],
            "type": str(RelationshipKind(edge.kind).label),
            "direction": edge.direction,
            "strength": edge.strength,
            "description": edge.description,
        }
        for edge in network.edges
    ]
    return {"elements": elements, "connections": connections}


# SVG


def node_colour(node: Node, colour_by: str) -> str:
    """Return a stakeholder's fill colour on the map."""
    if colour_by == "lfa":
        return LFA_COLOURS.get(node.lfa_roles[0] if node.lfa_roles else "", LFA_COLOURS[""])
    return SECTOR_COLOURS.get(node.sector, "#9e9e9e")


def node_radii(analysis: Analysis, size_by: str) -> dict[int, float]:
    """Return each stakeholder's radius: 8 to 24 pixels along power (0-5) or a metric."""
    metrics = analysis.metrics.nodes
    if size_by not in METRICS:
        return {node.id: 8 + 16 * node.power / 5 for node in analysis.network.nodes}
    highest = max((getattr(m, size_by) for m in metrics.values()), default=0)
    return {
        node.id: 8 + 16 * (getattr(metrics[node.id], size_by) / highest if highest else 0)
        for node in analysis.network.nodes
    }


_DASHES = {"solid": "", "dashed": "8 5", "dotted": "2 4"}


def graph_svg(
    analysis: Analysis,
    positions: Positions,
    *,
    colour_by: str = "sector",
    size_by: str = "power",
    grouping: str = "",
    group_labels: dict[str, str] | None = None,
) -> str:
    """Draw the map as a standalone SVG document."""
    network = analysis.network
    margin = 70.0
    radii = node_radii(analysis, size_by)
    points = [positions.get(node.id, (0.0, 0.0)) for node in network.nodes] or [(0.0, 0.0)]
    left = min(x for x, _ in points) - margin
    top = min(y for _, y in points) - margin - (30 if grouping else 0)
    width = max(x for x, _ in points) - left + margin
    legend_height = 40 + 18 * math.ceil(len(RelationshipKind.values) / 3)
    height = max(y for _, y in points) - top + margin + legend_height
    parts = [
        f'<svg xmlns="{SVG_NAMESPACE}" viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="{text(FONT_FAMILY)}" '
        'role="img" aria-labelledby="map-title">',
        f'<title id="map-title">{text(network.title or "Map of relationships")}</title>',
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
        'fill="#ffffff"/>',
        "<defs>",
    ]
    for code, style in KIND_STYLES.items():
        parts.append(
            f'<marker id="arrow-{code}" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{style.colour}"/></marker>'
        )
    parts.append("</defs>")
    if grouping:
        parts.extend(_group_boxes(network, positions, radii, grouping, group_labels or {}))
    for edge in network.edges:
        parts.append(_edge_line(edge, positions, radii))
    for node in network.nodes:
        x, y = positions.get(node.id, (0.0, 0.0))
        radius = radii[node.id]
        parts.append(
            f'<g class="stakeholder"><title>{text(node.name)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
            f'fill="{node_colour(node, colour_by)}" stroke="#ffffff" stroke-width="1.5"/>'
            f'<text x="{x:.1f}" y="{y + radius + 13:.1f}" font-size="11" text-anchor="middle" '
            f'fill="#222222">{text(shorten(node.name, 32))}</text></g>'
        )
    parts.extend(_legend(left + 20, top + height - legend_height + 20, colour_by, network))
    parts.append("</svg>")
    return "".join(parts)


def _edge_line(edge: Any, positions: Positions, radii: dict[int, float]) -> str:
    x1, y1 = positions.get(edge.source, (0.0, 0.0))
    x2, y2 = positions.get(edge.target, (0.0, 0.0))
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    start, end = radii.get(edge.source, 8.0), radii.get(edge.target, 8.0) + 2
    style = KIND_STYLES[edge.kind]
    dash = _DASHES.get(style.line, "")
    markers = f' marker-end="url(#arrow-{edge.kind})"'
    if edge.is_mutual:
        markers += f' marker-start="url(#arrow-{edge.kind})"'
    label = f"{RelationshipKind(edge.kind).label} ({edge.strength})"
    return (
        f'<line x1="{x1 + ux * start:.1f}" y1="{y1 + uy * start:.1f}" '
        f'x2="{x2 - ux * end:.1f}" y2="{y2 - uy * end:.1f}" stroke="{style.colour}" '
        f'stroke-width="{0.6 + 0.7 * edge.strength:.1f}" stroke-opacity="0.75"'
        + (f' stroke-dasharray="{dash}"' if dash else "")
        + f"{markers}><title>{text(label)}</title></line>"
    )


def _group_boxes(
    network: Network,
    positions: Positions,
    radii: dict[int, float],
    grouping: str,
    labels: dict[str, str],
) -> list[str]:
    boxes: dict[str, list[float]] = {}
    for node in network.nodes:
        x, y = positions.get(node.id, (0.0, 0.0))
        r = radii[node.id] + 12
        group = group_of(node, grouping)
        box = boxes.setdefault(group, [x - r, y - r, x + r, y + r + 14])
        box[0], box[1] = min(box[0], x - r), min(box[1], y - r)
        box[2], box[3] = max(box[2], x + r), max(box[3], y + r + 14)
    parts = []
    for group, (x1, y1, x2, y2) in sorted(boxes.items()):
        parts.append(
            f'<rect x="{x1:.1f}" y="{y1:.1f}" width="{x2 - x1:.1f}" height="{y2 - y1:.1f}" '
            'rx="12" fill="#f4f6f8" stroke="#b0bec5"/>'
            f'<text x="{x1 + 8:.1f}" y="{y1 - 8:.1f}" font-size="13" font-weight="bold" '
            f'fill="#37474f">{text(labels.get(group, group))}</text>'
        )
    return parts


def _legend(x: float, y: float, colour_by: str, network: Network) -> list[str]:
    parts = ['<g class="legend" font-size="11" fill="#222222">']
    kinds = sorted({edge.kind for edge in network.edges}, key=RelationshipKind.values.index)
    for number, code in enumerate(kinds):
        style = KIND_STYLES[code]
        column, row = number % 3, number // 3
        lx, ly = x + column * 260, y + row * 18
        dash = _DASHES.get(style.line, "")
        parts.append(
            f'<line x1="{lx:.1f}" y1="{ly:.1f}" x2="{lx + 28:.1f}" y2="{ly:.1f}" '
            f'stroke="{style.colour}" stroke-width="2"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + f'/><text x="{lx + 34:.1f}" y="{ly + 4:.1f}">'
            f"{text(RelationshipKind(code).label)}</text>"
        )
    swatches = (
        [(str(label), LFA_COLOURS[code]) for code, label in LfaRole.choices]
        if colour_by == "lfa"
        else [(str(label), SECTOR_COLOURS[code]) for code, label in Sector.choices]
    )
    base = y + 18 * math.ceil(max(len(kinds), 1) / 3) + 6
    for number, (label, colour) in enumerate(swatches):
        sx = x + number * 150
        parts.append(
            f'<circle cx="{sx + 6:.1f}" cy="{base:.1f}" r="6" fill="{colour}"/>'
            f'<text x="{sx + 16:.1f}" y="{base + 4:.1f}">{text(label)}</text>'
        )
    parts.append("</g>")
    return parts
