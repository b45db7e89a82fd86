"""Contributions by staff, contributors and citizens, decisions, answers and their e-mails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from civitas.core.errors import ConflictError, PermissionDeniedError, ValidationError
from civitas.engagement.models import Contribution, Decision, Response
from civitas.engagement.services import (
    activity_close,
    contribution_create,
    contribution_delete,
    contribution_submit,
    contribution_update,
    decision_create,
    decision_delete,
    decision_notify,
    decision_publish,
    decision_update,
    response_delete,
    response_notify,
    response_record_communication,
    response_set,
    tracking_link,
)
from tests.engagement.conftest import contribute, make_activity
from tests.factories import CityFactory, InitiativeFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def submit(activity, **values):
    defaults = {
        "submission_token": "token-0001",
        "text": "More benches along the river.",
        "stance": "proposal",
        "topics": ["Benches", " river "],
        "author_name": "Rosa Lima",
        "author_email": "rosa@example.net",
        "consent": True,
    }
    return contribution_submit(activity=activity, **{**defaults, **values})


def answer(contribution, decision, **values):
    defaults = {"outcome": "accepted", "explanation": "Benches are in the plan."}
    return response_set(
        contribution=contribution, decision=decision, by=None, **{**defaults, **values}
    )[0]


# Staff and contributors


@pytest.mark.parametrize("role", ["owner", "analyst"])
def test_staff_enter_contributions_of_stakeholders_and_citizens(activity, green, user_in, role):
    user = user_in(role)
    of_stakeholder, created = contribution_create(
        activity=activity, by=user, stakeholder=green, text="Plant trees.", stance="support",
        channel="in_person", author_name="Ana Reis",
    )  # fmt: skip
    assert (
        created
        and of_stakeholder.entered_by == user
        and of_stakeholder.initiative_id == activity.initiative_id
    )
    of_citizen, _ = contribution_create(
        activity=activity, by=user, text="Letter about noise.", stance="concern", channel="post"
    )
    assert of_citizen.from_citizen and of_citizen.tracking_code
    assert of_citizen.tracking_code != of_stakeholder.tracking_code


def test_contributors_contribute_only_for_their_own_stakeholder(
    activity, green, city, contributor_for
):
    member = contributor_for(green)
    mine, _ = contribution_create(
        activity=activity, by=member, stakeholder=green, text="Our view.", stance="support",
        author_name="Someone else", author_email="else@example.org",
    )  # fmt: skip
    assert mine.author_name == "Cara Bell" and mine.author_email == member.email
    other = StakeholderFactory(city=city, name="Other NGO")
    with pytest.raises(PermissionDeniedError):
        contribution_create(
            activity=activity, by=member, stakeholder=other, text="X", stance="support"
        )
    with pytest.raises(PermissionDeniedError):
        contribution_create(activity=activity, by=member, text="As a citizen", stance="support")


def test_viewers_and_outsiders_may_not_contribute(activity, green, user_in):
    with pytest.raises(PermissionDeniedError):
        contribution_create(
            activity=activity, by=user_in("viewer"), stakeholder=green, text="X", stance="support"
        )
    outsider = CityFactory().memberships.get().user
    with pytest.raises(PermissionDeniedError):
        contribution_create(
            activity=activity, by=outsider, stakeholder=green, text="X", stance="support"
        )


def test_contributions_need_an_activity_that_is_open_or_recorded_after(
    initiative, green, contributor_for
):
    planned = make_activity(initiative, open=False)
    with pytest.raises(ValidationError) as caught:
        contribute(planned, stakeholder=green)
    assert "activity" in caught.value.message_dict
    closed = make_activity(initiative, title="Past meeting")
    activity_close(activity=closed, by=None)
    assert contribute(closed, stakeholder=green)  # staff record what was said
    with pytest.raises(ValidationError):
        contribution_create(
            activity=closed,
            by=contributor_for(green),
            stakeholder=green,
            text="Late",
            stance="support",
        )


def test_a_contribution_is_validated_field_by_field(activity, city):
    foreign = StakeholderFactory(city=CityFactory())
    with pytest.raises(ValidationError) as caught:
        contribution_create(
            activity=activity, by=None, stakeholder=foreign, text="  ", stance="maybe",
            author_email="not-an-address", topics=["a|b"], submission_token="bad token",
        )  # fmt: skip
    assert set(caught.value.message_dict) == {
        "stakeholder", "text", "stance", "author_email", "topics", "submission_token",
    }  # fmt: skip
    assert not Contribution.objects.exists()


def test_topics_are_normalized(activity):
    contribution = contribute(activity, topics="Trees; trees, Shade ")
    assert contribution.topics == ["trees", "shade"]
    assert Contribution.objects.filter(topics__has="shade").count() == 1


def test_the_same_submission_token_stores_one_contribution(activity, green):
    first, created = contribution_create(
        activity=activity, by=None, stakeholder=green, text="Once", stance="support",
        submission_token="retry-1234",
    )  # fmt: skip
    again, created_again = contribution_create(
        activity=activity, by=None, stakeholder=green, text="Once", stance="support",
        submission_token="retry-1234",
    )  # fmt: skip
    assert created and not created_again and again.pk == first.pk
    assert Contribution.objects.count() == 1


def test_a_token_reused_for_another_activity_is_refused(activity, initiative, green):
    contribute(activity, submission_token="shared-token")
    other = make_activity(initiative, title="Other")
    with pytest.raises(ValidationError) as caught:
        contribute(other, submission_token="shared-token")
    assert "submission_token" in caught.value.message_dict


def test_the_database_refuses_two_contributions_with_one_token(activity):
    contribute(activity, submission_token="db-token-1")
    twin = Contribution(
        city=activity.city, initiative=activity.initiative, activity=activity, text="Twin",
        stance="support", tracking_code="another-code", submission_token="db-token-1",
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_tokens_are_unique_per_city_only(activity):
    contribute(activity, submission_token="city-token")
    elsewhere = make_activity(InitiativeFactory(city=CityFactory()), title="Elsewhere")
    assert contribute(elsewhere, submission_token="city-token").pk


# Citizens on the public page


def test_a_citizen_submits_once_per_token(public_city, activity):
    contribution, created = submit(activity)
    assert created and contribution.from_citizen and contribution.consent_at
    assert contribution.topics == ["benches", "river"] and contribution.channel == "online"
    again, created_again = submit(activity)
    assert not created_again and again.pk == contribution.pk
    assert Contribution.objects.count() == 1


def test_a_citizen_must_consent_and_send_a_token(public_city, activity):
    with pytest.raises(ValidationError) as caught:
        submit(activity, submission_token="", consent=False, text="")
    assert set(caught.value.message_dict) == {"consent", "submission_token", "text"}


def test_citizens_submit_only_to_open_public_activities(city, public_city, initiative):
    private = make_activity(initiative, title="Staff only")
    with pytest.raises(PermissionDeniedError):
        submit(private)
    planned = make_activity(initiative, open=False, is_public=True, title="Soon")
    with pytest.raises(ValidationError):
        submit(planned)


def test_a_citizen_cannot_submit_when_the_city_hides_its_public_page(city, initiative):
    public = make_activity(initiative, is_public=True)
    with pytest.raises(PermissionDeniedError):
        submit(public)


def test_overlong_texts_are_refused(public_city, activity):
    with pytest.raises(ValidationError) as caught:
        submit(activity, text="x" * 20_001)
    assert "text" in caught.value.message_dict


# Changing and deleting


def test_staff_correct_a_contribution_with_the_version(activity, green, user_in):
    contribution = contribute(activity)
    contribution_update(
        contribution=contribution, by=user_in("analyst"), expected_version=1,
        text="Keep the banks green and shaded.", stakeholder=green, topics=["Shade"],
    )  # fmt: skip
    contribution.refresh_from_db()
    assert contribution.text.endswith("shaded.") and contribution.stakeholder == green
    assert contribution.topics == ["shade"] and contribution.version == 2
    with pytest.raises(ConflictError):
        contribution_update(contribution=contribution, by=None, expected_version=1, text="X")


def test_contributors_change_only_the_words_of_their_own(activity, green, city, contributor_for):
    member = contributor_for(green)
    mine = contribute(activity, stakeholder=green)
    contribution_update(contribution=mine, by=member, expected_version=1, stance="concern")
    with pytest.raises(PermissionDeniedError):
        contribution_update(contribution=mine, by=member, expected_version=2, author_name="X")
    theirs = contribute(activity, stakeholder=StakeholderFactory(city=city, name="Them"))
    with pytest.raises(PermissionDeniedError):
        contribution_update(contribution=theirs, by=member, expected_version=1, text="Mine now")


def test_answered_contributions_stay_as_they_were(activity, decision, user_in):
    contribution = contribute(activity)
    answer(contribution, decision)
    with pytest.raises(ValidationError):
        contribution_update(contribution=contribution, by=None, expected_version=1, text="Other")
    with pytest.raises(ValidationError):
        contribution_delete(contribution=contribution, by=None)


def test_deleting_a_contribution(activity, green, contributor_for, user_in):
    contribution = contribute(activity, stakeholder=green)
    with pytest.raises(PermissionDeniedError):
        contribution_delete(contribution=contribution, by=contributor_for(green))
    contribution_delete(contribution=contribution, by=user_in("analyst"))
    assert not Contribution.objects.exists()


# Decisions and answers


def test_a_decision_with_its_decision_makers(initiative, green, user_in):
    decision = decision_create(
        initiative=initiative, by=user_in("analyst"), title=" Park ", decided_on=timezone.localdate(),
        decision_makers=[green],
    )  # fmt: skip
    assert decision.title == "Park" and list(decision.decision_makers.all()) == [green]
    decision_update(decision=decision, by=None, expected_version=1, decision_makers=[], text="Why")
    assert decision.decision_makers.count() == 0 and Decision.objects.get().text == "Why"
    with pytest.raises(ConflictError):
        decision_update(decision=Decision.objects.get(), by=None, expected_version=1, title="X")


def test_decisions_are_validated(initiative):
    foreign = StakeholderFactory(city=CityFactory())
    with pytest.raises(ValidationError) as caught:
        decision_create(
            initiative=initiative, by=None, title="", decided_on=None, decision_makers=[foreign]
        )
    assert set(caught.value.message_dict) == {"title", "decided_on", "decision_makers"}


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_only_owners_and_analysts_decide_and_answer(initiative, activity, decision, user_in, role):
    user = user_in(role)
    with pytest.raises(PermissionDeniedError):
        decision_create(initiative=initiative, by=user, title="X", decided_on=timezone.localdate())
    with pytest.raises(PermissionDeniedError):
        response_set(contribution=contribute(activity), decision=decision, by=user,
                     outcome="accepted", explanation="Yes")  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        decision_publish(decision=decision, by=user)


def test_each_contribution_gets_one_answer(activity, decision, initiative):
    contribution = contribute(activity)
    first, created = response_set(
        contribution=contribution, decision=decision, by=None, outcome="accepted", explanation="Yes"
    )
    assert created
    second = decision_create(
        initiative=initiative, by=None, title="Later", decided_on=timezone.localdate()
    )
    changed, created_again = response_set(
        contribution=contribution, decision=second, by=None, outcome="partly_accepted",
        explanation="Only the east bank.", expected_version=1,
    )  # fmt: skip
    assert not created_again and changed.pk == first.pk and changed.decision == second
    assert Response.objects.count() == 1
    with pytest.raises(ConflictError):
        response_set(contribution=contribution, decision=second, by=None, outcome="accepted",
                     explanation="Stale", expected_version=1)  # fmt: skip


def test_the_database_holds_one_answer_per_contribution(activity, decision):
    contribution = contribute(activity)
    answer(contribution, decision)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            decision=decision, contribution=contribution, outcome="accepted", explanation="Twice"
        )


def test_an_answer_needs_an_explanation_and_the_same_initiative(activity, decision, city):
    contribution = contribute(activity)
    other = decision_create(
        initiative=InitiativeFactory(city=city, name="Other"), by=None, title="Other",
        decided_on=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        response_set(
            contribution=contribution, decision=other, by=None, outcome="won", explanation=" "
        )
    assert set(caught.value.message_dict) == {"decision", "explanation", "outcome"}


def test_publishing_a_decision(decision):
    decision_publish(decision=decision, by=None)
    assert Decision.objects.get().is_published
    decision_publish(decision=decision, by=None, published=False)
    assert not Decision.objects.get().is_published


def test_answers_told_keep_their_decision_and_themselves(activity, decision):
    contribution = contribute(activity)
    response = answer(contribution, decision)
    response_record_communication(response=response, by=None, via="phone", note="Called her.")
    with pytest.raises(ValidationError):
        response_delete(response=response, by=None)
    with pytest.raises(ValidationError):
        decision_delete(decision=decision, by=None)


def test_an_untold_answer_and_its_decision_can_be_withdrawn(activity, decision):
    response = answer(contribute(activity), decision)
    response_delete(response=response, by=None)
    assert not Response.objects.exists()
    answer(contribute(activity), decision)
    decision_delete(decision=decision, by=None)
    assert not Decision.objects.exists() and not Response.objects.exists()


def test_telling_by_hand_records_how_and_when(activity, decision, user_in):
    response = answer(contribute(activity), decision)
    when = timezone.now() - timedelta(days=1)
    with pytest.raises(PermissionDeniedError):
        response_record_communication(response=response, by=user_in("viewer"), via="post")
    with pytest.raises(ValidationError) as caught:
        response_record_communication(
            response=response, by=None, via="pigeon", at=timezone.now() + timedelta(days=2)
        )
    assert set(caught.value.message_dict) == {"via", "at"}
    response_record_communication(response=response, by=user_in("analyst"), via="post", at=when)
    response.refresh_from_db()
    assert response.communicated_via == "post" and response.communicated_at == when


def test_the_database_requires_a_channel_for_a_told_answer(activity, decision):
    response = answer(contribute(activity), decision)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.filter(pk=response.pk).update(communicated_at=timezone.now())


# E-mail


def test_the_answer_email_tells_the_participant_how_their_input_counted(
    public_city, activity, decision
):
    contribution, _ = submit(activity, text="=HYPERLINK() More benches along the river.")
    response = answer(contribution, decision, outcome="partly_accepted",
                      explanation="Benches on the east bank only.")  # fmt: skip
    assert response_notify(response=response, base_url="https://lumen.example/", by=None)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.net"]
    assert message.subject == "Lumen: the answer to your contribution on Clean river"
    body = message.body
    assert body.startswith("Dear Rosa Lima,")
    assert "More benches along the river." in body
    assert "“River banks consultation”" in body and "River banks become a park" in body
    assert "Our answer to your contribution: Partly accepted." in body
    assert "Benches on the east bank only." in body
    link = tracking_link("https://lumen.example", contribution.tracking_code)
    assert link in body and link.startswith("https://lumen.example/")
    response.refresh_from_db()
    assert response.communicated_via == "email" and response.communicated_at is not None
    assert "rosa@example.net" in response.communicated_note


def test_an_answer_is_emailed_once(public_city, activity, decision):
    response = answer(submit(activity)[0], decision)
    assert response_notify(response=response, base_url="https://lumen.example", by=None)
    assert not response_notify(response=response, base_url="https://lumen.example", by=None)
    assert len(mail.outbox) == 1


def test_an_answer_without_address_cannot_be_emailed(activity, decision):
    response = answer(contribute(activity, author_email=""), decision)
    with pytest.raises(ValidationError):
        response_notify(response=response, base_url="https://lumen.example", by=None)
    assert not mail.outbox


def test_a_decision_emails_its_pending_answers(activity, decision, green, user_in):
    told = answer(contribute(activity, author_email="told@example.net"), decision)
    response_record_communication(response=told, by=None, via="meeting")
    pending = [
        answer(contribute(activity, author_email=f"p{n}@example.net"), decision) for n in range(3)
    ]
    silent = answer(contribute(activity, author_email="", stakeholder=green), decision)
    with pytest.raises(PermissionDeniedError):
        decision_notify(decision=decision, base_url="https://lumen.example", by=user_in("viewer"))
    result = decision_notify(
        decision=decision, base_url="https://lumen.example", by=user_in("analyst")
    )
    assert [r.pk for r in result.sent] == [r.pk for r in pending]
    assert [r.pk for r in result.already_told] == [told.pk]
    assert [r.pk for r in result.without_email] == [silent.pk]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "p0@example.net",
        "p1@example.net",
        "p2@example.net",
    ]
    again = decision_notify(decision=decision, base_url="https://lumen.example", by=None)
    assert not again.sent and len(mail.outbox) == 3


def test_a_failed_delivery_leaves_the_answer_pending(activity, decision, settings, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    response = answer(contribute(activity), decision)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    result = decision_notify(decision=decision, base_url="https://lumen.example", by=None)
    assert [r.pk for r, _ in result.failed] == [response.pk] and not result.sent
    response.refresh_from_db()
    assert response.communicated_at is None


def test_tracking_links_use_the_base_url(settings):
    assert tracking_link("https://lumen.example/", "abc").startswith("https://lumen.example/")
    assert tracking_link("https://lumen.example", "abc").endswith("/abc/")
