"""`civitas engagement ...` and `civitas export contributions`."""

import csv
import io
import json
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from civitas.engagement.models import Activity, EngagementSettings, Grievance, Review
from civitas.engagement.services import (
    grievance_lodge,
    response_set,
    review_schedule_set,
)
from tests.cli import fails, run
from tests.engagement.conftest import contribute, make_activity

pytestmark = pytest.mark.django_db


def test_listing_activities_as_a_table_and_as_json(activity, initiative):
    make_activity(initiative, open=False, title="Later session")
    out, _ = run("engagement", "activities", "--city", "lumen")
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["Id", "Starts", "Status", "Kind"]
    assert any("River banks consultation" in line and "open" in line for line in lines)
    out, _ = run(
        "engagement", "activities", "--city", "lumen", "--status", "planned", "--format", "json"
    )
    rows = json.loads(out)
    assert [row["title"] for row in rows] == ["Later session"] and rows[0][
        "disclosure"
    ] == "missing"


def test_opening_and_closing_an_activity(initiative):
    planned = make_activity(initiative, open=False)
    out, _ = run("engagement", "activity-open", "--id", str(planned.pk))
    assert "Opened" in out
    assert "status" in fails("engagement", "activity-open", "--id", str(planned.pk))
    run("engagement", "activity-close", "--id", str(planned.pk), "--outcome", "Forty trees.")
    closed = Activity.objects.get()
    assert closed.status == "closed" and closed.outcome == "Forty trees."
    assert "No activity with the id 999" in fails("engagement", "activity-open", "--id", "999")


def test_listing_contributions_and_decisions(activity, decision, green):
    answered = contribute(activity, stakeholder=green)
    response_set(
        contribution=answered, decision=decision, by=None, outcome="accepted", explanation="Y"
    )
    contribute(activity)
    out, _ = run(
        "engagement", "contributions", "--city", "lumen", "--unanswered", "--format", "json"
    )
    assert [row["from"] for row in json.loads(out)] == ["Citizen"]
    out, _ = run("engagement", "decisions", "--city", "lumen", "--format", "json")
    assert json.loads(out)[0]["answers"] == 1


def test_notify_emails_the_pending_answers(activity, decision):
    with_address = contribute(activity)
    without = contribute(activity, author_email="")
    for contribution in (with_address, without):
        response_set(
            contribution=contribution,
            decision=decision,
            by=None,
            outcome="accepted",
            explanation="Y",
        )
    out, _ = run("engagement", "notify", "--decision", str(decision.pk), "--dry-run")
    assert (
        "Would e-mail 1 answer(s)" in out and "1 have no e-mail address" in out and not mail.outbox
    )
    out, _ = run(
        "engagement",
        "notify",
        "--decision",
        str(decision.pk),
        "--base-url",
        "https://lumen.example",
    )
    assert "E-mailed 1 answer(s)" in out
    assert f"No e-mail address for contribution {without.pk}" in out
    assert "https://lumen.example/" in mail.outbox[0].body
    out, _ = run("engagement", "notify", "--decision", str(decision.pk))
    assert "E-mailed 0 answer(s)" in out and "1 already told" in out
    assert len(mail.outbox) == 1


def test_grievances_and_their_workflow(city):
    late = grievance_lodge(city=city, by=None, subject="Late one", description="D",
                           received_at=timezone.now() - timedelta(days=45))[0]  # fmt: skip
    grievance_lodge(city=city, by=None, subject="Fresh one", description="D")
    out, _ = run("engagement", "grievances", "--city", "lumen", "--overdue")
    assert "Late one" in out and "Fresh one" not in out and "overdue" in out
    out, _ = run("engagement", "grievance", "--id", str(late.pk), "--action", "acknowledge")
    assert "now acknowledged" in out
    assert "note" in fails("engagement", "grievance", "--id", str(late.pk), "--action", "reject")
    run(
        "engagement", "grievance", "--id", str(late.pk), "--action", "reject", "--note", "Not ours."
    )
    assert Grievance.objects.get(pk=late.pk).status == "rejected"
    assert "invalid choice" in fails("engagement", "grievance", "--id", "1", "--action", "forget")


def test_reviews_overdue_across_cities_and_recording_one(initiative):
    review_schedule_set(initiative=initiative, by=None, cadence_days=30,
                        next_due_on=timezone.localdate() - timedelta(days=2))  # fmt: skip
    out, _ = run("engagement", "reviews", "--overdue")
    assert "Clean river" in out and "overdue" in out
    out, _ = run(
        "engagement",
        "review",
        "--initiative",
        str(initiative.pk),
        "--findings",
        "Too few citizens.",
    )
    assert "Next review due on" in out and Review.objects.count() == 1
    out, _ = run("engagement", "reviews", "--overdue", "--format", "json")
    assert json.loads(out) == []
    assert "date" in fails("engagement", "review", "--initiative", str(initiative.pk), "--findings", "x",
                           "--held-on", "soon")  # fmt: skip


def test_settings_show_and_change(city):
    out, _ = run("engagement", "settings", "--city", "lumen")
    assert "disclosure lead days: 7" in out and not EngagementSettings.objects.exists()
    out, _ = run(
        "engagement", "settings", "--city", "lumen", "--public-page", "on",
        "--grievance-established-on", "2024-02-01", "--grievance-channels", "online, post",
        "--grievance-days", "10", "--format", "json",
    )  # fmt: skip
    values = json.loads(out)
    assert values["public_page"] and values["grievance_channels"] == ["online", "post"]
    assert values["grievance_response_days"] == 10
    assert "grievance_channels" in fails(
        "engagement", "settings", "--city", "lumen", "--grievance-channels", "fax"
    )
    assert "on or off" in fails(
        "engagement", "settings", "--city", "lumen", "--public-page", "maybe"
    )


def test_unknown_cities_and_bad_input_exit_with_status_2(city):
    assert "No city with the slug 'nowhere'" in fails(
        "engagement", "activities", "--city", "nowhere"
    )
    assert "No initiative with the id 999" in fails("engagement", "activities", "--city", "lumen",
                                                    "--initiative", "999")  # fmt: skip
    fails("engagement", "notify", "--decision", "999")
    fails("engagement")


# `civitas export contributions`


def test_export_contributions_as_csv_with_answers(activity, decision, green, tmp_path):
    contribute(activity, stakeholder=green, text="@SUM(A1:A9)")
    answered = contribute(activity)
    response_set(
        contribution=answered, decision=decision, by=None, outcome="not_accepted", explanation="No."
    )
    out, _ = run("export", "contributions", "--city", "lumen")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][-2:] == ["Author", "Author e-mail"]
    assert rows[1][9] == "'@SUM(A1:A9)" and rows[1][4] == "Green Lumen"
    assert rows[2][10:12] == ["Not accepted", "No."] and rows[2][-1] == "rosa@example.net"
    target = tmp_path / "out.csv"
    out, _ = run(
        "export",
        "contributions",
        "--city",
        "lumen",
        "--initiative",
        "Clean river",
        "-o",
        str(target),
    )
    assert "Wrote the contributions of Lumen" in out
    assert len(list(csv.reader(target.open()))) == 3


def test_export_contributions_as_xlsx(activity, tmp_path):
    contribute(activity)
    target = tmp_path / "out.xlsx"
    run("export", "contributions", "--city", "lumen", "--format", "xlsx", "-o", str(target))
    sheet = openpyxl.load_workbook(target).active
    assert sheet.max_row == 2 and sheet["J2"].value == "Keep the banks green."
    assert "binary" in fails("export", "contributions", "--city", "lumen", "--format", "xlsx")
    assert "no initiative" in fails(
        "export", "contributions", "--city", "lumen", "--initiative", "Nope"
    )
