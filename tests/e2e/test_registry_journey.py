"""Steps 1-3 in the browser: from an empty city to Figure 2 and the Appendix I summary."""

from typing import Any

import pytest

from civitas.stakeholders.models import Categorization, Stakeholder
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NGO_PLACEHOLDER = "Non-governmental organizations (NGOs)"
NEW_NAME = "Friends of the Lumen River"


def test_a_city_starts_from_the_supplement_and_reaches_figure_2(page: Any, catalogue: None) -> None:
    user = UserFactory(username="olivia")
    log_in(page, user.username, PASSWORD)

    # A new city, seeded with one placeholder per generic type of the catalogue.
    page.goto("/cities/new/")
    page.get_by_role("textbox", name="Name", exact=True).fill("Lumen")
    page.get_by_label("Short name for addresses").fill("lumen")
    page.get_by_role("button", name="Create the city").click()
    page.get_by_role("link", name="Start from the Supplement").first.click()
    page.get_by_role("button", name="Create the placeholders").click()
    page.get_by_role("link", name=NGO_PLACEHOLDER).click()

    # Rename the NGO placeholder.
    page.get_by_role("button", name="Edit", exact=True).click()
    page.get_by_role("textbox", name="Name", exact=True).fill(NEW_NAME)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name=NEW_NAME).wait_for()

    # An initiative to categorize it in.
    page.goto("/cities/lumen/initiatives/new/")
    page.get_by_role("textbox", name="Name", exact=True).fill("Smart water network")
    page.get_by_role("button", name="Create").click()

    # Categorize the renamed stakeholder.
    stakeholder = Stakeholder.objects.get(city__slug="lumen", name=NEW_NAME)
    page.goto(f"/cities/lumen/stakeholders/{stakeholder.pk}/")
    page.get_by_label("Categorize in").select_option(label="Smart water network")
    page.get_by_role("button", name="Categorize").click()
    page.get_by_label("Beneficiary").check()
    page.get_by_label("Enabler of the SSC").check()
    page.get_by_role("button", name="Save").click()
    categorization = Categorization.objects.get(stakeholder=stakeholder)
    assert "beneficiary" in categorization.lfa_roles
    assert "ssc_enabler" in categorization.technology_roles

    # It shows in Figure 2, in the beneficiary row and the enabler-of-the-SSC column.
    page.goto(f"/cities/lumen/initiatives/{categorization.initiative_id}/categorization/")
    figure = page.locator("svg").filter(has_text="Figure 2").first
    figure.wait_for()
    assert NEW_NAME[:20] in figure.inner_html()

    # And in the Appendix I summary table.
    page.goto("/cities/lumen/summary/")
    row = page.get_by_role("row").filter(has_text=NEW_NAME)
    assert row.count() == 1
    assert "Beneficiary" in row.inner_text()
