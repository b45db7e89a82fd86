"""Reads: flat query counts as rows grow, confidential stakeholders hidden, public data clean."""

import dataclasses
import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.cities.services import initiative_archive
from civitas.engagement.models import Activity
from civitas.engagement.selectors import (
    CITIZEN,
    activity_detail,
    activity_list,
    contribution_list,
    decision_detail,
    decision_list,
    engagement_counts,
    first_consultation_start,
    grievance_list,
    last_review_on,
    public_accountability,
    public_activity_list,
    public_activity_to_submit,
    public_city,
    public_contribution,
    public_grievance,
    public_initiatives,
    review_schedule_list,
    stakeholder_engagement,
    stakeholders_never_invited,
)
from civitas.engagement.services import (
    decision_publish,
    disclosure_add,
    engagement_settings_update,
    grievance_act,
    grievance_lodge,
    grievance_submit,
    participation_add,
    response_record_communication,
    response_set,
    review_record,
    review_schedule_set,
)
from civitas.stakeholders.services import stakeholder_create
from tests.engagement.conftest import contribute, make_activity
from tests.factories import (
    CategorizationFactory,
    InitiativeFactory,
    StakeholderFactory,
    stakeholder_type,
)

pytestmark = pytest.mark.django_db


def count_queries(read) -> int:
    with CaptureQueriesContext(connection) as context:
        read()
    return len(context)


def grow_engagement(city, initiative, decision, rows: int, start: int = 0) -> None:
    """Add activities, each with a participation, a disclosure, contributions and answers."""
    for n in range(start, start + rows):
        activity = make_activity(initiative, title=f"Session {n}", is_public=True)
        stakeholder = StakeholderFactory(city=city, name=f"Group {n}")
        participation_add(activity=activity, stakeholder=stakeholder, by=None, status="attended")
        disclosure_add(activity=activity, by=None, title=f"Doc {n}", url="https://x.example/d",
                       audience="public")  # fmt: skip
        contribution = contribute(activity, stakeholder=stakeholder)
        response_set(contribution=contribution, decision=decision, by=None, outcome="accepted",
                     explanation="Yes", published=True)  # fmt: skip
        contribute(activity)
        grievance_lodge(city=city, by=None, subject=f"G{n}", description="D", activity=activity)


def test_lists_keep_a_flat_number_of_queries(
    city, public_city, initiative, decision, user_in, django_assert_max_num_queries
):
    viewer = user_in("viewer")
    grow_engagement(city, initiative, decision, 2)
    decision_publish(decision=decision, by=None)
    reads = {
        "activities": (
            lambda: [
                (a.disclosure_state, a.initiative.name)
                for a in activity_list(city=city, user=viewer)
            ],
            3,
        ),
        "contributions": (
            lambda: [
                (
                    c.activity.title,
                    getattr(c, "response", None) and c.response.decision.title,
                    c.stakeholder and c.stakeholder.type.name,
                )
                for c in contribution_list(city=city, user=viewer)
            ],
            3,
        ),
        "decisions": (
            lambda: [
                (d.initiative.name, list(d.decision_makers.all())) for d in decision_list(city=city)
            ],
            3,
        ),
        "grievances": (
            lambda: [
                (g.activity.title, g.initiative) for g in grievance_list(city=city, user=viewer)
            ],
            3,
        ),
        "public activities": (lambda: public_activity_list(city=city), 3),
        "accountability": (lambda: public_accountability(initiative=initiative), 4),
    }
    for read, _ in reads.values():
        read()  # the first read also looks up the viewer's role, once
    counts = {name: count_queries(read) for name, (read, _) in reads.items()}
    grow_engagement(city, initiative, decision, 8, start=2)
    for name, (read, limit) in reads.items():
        with django_assert_max_num_queries(limit):
            again = count_queries(read)
        assert again == counts[name], name


def test_detail_reads_are_flat(city, initiative, decision, django_assert_max_num_queries):
    grow_engagement(city, initiative, decision, 1)
    activity = activity_list(city=city).first()

    def read_activity():
        detail = activity_detail(city=city, pk=activity.pk)
        return [p.stakeholder.type.name for p in detail.participations.all()], list(
            detail.disclosures.all()
        )

    def read_decision():
        detail = decision_detail(city=city, pk=decision.pk)
        return [
            (r.contribution.activity.title, r.contribution.stakeholder)
            for r in detail.responses.all()
        ]

    with django_assert_max_num_queries(4):
        read_activity()
    few = count_queries(read_decision)
    grow_engagement(city, initiative, decision, 5, start=1)
    assert count_queries(read_decision) == few <= 4


def test_activity_counts_do_not_multiply_each_other(initiative, city, green):
    activity = make_activity(initiative)
    for n in range(3):
        participation_add(
            activity=activity, stakeholder=StakeholderFactory(city=city, name=f"S{n}"), by=None
        )
    participation_add(activity=activity, stakeholder=green, by=None, status="attended")
    for _ in range(2):
        contribute(activity)
    disclosure_add(activity=activity, by=None, title="A", url="https://x.example/a",
                   shared_on=timezone.localdate() - timedelta(days=30))  # fmt: skip
    disclosure_add(activity=activity, by=None, title="B", url="https://x.example/b")
    listed = activity_list(city=city).get()
    assert (listed.invited_count, listed.attended_count, listed.contribution_count) == (3, 1, 2)
    assert listed.first_disclosed_on == timezone.localdate() - timedelta(days=30)
    assert listed.disclosure_state == "in_time"


def test_confidential_stakeholders_are_hidden_from_contributors_and_viewers(
    city, activity, decision, secret, green, user_in
):
    participation_add(activity=activity, stakeholder=secret, by=None)
    participation_add(activity=activity, stakeholder=green, by=None)
    response_set(contribution=contribute(activity, stakeholder=secret), decision=decision, by=None,
                 outcome="accepted", explanation="Yes")  # fmt: skip
    contribute(activity, stakeholder=green)
    for role, expected in (("viewer", 1), ("contributor", 1), ("analyst", 2), ("owner", 2)):
        user = user_in(role)
        assert contribution_list(city=city, user=user).count() == expected, role
        detail = activity_detail(city=city, pk=activity.pk, user=user)
        assert detail.participations.count() == expected
        assert (
            len(decision_detail(city=city, pk=decision.pk, user=user).responses.all())
            == expected - 1
        )
    assert contribution_list(city=city).count() == 2  # the system sees everything


def test_contribution_filters(city, activity, decision, green):
    answered = contribute(activity, stakeholder=green, stance="support", topics=["trees"])
    response_set(
        contribution=answered, decision=decision, by=None, outcome="accepted", explanation="Y"
    )
    citizen = contribute(activity, stance="oppose", topics=["cars"])
    assert list(contribution_list(city=city, answered=True)) == [answered]
    assert list(contribution_list(city=city, answered=False)) == [citizen]
    assert list(contribution_list(city=city, from_citizens=True)) == [citizen]
    assert list(contribution_list(city=city, stance="support")) == [answered]
    assert list(contribution_list(city=city, topic=" Cars ")) == [citizen]
    assert list(contribution_list(city=city, stakeholder=green)) == [answered]


def test_contributors_see_only_their_own_stakeholders_grievances(
    city, green, contributor_for, user_in
):
    member = contributor_for(green)
    grievance_lodge(city=city, by=member, subject="Ours", description="D", stakeholder=green)
    grievance_lodge(city=city, by=None, subject="Someone's", description="D")
    assert [g.subject for g in grievance_list(city=city, user=member)] == ["Ours"]
    assert grievance_list(city=city, user=user_in("viewer")).count() == 2


def test_a_stakeholders_engagement_over_time(city, initiative, decision, green):
    first = make_activity(initiative, title="First")
    participation_add(activity=first, stakeholder=green, by=None, status="attended")
    contribution = contribute(
        first, stakeholder=green, submitted_at=timezone.now() + timedelta(days=11)
    )
    response_set(
        contribution=contribution, decision=decision, by=None, outcome="accepted", explanation="Y"
    )
    entries = stakeholder_engagement(stakeholder=green)
    assert [entry.kind for entry in entries] == ["contribution", "participation"]
    assert entries[0].response.outcome == "accepted" and entries[1].participation.took_part


def test_figures_for_an_initiative(city, initiative, decision, green):
    never = StakeholderFactory(city=city, name="Never asked")
    CategorizationFactory(stakeholder=never, initiative=initiative)
    CategorizationFactory(stakeholder=green, initiative=initiative)
    activity = make_activity(initiative)
    participation_add(activity=activity, stakeholder=green, by=None)
    assert list(stakeholders_never_invited(initiative=initiative)) == [never]
    response = response_set(contribution=contribute(activity), decision=decision, by=None,
                            outcome="accepted", explanation="Y")[0]  # fmt: skip
    response_record_communication(response=response, by=None, via="phone")
    contribute(activity)
    grievance_lodge(city=city, by=None, subject="S", description="D", initiative=initiative)
    assert engagement_counts(initiative=initiative) == {
        "activities": 1, "decisions": 1, "open_grievances": 1, "contributions": 2,
        "answered": 1, "told": 1,
    }  # fmt: skip
    assert first_consultation_start(initiative=initiative) == activity.starts_at
    assert last_review_on(initiative=initiative) is None
    review_record(initiative=initiative, by=None, findings="OK")
    assert last_review_on(initiative=initiative) == timezone.localdate()


def test_review_schedules_show_their_last_review(initiative):
    review_schedule_set(initiative=initiative, by=None, cadence_days=30)
    review_record(initiative=initiative, by=None, findings="OK", held_on=date(2024, 5, 1))
    review_record(initiative=initiative, by=None, findings="OK", held_on=date(2024, 9, 1))
    schedule = review_schedule_list().get()
    assert schedule.last_review_on == date(2024, 9, 1) and schedule.review_count == 2


# Public data


PERSONAL = [
    "Rosa Lima",
    "rosa@example.net",
    "Tomás Reyes",
    "Quiet Fund",
    "Marta",
    "marta@example.net",
    "olivia",
]


def _text(value) -> str:
    return json.dumps(
        dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value, default=str
    )


def test_public_data_never_holds_personal_data(
    city, public_city, initiative, decision, secret, user_in
):
    activity = make_activity(initiative, is_public=True)
    disclosure_add(activity=activity, by=None, title="Internal memo", url="https://x.example/m")
    disclosure_add(
        activity=activity,
        by=None,
        title="Public plan",
        url="https://x.example/p",
        audience="public",
    )
    person = stakeholder_create(city=city, name="Tomás Reyes", type=stakeholder_type("urban_planners"),
                                kind="person", by=None)  # fmt: skip
    answers = [
        contribute(activity, text="Citizen text"),
        contribute(activity, stakeholder=person, text="Person text"),
        contribute(activity, stakeholder=secret, text="Secret text"),
    ]
    for n, contribution in enumerate(answers):
        response = response_set(contribution=contribution, decision=decision, by=user_in("analyst"),
                                outcome="accepted", explanation=f"Explained {n}", published=True)[0]  # fmt: skip
        response_record_communication(
            response=response, by=None, via="email", note="Sent to rosa@example.net"
        )
    decision.decision_makers.set([person, secret])
    decision_publish(decision=decision, by=None)
    grievance, _ = grievance_submit(city=city, subject="Noise", description="Loud", name="Marta",
                                    email="marta@example.net", consent=True,
                                    submission_token="grievance-token")  # fmt: skip
    grievance_act(
        grievance=grievance, action="acknowledge", by=user_in("owner"), note="Call Marta back"
    )
    documents = [
        public_activity_list(city=city),
        public_accountability(initiative=initiative),
        public_contribution(code=answers[0].tracking_code),
        public_grievance(code=grievance.tracking_code),
    ]
    text = " ".join(
        _text(document) if not isinstance(document, list) else " ".join(_text(d) for d in document)
        for document in documents
    )
    for personal in PERSONAL:
        assert personal not in text, personal
    assert "Internal memo" not in text and "Public plan" in text
    accountability = public_accountability(initiative=initiative)
    sources = [answer.source for answer in accountability.decisions[0].answers]
    assert sources == [CITIZEN, person.type.name, secret.type.name]
    assert accountability.decisions[0].outcomes["accepted"] == 3


def test_only_published_decisions_and_texts_are_public(public_city, initiative, activity, decision):
    shown = contribute(activity, text="Shown text")
    hidden = contribute(activity, text="Hidden text")
    response_set(
        contribution=shown,
        decision=decision,
        by=None,
        outcome="accepted",
        explanation="A",
        published=True,
    )
    response_set(
        contribution=hidden, decision=decision, by=None, outcome="not_accepted", explanation="B"
    )
    assert public_accountability(initiative=initiative).decisions == []
    decision_publish(decision=decision, by=None)
    public = public_accountability(initiative=initiative).decisions[0]
    assert [answer.text for answer in public.answers] == ["Shown text"]
    assert public.outcomes == {
        "accepted": 1,
        "partly_accepted": 0,
        "not_accepted": 1,
        "out_of_scope": 0,
    }


def test_the_tracking_page_shows_the_answer_once_given(public_city, activity, decision):
    contribution = contribute(activity)
    assert not public_contribution(code=contribution.tracking_code).answered
    response = response_set(contribution=contribution, decision=decision, by=None,
                            outcome="partly_accepted", explanation="Half.")[0]  # fmt: skip
    status = public_contribution(code=contribution.tracking_code)
    assert status.answered and status.outcome == "partly_accepted" and status.explanation == "Half."
    assert status.decision_text is None and status.told_on is None
    decision_publish(decision=decision, by=None)
    response_record_communication(response=response, by=None, via="post")
    status = public_contribution(code=contribution.tracking_code)
    assert status.decision_text == decision.text and status.told_on == timezone.localdate()


def test_public_pages_exist_only_for_cities_that_show_them(city, initiative):
    from django.http import Http404

    with pytest.raises(Http404):
        public_city("lumen")
    make_activity(initiative, is_public=True)
    archived = InitiativeFactory(city=city, name="Old")
    make_activity(archived, is_public=True, title="Old session")
    initiative_archive(initiative=archived, by=None)
    engagement_settings_update(city=city, by=None, public_page=True)
    assert public_city("lumen") == city
    assert [a.title for a in public_activity_list(city=city)] == ["River banks consultation"]
    assert list(public_initiatives(city=city)) == [initiative]


def test_the_grievance_tracking_page(public_city):
    grievance, _ = grievance_submit(city=public_city, subject="Noise", description="Loud",
                                    submission_token="grievance-token")  # fmt: skip
    status = public_grievance(code=grievance.tracking_code)
    assert (status.status, status.outcome, status.can_appeal, status.overdue) == (
        "received",
        None,
        False,
        False,
    )
    grievance_act(grievance=grievance, action="acknowledge", by=None)
    grievance_act(grievance=grievance, action="reject", by=None, note="Works are allowed at night.")
    status = public_grievance(code=grievance.tracking_code)
    assert status.outcome == "Works are allowed at night." and status.can_appeal
    assert [step.status for step in status.steps] == ["received", "acknowledged", "rejected"]


def test_the_activity_to_submit_to_comes_with_what_a_submission_reads(public_city, activity):
    loaded = public_activity_to_submit(city_slug=public_city.slug, pk=activity.pk)
    with CaptureQueriesContext(connection) as queries:
        seen = (
            loaded.pk, loaded.city_id, loaded.initiative_id, loaded.title, loaded.status,
            loaded.is_public, loaded.city.name, loaded.city.slug,
            loaded.city.engagement_settings.public_page, loaded.initiative.archived_at,
        )  # fmt: skip
    assert not queries.captured_queries
    assert seen == (
        activity.pk, public_city.pk, activity.initiative_id, activity.title, activity.status,
        True, public_city.name, public_city.slug, True, None,
    )  # fmt: skip
    # Other fields load on use, as with only(); the instances are bound to the database.
    assert loaded.kind == activity.kind
    assert loaded._state.db == "default" and not loaded._state.adding


@pytest.mark.parametrize(
    "change", ["other city", "not public", "page off", "initiative archived", "no activity"]
)
def test_an_activity_not_open_to_the_public_cannot_be_submitted_to(public_city, activity, change):
    slug, pk = public_city.slug, activity.pk
    if change == "other city":
        slug = "elsewhere"
    elif change == "not public":
        Activity.objects.filter(pk=pk).update(is_public=False)
    elif change == "page off":
        engagement_settings_update(city=public_city, by=None, public_page=False)
    elif change == "initiative archived":
        initiative_archive(initiative=activity.initiative, by=None)
    else:
        pk += 1000
    with pytest.raises(Activity.DoesNotExist):
        public_activity_to_submit(city_slug=slug, pk=pk)
