"""A citizen contributes on the public page, staff answer in a decision, the citizen reads it."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from civitas.engagement.models import Contribution
from civitas.engagement.services import (
    activity_create,
    activity_open,
    decision_create,
    engagement_settings_update,
)
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CityFactory, InitiativeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_citizen_reads_the_answer_to_their_contribution(page: Any, catalogue: None) -> None:
    owner = UserFactory(username="olivia")
    city = CityFactory(owner=owner, name="Lumen", slug="lumen")
    engagement_settings_update(city=city, by=None, public_page=True)
    initiative = InitiativeFactory(city=city, name="Clean river")
    start = timezone.now() + timedelta(days=10)
    activity = activity_create(
        initiative=initiative,
        by=None,
        kind="consultation",
        title="River banks consultation",
        question="How should the river banks be used?",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        channels=["in_person", "online"],
        is_public=True,
    )
    activity_open(activity=activity, by=None)
    decision = decision_create(
        initiative=initiative,
        by=None,
        title="The east bank becomes a park",
        decided_on=timezone.localdate(),
        decided_by="Lumen City Council",
    )

    # A citizen finds the consultation on the public page and sends a contribution.
    page.goto("/public/lumen/")
    page.get_by_role("link", name="River banks consultation").click()
    form = page.locator("#contribute")
    form.get_by_label("Your contribution").fill("Plant trees and keep a path for bikes.")
    form.get_by_label("Your position").select_option("proposal")
    form.get_by_label("Your e-mail (optional)").fill("nina@example.org")
    form.get_by_label("I agree that the city keeps my contribution").check()
    form.get_by_role("button", name="Send my contribution").click()
    page.get_by_role("heading", name="Thank you for your contribution").wait_for()
    tracking_url = page.locator("#tracking-link").get_attribute("href")
    assert Contribution.objects.count() == 1

    # Staff answer it within the decision, publish the decision and send the answers.
    log_in(page, owner.username, PASSWORD)
    page.goto(f"/cities/lumen/engagement/initiatives/{initiative.pk}/")
    page.get_by_role("link", name=decision.title).click()
    answer = page.locator("article.answer-form").filter(has_text="Plant trees")
    answer.get_by_label("Outcome").select_option("partly_accepted")
    answer.get_by_label("Explanation").fill("Trees yes; the bike path goes on the west bank.")
    answer.get_by_role("button", name="Save the answer").click()
    page.get_by_text("The answer was saved.").wait_for()
    page.get_by_role("button", name="Publish on the public page").click()
    page.get_by_text("The decision is on the public page.").wait_for()
    page.get_by_role("button", name="Send answers by e-mail").click()
    page.get_by_text("1 answer(s) sent by e-mail.").wait_for()
    assert len(mail.outbox) == 1 and tracking_url in mail.outbox[0].body

    # The citizen follows the tracking link (no longer signed in) and reads the answer.
    page.context.clear_cookies()
    page.goto(tracking_url)
    answer_box = page.locator("#answer")
    answer_box.get_by_text("Partly accepted").wait_for()
    assert "the bike path goes on the west bank" in answer_box.inner_text()
    assert "The east bank becomes a park" in answer_box.inner_text()
