"""What the interactive map draws: stakeholders with positions and metrics, and relationships.

`map_data` answers in a fixed number of queries whatever the size of the map: the three
of `network_for`, one for the cache and one for the saved layout (plus the writes of a
cache that had to be computed).
"""

from collections import defaultdict
from typing import Any

from django.urls import reverse

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.vocabulary import Level, LfaRole, Sector
from civitas.network.analytics import Analysis, analyse
from civitas.network.cache import cached_state
from civitas.network.graph import Network
from civitas.network.layout import SPACING, Positions, group_of
from civitas.network.models import SavedLayout
from civitas.network.selectors import audience_for, network_for
from civitas.network.vocabulary import (
    KIND_STYLES,
    LFA_COLOURS,
    SECTOR_COLOURS,
    Grouping,
    RelationshipKind,
)


def merge_positions(network: Network, computed: Positions, saved: dict[str, Any]) -> Positions:
    """Return the saved positions, with stakeholders added since placed near their partners."""
    if not saved:
        return computed
    positions: Positions = {}
    for node in network.nodes:
        point = saved.get(str(node.id))
        if point is not None:
            positions[node.id] = (float(point[0]), float(point[1]))
    missing = [node for node in network.nodes if node.id not in positions]
    if not missing:
        return positions
    neighbours: dict[int, set[int]] = defaultdict(set)
    for edge in network.edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    below, column = max(ys) + SPACING * 1.5, 0
    for number, node in enumerate(missing):
        placed = [positions[pk] for pk in neighbours[node.id] if pk in positions]
        if placed:
            x = sum(p[0] for p in placed) / len(placed) + SPACING * 0.4 * (1 + number % 3)
            y = sum(p[1] for p in placed) / len(placed) + SPACING * 0.4
        else:
            x, y = min(xs) + column * SPACING, below
            column += 1
        positions[node.id] = (round(x, 1), round(y, 1))
    return positions


def _primary_lfa(roles: list[str]) -> str:
    return roles[0] if roles else ""


def map_elements(
    network: Network,
    analysis: Analysis,
    positions: Positions,
    grouping: str = "",
    group_labels: dict[str, str] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the map's nodes and edges in Cytoscape's element format."""
    metrics = analysis.metrics.nodes
    brokers = {node.id for node in analysis.brokers}
    voiceless = {node.id for node in analysis.influence_without_voice}
    nodes: list[dict[str, Any]] = []
    groups: dict[str, int] = {}
    for node in network.nodes:
        values = metrics[node.id]
        data: dict[str, Any] = {
            "id": str(node.id),
            "name": node.name,
            "type": node.type_code,
            "type_name": node.type_name,
            "parent_type": node.parent_type_code,
            "kind": node.kind,
            "sector": node.sector,
            "levels": node.levels,
            "tags": node.tags,
            "lfa_roles": node.lfa_roles,
            "lfa": _primary_lfa(node.lfa_roles),
            "technology_roles": node.technology_roles,
            "power": node.power,
            "interest": node.interest,
            "attitude": node.attitude,
            "categorized": node.categorized,
            "degree": values.degree,
            "relationships": values.relationships,
            "betweenness": values.betweenness,
            "pagerank": values.pagerank,
            "eigenvector": values.eigenvector,
            "community": values.community,
            "broker": node.id in brokers,
            "voiceless": node.id in voiceless,
        }
        if grouping:
            group = group_of(node, grouping)
            groups[group] = groups.get(group, 0) + 1
            data["parent"] = f"group:{group}"
        x, y = positions.get(node.id, (0.0, 0.0))
        nodes.append({"data": data, "position": {"x": x, "y": y}})
    labels = group_labels or {}
    for group, count in sorted(groups.items()):
        nodes.append(
            {
                "data": {
                    "id": f"group:{group}",
                    "name": f"{labels.get(group, group)} ({count})",
                    "is_group": True,
                }
            }
        )
    edges = [
        {
            "data": {
                "id": f"r{edge.id}",
                "source": str(edge.source),
                "target": str(edge.target),
                "kind": edge.kind,
                "direction": edge.direction,
                "strength": edge.strength,
                "description": edge.description,
                "initiative": edge.initiative_id,
            }
        }
        for edge in network.edges
    ]
    return nodes, edges


def legend(network: Network) -> dict[str, Any]:
    """Return the colours, line styles and labels the map and its filters use."""
    types: dict[str, str] = {}
    for node in network.nodes:
        types[node.type_code] = node.type_name
        if node.parent_type_code:
            types[node.parent_type_code] = node.parent_type_name
    return {
        "kinds": [
            {
                "code": code,
                "label": str(label),
                "passive": KIND_STYLES[code].passive,
                "colour": KIND_STYLES[code].colour,
                "line": KIND_STYLES[code].line,
            }
            for code, label in RelationshipKind.choices
        ],
        "sectors": [
            {"code": code, "label": str(label), "colour": SECTOR_COLOURS[code]}
            for code, label in Sector.choices
        ],
        "lfa_roles": [
            {"code": code, "label": str(label), "colour": LFA_COLOURS[code]}
            for code, label in [*LfaRole.choices, ("", "Not categorized")]
        ],
        "levels": [{"code": code, "label": str(label)} for code, label in Level.choices],
        "types": [
            {"code": code, "name": name} for code, name in sorted(types.items(), key=lambda t: t[1])
        ],
    }


def group_labels(network: Network, grouping: str) -> dict[str, str]:
    """Return the label of each group of a grouped map."""
    if grouping == Grouping.SECTOR:
        return {code: str(label) for code, label in Sector.choices}
    labels: dict[str, str] = {}
    for node in network.nodes:
        labels[node.type_code] = node.type_name
        if node.parent_type_code:
            labels[node.parent_type_code] = node.parent_type_name
    return labels


def map_data(
    *,
    city: City,
    user: User | None,
    initiative: Initiative | None = None,
    grouping: str = "",
) -> dict[str, Any]:
    """Return everything the browser needs to draw a map, positions included."""
    network = network_for(city=city, user=user, initiative=initiative)
    metrics, computed = cached_state(
        network,
        city=city,
        initiative=initiative,
        audience=audience_for(user, city),
        grouping=grouping,
    )
    saved = (
        SavedLayout.objects.filter(city=city, initiative=initiative, grouping=grouping)
        .select_related("saved_by")
        .first()
    )
    positions = merge_positions(network, computed or {}, saved.positions if saved else {})
    analysis = analyse(network, metrics)
    nodes, edges = map_elements(
        network, analysis, positions, grouping, group_labels(network, grouping)
    )
    stakeholder_url = reverse("stakeholders:detail", args=[city.slug, 0])
    return {
        "title": network.title,
        "city": city.slug,
        "initiative": initiative.pk if initiative else None,
        "grouping": grouping,
        "layout": {
            "saved": saved is not None,
            "version": saved.version if saved else None,
            "saved_by": saved.saved_by.get_username() if saved and saved.saved_by else None,
            "saved_at": saved.updated_at.isoformat() if saved else None,
        },
        "counts": {
            "stakeholders": len(network.nodes),
            "relationships": len(network.edges),
            "communities": len(analysis.communities),
            "isolated": len(analysis.isolated),
        },
        "links": {"stakeholder": stakeholder_url.replace("/0/", "/{id}/")},
        "legend": legend(network),
        "nodes": nodes,
        "edges": edges,
    }


def graph_export(
    format: str,
    *,
    city: City,
    user: User | None,
    initiative: Initiative | None = None,
    grouping: str = "",
    kinds: set[str] | None = None,
    level: str = "",
    type: str = "",
    colour_by: str = "sector",
    size_by: str = "power",
) -> bytes:
    """Return a map as a file of the given format (see civitas.network.formats.FORMATS).

    Metrics are those of the whole map; the filters (kinds, level, type) choose what the
    file shows, as they do on the map.
    """
    import json

    from civitas.network import formats

    network = network_for(city=city, user=user, initiative=initiative)
    metrics, computed = cached_state(
        network,
        city=city,
        initiative=initiative,
        audience=audience_for(user, city),
        grouping=grouping,
    )
    saved = SavedLayout.objects.filter(city=city, initiative=initiative, grouping=grouping).first()
    positions = merge_positions(network, computed or {}, saved.positions if saved else {})
    shown = network.filtered(kinds=kinds, level=level, type=type)
    analysis = analyse(shown, metrics)
    if format == "graphml":
        return formats.graphml_bytes(analysis, positions)
    if format == "gexf":
        return formats.gexf_bytes(analysis, positions)
    if format == "json":
        document = formats.graph_json(analysis, positions)
    elif format == "kumu":
        document = formats.kumu_json(analysis)
    elif format == "svg":
        return formats.graph_svg(
            analysis,
            positions,
            colour_by=colour_by,
            size_by=size_by,
            grouping=grouping,
            group_labels=group_labels(network, grouping),
        ).encode()
    else:
        raise ValueError(f"Unknown graph format: {format}")
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def graph_filename(city: City, initiative: Initiative | None, format: str) -> str:
    """Return the file name of a map download, e.g. aurelia-map.graphml."""
    from civitas.network.formats import FORMATS

    scope = f"{city.slug}-initiative-{initiative.pk}" if initiative else city.slug
    return f"{scope}-map.{FORMATS[format].extension}"
