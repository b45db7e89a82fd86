"""Figure 2 and the power-interest grid: valid SVG, every stakeholder where it belongs."""

import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from civitas.core.vocabulary import LfaRole, TechnologyRole
from civitas.stakeholders.figures import (
    FIGURE2_NAME_LIMIT,
    figure2_svg,
    power_interest_svg,
)
from civitas.stakeholders.models import GridQuadrant

SVG = "{http://www.w3.org/2000/svg}"


def categorized(
    name: str,
    lfa: list[str] | None = None,
    technology: list[str] | None = None,
    *,
    power_monetary: int = 0,
    power_administrative: int = 0,
    interest: int = 0,
    attitude: int = 0,
) -> Any:
    """Return an object shaped like a Categorization, for the pure figure functions."""
    return SimpleNamespace(
        stakeholder=SimpleNamespace(name=name),
        lfa_roles=lfa or [],
        technology_roles=technology or [],
        power=max(power_monetary, power_administrative),
        interest=interest,
        attitude=attitude,
    )


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 (our own output, under test)
    assert root.tag == f"{SVG}svg"
    return root


def rect_of(element: ET.Element, css_class: str) -> tuple[float, float, float, float]:
    rect = element.find(f"{SVG}rect[@class='{css_class}']")
    assert rect is not None
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))


# Figure 2 ---------------------------------------------------------------------------------


def cells(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {
        (cell.get("data-lfa-role", ""), cell.get("data-technology-role", "")): cell
        for cell in root.iter(f"{SVG}g")
        if cell.get("class") == "cell"
    }


def names_by_cell(root: ET.Element) -> dict[tuple[str, str], list[str]]:
    return {
        key: [chip.findtext(f"{SVG}title") or "" for chip in cell.findall(f"{SVG}g")]
        for key, cell in cells(root).items()
    }


def test_figure2_is_a_standalone_svg_document() -> None:
    root = parse(figure2_svg([categorized("City Hall", ["active"], ["ssc_enabler"])]))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert int(root.get("width", 0)) > 0 and int(root.get("height", 0)) > 0
    assert "sans-serif" in (root.get("font-family") or "")
    assert root.findtext(f"{SVG}title", "").startswith("Figure 2")
    assert root.find(f"{SVG}desc") is not None


def test_figure2_has_the_lfa_roles_as_rows_and_technology_roles_as_columns() -> None:
    root = parse(figure2_svg([categorized("City Hall", ["active"], ["ssc_enabler"])]))
    grid = cells(root)
    assert {row for row, _ in grid} == set(LfaRole.values)
    assert {column for _, column in grid} == {*TechnologyRole.values, "none"}
    texts = "".join(root.itertext())
    for label in ("Enabler of technology", "Driver of technology", "Enabler of the SSC"):
        assert label in texts
    assert "No technology role" in texts
    assert "potential supporter" in texts and "potential opponent" in texts


def test_figure2_places_each_stakeholder_in_every_matching_cell() -> None:
    root = parse(
        figure2_svg(
            [
                categorized(
                    "City Hall", ["active", "beneficiary"], ["technology_driver", "ssc_enabler"]
                ),
                categorized("Telecom", ["active"], ["technology_enabler"]),
                categorized("Residents", ["beneficiary", "potential_supporter"]),
                categorized("Car Club", ["potential_opponent"], ["technology_driver"]),
            ]
        )
    )
    placed = {key: names for key, names in names_by_cell(root).items() if names}
    assert placed == {
        ("active", "technology_driver"): ["City Hall"],
        ("active", "ssc_enabler"): ["City Hall"],
        ("beneficiary", "technology_driver"): ["City Hall"],
        ("beneficiary", "ssc_enabler"): ["City Hall"],
        ("active", "technology_enabler"): ["Telecom"],
        ("beneficiary", "none"): ["Residents"],
        ("potential_supporter", "none"): ["Residents"],
        ("potential_opponent", "technology_driver"): ["Car Club"],
    }


def test_figure2_chips_sit_inside_their_cells_and_cells_grow_with_their_names() -> None:
    crowd = [categorized(f"Shop {n:02d}", ["beneficiary"]) for n in range(12)]
    small = parse(figure2_svg(crowd[:1]))
    root = parse(figure2_svg(crowd))
    assert int(root.get("height", 0)) > int(small.get("height", 0))
    cell = cells(root)[("beneficiary", "none")]
    left, top, right, bottom = rect_of(cell, "cell-area")
    chips = cell.findall(f"{SVG}g")
    assert [chip.findtext(f"{SVG}title") for chip in chips] == [f"Shop {n:02d}" for n in range(12)]
    for chip in chips:
        rect = chip.find(f"{SVG}rect")
        assert rect is not None
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        assert left <= x and x + float(rect.get("width", 0)) <= right
        assert top <= y and y + float(rect.get("height", 0)) <= bottom
    ys = [float(chip.find(f"{SVG}rect").get("y", 0)) for chip in chips]  # type: ignore[union-attr]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    other = cells(root)[("active", "none")]
    assert rect_of(other, "cell-area")[3] <= top  # the active row stays above


def test_figure2_shortens_long_names_and_keeps_them_whole_in_the_title() -> None:
    long_name = "Friends of the Riverside Park and Surrounding Neighbourhood Association"
    root = parse(figure2_svg([categorized(long_name, ["potential_opponent"])]))
    chip = cells(root)[("potential_opponent", "none")].find(f"{SVG}g")
    assert chip is not None
    assert chip.findtext(f"{SVG}title") == long_name
    shown = chip.findtext(f"{SVG}text") or ""
    assert shown.endswith("…") and len(shown) <= FIGURE2_NAME_LIMIT
    assert long_name.startswith(shown[:-1])


def test_figure2_escapes_names() -> None:
    name = 'Tom & "Jerry" <script>alert(1)</script>'
    svg = figure2_svg([categorized(name, ["active"], ["ssc_enabler"])])
    assert "<script>" not in svg
    root = parse(svg)
    assert names_by_cell(root)[("active", "ssc_enabler")] == [name]


def test_figure2_drops_characters_xml_cannot_hold() -> None:
    root = parse(figure2_svg([categorized("Bell\x07 Labs", ["active"])]))
    assert names_by_cell(root)[("active", "none")] == ["Bell Labs"]


def test_figure2_gives_stakeholders_without_an_lfa_role_a_row_of_their_own() -> None:
    root = parse(figure2_svg([categorized("Unsorted", [], ["ssc_enabler"])]))
    assert names_by_cell(root)[("none", "ssc_enabler")] == ["Unsorted"]
    assert "No LFA role yet" in "".join(root.itertext())
    plain = parse(figure2_svg([categorized("Sorted", ["active"])]))
    assert ("none", "none") not in cells(plain)


def test_figure2_says_so_when_nobody_is_categorized() -> None:
    root = parse(figure2_svg([]))
    assert "No stakeholder is categorized" in "".join(root.itertext())
    assert all(not names for names in names_by_cell(root).values())


# Power-interest grid ----------------------------------------------------------------------


def dots(root: ET.Element) -> dict[str, ET.Element]:
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "stakeholder":
            text = group.find(f"{SVG}text")
            title = group.findtext(f"{SVG}title") or ""
            assert text is not None
            found[title.split(": power")[0]] = group
    return found


def centre(dot: ET.Element) -> tuple[float, float]:
    circle = dot.find(f"{SVG}circle")
    assert circle is not None
    return float(circle.get("cx", 0)), float(circle.get("cy", 0))


def quadrant_areas(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    return {
        group.get("data-quadrant", ""): rect_of(group, "quadrant-area")
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "quadrant"
    }


def inside(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    return box[0] < point[0] < box[2] and box[1] < point[1] < box[3]


GRID_CASES = [
    # name, power monetary, power administrative, interest, expected quadrant
    ("City Hall", 3, 5, 5, GridQuadrant.MANAGE_CLOSELY),
    ("Ministry", 0, 3, 2, GridQuadrant.KEEP_SATISFIED),
    ("Investor", 4, 0, 0, GridQuadrant.KEEP_SATISFIED),
    ("Residents", 0, 0, 3, GridQuadrant.KEEP_INFORMED),
    ("Shop", 2, 2, 2, GridQuadrant.MONITOR),
    ("Edge", 3, 0, 3, GridQuadrant.MANAGE_CLOSELY),
]


def test_the_grid_is_a_standalone_svg_with_four_labelled_quadrants() -> None:
    root = parse(power_interest_svg([]))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.findtext(f"{SVG}title") == "Power-interest grid"
    assert "sans-serif" in (root.get("font-family") or "")
    areas = quadrant_areas(root)
    assert set(areas) == set(GridQuadrant.values)
    texts = "".join(root.itertext())
    for label in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor"):
        assert label in texts
    assert "Interest" in texts and "Power" in texts
    satisfied, closely = areas["keep_satisfied"], areas["manage_closely"]
    monitor, informed = areas["monitor"], areas["keep_informed"]
    assert satisfied[2] <= closely[0] and monitor[2] <= informed[0]  # interest grows rightwards
    assert satisfied[3] <= monitor[1] and closely[3] <= informed[1]  # power grows upwards


def test_the_grid_puts_each_stakeholder_in_its_quadrant() -> None:
    root = parse(
        power_interest_svg(
            [
                categorized(
                    name, power_monetary=money, power_administrative=admin, interest=interest
                )
                for name, money, admin, interest, _ in GRID_CASES
            ]
        )
    )
    areas, placed = quadrant_areas(root), dots(root)
    assert set(placed) == {case[0] for case in GRID_CASES}
    for name, _, _, _, quadrant in GRID_CASES:
        assert placed[name].get("data-quadrant") == quadrant, name
        assert inside(centre(placed[name]), areas[quadrant]), name
    assert centre(placed["City Hall"])[1] < centre(placed["Shop"])[1]  # more power, higher up
    assert centre(placed["Residents"])[0] > centre(placed["Shop"])[0]  # more interest, right


def test_the_grid_agrees_with_the_categorization_model(city: Any) -> None:
    from tests.factories import CategorizationFactory, StakeholderFactory

    categorization = CategorizationFactory(
        stakeholder=StakeholderFactory(city=city, name="Real One"),
        power_monetary=1,
        power_administrative=4,
        interest=1,
        attitude=-2,
    )
    dot = dots(parse(power_interest_svg([categorization])))["Real One"]
    assert dot.get("data-quadrant") == categorization.quadrant == GridQuadrant.KEEP_SATISFIED
    assert dot.get("data-power") == "4"


def test_stakeholders_on_the_same_spot_are_spread_the_same_way_every_time() -> None:
    crowd = [categorized(f"Shop {n}", power_monetary=1, interest=1) for n in range(15)]
    first = power_interest_svg(crowd)
    assert first == power_interest_svg(list(reversed(crowd)))
    root = parse(first)
    placed = dots(root)
    points = {centre(dot) for dot in placed.values()}
    assert len(points) == 15
    monitor = quadrant_areas(root)["monitor"]
    assert all(inside(point, monitor) for point in points)
    alone = centre(dots(parse(power_interest_svg(crowd[:1])))["Shop 0"])
    ys = [y for _, y in points]
    assert min(ys) < alone[1] < max(ys)  # spread around the spot, not beside it
    assert max(ys) - min(ys) >= 14 * 7  # far enough apart for their names to be read


def test_dot_colours_follow_the_attitude() -> None:
    root = parse(
        power_interest_svg(
            [categorized(f"A{value}", interest=2, attitude=value) for value in range(-2, 3)]
        )
    )
    placed = dots(root)
    colours = [placed[f"A{value}"].find(f"{SVG}circle").get("fill") for value in range(-2, 3)]  # type: ignore[union-attr]
    assert len(set(colours)) == 5
    assert placed["A-2"].get("data-attitude") == "-2"
    assert "Opposed" in "".join(root.itertext()) and "Supportive" in "".join(root.itertext())


def test_the_grid_escapes_names() -> None:
    name = "<&> Ltd"
    svg = power_interest_svg([categorized(name, interest=4, power_monetary=4)])
    assert "<&>" not in svg
    assert "&lt;&amp;&gt; Ltd" in svg
    assert name in dots(parse(svg))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=60),
            st.integers(0, 5),
            st.integers(0, 5),
            st.integers(0, 5),
            st.integers(-2, 2),
            st.lists(st.sampled_from(LfaRole.values), unique=True),
            st.lists(st.sampled_from(TechnologyRole.values), unique=True),
        ),
        max_size=25,
    )
)
def test_any_names_and_scores_give_valid_figures_with_everyone_in_place(
    cases: list[tuple[str, int, int, int, int, list[str], list[str]]],
) -> None:
    items = [
        categorized(
            f"{index}. {name}",
            lfa,
            technology,
            power_monetary=money,
            power_administrative=admin,
            interest=interest,
            attitude=attitude,
        )
        for index, (name, money, admin, interest, attitude, lfa, technology) in enumerate(cases)
    ]
    figure = parse(figure2_svg(items))
    chips = sum(len(names) for names in names_by_cell(figure).values())
    assert chips == sum(max(len(i.lfa_roles), 1) * max(len(i.technology_roles), 1) for i in items)
    grid = parse(power_interest_svg(items))
    areas = quadrant_areas(grid)
    stakeholder_dots = [g for g in grid.iter(f"{SVG}g") if g.get("class") == "stakeholder"]
    assert len(stakeholder_dots) == len(items)
    for dot in stakeholder_dots:
        assert inside(centre(dot), areas[dot.get("data-quadrant", "")])
