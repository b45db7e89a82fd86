"""Public pages as an anonymous visitor: forms, honeypot, CSRF, tokens, no personal data."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.engagement.models import Activity, Contribution, Grievance, Registration
from civitas.engagement.services import (
    decision_publish,
    engagement_settings_update,
    response_set,
)
from civitas.stakeholders.services import contact_add
from tests.engagement.conftest import contribute

pytestmark = pytest.mark.django_db

TOKEN = "tok-1234567890abcdef"


def _post(client: Client, activity: Activity, **values: Any) -> Any:
    data = {
        "text": "Plant trees along the river.",
        "stance": "proposal",
        "topics": "trees, river",
        "author_name": "Nina Park",
        "author_email": "nina@example.org",
        "consent": "on",
        "submission_token": TOKEN,
        "website": "",
        **values,
    }
    url = reverse("engagement:public_contribute", args=[activity.city.slug, activity.pk])
    return client.post(url, data)


def test_public_home_lists_public_open_activities(
    public_city: City, activity: Activity, client: Client
) -> None:
    response = client.get(reverse("engagement:public_home", args=[public_city.slug]))
    assert response.status_code == 200
    assert activity.title in response.content.decode()


def test_a_submission_through_the_form_reads_the_activity_once_and_inserts(
    public_city: City, activity: Activity, client: Client, django_assert_num_queries: Any
) -> None:
    # One read of the activity with its city, then the insert (here in a savepoint: the
    # test runs in a transaction); no look-up for a twin before inserting.
    assert activity.city.slug  # the test's own reading of the URL, outside the count
    with django_assert_num_queries(4):
        assert _post(client, activity).status_code == 200


def test_city_without_public_page_is_hidden(city: City, activity: Activity, client: Client) -> None:
    assert client.get(reverse("engagement:public_home", args=[city.slug])).status_code == 404
    url = reverse("engagement:public_activity", args=[city.slug, activity.pk])
    assert client.get(url).status_code == 404


def test_citizen_contributes_once_per_token_and_gets_a_tracking_link(
    public_city: City, activity: Activity, client: Client
) -> None:
    first = _post(client, activity)
    second = _post(client, activity)
    assert first.status_code == second.status_code == 200
    contribution = Contribution.objects.get()
    link = reverse("engagement:public_contribution", args=[contribution.tracking_code])
    assert link in first.content.decode()
    assert link in second.content.decode()
    assert contribution.author_email == "nina@example.org"
    assert contribution.topics == ["trees", "river"]


def test_form_carries_a_fresh_token_each_time(
    public_city: City, activity: Activity, client: Client
) -> None:
    url = reverse("engagement:public_activity", args=[public_city.slug, activity.pk])
    first = client.get(url).context["contribution_form"].initial["submission_token"]
    second = client.get(url).context["contribution_form"].initial["submission_token"]
    assert first != second and len(first) >= 8


def test_honeypot_rejects_with_a_message(
    public_city: City, activity: Activity, client: Client
) -> None:
    response = _post(client, activity, website="http://spam.example")
    assert response.status_code == 400
    assert "Leave the last field empty" in response.content.decode()
    assert not Contribution.objects.exists()


def test_consent_is_required(public_city: City, activity: Activity, client: Client) -> None:
    response = _post(client, activity, consent="")
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_csrf_is_required(public_city: City, activity: Activity) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _post(client, activity).status_code == 403
    assert not Contribution.objects.exists()
    page = client.get(reverse("engagement:public_activity", args=[public_city.slug, activity.pk]))
    token = page.cookies["csrftoken"].value
    assert _post(client, activity, csrfmiddlewaretoken=token).status_code == 200
    assert Contribution.objects.count() == 1


def test_throttling_stops_a_flood(
    public_city: City, activity: Activity, client: Client, settings: Any
) -> None:
    settings.CIVITAS_PUBLIC_SUBMIT_RATE = "2/min"
    for number in range(2):
        assert _post(client, activity, submission_token=f"{TOKEN}{number}").status_code == 200
    response = _post(client, activity, submission_token=f"{TOKEN}x")
    assert response.status_code == 400
    assert "Wait a minute" in response.content.decode()
    assert Contribution.objects.count() == 2


def test_registration(public_city: City, activity: Activity, client: Client) -> None:
    url = reverse("engagement:public_register", args=[public_city.slug, activity.pk])
    data = {"name": "Ana Ruiz", "email": "", "consent": "on", "submission_token": TOKEN}
    assert client.post(url, data).status_code == 200
    assert client.post(url, data).status_code == 200
    assert Registration.objects.get().name == "Ana Ruiz"
    assert (
        client.post(url, {**data, "consent": "", "submission_token": TOKEN + "b"}).status_code
        == 400
    )


def test_tracking_page_shows_the_published_answer(
    public_city: City,
    activity: Activity,
    initiative: Initiative,
    decision: Any,
    client: Client,
) -> None:
    _post(client, activity)
    contribution = Contribution.objects.get()
    url = reverse("engagement:public_contribution", args=[contribution.tracking_code])
    assert "has not answered yet" in client.get(url).content.decode()
    response_set(
        contribution=contribution,
        decision=decision,
        by=None,
        outcome="partly_accepted",
        explanation="Trees on the east bank only.",
    )
    decision_publish(decision=decision, by=None)
    page = client.get(url).content.decode()
    assert "Partly accepted" in page
    assert "Trees on the east bank only." in page
    assert decision.title in page
    assert "nina@example.org" not in page and "Nina Park" not in page
    assert client.get(reverse("engagement:public_contribution", args=["nope"])).status_code == 404


def test_public_pages_leak_no_personal_data(
    public_city: City,
    activity: Activity,
    initiative: Initiative,
    decision: Any,
    green: Any,
    owner: User,
    client: Client,
) -> None:
    contact_add(stakeholder=green, by=None, name="Gil Secret", email="gil@green.example")
    citizen = contribute(activity, author_name="Rosa Lima", author_email="rosa@example.net")
    ngo = contribute(activity, stakeholder=green, author_name="Paul Staff", author_email="p@x.org")
    for contribution in (citizen, ngo):
        response_set(
            contribution=contribution,
            decision=decision,
            by=owner,
            outcome="accepted",
            explanation="Adopted.",
            published=True,
        )
    decision_publish(decision=decision, by=owner)
    pages = [
        reverse("engagement:public_home", args=[public_city.slug]),
        reverse("engagement:public_activity", args=[public_city.slug, activity.pk]),
        reverse("engagement:public_accountability", args=[public_city.slug, initiative.pk]),
        reverse("engagement:public_contribution", args=[citizen.tracking_code]),
        reverse("engagement:public_contribution", args=[ngo.tracking_code]),
        reverse("engagement:public_grievance_form", args=[public_city.slug]),
    ]
    html = ""
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html += response.content.decode()
    for secret in ("Rosa Lima", "rosa@example.net", "Paul Staff", "p@x.org", "Gil Secret",
                   "gil@green.example", owner.username, owner.email):  # fmt: skip
        assert secret not in html, secret
    assert "Green Lumen" in html  # an organisation is named; people are not
    assert "A citizen" in html


def test_anonymous_grievance_gets_a_tracking_code(public_city: City, client: Client) -> None:
    url = reverse("engagement:public_grievance_form", args=[public_city.slug])
    data = {"subject": "Meeting held without notice", "description": "No notice.",
            "submission_token": TOKEN}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    grievance = Grievance.objects.get()
    assert grievance.complainant_name == ""
    status_url = reverse("engagement:public_grievance", args=[grievance.tracking_code])
    assert status_url in response.content.decode()
    page = client.get(status_url).content.decode()
    assert "Meeting held without notice" in page and "Received" in page
    assert (
        client.post(url, {**data, "website": "x", "submission_token": TOKEN + "2"}).status_code
        == 400
    )
    assert Grievance.objects.count() == 1


def test_answers_are_emailed_with_the_tracking_link(
    public_city: City, activity: Activity, decision: Any, client_as: Any, client: Client
) -> None:
    _post(client, activity)
    contribution = Contribution.objects.get()
    staff = client_as("analyst")
    url = reverse("engagement:decision_answer", args=[public_city.slug, decision.pk])
    prefix = f"c{contribution.pk}"
    staff.post(url, {"prefix": prefix, f"{prefix}-contribution": contribution.pk,
                     f"{prefix}-outcome": "accepted", f"{prefix}-explanation": "Good idea."})  # fmt: skip
    staff.post(reverse("engagement:decision_notify", args=[public_city.slug, decision.pk]))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@example.org"]
    link = "http://testserver" + reverse(
        "engagement:public_contribution", args=[contribution.tracking_code]
    )
    assert link in message.body
    assert "Good idea." in message.body
    contribution.refresh_from_db()
    assert contribution.response.communicated_at is not None


def test_no_grievance_form_before_the_mechanism_is_established(
    public_city: City, client: Client
) -> None:
    engagement_settings_update(
        city=public_city,
        by=None,
        grievance_established_on=timezone.localdate() + timedelta(days=3),
    )
    home = client.get(reverse("engagement:public_home", args=[public_city.slug]))
    form_url = reverse("engagement:public_grievance_form", args=[public_city.slug])
    assert form_url not in home.content.decode()
    assert client.get(form_url).status_code == 404
