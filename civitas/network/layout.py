"""Positions of a map's stakeholders, computed on the server with igraph.

The browser draws them as they are (Cytoscape's "preset" layout), so that a map of
thousands of stakeholders opens without a slow layout in the browser. Connected
stakeholders are placed with the Fruchterman-Reingold force-directed layout, which stays
fast on large graphs (Kamada-Kawai for small parts, which spreads them more evenly). Each
connected part is laid out on its own and the parts are packed side by side, largest
first; stakeholders with no relationship line up in rows below them. A grouped map lays
out each group that way and packs the groups, so the boxes drawn around them do not
overlap.
"""

import math
from collections import defaultdict

import igraph

from civitas.network.analytics import seeded
from civitas.network.graph import Network, Node
from civitas.network.vocabulary import Grouping

# Average room per stakeholder, in screen pixels at zoom 1.
SPACING = 90.0
GROUP_GAP = 160.0
# Up to this many stakeholders a connected part is laid out with Kamada-Kawai, which
# spreads small maps more evenly; beyond, with the faster Fruchterman-Reingold.
KAMADA_KAWAI_LIMIT = 300

Positions = dict[int, tuple[float, float]]


def group_of(node: Node, grouping: str) -> str:
    """Return the group a stakeholder falls in: its sector or its (organization's) type."""
    if grouping == Grouping.SECTOR:
        return node.sector or "unknown"
    if grouping == Grouping.TYPE:
        return node.parent_type_code or node.type_code
    return ""


def _component_layout(count: int, pairs: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """Lay out one connected part: Kamada-Kawai while small, Fruchterman-Reingold beyond."""
    if count == 1:
        return [(0.0, 0.0)]
    graph = igraph.Graph(n=count, edges=pairs)
    graph.simplify()
    with seeded():
        if count <= KAMADA_KAWAI_LIMIT:
            coordinates = graph.layout_kamada_kawai()
        else:
            coordinates = graph.layout_fruchterman_reingold(niter=500, grid="auto")
    return [(float(x), float(y)) for x, y in coordinates]


def _fit(points: list[tuple[float, float]], side: float) -> list[tuple[float, float]]:
    """Scale and shift points so that they fill a square of `side` from the origin."""
    if not points:
        return []
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    scale = side / max(width, height) if max(width, height) > 0 else 1.0
    return [((x - min(xs)) * scale, (y - min(ys)) * scale) for x, y in points]


Block = tuple[Positions, float, float]  # positions from (0, 0), width, height


def _pack(blocks: list[Block], gap: float) -> Block:
    """Place blocks side by side in rows, largest first, in a roughly square area."""
    if not blocks:
        return {}, 0.0, 0.0
    blocks = sorted(blocks, key=lambda block: (-len(block[0]), -block[1]))
    area = sum((width + gap) * (height + gap) for _, width, height in blocks)
    row_width = max(math.sqrt(area) * 1.3, max(width for _, width, _ in blocks))
    placed: Positions = {}
    x = y = row_height = total_width = 0.0
    for positions, width, height in blocks:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for pk, (px, py) in positions.items():
            placed[pk] = (x + px, y + py)
        total_width = max(total_width, x + width)
        x += width + gap
        row_height = max(row_height, height)
    return placed, total_width, y + row_height


def _block(nodes: list[Node], pairs: list[tuple[int, int]]) -> Block:
    """Lay out one block of stakeholders: its connected parts packed together, largest
    first, and below them the stakeholders without a relationship, in rows."""
    components = igraph.Graph(n=len(nodes), edges=pairs).connected_components()
    membership = components.membership
    inner: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, b in pairs:
        inner[membership[a]].append((a, b))
    parts: list[Block] = []
    isolated: list[Node] = []
    for number, members in enumerate(components):
        if len(members) == 1:
            isolated.append(nodes[members[0]])
            continue
        renumber = {old: new for new, old in enumerate(members)}
        local = [(renumber[a], renumber[b]) for a, b in inner[number]]
        side = SPACING * math.sqrt(len(members)) * 1.2
        points = _fit(_component_layout(len(members), local), side)
        positions = {nodes[old].id: point for old, point in zip(members, points, strict=True)}
        parts.append((positions, side, side))
    positions, width, height = _pack(parts, SPACING)
    if isolated:
        per_row = max(1, int(max(width, SPACING * math.sqrt(len(isolated)) * 1.5) // SPACING))
        top = height + (SPACING if parts else 0.0)
        for number, node in enumerate(sorted(isolated, key=lambda n: n.name)):
            row, column = divmod(number, per_row)
            positions[node.id] = (column * SPACING, top + row * SPACING)
        rows = math.ceil(len(isolated) / per_row)
        width = max(width, (min(per_row, len(isolated)) - 1) * SPACING)
        height = top + (rows - 1) * SPACING
    return positions, width, height


def compute_layout(network: Network, grouping: str = "") -> Positions:
    """Return a position for every stakeholder of the map."""
    if not network.nodes:
        return {}
    if not grouping:
        positions, _, _ = _block(network.nodes, _pairs(network, network.nodes))
        return _rounded(positions)
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in network.nodes:
        groups[group_of(node, grouping)].append(node)
    blocks = [_block(members, _pairs(network, members)) for members in groups.values()]
    positions, _, _ = _pack(blocks, GROUP_GAP)
    return _rounded(positions)


def _pairs(network: Network, members: list[Node]) -> list[tuple[int, int]]:
    """Return the relationships among `members`, as pairs of their positions in the list."""
    index = {node.id: i for i, node in enumerate(members)}
    return [
        (index[edge.source], index[edge.target])
        for edge in network.edges
        if edge.source in index and edge.target in index and edge.source != edge.target
    ]


def _rounded(positions: Positions) -> Positions:
    return {pk: (round(x, 1), round(y, 1)) for pk, (x, y) in positions.items()}
