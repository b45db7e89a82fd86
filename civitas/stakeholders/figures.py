"""Figure 2 of the Supplement and the power-interest grid, drawn as standalone SVG.

Both functions are pure: they take categorizations (anything with `.stakeholder.name`,
`.lfa_roles`, `.technology_roles`, `.power`, `.interest` and `.attitude`) and return an
SVG document as text, so that pages embed it and reports can reuse it.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol
from xml.sax.saxutils import escape

from civitas.core.vocabulary import LfaRole, TechnologyRole
from civitas.stakeholders.models import GRID_THRESHOLD, GridQuadrant

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
NO_TECHNOLOGY_ROLE = "none"
NO_LFA_ROLE = "none"

# Characters XML 1.0 does not allow, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Categorized(Protocol):
    """What the figures read from a categorization (a Categorization, or a look-alike)."""

    @property
    def stakeholder(self) -> Any: ...
    @property
    def lfa_roles(self) -> Any: ...
    @property
    def technology_roles(self) -> Any: ...
    @property
    def power(self) -> int: ...
    @property
    def interest(self) -> Any: ...
    @property
    def attitude(self) -> Any: ...


def text(value: object) -> str:
    """Return a value escaped for XML text and attribute values."""
    return escape(_INVALID_XML.sub("", str(value)), {'"': "&quot;", "'": "&apos;"})


def shorten(name: str, limit: int) -> str:
    """Return the name cut to `limit` characters, ending with an ellipsis when cut."""
    name = " ".join(str(name).split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _svg_open(width: int, height: int, title: str, description: str, prefix: str) -> str:
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="{text(FONT_FAMILY)}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" class="civitas-figure">'
        f'<title id="{prefix}-title">{text(title)}</title>'
        f'<desc id="{prefix}-desc">{text(description)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
    )


def _lines(label: str, limit: int) -> list[str]:
    """Split a label into lines of at most about `limit` characters, at spaces and newlines."""
    lines: list[str] = []
    for paragraph in label.split("\n"):
        start = len(lines)
        for word in paragraph.split():
            if len(lines) > start and len(lines[-1]) + 1 + len(word) <= limit:
                lines[-1] += " " + word
            else:
                lines.append(word)
    return lines or [""]


def _multiline(x: float, y: float, label: str, limit: int, line_height: int, **attrs: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{text(value)}"' for key, value in attrs.items())
    lines = _lines(label, limit)
    top = y - (len(lines) - 1) * line_height / 2
    spans = "".join(
        f'<tspan x="{x:g}" y="{top + index * line_height:g}">{text(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f"<text{extra}>{spans}</text>"


# Figure 2 -------------------------------------------------------------------------------

FIGURE2_ROW_LABEL_WIDTH = 180
FIGURE2_COLUMN_WIDTH = 200
FIGURE2_HEADER_HEIGHT = 56
FIGURE2_TITLE_HEIGHT = 34
FIGURE2_CHIP_HEIGHT = 22
FIGURE2_CHIP_GAP = 4
FIGURE2_CELL_PADDING = 8
FIGURE2_MIN_ROW_HEIGHT = 60
FIGURE2_NAME_LIMIT = 26
FIGURE2_ROW_COLOURS = {
    LfaRole.ACTIVE: ("#dbe9f6", "#1f5f99"),
    LfaRole.BENEFICIARY: ("#dcf0e0", "#23703a"),
    LfaRole.POTENTIAL_SUPPORTER: ("#e6f2ef", "#2d6a5e"),
    LfaRole.POTENTIAL_OPPONENT: ("#fbe5d6", "#a14a12"),
    NO_LFA_ROLE: ("#eeeeee", "#555555"),
}


def figure2_cells(
    categorizations: Iterable[Categorized],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], dict[tuple[str, str], list[str]]]:
    """Return Figure 2's rows, columns and the names in each (LFA role, technology role) cell.

    A stakeholder appears in every cell matching one of its LFA roles and one of its
    technology roles; one without a technology role goes to the "no technology role" column.
    A row for stakeholders without an LFA role is added only when there are some.
    """
    rows = [(code, str(label)) for code, label in LfaRole.choices]
    columns = [(code, str(label)) for code, label in TechnologyRole.choices]
    columns.append((NO_TECHNOLOGY_ROLE, "No technology role"))
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for categorization in categorizations:
        name = str(categorization.stakeholder.name)
        lfa = [r for r in LfaRole.values if r in categorization.lfa_roles] or [NO_LFA_ROLE]
        technology = [r for r in TechnologyRole.values if r in categorization.technology_roles] or [
            NO_TECHNOLOGY_ROLE
        ]
        for row in lfa:
            for column in technology:
                cells[(row, column)].append(name)
    if any(row == NO_LFA_ROLE for row, _ in cells):
        rows.append((NO_LFA_ROLE, "No LFA role yet"))
    for names in cells.values():
        names.sort(key=str.casefold)
    return rows, columns, dict(cells)


def figure2_svg(
    categorizations: Iterable[Categorized],
    *,
    title: str = "Figure 2: stakeholders by LFA role and technology role",
) -> str:
    """Draw Figure 2 (§3.2): LFA roles as rows, technology roles as columns, names in cells."""
    rows, columns, cells = figure2_cells(categorizations)
    chip_step = FIGURE2_CHIP_HEIGHT + FIGURE2_CHIP_GAP
    row_heights = [
        max(
            FIGURE2_MIN_ROW_HEIGHT,
            2 * FIGURE2_CELL_PADDING
            + max((len(cells.get((row, column), [])) for column, _ in columns), default=0)
            * chip_step
            - FIGURE2_CHIP_GAP,
        )
        for row, _ in rows
    ]
    width = FIGURE2_ROW_LABEL_WIDTH + FIGURE2_COLUMN_WIDTH * len(columns)
    grid_top = FIGURE2_TITLE_HEIGHT + FIGURE2_HEADER_HEIGHT
    height = grid_top + sum(row_heights) + 12
    placed = len({name for names in cells.values() for name in names})
    parts = [
        _svg_open(
            width,
            height,
            title,
            f"A grid of {len(rows)} LFA roles by {len(columns)} technology roles "
            f"placing {placed} stakeholder(s); a stakeholder appears once in every cell "
            "matching its roles.",
            "fig2",
        ),
        f'<text x="8" y="22" font-size="15" font-weight="bold" fill="#222222">{text(title)}</text>',
    ]
    parts.append('<g class="column-headers" font-size="12" font-weight="bold" fill="#222222">')
    for index, (_code, label) in enumerate(columns):
        x = FIGURE2_ROW_LABEL_WIDTH + index * FIGURE2_COLUMN_WIDTH
        parts.append(
            f'<rect x="{x}" y="{FIGURE2_TITLE_HEIGHT}" width="{FIGURE2_COLUMN_WIDTH}" '
            f'height="{FIGURE2_HEADER_HEIGHT}" fill="#f4f4f4" stroke="#bbbbbb"/>'
        )
        parts.append(
            _multiline(
                x + FIGURE2_COLUMN_WIDTH / 2,
                FIGURE2_TITLE_HEIGHT + FIGURE2_HEADER_HEIGHT / 2 + 4,
                label,
                24,
                15,
                text_anchor="middle",
            )
        )
    parts.append("</g>")
    y = grid_top
    for (row, row_label), row_height in zip(rows, row_heights, strict=True):
        background, ink = FIGURE2_ROW_COLOURS[row]
        parts.append(f'<g class="lfa-row" data-lfa-role="{text(row)}">')
        parts.append(
            f'<rect x="0" y="{y}" width="{FIGURE2_ROW_LABEL_WIDTH}" height="{row_height}" '
            f'fill="{background}" stroke="#bbbbbb"/>'
        )
        parts.append(
            _multiline(
                10,
                y + row_height / 2 + 4,
                row_label.replace(": ", ":\n"),
                20,
                15,
                font_size="12",
                font_weight="bold",
                fill=ink,
            )
        )
        for index, (column, _label) in enumerate(columns):
            x = FIGURE2_ROW_LABEL_WIDTH + index * FIGURE2_COLUMN_WIDTH
            parts.append(
                f'<g class="cell" id="fig2-cell-{text(row)}-{text(column)}" '
                f'data-lfa-role="{text(row)}" data-technology-role="{text(column)}">'
                f'<rect class="cell-area" x="{x}" y="{y}" width="{FIGURE2_COLUMN_WIDTH}" '
                f'height="{row_height}" fill="#ffffff" stroke="#bbbbbb"/>'
            )
            for position, name in enumerate(cells.get((row, column), [])):
                chip_y = y + FIGURE2_CELL_PADDING + position * chip_step
                chip_x = x + FIGURE2_CELL_PADDING
                parts.append(
                    f'<g class="chip"><title>{text(name)}</title>'
                    f'<rect x="{chip_x}" y="{chip_y}" '
                    f'width="{FIGURE2_COLUMN_WIDTH - 2 * FIGURE2_CELL_PADDING}" '
                    f'height="{FIGURE2_CHIP_HEIGHT}" rx="11" fill="{background}" '
                    f'stroke="{ink}" stroke-width="0.8"/>'
                    f'<text x="{chip_x + 9}" y="{chip_y + 15}" font-size="11" fill="#1a1a1a">'
                    f"{text(shorten(name, FIGURE2_NAME_LIMIT))}</text></g>"
                )
            parts.append("</g>")
        parts.append("</g>")
        y += row_height
    if not placed:
        parts.append(
            f'<text x="{width / 2:g}" y="{grid_top + 36}" text-anchor="middle" font-size="13" '
            'fill="#666666">No stakeholder is categorized in this initiative yet.</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# Power-interest grid -------------------------------------------------------------------

GRID_PLOT = 720  # side of the square plot area, in pixels (a band of 120 per score)
GRID_LEFT = 78
GRID_TOP = 48
GRID_RIGHT = 140  # room for the names of points at the right edge
GRID_BOTTOM = 92
GRID_MAX_SCORE = 5
GRID_DOT_RADIUS = 6
GRID_NAME_LIMIT = 19  # about the width of a score band at this font size
GRID_STACK_STEP = 14
ATTITUDE_COLOURS = {
    -2: ("#b2182b", "Opposed"),
    -1: ("#ef8a62", "Rather opposed"),
    0: ("#8c8c8c", "Neutral"),
    1: ("#67a9cf", "Rather supportive"),
    2: ("#2166ac", "Supportive"),
}
QUADRANT_LABELS = {
    GridQuadrant.KEEP_SATISFIED: "Keep satisfied",
    GridQuadrant.MANAGE_CLOSELY: "Manage closely",
    GridQuadrant.MONITOR: "Monitor",
    GridQuadrant.KEEP_INFORMED: "Keep informed",
}


def _band() -> float:
    """Return the pixels per score unit; each whole score sits in the middle of its band."""
    return GRID_PLOT / (GRID_MAX_SCORE + 1)


def grid_x(interest: float) -> float:
    """Return the x coordinate of an interest score."""
    return GRID_LEFT + (interest + 0.5) * _band()


def grid_y(power: float) -> float:
    """Return the y coordinate of a power score (higher power is higher up)."""
    return GRID_TOP + GRID_PLOT - (power + 0.5) * _band()


def quadrant_of(power: int, interest: int) -> str:
    """Return the grid quadrant of a power and interest score."""
    high_power, high_interest = power >= GRID_THRESHOLD, interest >= GRID_THRESHOLD
    if high_power and high_interest:
        return GridQuadrant.MANAGE_CLOSELY
    if high_power:
        return GridQuadrant.KEEP_SATISFIED
    if high_interest:
        return GridQuadrant.KEEP_INFORMED
    return GridQuadrant.MONITOR


def jitter(count: int) -> list[tuple[float, float]]:
    """Return offsets spreading `count` points that share a spot, the same every time.

    The points stack in a column centred on the spot, so that their names do not cover
    one another, and stay within half a score band: none crosses into a neighbouring
    score or quadrant. Very crowded spots squeeze the column.
    """
    if count <= 1:
        return [(0.0, 0.0)] * count
    span = min(GRID_STACK_STEP * (count - 1), _band() - 2 * GRID_DOT_RADIUS - 8)
    step = span / (count - 1)
    return [(0.0, index * step - span / 2) for index in range(count)]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, int(value)))


def power_interest_svg(
    categorizations: Iterable[Categorized],
    *,
    title: str = "Power-interest grid",
) -> str:
    """Draw the power-interest grid: interest across, power up, one dot per stakeholder."""
    points: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    for categorization in categorizations:
        power = _clamp(categorization.power, 0, GRID_MAX_SCORE)
        interest = _clamp(categorization.interest, 0, GRID_MAX_SCORE)
        attitude = _clamp(categorization.attitude, -2, 2)
        points[(interest, power)].append((str(categorization.stakeholder.name), attitude))
    width = GRID_LEFT + GRID_PLOT + GRID_RIGHT
    height = GRID_TOP + GRID_PLOT + GRID_BOTTOM
    count = sum(len(group) for group in points.values())
    parts = [
        _svg_open(
            width,
            height,
            title,
            f"{count} stakeholder(s) placed by interest (across, 0 to 5) and power (up, 0 to 5); "
            f"scores of {GRID_THRESHOLD} or more count as high. Dot colour shows attitude, "
            "from opposed (red) to supportive (blue).",
            "grid",
        ),
        f'<text x="8" y="22" font-size="15" font-weight="bold" fill="#222222">{text(title)}</text>',
    ]
    split = GRID_THRESHOLD - 0.5
    split_x, split_y = grid_x(split), grid_y(split)
    right, bottom = GRID_LEFT + GRID_PLOT, GRID_TOP + GRID_PLOT
    quadrant_boxes = {
        GridQuadrant.KEEP_SATISFIED: (GRID_LEFT, GRID_TOP, split_x, split_y, "#fff4e0"),
        GridQuadrant.MANAGE_CLOSELY: (split_x, GRID_TOP, right, split_y, "#fde3e1"),
        GridQuadrant.MONITOR: (GRID_LEFT, split_y, split_x, bottom, "#f3f3f3"),
        GridQuadrant.KEEP_INFORMED: (split_x, split_y, right, bottom, "#e3f0fa"),
    }
    for quadrant, (x1, y1, x2, y2, fill) in quadrant_boxes.items():
        label_x = x1 + 8 if x1 == GRID_LEFT else x2 - 8
        label_y = y1 + 18 if y1 == GRID_TOP else y2 - 10
        anchor = "start" if x1 == GRID_LEFT else "end"
        parts.append(
            f'<g class="quadrant" id="grid-quadrant-{quadrant}" data-quadrant="{quadrant}">'
            f'<rect class="quadrant-area" x="{x1:g}" y="{y1:g}" width="{x2 - x1:g}" '
            f'height="{y2 - y1:g}" fill="{fill}"/>'
            f'<text x="{label_x:g}" y="{label_y:g}" text-anchor="{anchor}" font-size="13" '
            f'font-weight="bold" fill="#555555">{text(QUADRANT_LABELS[quadrant])}</text></g>'
        )
    parts.append(
        f'<rect x="{GRID_LEFT}" y="{GRID_TOP}" width="{GRID_PLOT}" height="{GRID_PLOT}" '
        'fill="none" stroke="#666666"/>'
        f'<line x1="{split_x:g}" y1="{GRID_TOP}" x2="{split_x:g}" y2="{bottom}" '
        'stroke="#666666" stroke-dasharray="5 4"/>'
        f'<line x1="{GRID_LEFT}" y1="{split_y:g}" x2="{right}" y2="{split_y:g}" '
        'stroke="#666666" stroke-dasharray="5 4"/>'
    )
    parts.append('<g class="axes" font-size="11" fill="#333333">')
    for score in range(GRID_MAX_SCORE + 1):
        parts.append(
            f'<text x="{grid_x(score):g}" y="{bottom + 16}" text-anchor="middle">{score}</text>'
            f'<text x="{GRID_LEFT - 8}" y="{grid_y(score) + 4:g}" text-anchor="end">{score}</text>'
        )
    middle_x, middle_y = GRID_LEFT + GRID_PLOT / 2, GRID_TOP + GRID_PLOT / 2
    parts.append(
        f'<text x="{middle_x:g}" y="{bottom + 40}" text-anchor="middle" font-size="13">'
        "Interest (0 to 5)</text>"
        f'<text x="{GRID_LEFT - 44}" y="{middle_y:g}" text-anchor="middle" font-size="13" '
        f'transform="rotate(-90 {GRID_LEFT - 44} {middle_y:g})">'
        "Power, monetary or administrative (0 to 5)</text></g>"
    )
    parts.append('<g class="stakeholders" font-size="10">')
    for (interest, power), group in sorted(points.items()):
        group.sort(key=lambda point: (point[0].casefold(), point[0], point[1]))
        place = quadrant_of(power, interest)
        for (name, attitude), (dx, dy) in zip(group, jitter(len(group)), strict=True):
            cx, cy = grid_x(interest) + dx, grid_y(power) + dy
            colour, attitude_label = ATTITUDE_COLOURS[attitude]
            parts.append(
                f'<g class="stakeholder" data-quadrant="{place}" data-power="{power}" '
                f'data-interest="{interest}" data-attitude="{attitude}">'
                f"<title>{text(name)}: power {power}, interest {interest}, "
                f"{text(attitude_label.lower())}</title>"
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{GRID_DOT_RADIUS}" fill="{colour}" '
                'stroke="#ffffff" stroke-width="1.2"/>'
                f'<text x="{cx + GRID_DOT_RADIUS + 3:.1f}" y="{cy + 3.5:.1f}" fill="#1a1a1a">'
                f"{text(shorten(name, GRID_NAME_LIMIT))}</text></g>"
            )
    parts.append("</g>")
    parts.append(_grid_legend(GRID_LEFT, bottom + 72))
    if not count:
        parts.append(
            f'<text x="{middle_x:g}" y="{middle_y:g}" text-anchor="middle" font-size="13" '
            'fill="#666666">No stakeholder is categorized in this initiative yet.</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _grid_legend(x: float, y: float) -> str:
    parts = [
        f'<g class="legend" font-size="11" fill="#333333">'
        f'<text x="{x:g}" y="{y:g}" font-weight="bold">Attitude:</text>'
    ]
    item_x = x + 58
    for value, (colour, label) in sorted(ATTITUDE_COLOURS.items()):
        caption = f"{label} ({value:+d})" if value else f"{label} (0)"
        parts.append(
            f'<circle cx="{item_x + 6:g}" cy="{y - 4:g}" r="{GRID_DOT_RADIUS}" fill="{colour}"/>'
            f'<text x="{item_x + 16:g}" y="{y:g}">{text(caption)}</text>'
        )
        item_x += 16 + len(caption) * 6 + 14  # about 6 pixels per character at this size
    parts.append("</g>")
    return "".join(parts)
