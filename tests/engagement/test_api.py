"""The engagement API for the city's members, role by role."""

import csv
import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.engagement.models import Activity, Contribution, Decision, Grievance, Participation
from civitas.engagement.services import (
    disclosure_add,
    grievance_lodge,
    participation_add,
    registration_submit,
    response_set,
)
from tests.api.conftest import Api, api_for
from tests.engagement.conftest import contribute, make_activity
from tests.factories import CityFactory, InitiativeFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERS = ["owner", "analyst", "contributor", "viewer"]
DENIED = {"outsider": 404, None: 401}
READ_ONLY = {"contributor": 403, "viewer": 403, **DENIED}
CITY = "/cities/lumen"


@pytest.fixture
def api_as(city, user_in):
    def make(role):
        if role is None:
            return Api()
        if role == "outsider":
            return api_for(UserFactory())
        return api_for(user_in(role))

    return make


def later(days: int = 10, hours: int = 0) -> str:
    return (timezone.now() + timedelta(days=days, hours=hours)).isoformat()


def activity_body(initiative, **values: Any) -> dict[str, Any]:
    return {
        "initiative_id": initiative.pk, "kind": "workshop", "title": "Tree workshop",
        "starts_at": later(), "ends_at": later(hours=2), "channels": ["in_person", "phone"],
        **values,
    }  # fmt: skip


def queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code == 200, response.content
    return len(context)


# Settings


@pytest.mark.parametrize("role", MEMBERS)
def test_members_read_the_settings(api_as, role):
    response = api_as(role).get(f"{CITY}/engagement/settings")
    assert response.status_code == 200
    assert response.json()["disclosure_lead_days"] == 7


@pytest.mark.parametrize(("role", "status"), {"analyst": 403, "viewer": 403, **DENIED}.items())
def test_only_owners_change_the_settings(api_as, role, status):
    assert (
        api_as(role).patch(f"{CITY}/engagement/settings", {"public_page": True}).status_code
        == status
    )


def test_owners_change_the_settings(api_as):
    api = api_as("owner")
    response = api.patch(f"{CITY}/engagement/settings", {
        "public_page": True, "grievance_established_on": "2024-01-01",
        "grievance_channels": ["online", "post"], "grievance_response_days": 10,
    })  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["grievance_channels"] == ["online", "post"]
    stale = api.patch(f"{CITY}/engagement/settings", {"version": 7, "public_page": False})
    assert stale.status_code == 409
    bad = api.patch(f"{CITY}/engagement/settings", {"grievance_response_days": 0})
    assert bad.status_code == 422 and "grievance_response_days" in bad.json()["errors"]


# Activities


@pytest.mark.parametrize("role", MEMBERS)
def test_members_list_and_read_activities(api_as, activity, role):
    api = api_as(role)
    listed = api.get(f"{CITY}/activities")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    item = listed.json()["items"][0]
    assert item["status"] == "open" and item["disclosure"]["state"] == "missing"
    assert item["initiative"]["name"] == "Clean river"
    assert api.get(f"{CITY}/activities/{activity.pk}").json()["participations"] == []


@pytest.mark.parametrize(("role", "status"), DENIED.items())
def test_others_do_not_see_activities(api_as, activity, role, status):
    assert api_as(role).get(f"{CITY}/activities").status_code == status
    assert api_as(role).get(f"{CITY}/activities/{activity.pk}").status_code == status


@pytest.mark.parametrize("role", ["owner", "analyst"])
def test_owners_and_analysts_plan_open_and_close(api_as, initiative, role):
    api = api_as(role)
    created = api.post(f"{CITY}/activities", activity_body(initiative, levels=["local"]))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "planned"
    assert api.post(f"{CITY}/activities/{pk}/open", {"version": 1}).json()["status"] == "open"
    closed = api.post(f"{CITY}/activities/{pk}/close", {"outcome": "Forty trees."})
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "Forty trees."
    again = api.post(f"{CITY}/activities/{pk}/open", {})
    assert again.status_code == 422 and "status" in again.json()["errors"]


@pytest.mark.parametrize(("role", "status"), READ_ONLY.items())
def test_others_may_not_plan_or_open(api_as, initiative, role, status):
    api = api_as(role)
    assert api.post(f"{CITY}/activities", activity_body(initiative)).status_code == status
    planned = make_activity(initiative, open=False)
    assert api.post(f"{CITY}/activities/{planned.pk}/open", {}).status_code == status
    assert Activity.objects.get().status == "planned"


def test_bad_activities_get_field_errors(api_as, initiative):
    api = api_as("analyst")
    response = api.post(f"{CITY}/activities", activity_body(initiative, ends_at=later(days=-1)))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["ends_at"]
    response = api.post(
        f"{CITY}/activities", activity_body(initiative, initiative_id=99999, channels=[])
    )
    assert response.status_code == 422 and "channels" in response.json()["errors"]
    response = api.post(f"{CITY}/activities", activity_body(initiative, initiative_id=99999))
    assert response.status_code == 422 and "initiative_id" in response.json()["errors"]


def test_changing_an_activity_needs_the_current_version(api_as, activity):
    api = api_as("analyst")
    changed = api.patch(
        f"{CITY}/activities/{activity.pk}", {"version": activity.version, "title": "New"}
    )
    assert changed.status_code == 200 and changed.json()["title"] == "New"
    stale = api.patch(
        f"{CITY}/activities/{activity.pk}", {"version": activity.version, "title": "Old"}
    )
    assert stale.status_code == 409
    assert api.patch(f"{CITY}/activities/{activity.pk}", {"title": "X"}).status_code == 422


def test_deleting_an_activity(api_as, initiative, activity):
    planned = make_activity(initiative, open=False, title="Maybe")
    contribute(activity)
    api = api_as("owner")
    assert api.delete(f"{CITY}/activities/{planned.pk}").status_code == 204
    assert api.delete(f"{CITY}/activities/{activity.pk}").status_code == 422
    assert api_as("viewer").delete(f"{CITY}/activities/{activity.pk}").status_code == 403


def test_activity_lists_keep_a_flat_number_of_queries(
    api_as, initiative, city, django_assert_max_num_queries
):
    api = api_as("viewer")
    for n in range(3):
        disclosure_add(
            activity=make_activity(initiative, title=f"A{n}"),
            by=None,
            title="D",
            url="https://x.example",
        )
    api.get(f"{CITY}/activities")
    with django_assert_max_num_queries(10):
        few = queries(lambda: api.get(f"{CITY}/activities"))
    for n in range(3, 20):
        participation_add(activity=make_activity(initiative, title=f"A{n}"), by=None,
                          stakeholder=StakeholderFactory(city=city, name=f"S{n}"))  # fmt: skip
    assert queries(lambda: api.get(f"{CITY}/activities")) == few


# Participation and disclosure


def test_invitations_attendance_and_answers(api_as, activity, green, city, contributor_for):
    staff = api_as("analyst")
    base = f"{CITY}/activities/{activity.pk}"
    invited = staff.post(f"{base}/participations", {"stakeholder_id": green.pk})
    assert invited.status_code == 201 and invited.json()["status"] == "invited"
    again = staff.post(f"{base}/participations", {"stakeholder_id": green.pk})
    assert again.status_code == 422 and "stakeholder" in again.json()["errors"]
    others = [StakeholderFactory(city=city, name=f"Org {n}") for n in range(2)]
    bulk = staff.post(
        f"{base}/invitations", {"stakeholder_ids": [green.pk, *(o.pk for o in others)]}
    )
    assert bulk.status_code == 201 and len(bulk.json()) == 2
    unknown = staff.post(f"{base}/invitations", {"stakeholder_ids": [99999]})
    assert unknown.status_code == 422 and "stakeholder_ids" in unknown.json()["errors"]
    pk = invited.json()["id"]
    member = api_for(contributor_for(green))
    answered = member.post(
        f"{base}/participations/{pk}/answer", {"accept": True, "represented_by": "Cara"}
    )
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    other_pk = Participation.objects.get(stakeholder=others[0]).pk
    assert (
        member.post(f"{base}/participations/{other_pk}/answer", {"accept": True}).status_code == 403
    )
    assert (
        member.patch(
            f"{base}/participations/{pk}", {"version": 2, "status": "attended"}
        ).status_code
        == 403
    )
    came = staff.patch(f"{base}/participations/{pk}", {"version": 2, "status": "attended"})
    assert came.status_code == 200 and came.json()["status"] == "attended"
    assert len(api_as("viewer").get(f"{base}/participations").json()) == 3
    assert staff.delete(f"{base}/participations/{other_pk}").status_code == 204


def test_confidential_stakeholders_cannot_be_invited_by_who_cannot_see_them(
    api_as, activity, secret
):
    participation_add(activity=activity, stakeholder=secret, by=None)
    base = f"{CITY}/activities/{activity.pk}"
    assert api_as("viewer").get(f"{base}/participations").json() == []
    assert len(api_as("analyst").get(f"{base}/participations").json()) == 1


def test_disclosures_by_link_and_document(api_as, activity, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api = api_as("analyst")
    base = f"{CITY}/activities/{activity.pk}/disclosures"
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    link = api.post(base, {"title": "Plan", "url": "https://lumen.example/plan", "shared_on": day})
    assert link.status_code == 201 and link.json()["shared_on"] == day
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = api.client.post(
        f"/api/v1{base}/documents",
        {
            "title": "Map",
            "audience": "public",
            "document": SimpleUploadedFile("map.pdf", b"%PDF map"),
        },
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["document"].endswith(".pdf") and upload.json()["audience"] == "public"
    bad = api.client.post(f"/api/v1{base}/documents", {"title": "Map", "shared_on": "soon",
                                                       "document": SimpleUploadedFile("m.pdf", b"x")})  # fmt: skip
    assert bad.status_code == 422 and "shared_on" in bad.json()["errors"]
    assert len(api_as("viewer").get(base).json()) == 2
    pk = link.json()["id"]
    assert api.patch(f"{base}/{pk}", {"title": "Plan v2"}).json()["title"] == "Plan v2"
    assert api_as("viewer").patch(f"{base}/{pk}", {"title": "X"}).status_code == 403
    assert api.delete(f"{base}/{pk}").status_code == 204


def test_registrations_are_personal_data(api_as, public_city, activity):
    registration_submit(activity=activity, name="Rosa Lima", email="rosa@example.net",
                        consent=True, submission_token="registration-1")  # fmt: skip
    base = f"{CITY}/activities/{activity.pk}/registrations"
    listed = api_as("analyst").get(base)
    assert listed.status_code == 200 and listed.json()[0]["name"] == "Rosa Lima"
    for role in ("contributor", "viewer"):
        assert api_as(role).get(base).status_code == 403
    pk = listed.json()[0]["id"]
    assert api_as("analyst").post(f"{base}/{pk}/attended", {"attended": True}).json()["attended"]


# Contributions and answers


def test_staff_record_contributions_once_per_token(api_as, activity, green):
    api = api_as("analyst")
    body = {"activity_id": activity.pk, "text": "Shade trees.", "stance": "proposal",
            "stakeholder_id": green.pk, "topics": ["Trees"], "submission_token": "staff-token-1",
            "author_name": "Ana Reis", "author_email": "ana@example.org"}  # fmt: skip
    first = api.post(f"{CITY}/contributions", body)
    assert first.status_code == 201, first.content
    again = api.post(f"{CITY}/contributions", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Contribution.objects.count() == 1
    assert first.json()["topics"] == ["trees"] and first.json()["author_name"] == "Ana Reis"


def test_contributors_send_their_own_stakeholders_contributions(
    api_as, activity, green, city, contributor_for
):
    member = api_for(contributor_for(green))
    body = {"activity_id": activity.pk, "text": "Ours.", "stance": "support"}
    assert (
        member.post(f"{CITY}/contributions", {**body, "stakeholder_id": green.pk}).status_code
        == 201
    )
    other = StakeholderFactory(city=city, name="Them")
    assert (
        member.post(f"{CITY}/contributions", {**body, "stakeholder_id": other.pk}).status_code
        == 403
    )
    assert member.post(f"{CITY}/contributions", body).status_code == 403
    assert (
        api_as("viewer")
        .post(f"{CITY}/contributions", {**body, "stakeholder_id": green.pk})
        .status_code
        == 403
    )
    assert api_as(None).post(f"{CITY}/contributions", body).status_code == 401


@pytest.mark.parametrize(("role", "sees_personal_data"), [
    ("owner", True), ("analyst", True), ("contributor", False), ("viewer", False),
])  # fmt: skip
def test_personal_data_of_contributions_only_for_owners_and_analysts(
    api_as, activity, role, sees_personal_data
):
    contribution = contribute(activity)
    api = api_as(role)
    item = api.get(f"{CITY}/contributions").json()["items"][0]
    detail = api.get(f"{CITY}/contributions/{contribution.pk}").json()
    for shown in (item, detail):
        assert (shown["author_name"] == "Rosa Lima") is sees_personal_data
        assert (shown["author_email"] == "rosa@example.net") is sees_personal_data
        assert (shown["tracking_code"] == contribution.tracking_code) is sees_personal_data
        if not sees_personal_data:
            text = str(shown)
            assert (
                "Rosa" not in text
                and "rosa@" not in text
                and contribution.tracking_code not in text
            )


def test_confidential_contributions_are_404_for_viewers(api_as, activity, secret):
    contribution = contribute(activity, stakeholder=secret)
    assert api_as("viewer").get(f"{CITY}/contributions/{contribution.pk}").status_code == 404
    assert api_as("viewer").get(f"{CITY}/contributions").json()["count"] == 0
    assert api_as("analyst").get(f"{CITY}/contributions/{contribution.pk}").status_code == 200


def test_contribution_filters_and_paging(api_as, activity, green):
    contribute(activity, stakeholder=green, stance="support")
    contribute(activity, stance="oppose", topics=["cars"])
    api = api_as("viewer")
    assert api.get(f"{CITY}/contributions", {"stance": "oppose"}).json()["count"] == 1
    assert api.get(f"{CITY}/contributions", {"from_citizens": "true"}).json()["count"] == 1
    assert api.get(f"{CITY}/contributions", {"topic": "cars"}).json()["count"] == 1
    assert api.get(f"{CITY}/contributions", {"stakeholder": green.pk}).json()["count"] == 1
    assert api.get(f"{CITY}/contributions", {"limit": 1}).json()["count"] == 2
    bad = api.get(f"{CITY}/contributions", {"activity": 99999})
    assert bad.status_code == 422 and "activity" in bad.json()["errors"]


def test_correcting_and_deleting_contributions(api_as, activity):
    contribution = contribute(activity)
    url = f"{CITY}/contributions/{contribution.pk}"
    changed = api_as("analyst").patch(url, {"version": 1, "text": "Corrected."})
    assert changed.status_code == 200 and changed.json()["text"] == "Corrected."
    assert api_as("analyst").patch(url, {"version": 1, "text": "Stale."}).status_code == 409
    assert api_as("viewer").delete(url).status_code == 403
    assert api_as("owner").delete(url).status_code == 204


def test_answering_telling_and_publishing(api_as, activity, decision):
    contribution = contribute(activity)
    api = api_as("analyst")
    url = f"{CITY}/contributions/{contribution.pk}/answer"
    body = {
        "decision_id": decision.pk,
        "outcome": "partly_accepted",
        "explanation": "East bank only.",
    }
    assert api_as("viewer").put(url, body).status_code == 403
    created = api.put(url, body)
    assert created.status_code == 201 and created.json()["outcome"] == "partly_accepted"
    assert api.put(url, body).status_code == 422  # already answered: send the version
    changed = api.put(url, {**body, "outcome": "accepted", "version": 1})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert api.put(url, {**body, "version": 1}).status_code == 409
    assert api.put(url, {**body, "decision_id": 99999}).status_code == 422
    mailed = api.post(f"{url}/notify")
    assert mailed.status_code == 200 and mailed.json()["communicated_via"] == "email"
    assert len(mail.outbox) == 1 and "Accepted" in mail.outbox[0].body
    assert "http://testserver/" in mail.outbox[0].body
    assert api.delete(url).status_code == 422
    detail = api_as("viewer").get(f"{CITY}/contributions/{contribution.pk}").json()
    assert detail["answer"]["outcome"] == "accepted" and detail["answer"]["communicated_at"]


def test_telling_by_hand(api_as, activity, decision):
    contribution = contribute(activity, author_email="")
    response_set(
        contribution=contribution, decision=decision, by=None, outcome="accepted", explanation="Y"
    )
    url = f"{CITY}/contributions/{contribution.pk}/answer"
    assert api_as("analyst").post(f"{url}/notify").status_code == 422
    told = api_as("analyst").post(f"{url}/communicated", {"via": "post", "note": "Letter sent."})
    assert told.status_code == 200 and told.json()["communicated_via"] == "post"
    assert api_as("viewer").post(f"{url}/communicated", {"via": "post"}).status_code == 403


# Decisions


def test_decisions_by_api(api_as, initiative, activity, green, secret):
    api = api_as("analyst")
    created = api.post(f"{CITY}/decisions", {
        "initiative_id": initiative.pk, "title": "Park", "decided_on": "2025-03-01",
        "decision_maker_ids": [green.pk],
    })  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["decision_makers"] == [{"id": green.pk, "name": "Green Lumen"}]
    assert api_as("viewer").post(f"{CITY}/decisions", {"initiative_id": initiative.pk, "title": "X",
                                                      "decided_on": "2025-03-01"}).status_code == 403  # fmt: skip
    assert api_as("viewer").get(f"{CITY}/decisions/{pk}").status_code == 200
    bad = api_as("viewer").patch(f"{CITY}/decisions/{pk}", {"version": 1, "title": "X"})
    assert bad.status_code == 403
    maker_hidden = api.patch(
        f"{CITY}/decisions/{pk}", {"version": 1, "decision_maker_ids": [99999]}
    )
    assert maker_hidden.status_code == 422 and "decision_maker_ids" in maker_hidden.json()["errors"]
    for n in range(2):
        response_set(contribution=contribute(activity, author_email=f"p{n}@example.net"),
                     decision=Decision.objects.get(pk=pk),
                     by=None, outcome="accepted", explanation="Y")  # fmt: skip
    published = api.post(f"{CITY}/decisions/{pk}/publish", {"published": True})
    assert published.json()["published"] is True and len(published.json()["answers"]) == 2
    sent = api.post(f"{CITY}/decisions/{pk}/notify")
    assert sent.status_code == 200 and len(sent.json()["sent"]) == 2 and len(mail.outbox) == 2
    assert api.post(f"{CITY}/decisions/{pk}/notify").json()["already_told"] != []
    listed = api_as("viewer").get(f"{CITY}/decisions", {"published": "true"}).json()
    assert (
        listed["items"][0]["response_count"] == 2 and listed["items"][0]["communicated_count"] == 2
    )
    assert api.delete(f"{CITY}/decisions/{pk}").status_code == 422
    assert api_as("viewer").post(f"{CITY}/decisions/{pk}/notify").status_code == 403


# Exports


def test_contributions_export_as_csv_without_personal_data_for_viewers(
    api_as, activity, decision, green
):
    contribute(activity, stakeholder=green, text="=cmd|' /C calc'!A0")
    answered = contribute(activity)
    response_set(
        contribution=answered, decision=decision, by=None, outcome="accepted", explanation="Yes."
    )
    viewer = api_as("viewer").get(f"{CITY}/exports/contributions", {"format": "csv"})
    assert viewer.status_code == 200 and viewer["Content-Type"].startswith("text/csv")
    assert 'filename="lumen-contributions.csv"' in viewer["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(viewer.streaming_content).decode())))
    assert rows[0][:3] == ["Id", "Submitted", "Initiative"] and "Author" not in rows[0]
    assert rows[1][9] == "'=cmd|' /C calc'!A0"
    assert rows[2][10:13] == ["Accepted", "Yes.", "River banks become a park"]
    analyst = api_as("analyst").get(f"{CITY}/exports/contributions")
    analyst_rows = list(csv.reader(io.StringIO(b"".join(analyst.streaming_content).decode())))
    assert (
        analyst_rows[0][-2:] == ["Author", "Author e-mail"]
        and analyst_rows[2][-1] == "rosa@example.net"
    )


def test_contributions_export_as_xlsx(api_as, activity):
    contribute(activity)
    response = api_as("viewer").get(f"{CITY}/exports/contributions", {"format": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.title == "Contributions" and sheet.max_row == 2
    assert api_as(None).get(f"{CITY}/exports/contributions").status_code == 401
    assert api_as("outsider").get(f"{CITY}/exports/contributions").status_code == 404


def test_the_export_keeps_a_flat_number_of_queries(api_as, activity, decision, city):
    api = api_as("viewer")

    def export():
        response = api.get(f"{CITY}/exports/contributions")
        b"".join(response.streaming_content)
        return response

    contribute(activity)
    export()
    few = queries(export)
    for n in range(30):
        contribution = contribute(activity, stakeholder=StakeholderFactory(city=city, name=f"S{n}"))
        response_set(
            contribution=contribution,
            decision=decision,
            by=None,
            outcome="accepted",
            explanation="Y",
        )
    assert queries(export) == few


# Grievances


def test_grievances_by_staff_with_the_workflow(api_as, city, public_city):
    api = api_as("analyst")
    body = {"subject": "Noise", "description": "At night.", "channel": "phone",
            "complainant_name": "Marta", "complainant_email": "marta@example.net",
            "submission_token": "grievance-api-1"}  # fmt: skip
    created = api.post(f"{CITY}/grievances", body)
    assert created.status_code == 201, created.content
    assert api.post(f"{CITY}/grievances", body).status_code == 200
    pk = created.json()["id"]
    url = f"{CITY}/grievances/{pk}"
    assert created.json()["due_on"] == (timezone.localdate() + timedelta(days=14)).isoformat()
    for action, note, status in [
        ("acknowledge", "", "acknowledged"),
        ("investigate", "", "under_investigation"),
        ("resolve", "Works moved to daytime.", "resolved"),
        ("close", "", "closed"),
        ("appeal", "Still noisy.", "under_investigation"),
    ]:
        response = api.post(f"{url}/{action}", {"note": note})
        assert response.status_code == 200, (action, response.content)
        assert response.json()["status"] == status
    refused = api.post(f"{url}/close", {})
    assert refused.status_code == 422 and "status" in refused.json()["errors"]
    missing = api.post(f"{url}/resolve", {"note": ""})
    assert missing.status_code == 422 and "note" in missing.json()["errors"]
    stale = api.post(f"{url}/resolve", {"note": "Done", "version": 1})
    assert stale.status_code == 409
    events = api.get(url).json()["events"]
    assert [e["to_status"] for e in events][-2:] == ["closed", "under_investigation"]
    assert api_as("viewer").post(f"{url}/resolve", {"note": "x"}).status_code == 403


@pytest.mark.parametrize(("role", "sees_personal_data"), [
    ("owner", True), ("analyst", True), ("viewer", False),
])  # fmt: skip
def test_complainants_are_personal_data(api_as, city, role, sees_personal_data):
    grievance_lodge(city=city, by=None, subject="S", description="D",
                    complainant_name="Marta Gomes", complainant_email="marta@example.net")  # fmt: skip
    item = api_as(role).get(f"{CITY}/grievances").json()["items"][0]
    assert ("Marta" in str(item)) is sees_personal_data
    assert item["anonymous"] is False


def test_contributors_see_and_lodge_only_their_own_stakeholders_grievances(
    api_as, city, green, contributor_for
):
    grievance_lodge(city=city, by=None, subject="Someone's", description="D")
    member = api_for(contributor_for(green))
    lodged = member.post(
        f"{CITY}/grievances", {"subject": "Ours", "description": "D", "stakeholder_id": green.pk}
    )
    assert lodged.status_code == 201
    listed = member.get(f"{CITY}/grievances").json()
    assert [g["subject"] for g in listed["items"]] == ["Ours"]
    others = Grievance.objects.get(subject="Someone's")
    assert member.get(f"{CITY}/grievances/{others.pk}").status_code == 404
    assert (
        member.post(f"{CITY}/grievances", {"subject": "X", "description": "D"}).status_code == 403
    )


def test_the_overdue_grievance_list(api_as, city):
    grievance_lodge(city=city, by=None, subject="Late", description="D",
                    received_at=timezone.now() - timedelta(days=40))  # fmt: skip
    grievance_lodge(city=city, by=None, subject="Fresh", description="D")
    listed = api_as("viewer").get(f"{CITY}/grievances", {"overdue": "true"}).json()
    assert [g["subject"] for g in listed["items"]] == ["Late"] and listed["items"][0]["overdue"]


def test_giving_a_grievance_to_a_handler(api_as, city, user_in):
    grievance = grievance_lodge(city=city, by=None, subject="S", description="D")[0]
    analyst = user_in("analyst")
    url = f"{CITY}/grievances/{grievance.pk}/handler"
    given = api_as("owner").post(url, {"handler_id": analyst.pk})
    assert given.status_code == 200 and given.json()["handler"]["username"] == analyst.username
    assert api_as("owner").post(url, {"handler_id": UserFactory().pk}).status_code == 422
    assert api_as("owner").post(url, {"handler_id": None}).json()["handler"] is None


# Reviews and the stakeholder page


def test_reviews_by_api(api_as, initiative):
    api = api_as("analyst")
    base = f"{CITY}/initiatives/{initiative.pk}/reviews"
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    schedule = api.put(f"{base}/schedule", {"cadence_days": 30, "next_due_on": past})
    assert schedule.status_code == 200 and schedule.json()["overdue"]
    assert api_as("viewer").put(f"{base}/schedule", {"cadence_days": 30}).status_code == 403
    overdue = api_as("viewer").get(f"{CITY}/reviews/schedules", {"overdue": "true"}).json()
    assert [s["initiative"]["name"] for s in overdue] == ["Clean river"]
    held = api.post(base, {"findings": "Too few citizens.", "changes_made": "Evening sessions."})
    assert held.status_code == 201 and held.json()["on_schedule"] is False
    assert api_as("viewer").get(f"{CITY}/reviews/schedules", {"overdue": "true"}).json() == []
    assert len(api_as("viewer").get(base).json()) == 1
    assert api_as("contributor").post(base, {"findings": "x"}).status_code == 403


def test_a_stakeholders_engagement_by_api(api_as, activity, decision, green, secret):
    participation_add(activity=activity, stakeholder=green, by=None, status="attended")
    contribution = contribute(activity, stakeholder=green)
    response_set(
        contribution=contribution, decision=decision, by=None, outcome="accepted", explanation="Y"
    )
    timeline = api_as("viewer").get(f"{CITY}/stakeholders/{green.pk}/engagement")
    assert timeline.status_code == 200
    kinds = {entry["kind"]: entry for entry in timeline.json()}
    assert kinds["contribution"]["answer"]["outcome"] == "accepted"
    assert kinds["participation"]["status"] == "attended"
    assert api_as("viewer").get(f"{CITY}/stakeholders/{secret.pk}/engagement").status_code == 404


def test_records_of_another_city_are_404(api_as):
    elsewhere = CityFactory(owner=UserFactory())
    activity = make_activity(InitiativeFactory(city=elsewhere, name="Far"))
    contribution = contribute(activity)
    api = api_as("owner")
    assert api.get(f"{CITY}/activities/{activity.pk}").status_code == 404
    assert api.get(f"{CITY}/contributions/{contribution.pk}").status_code == 404
    assert (
        api.post(
            f"{CITY}/contributions", {"activity_id": activity.pk, "text": "x", "stance": "support"}
        ).status_code
        == 422
    )
