"""The public endpoints as an anonymous visitor: what they give, throttling, no personal data."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from civitas.engagement.models import Contribution, Grievance, Registration
from civitas.engagement.services import (
    decision_publish,
    disclosure_add,
    grievance_act,
    grievance_lodge,
    response_record_communication,
    response_set,
)
from civitas.stakeholders.services import contact_add
from tests.api.conftest import Api, api_for
from tests.engagement.conftest import contribute, make_activity
from tests.factories import CityFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = "/public/lumen"

# Names, addresses and internal notes the city holds, none of which may leak.
PERSONAL = [
    "Rosa Lima", "rosa@example.net", "Staff Person", "staff@example.org", "Marta Gomes",
    "marta@example.net", "Internal note", "Ana Reis", "ana.reis@example.org", "olivia",
    "Quiet Fund", "Sent to",
]  # fmt: skip


def contribution_body(**values):
    return {
        "text": "More benches, please.", "stance": "proposal", "topics": ["benches"],
        "author_name": "Rosa Lima", "author_email": "rosa@example.net", "consent": True,
        "submission_token": "3f1c9a2e-5b7d-4e8a-9c1f-2a6b8d0e4f11", **values,
    }  # fmt: skip


def assert_no_personal_data(response) -> None:
    text = json.dumps(response.json(), ensure_ascii=False)
    for personal in PERSONAL:
        assert personal not in text, personal


@pytest.fixture
def anonymous() -> Api:
    return Api()


@pytest.fixture
def rich(public_city, initiative, activity, decision, secret, green, user_in):
    """A public city with personal data everywhere: in contributions, answers, grievances."""
    contact_add(stakeholder=green, by=None, name="Ana Reis", email="ana.reis@example.org")
    disclosure_add(
        activity=activity, by=None, title="Internal note for staff", url="https://x.example/i"
    )
    disclosure_add(
        activity=activity,
        by=None,
        title="Public plan",
        url="https://x.example/p",
        audience="public",
    )
    analyst = user_in("analyst")
    answered = [
        contribute(activity, author_name="Rosa Lima", author_email="rosa@example.net"),
        contribute(
            activity,
            stakeholder=secret,
            author_name="Staff Person",
            author_email="staff@example.org",
        ),
        contribute(activity, stakeholder=green),
    ]
    for contribution in answered:
        response = response_set(contribution=contribution, decision=decision, by=analyst, outcome="accepted",
                                explanation="Benches come.", published=True)[0]  # fmt: skip
        response_record_communication(
            response=response, by=analyst, via="email", note="Sent to rosa@example.net"
        )
    decision.decision_makers.set([green, secret])
    decision_publish(decision=decision, by=analyst)
    grievance = grievance_lodge(city=public_city, by=analyst, subject="Noise", description="Loud",
                                complainant_name="Marta Gomes", complainant_email="marta@example.net")[0]  # fmt: skip
    grievance_act(
        grievance=grievance, action="acknowledge", by=analyst, note="Internal note: call back"
    )
    return {
        "contribution": answered[0],
        "grievance": grievance,
        "initiative": initiative,
        "activity": activity,
    }


def test_every_public_endpoint_is_free_of_personal_data(anonymous, rich, secret):
    rich_type_name = secret.type.name
    activity, initiative = rich["activity"], rich["initiative"]
    responses = [
        anonymous.get(f"{PUBLIC}/activities"),
        anonymous.get(f"{PUBLIC}/activities/{activity.pk}"),
        anonymous.get(f"{PUBLIC}/initiatives"),
        anonymous.get(f"{PUBLIC}/initiatives/{initiative.pk}/accountability"),
        anonymous.get(f"/public/contributions/{rich['contribution'].tracking_code}"),
        anonymous.get(f"/public/grievances/{rich['grievance'].tracking_code}"),
        anonymous.post(f"{PUBLIC}/activities/{activity.pk}/contributions", contribution_body()),
        anonymous.post(
            f"{PUBLIC}/activities/{activity.pk}/registrations",
            {
                "name": "Rosa Lima",
                "email": "rosa@example.net",
                "consent": True,
                "submission_token": "registration-token-1",
            },
        ),  # fmt: skip
        anonymous.post(
            f"{PUBLIC}/grievances",
            {
                "subject": "Trees cut",
                "description": "Without notice.",
                "name": "Marta Gomes",
                "email": "marta@example.net",
                "consent": True,
                "submission_token": "grievance-token-9",
            },
        ),  # fmt: skip
    ]
    for response in responses:
        assert response.status_code in (200, 201), response.content
        assert_no_personal_data(response)
    assert "Public plan" in responses[1].content.decode()
    assert "Internal note" not in responses[1].content.decode()
    answers = responses[3].json()["decisions"][0]["answers"]
    assert [answer["source"] for answer in answers] == [
        "A citizen",
        rich_type_name,
        "Green Lumen",
    ]


def test_the_public_journey_from_contribution_to_answer(anonymous, public_city, activity, decision):
    body = contribution_body()
    url = f"{PUBLIC}/activities/{activity.pk}/contributions"
    sent = anonymous.post(url, body)
    assert sent.status_code == 201, sent.content
    code = sent.json()["tracking_code"]
    assert (
        sent.json()["tracking_url"].startswith("http://testserver/")
        and code in sent.json()["tracking_url"]
    )
    again = anonymous.post(url, body)
    assert again.status_code == 200 and again.json()["tracking_code"] == code
    assert Contribution.objects.count() == 1
    waiting = anonymous.get(f"/public/contributions/{code}").json()
    assert waiting["answered"] is False and waiting["text"] == "More benches, please."
    contribution = Contribution.objects.get()
    response = response_set(contribution=contribution, decision=decision, by=None, outcome="accepted",
                            explanation="Ten benches on the east bank.")[0]  # fmt: skip
    from civitas.engagement.services import response_notify

    response_notify(response=response, base_url="http://testserver", by=None)
    assert sent.json()["tracking_url"] in mail.outbox[0].body
    answered = anonymous.get(f"/public/contributions/{code}").json()
    assert answered["answered"] and answered["outcome"] == "accepted"
    assert answered["explanation"] == "Ten benches on the east bank."
    assert answered["decision"] == "River banks become a park" and answered["told_on"]


def test_public_submissions_are_validated(anonymous, public_city, activity):
    url = f"{PUBLIC}/activities/{activity.pk}/contributions"
    no_consent = anonymous.post(url, contribution_body(consent=False))
    assert no_consent.status_code == 422 and list(no_consent.json()["errors"]) == ["consent"]
    bad = anonymous.post(url, contribution_body(submission_token="short", stance="shout"))
    assert bad.status_code == 422 and {"submission_token", "stance"} <= set(bad.json()["errors"])
    missing = anonymous.post(url, {"text": "x", "stance": "support", "consent": True})
    assert missing.status_code == 422 and "submission_token" in missing.json()["errors"]
    assert not Contribution.objects.exists()


def test_only_open_public_activities_of_public_cities(anonymous, city, initiative):
    private = make_activity(initiative, title="Staff only")
    public = make_activity(initiative, is_public=True, title="Open to all")
    assert anonymous.get(f"{PUBLIC}/activities").status_code == 404  # no public page yet
    assert (
        anonymous.post(
            f"{PUBLIC}/activities/{public.pk}/contributions", contribution_body()
        ).status_code
        == 404
    )
    from civitas.engagement.services import activity_close, engagement_settings_update

    engagement_settings_update(city=city, by=None, public_page=True)
    assert [a["title"] for a in anonymous.get(f"{PUBLIC}/activities").json()] == ["Open to all"]
    assert anonymous.get(f"{PUBLIC}/activities/{private.pk}").status_code == 404
    assert (
        anonymous.post(
            f"{PUBLIC}/activities/{private.pk}/contributions", contribution_body()
        ).status_code
        == 404
    )
    activity_close(activity=public, by=None)
    closed = anonymous.post(f"{PUBLIC}/activities/{public.pk}/contributions", contribution_body())
    assert closed.status_code == 422
    assert anonymous.get("/public/nowhere/activities").status_code == 404


def test_signed_in_members_use_the_public_endpoints_like_anyone(public_city, activity, user_in):
    member = api_for(user_in("viewer"))
    assert member.get(f"{PUBLIC}/activities").status_code == 200
    sent = member.post(f"{PUBLIC}/activities/{activity.pk}/contributions", contribution_body())
    assert sent.status_code == 201
    assert Contribution.objects.get().entered_by is None


def test_registering_for_a_public_activity(anonymous, public_city, activity):
    url = f"{PUBLIC}/activities/{activity.pk}/registrations"
    body = {
        "name": "Rosa Lima",
        "channel": "online",
        "consent": True,
        "submission_token": "registration-1",
    }
    assert anonymous.post(url, body).status_code == 201
    assert anonymous.post(url, body).status_code == 200
    refused = anonymous.post(url, {**body, "channel": "post", "submission_token": "registration-2"})
    assert refused.status_code == 422 and "channel" in refused.json()["errors"]
    assert Registration.objects.count() == 1


def test_grievances_from_the_public(anonymous, public_city, activity):
    body = {"subject": "Hearing at 6 pm", "description": "Commuters cannot come.",
            "submission_token": "anonymous-grievance-1", "activity_id": activity.pk}  # fmt: skip
    lodged = anonymous.post(f"{PUBLIC}/grievances", body)
    assert lodged.status_code == 201, lodged.content
    assert lodged.json()["due_on"] == (timezone.localdate() + timedelta(days=14)).isoformat()
    assert anonymous.post(f"{PUBLIC}/grievances", body).status_code == 200
    grievance = Grievance.objects.get()
    assert grievance.activity == activity and grievance.initiative == activity.initiative
    assert not grievance.complainant_name and grievance.channel == "online"
    code = lodged.json()["tracking_code"]
    status = anonymous.get(f"/public/grievances/{code}").json()
    assert status["status"] == "received" and not status["can_appeal"]
    early = anonymous.post(f"/public/grievances/{code}/appeal", {"reason": "Too slow."})
    assert early.status_code == 422
    grievance_act(grievance=grievance, action="acknowledge", by=None)
    grievance_act(grievance=grievance, action="reject", by=None, note="Hearings are also online.")
    status = anonymous.get(f"/public/grievances/{code}").json()
    assert status["outcome"] == "Hearings are also online." and status["can_appeal"]
    appealed = anonymous.post(f"/public/grievances/{code}/appeal", {"reason": "The stream failed."})
    assert appealed.status_code == 200 and appealed.json()["status"] == "under_investigation"
    named = anonymous.post(
        f"{PUBLIC}/grievances", {**body, "submission_token": "named-token-1", "name": "Marta"}
    )
    assert named.status_code == 422 and "consent" in named.json()["errors"]


def test_unknown_or_malformed_tracking_codes_are_404(anonymous, public_city):
    for code in ("nope", "x" * 40, "abcdefgh1234", "abc$def%ghij"):
        assert anonymous.get(f"/public/contributions/{code}").status_code == 404
        assert anonymous.get(f"/public/grievances/{code}").status_code == 404
    assert (
        anonymous.post("/public/grievances/abcdefgh1234/appeal", {"reason": "x"}).status_code == 404
    )


def test_accountability_only_for_initiatives_with_public_engagement(
    anonymous, public_city, initiative, decision
):
    hidden = InitiativeFactory(city=public_city, name="Internal")
    assert anonymous.get(f"{PUBLIC}/initiatives/{hidden.pk}/accountability").status_code == 404
    decision_publish(decision=decision, by=None)
    shown = anonymous.get(f"{PUBLIC}/initiatives/{initiative.pk}/accountability")
    assert shown.status_code == 200 and shown.json()["decisions"][0]["title"] == decision.title
    elsewhere = InitiativeFactory(city=CityFactory(owner=UserFactory()), name="Far")
    assert anonymous.get(f"{PUBLIC}/initiatives/{elsewhere.pk}/accountability").status_code == 404


def test_submissions_are_throttled_per_client(anonymous, public_city, activity, settings):
    settings.CIVITAS_PUBLIC_SUBMIT_RATE = "3/min"
    url = f"{PUBLIC}/activities/{activity.pk}/contributions"
    statuses = [
        anonymous.post(url, contribution_body(submission_token=f"throttle-token-{n}")).status_code
        for n in range(5)
    ]
    assert statuses == [201, 201, 201, 429, 429]
    refused = anonymous.post(url, contribution_body(submission_token="throttle-token-9"))
    assert int(refused["Retry-After"]) > 0
    assert Contribution.objects.count() == 3
    other_client = Api(client=None)
    other_client.client.defaults["REMOTE_ADDR"] = "10.0.0.9"
    assert (
        other_client.post(url, contribution_body(submission_token="other-client-1")).status_code
        == 201
    )
    assert anonymous.get(f"{PUBLIC}/activities").status_code == 200  # reading has its own limit


def test_reading_by_code_is_throttled(anonymous, public_city, settings):
    settings.CIVITAS_PUBLIC_READ_RATE = "2/min"
    statuses = [anonymous.get("/public/contributions/abcdefgh1234").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


def test_a_forged_forwarded_header_does_not_dodge_the_limit(
    anonymous, public_city, activity, settings
):
    settings.CIVITAS_PUBLIC_SUBMIT_RATE = "1/min"
    url = f"{PUBLIC}/activities/{activity.pk}/contributions"
    assert anonymous.post(url, contribution_body(submission_token="forged-1")).status_code == 201
    forged = anonymous.client.post(
        f"/api/v1{url}", json.dumps(contribution_body(submission_token="forged-2")),
        content_type="application/json", HTTP_X_FORWARDED_FOR="203.0.113.7",
    )  # fmt: skip
    assert forged.status_code == 429


def test_a_public_submission_takes_a_few_queries(
    anonymous, public_city, activity, django_assert_max_num_queries
):
    url = f"{PUBLIC}/activities/{activity.pk}/contributions"
    # Inside the test's transaction the insert runs in a savepoint: three statements that
    # are one insert in production. A repeat's insert fails and the stored twin is read.
    with django_assert_max_num_queries(6):
        assert anonymous.post(url, contribution_body()).status_code == 201
    with django_assert_max_num_queries(8):
        assert anonymous.post(url, contribution_body()).status_code == 200


def test_a_grievance_about_something_not_public_is_refused(anonymous, public_city, initiative):
    private = make_activity(initiative, title="Staff only")
    body = {"subject": "S", "description": "D", "submission_token": "grievance-links-1"}
    refused = anonymous.post(
        f"{PUBLIC}/grievances", {**body, "activity_id": private.pk, "initiative_id": 99999}
    )
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"activity_id", "initiative_id"}
    assert not Grievance.objects.exists()
