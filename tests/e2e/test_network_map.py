"""The map in the browser: open the demo city's map, filter by a kind, click a stakeholder."""

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from civitas.cities.demo import DEMO_PASSWORD, demo_build
from civitas.network.models import Relationship, SavedLayout
from civitas.stakeholders.models import Stakeholder
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TRANSIT = "Aurelia Metro and Bus Company"
CY = "document.getElementById('network-map')._cyreg.cy"


def _node_point(page: Any, name: str) -> dict[str, float]:
    """Bring a stakeholder to the middle of the map and return where it is on the screen."""
    return page.evaluate(
        f"""name => {{
            const cy = {CY};
            const node = cy.nodes().filter(n => n.data('name') === name)[0];
            cy.container().scrollIntoView({{block: 'center'}});
            cy.zoom(1.5);
            cy.center(node);
            const position = node.renderedPosition();
            const box = cy.container().getBoundingClientRect();
            return {{x: box.left + position.x, y: box.top + position.y}};
        }}""",
        name,
    )


def test_the_demo_map_filters_by_kind_and_shows_a_stakeholder(page: Any, catalogue: None) -> None:
    demo = demo_build()
    log_in(page, "ana", DEMO_PASSWORD)
    page.goto(f"/cities/{demo.city.slug}/map/")
    page.locator('#network-map[data-ready="true"]').wait_for()
    # The analysis beside the map: gaps against the Supplement, each citing its clause.
    page.locator("#analysis-heading").wait_for()
    assert "Appendix II" in page.locator(".map-analysis").inner_text()
    total = Relationship.objects.filter(city=demo.city).count()
    page.get_by_role("status").filter(has_text=f"of {total} relationships shown").wait_for()

    # Filter: only evaluations.
    page.locator("summary", has_text="Filters").click()
    for box in page.locator("input[data-kind-filter]").all():
        if box.get_attribute("value") != "evaluates":
            box.uncheck()
    evaluations = Relationship.objects.filter(city=demo.city, kind="evaluates").count()
    assert evaluations > 0
    # "and 5 of …", not "5 of …", which "15 of …" on the way there would also contain.
    page.get_by_role("status").filter(
        has_text=f"and {evaluations} of {total} relationships shown"
    ).wait_for()
    shown = page.evaluate(f"{CY}.edges(':visible').map(edge => edge.data('kind'))")
    assert shown and set(shown) == {"evaluates"}
    assert "kind=evaluates" in (page.locator("#map-svg").get_attribute("href") or "")

    # Click a stakeholder: its panel opens with its summary and relationships.
    panel = page.locator("#node-panel")
    for _ in range(5):
        # Read the node's place again on each try: the map may still be settling its view.
        point = _node_point(page, TRANSIT)
        page.mouse.click(point["x"], point["y"])
        try:
            panel.wait_for(state="visible", timeout=3_000)
            break
        except PlaywrightTimeoutError:
            continue
    panel.wait_for(state="visible")
    assert page.locator("#node-panel-name").inner_text() == TRANSIT
    facts = page.locator("#node-panel-facts").inner_text()
    assert "City services companies" in facts and "Betweenness" in facts
    relationships = page.locator("#node-panel-relationships").inner_text()
    assert "is evaluated by Finance and Procurement Department" in relationships
    assert panel.get_by_role("link", name="Open the stakeholder's page").get_attribute("href")
    panel.get_by_role("button", name="Close the panel").click()
    panel.wait_for(state="hidden")

    # Drag it elsewhere and save the layout for everyone in the city.
    save = page.get_by_role("button", name="Save the layout")
    for _ in range(5):
        # As for the click: a drag that starts beside the node pans the map instead.
        point = _node_point(page, TRANSIT)
        page.mouse.move(point["x"], point["y"])
        page.mouse.down()
        page.mouse.move(point["x"] + 80, point["y"] + 40, steps=8)
        page.mouse.up()
        if save.is_enabled():
            break
    save.click()
    page.get_by_role("status").filter(has_text="Layout saved").wait_for()
    layout = SavedLayout.objects.get(city=demo.city)
    assert len(layout.positions) == Stakeholder.objects.filter(city=demo.city).count()

    # Export the view.
    with page.expect_download() as png:
        page.get_by_role("button", name="Download PNG").click()
    assert png.value.suggested_filename == "aurelia-map.png"
    with page.expect_download() as svg:
        page.get_by_role("button", name="Download SVG").click()
    assert svg.value.suggested_filename == "aurelia-map.svg"
