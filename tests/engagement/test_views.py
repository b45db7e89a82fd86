"""Staff engagement pages for each role: who may read, who may act."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civitas.cities.models import City, Initiative
from civitas.engagement.models import Activity, Contribution, Decision, Grievance, Response
from civitas.engagement.services import grievance_lodge
from civitas.stakeholders.models import Stakeholder
from tests.engagement.conftest import contribute, make_activity

pytestmark = pytest.mark.django_db

READERS = {"owner": 200, "analyst": 200, "contributor": 200, "viewer": 200, "outsider": 404}
EDITORS = {"owner": 200, "analyst": 200, "contributor": 403, "viewer": 403, "outsider": 404}


def _status(client_as: Callable[[str | None], Client], url: str, role: str) -> int:
    return client_as(role).get(url).status_code


@pytest.mark.parametrize("role", [*READERS, None])
def test_read_pages_by_role(
    role: str | None,
    client_as: Any,
    city: City,
    initiative: Initiative,
    activity: Activity,
    decision: Decision,
) -> None:
    urls = [
        reverse("engagement:home", args=[city.slug]),
        reverse("engagement:overview", args=[city.slug, initiative.pk]),
        reverse("engagement:activity_detail", args=[city.slug, activity.pk]),
        reverse("engagement:decision_detail", args=[city.slug, decision.pk]),
        reverse("engagement:settings", args=[city.slug]),
        reverse("engagement:review_list", args=[city.slug]),
        reverse("engagement:review_initiative", args=[city.slug, initiative.pk]),
    ]
    for url in urls:
        status = client_as(role).get(url).status_code
        if role is None:
            assert status == 302, url  # to the login page
        else:
            assert status == READERS[role], (url, role)


@pytest.mark.parametrize("role", list(EDITORS))
def test_activity_form_by_role(
    role: str, client_as: Any, city: City, initiative: Initiative
) -> None:
    url = reverse("engagement:activity_create", args=[city.slug, initiative.pk])
    assert _status(client_as, url, role) == EDITORS[role]


def test_analyst_plans_opens_and_closes_an_activity(
    client_as: Any, city: City, initiative: Initiative
) -> None:
    client = client_as("analyst")
    start = timezone.localtime() + timedelta(days=20)
    response = client.post(
        reverse("engagement:activity_create", args=[city.slug, initiative.pk]),
        {
            "kind": "workshop",
            "title": "Design the park",
            "channels": ["in_person"],
            "levels": ["local"],
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    activity = Activity.objects.get(title="Design the park")
    assert response.status_code == 302
    client.post(reverse("engagement:activity_open", args=[city.slug, activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "open"
    client.post(
        reverse("engagement:activity_close", args=[city.slug, activity.pk]),
        {"outcome": "A plan with three zones."},
    )
    activity.refresh_from_db()
    assert activity.status == "closed" and activity.outcome == "A plan with three zones."


def test_bad_activity_input_shows_errors(
    client_as: Any, city: City, initiative: Initiative
) -> None:
    response = client_as("owner").post(
        reverse("engagement:activity_create", args=[city.slug, initiative.pk]),
        {"kind": "workshop", "title": "", "starts_at": "", "ends_at": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Activity.objects.exists()


def test_viewer_cannot_open_an_activity(client_as: Any, city: City, initiative: Initiative) -> None:
    activity = make_activity(initiative, open=False)
    response = client_as("viewer").post(
        reverse("engagement:activity_open", args=[city.slug, activity.pk])
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_invite_in_bulk_and_record_attendance(
    client_as: Any, city: City, activity: Activity, green: Stakeholder, secret: Stakeholder
) -> None:
    client = client_as("owner")
    client.post(
        reverse("engagement:activity_invite", args=[city.slug, activity.pk]),
        {"stakeholders": [green.pk, secret.pk]},
    )
    participation = activity.participations.get(stakeholder=green)
    assert activity.participations.count() == 2
    client.post(
        reverse("engagement:participation_edit", args=[city.slug, activity.pk, participation.pk]),
        {"status": "attended", "represented_by": "Its chair"},
    )
    participation.refresh_from_db()
    assert participation.status == "attended" and participation.represented_by == "Its chair"
    page = client.get(reverse("engagement:activity_detail", args=[city.slug, activity.pk]))
    assert "Its chair" in page.content.decode()


def test_disclosure_check_is_shown(client_as: Any, city: City, activity: Activity) -> None:
    client = client_as("owner")
    url = reverse("engagement:activity_detail", args=[city.slug, activity.pk])
    assert "Nothing shared" in client.get(url).content.decode()
    client.post(
        reverse("engagement:disclosure_add", args=[city.slug, activity.pk]),
        {
            "title": "Plan",
            "url": "https://lumen.example/plan.pdf",
            "audience": "public",
            "shared_on": timezone.localdate().isoformat(),
        },  # fmt: skip
    )
    page = client.get(url).content.decode()
    assert "at least 7 days before start" in page and "Late" not in page


def test_contributor_enters_only_for_own_stakeholder(
    city: City, activity: Activity, green: Stakeholder, secret: Stakeholder, contributor_for: Any
) -> None:
    client = Client()
    client.force_login(contributor_for(green))
    url = reverse("engagement:contribution_create", args=[city.slug, activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["stakeholder"].queryset) == [green]
    data = {"stance": "support", "text": "Yes.", "topics": "", "submission_token": "abcdefgh12"}
    response = client.post(url, {**data, "stakeholder": secret.pk})
    assert response.status_code == 200 and not Contribution.objects.exists()
    client.post(url, {**data, "stakeholder": green.pk})
    client.post(url, {**data, "stakeholder": green.pk})
    assert Contribution.objects.get().stakeholder == green


def test_viewer_cannot_enter_contributions(client_as: Any, city: City, activity: Activity) -> None:
    url = reverse("engagement:contribution_create", args=[city.slug, activity.pk])
    assert client_as("viewer").get(url).status_code == 403


def test_decision_answer_publish_and_record_by_hand(
    client_as: Any, city: City, initiative: Initiative, activity: Activity
) -> None:
    offline = contribute(activity, author_email="", author_name="", text="By post.")
    client = client_as("owner")
    client.post(
        reverse("engagement:decision_create", args=[city.slug, initiative.pk]),
        {
            "title": "Park it is",
            "decided_on": timezone.localdate().isoformat(),
            "text": "",
            "decided_by": "Council",
        },  # fmt: skip
    )
    decision = Decision.objects.get(title="Park it is")
    detail = reverse("engagement:decision_detail", args=[city.slug, decision.pk])
    assert "By post." in client.get(detail).content.decode()
    prefix = f"c{offline.pk}"
    client.post(
        reverse("engagement:decision_answer", args=[city.slug, decision.pk]),
        {
            "prefix": prefix,
            f"{prefix}-contribution": offline.pk,
            f"{prefix}-outcome": "accepted",
            f"{prefix}-explanation": "Included.",
        },  # fmt: skip
    )
    response = Response.objects.get()
    client.post(reverse("engagement:decision_publish", args=[city.slug, decision.pk]))
    decision.refresh_from_db()
    assert decision.is_published
    notify = client.post(
        reverse("engagement:decision_notify", args=[city.slug, decision.pk]), follow=True
    )
    assert "left no e-mail address" in notify.content.decode()
    client.post(
        reverse("engagement:response_communicated", args=[city.slug, decision.pk, response.pk]),
        {"via": "post", "note": "Letter sent."},
    )
    response.refresh_from_db()
    assert response.communicated_via == "post"


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_readers_cannot_answer(
    role: str, client_as: Any, city: City, activity: Activity, decision: Decision
) -> None:
    contribution = contribute(activity)
    prefix = f"c{contribution.pk}"
    response = client_as(role).post(
        reverse("engagement:decision_answer", args=[city.slug, decision.pk]),
        {
            "prefix": prefix,
            f"{prefix}-contribution": contribution.pk,
            f"{prefix}-outcome": "accepted",
            f"{prefix}-explanation": "x",
        },  # fmt: skip
    )
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_settings_only_owner_changes(client_as: Any, city: City) -> None:
    url = reverse("engagement:settings", args=[city.slug])
    data = {"disclosure_lead_days": 10, "grievance_response_days": 20, "public_page": "on",
            "grievance_channels": ["online"], "grievance_established_on": "2024-01-01"}  # fmt: skip
    assert client_as("analyst").post(url, data).status_code == 403
    assert client_as("owner").post(url, data).status_code == 302
    city.refresh_from_db()
    assert city.engagement_settings.disclosure_lead_days == 10


def test_grievance_workflow_and_overdue_filter(
    client_as: Any, public_city: City, owner: Any
) -> None:
    grievance, _ = grievance_lodge(
        city=public_city,
        by=None,
        subject="No notice",
        description="We learnt too late.",
        received_at=timezone.now() - timedelta(days=40),
    )
    client = client_as("analyst")
    listing = reverse("engagement:grievance_list", args=[public_city.slug])
    assert "No notice" in client.get(listing + "?overdue=1").content.decode()
    act = reverse("engagement:grievance_act", args=[public_city.slug, grievance.pk])
    for action, note in [("acknowledge", ""), ("investigate", ""), ("reject", "")]:
        client.post(act, {"action": action, "note": note})
    grievance.refresh_from_db()
    assert grievance.status == "under_investigation"  # rejecting needs reasons
    client.post(act, {"action": "reject", "note": "Notice was given on 1 May."})
    grievance.refresh_from_db()
    assert grievance.status == "rejected"
    assert "No notice" not in client.get(listing + "?overdue=1").content.decode()
    assert client_as("viewer").post(act, {"action": "close"}).status_code == 403
    client.post(act, {"action": "close"})
    client.post(act, {"action": "appeal", "note": "The notice was not posted."})
    grievance.refresh_from_db()
    assert grievance.status == "under_investigation" and grievance.appeal_count == 1


def test_reviews_schedule_and_record(client_as: Any, city: City, initiative: Initiative) -> None:
    url = reverse("engagement:review_initiative", args=[city.slug, initiative.pk])
    client = client_as("analyst")
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.post(url, {"form": "schedule", "cadence_days": 90, "next_due_on": past})
    listing = reverse("engagement:review_list", args=[city.slug])
    assert initiative.name in client.get(listing + "?overdue=1").content.decode()
    client.post(url, {"form": "review", "findings": "Few young people came.",
                      "held_on": timezone.localdate().isoformat()})  # fmt: skip
    assert "Few young people came." in client.get(url).content.decode()
    assert client_as("viewer").post(url, {"form": "review", "findings": "x"}).status_code == 403


def test_stakeholder_page_shows_engagement(
    client_as: Any, city: City, activity: Activity, green: Stakeholder
) -> None:
    contribute(activity, stakeholder=green, text="We can plant the trees.")
    page = client_as("viewer").get(reverse("stakeholders:detail", args=[city.slug, green.pk]))
    html = page.content.decode()
    assert 'id="engagement"' in html and "We can plant the trees." in html


def test_overview_query_count_is_flat(
    client_as: Any, city: City, initiative: Initiative, django_assert_max_num_queries: Any
) -> None:
    client = client_as("owner")
    url = reverse("engagement:overview", args=[city.slug, initiative.pk])
    for number in range(3):
        contribute(make_activity(initiative, title=f"A{number}"))
    client.get(url)
    with django_assert_max_num_queries(25):
        client.get(url)
    for number in range(10):
        contribute(make_activity(initiative, title=f"B{number}"))
    with django_assert_max_num_queries(25):
        client.get(url)


def test_grievance_list_for_outsider_is_404(client_as: Any, city: City) -> None:
    url = reverse("engagement:grievance_list", args=[city.slug])
    assert client_as("outsider").get(url).status_code == 404
    assert client_as("viewer").get(url).status_code == 200
    assert Grievance.objects.count() == 0
