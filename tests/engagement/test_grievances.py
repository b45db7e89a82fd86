"""The grievance mechanism: lodging, the workflow with its rules, due dates, appeals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civitas.core.errors import ConflictError, PermissionDeniedError, ValidationError
from civitas.engagement.models import Grievance, GrievanceEvent
from civitas.engagement.selectors import grievance_list
from civitas.engagement.services import (
    MAX_APPEALS,
    engagement_settings_update,
    grievance_acknowledge,
    grievance_act,
    grievance_appeal,
    grievance_appeal_public,
    grievance_assign,
    grievance_close,
    grievance_investigate,
    grievance_lodge,
    grievance_reject,
    grievance_resolve,
    grievance_submit,
)
from tests.factories import CityFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


def lodge(city, by=None, **values):
    defaults = {"subject": "Hearing at 6 pm", "description": "Commuters could not come."}
    return grievance_lodge(city=city, by=by, **{**defaults, **values})[0]


def submit(city, **values):
    defaults = {
        "subject": "Noise", "description": "Works at night.", "submission_token": "grievance-1",
    }  # fmt: skip
    return grievance_submit(city=city, **{**defaults, **values})


def under_investigation(city):
    grievance = lodge(city)
    grievance_acknowledge(grievance=grievance, by=None)
    grievance_investigate(grievance=grievance, by=None)
    return grievance


# Lodging


def test_staff_record_a_grievance_with_a_due_date_from_the_target(public_city, user_in):
    received = timezone.now() - timedelta(days=3)
    grievance = lodge(
        public_city, by=user_in("analyst"), channel="phone", received_at=received,
        complainant_name="Marta Gomes", complainant_email="marta@example.net",
    )  # fmt: skip
    assert grievance.status == "received" and grievance.channel == "phone"
    assert grievance.due_on == timezone.localtime(received).date() + timedelta(days=14)
    assert grievance.tracking_code and grievance.complainant_name == "Marta Gomes"
    event = grievance.events.get()
    assert event.to_status == "received" and event.by.username


def test_the_default_target_is_thirty_days(city):
    grievance = lodge(city)
    assert grievance.due_on == timezone.localdate() + timedelta(days=30)


def test_a_contributor_lodges_for_their_own_stakeholder_in_their_own_name(
    city, green, contributor_for
):
    member = contributor_for(green)
    grievance = lodge(city, by=member, stakeholder=green, complainant_name="Someone")
    assert grievance.complainant_name == "Cara Bell" and grievance.complainant_email == member.email
    with pytest.raises(PermissionDeniedError):
        lodge(city, by=member)
    with pytest.raises(PermissionDeniedError):
        lodge(city, by=member, stakeholder=StakeholderFactory(city=city, name="Other"))


def test_viewers_and_outsiders_do_not_lodge(city, user_in):
    with pytest.raises(PermissionDeniedError):
        lodge(city, by=user_in("viewer"))
    with pytest.raises(PermissionDeniedError):
        lodge(city, by=UserFactory())


def test_a_grievance_is_validated(city):
    foreign = StakeholderFactory(city=CityFactory())
    with pytest.raises(ValidationError) as caught:
        grievance_lodge(
            city=city, by=None, subject=" ", description="", channel="fax", stakeholder=foreign,
            received_at=timezone.now() + timedelta(days=1), complainant_email="nope",
        )  # fmt: skip
    assert set(caught.value.message_dict) == {
        "subject", "description", "channel", "stakeholder", "received_at", "complainant_email",
    }  # fmt: skip


def test_the_public_form_takes_anonymous_grievances_once_per_token(public_city):
    grievance, created = submit(public_city)
    assert created and grievance.channel == "online" and grievance.consent_at is None
    assert not grievance.complainant_name and not grievance.complainant_email
    again, created_again = submit(public_city)
    assert not created_again and again.pk == grievance.pk
    assert Grievance.objects.count() == 1 and GrievanceEvent.objects.count() == 1


def test_a_named_complainant_must_consent(public_city):
    with pytest.raises(ValidationError) as caught:
        submit(public_city, name="Marta")
    assert "consent" in caught.value.message_dict
    grievance, _ = submit(public_city, name="Marta", email="marta@example.net", consent=True)
    assert grievance.consent_at is not None


def test_the_public_form_needs_an_established_online_mechanism(city):
    with pytest.raises(PermissionDeniedError):
        submit(city)  # no public page
    engagement_settings_update(city=city, by=None, public_page=True)
    with pytest.raises(ValidationError):
        submit(city)  # no mechanism
    engagement_settings_update(
        city=city, by=None, grievance_established_on=timezone.localdate() + timedelta(days=5),
        grievance_channels=["online"],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        submit(city)  # not yet established
    engagement_settings_update(
        city=city,
        by=None,
        grievance_established_on=timezone.localdate(),
        grievance_channels=["post"],
    )
    with pytest.raises(ValidationError):
        submit(city)  # only by post
    engagement_settings_update(city=city, by=None, grievance_channels=["post", "online"])
    assert submit(city)[1]


# The workflow


def test_the_full_workflow_records_every_step(public_city, user_in):
    handler = user_in("analyst")
    grievance = lodge(public_city)
    grievance_acknowledge(grievance=grievance, by=handler)
    assert grievance.status == "acknowledged" and grievance.acknowledged_at
    grievance_investigate(grievance=grievance, by=handler)
    assert grievance.status == "under_investigation"
    grievance_resolve(grievance=grievance, by=handler, resolution="A second hearing on Saturday.")
    assert grievance.status == "resolved" and grievance.resolution.startswith("A second")
    grievance_close(grievance=grievance, by=handler)
    assert grievance.status == "closed" and grievance.closed_at
    steps = list(grievance.events.values_list("action", "from_status", "to_status"))
    assert steps == [
        ("", "", "received"),
        ("acknowledge", "received", "acknowledged"),
        ("investigate", "acknowledged", "under_investigation"),
        ("resolve", "under_investigation", "resolved"),
        ("close", "resolved", "closed"),
    ]
    assert grievance.history.count() >= 5


def test_rejecting_needs_reasons(city):
    grievance = lodge(city)
    grievance_acknowledge(grievance=grievance, by=None)
    with pytest.raises(ValidationError) as caught:
        grievance_reject(grievance=grievance, by=None, reasons="  ")
    assert "note" in caught.value.message_dict
    grievance_reject(grievance=grievance, by=None, reasons="Outside the initiative.")
    assert grievance.status == "rejected" and grievance.resolution == "Outside the initiative."


def test_resolving_needs_the_resolution(city):
    grievance = under_investigation(city)
    with pytest.raises(ValidationError):
        grievance_resolve(grievance=grievance, by=None, resolution="")
    assert Grievance.objects.get().status == "under_investigation"


@pytest.mark.parametrize(
    ("status_steps", "action"),
    [
        ([], "investigate"),
        ([], "resolve"),
        ([], "reject"),
        ([], "close"),
        ([], "appeal"),
        (["acknowledge"], "acknowledge"),
        (["acknowledge"], "resolve"),
        (["acknowledge", "investigate"], "close"),
        (["acknowledge", "investigate"], "investigate"),
    ],
)
def test_steps_out_of_order_are_refused(city, status_steps, action):
    grievance = lodge(city)
    for step in status_steps:
        grievance_act(grievance=grievance, action=step, by=None)
    before = grievance.status
    with pytest.raises(ValidationError) as caught:
        grievance_act(grievance=grievance, action=action, by=None, note="Because.")
    assert "status" in caught.value.message_dict
    assert Grievance.objects.get().status == before


def test_an_unknown_action_is_refused(city):
    with pytest.raises(ValidationError) as caught:
        grievance_act(grievance=lodge(city), action="forget", by=None)
    assert "action" in caught.value.message_dict


def test_a_stale_version_is_refused(city):
    grievance = lodge(city)
    with pytest.raises(ConflictError):
        grievance_act(grievance=grievance, action="acknowledge", by=None, expected_version=5)


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_only_owners_and_analysts_handle_grievances(city, user_in, role):
    grievance = lodge(city)
    for action in ("acknowledge", "investigate", "resolve", "reject", "close"):
        with pytest.raises(PermissionDeniedError):
            grievance_act(grievance=grievance, action=action, by=user_in(role), note="x")
    assert Grievance.objects.get().status == "received"


# Appeals


def test_an_appeal_reopens_with_a_new_due_date(public_city):
    grievance = lodge(public_city, received_at=timezone.now() - timedelta(days=60))
    assert grievance.due_on < timezone.localdate()
    grievance_act(grievance=grievance, action="acknowledge", by=None)
    grievance_act(grievance=grievance, action="reject", by=None, note="Not ours.")
    grievance_close(grievance=grievance, by=None)
    with pytest.raises(ValidationError):
        grievance_appeal(grievance=grievance, by=None, reason="")
    grievance_appeal(grievance=grievance, by=None, reason="It is yours: the works are the city's.")
    assert grievance.status == "under_investigation" and grievance.appeal_count == 1
    assert grievance.closed_at is None
    assert grievance.due_on == timezone.localdate() + timedelta(days=14)


def test_appeals_are_limited(city):
    grievance = under_investigation(city)
    for _ in range(MAX_APPEALS):
        grievance_resolve(grievance=grievance, by=None, resolution="Done.")
        grievance_appeal(grievance=grievance, by=None, reason="Not done.")
    grievance_resolve(grievance=grievance, by=None, resolution="Really done.")
    with pytest.raises(ValidationError):
        grievance_appeal(grievance=grievance, by=None, reason="Again.")


def test_a_contributor_appeals_their_own_stakeholders_grievance(city, green, contributor_for):
    member = contributor_for(green)
    mine = lodge(city, by=member, stakeholder=green)
    for action, note in (("acknowledge", ""), ("reject", "No.")):
        grievance_act(grievance=mine, action=action, by=None, note=note)
    grievance_appeal(grievance=mine, by=member, reason="Please look again.")
    assert mine.status == "under_investigation"
    assert mine.events.last().by == member
    other = lodge(city)
    grievance_act(grievance=other, action="acknowledge", by=None)
    grievance_act(grievance=other, action="reject", by=None, note="No.")
    with pytest.raises(PermissionDeniedError):
        grievance_appeal(grievance=other, by=member, reason="Me too.")


def test_the_complainant_appeals_with_the_tracking_code(public_city):
    grievance, _ = submit(public_city)
    grievance_act(grievance=grievance, action="acknowledge", by=None)
    grievance_act(grievance=grievance, action="reject", by=None, note="No.")
    grievance_appeal_public(grievance=grievance, reason="The noise goes on.")
    event = grievance.events.last()
    assert event.by_complainant and event.by is None and grievance.appeal_count == 1


# Handlers and overdue grievances


def test_grievances_are_given_to_owners_or_analysts(city, user_in):
    grievance = lodge(city)
    analyst = user_in("analyst")
    grievance_assign(grievance=grievance, handler=analyst, by=user_in("owner"))
    assert Grievance.objects.get().handler == analyst
    with pytest.raises(ValidationError):
        grievance_assign(grievance=grievance, handler=user_in("viewer"), by=None)
    with pytest.raises(PermissionDeniedError):
        grievance_assign(grievance=grievance, handler=None, by=user_in("viewer"))


def test_the_overdue_list_holds_open_grievances_past_due(public_city):
    old = timezone.now() - timedelta(days=20)
    lodge(public_city, subject="Late", received_at=old)
    late_acknowledged = lodge(public_city, subject="Late too", received_at=old - timedelta(days=1))
    grievance_acknowledge(grievance=late_acknowledged, by=None)
    answered = lodge(public_city, subject="Answered", received_at=old)
    grievance_acknowledge(grievance=answered, by=None)
    grievance_reject(grievance=answered, by=None, reasons="Not ours.")
    lodge(public_city, subject="Recent")
    overdue = list(grievance_list(city=public_city, overdue=True))
    assert [g.subject for g in overdue] == ["Late too", "Late"]
    assert all(g.is_overdue() for g in overdue) and not answered.is_overdue()
    future = timezone.localdate() + timedelta(days=30)
    assert len(grievance_list(city=public_city, overdue=True, today=future)) == 4 - 1
