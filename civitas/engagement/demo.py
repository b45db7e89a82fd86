"""Engagement records for the demo city Aurelia, built through the services.

The mobility initiative gets the full chain: a grievance mechanism set up before the
first consultation, a workshop and a public hearing (one with information shared in
time, one late), an open public survey and a planned information session, contributions
with stances and topics, a published decision answering the hearing's contributions
(some participants already told, some waiting for the e-mail), grievances in every state
including one overdue, and a review that is due. The water initiative has a bilateral
meeting whose contributions are not answered yet.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from civitas.cities.models import City, Initiative
from civitas.engagement.models import Activity, Contribution
from civitas.engagement.services import (
    activity_close,
    activity_create,
    activity_open,
    contribution_create,
    decision_create,
    decision_publish,
    disclosure_add,
    engagement_settings_update,
    grievance_act,
    grievance_lodge,
    participation_add,
    response_record_communication,
    response_set,
    review_record,
    review_schedule_set,
)
from civitas.stakeholders.models import Stakeholder

MOBILITY = "Smart mobility and public transport"
WATER = "Smart water network"


@dataclass
class EngagementDemo:
    """What `build_engagement_demo` added."""

    activities: int = 0
    contributions: int = 0
    decisions: int = 0
    grievances: int = 0


def _at(days: int, hour: int = 18) -> datetime:
    """Return a time `days` from today (negative: in the past), at the given hour."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _on(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def build_engagement_demo(city: City) -> EngagementDemo:
    """Add activities, contributions, a decision, grievances and reviews to the demo city."""
    result = EngagementDemo()
    initiatives = {i.name: i for i in Initiative.objects.filter(city=city)}
    people = {s.name: s for s in Stakeholder.objects.filter(city=city)}
    mobility, water = initiatives[MOBILITY], initiatives[WATER]

    def stakeholder(name: str) -> Stakeholder:
        return next(s for key, s in people.items() if key.startswith(name))

    engagement_settings_update(
        city=city,
        by=None,
        disclosure_lead_days=7,
        public_page=True,
        grievance_established_on=_on(-400),
        grievance_channels=["in_person", "online", "phone", "post"],
        grievance_response_days=21,
        grievance_handler="Citizen Services Office, grievance desk",
        grievance_description="Grievances are logged by the Citizen Services Office and "
        "investigated by staff outside the team running the initiative.",
    )

    def activity(
        initiative: Initiative, days: int, hours: int, *, last_day: int | None = None, **values: Any
    ) -> Activity:
        result.activities += 1
        ends_at = _at(last_day, 20) if last_day is not None else _at(days, 18 + hours)
        return activity_create(
            initiative=initiative, by=None, starts_at=_at(days), ends_at=ends_at, **values
        )

    def contribute(target: Activity, days: int, **values: Any) -> Contribution:
        result.contributions += 1
        contribution, _ = contribution_create(
            activity=target, by=None, submitted_at=_at(days, 19), **values
        )
        return contribution

    # A workshop with the stakeholders most concerned, information shared in time.
    workshop = activity(
        mobility, -120, 3, kind="workshop", title="Bus corridors: route options workshop",
        channels=["in_person"], levels=["local", "sub_national"], place="City Hall, room 2",
        question="Which of the three corridor options serves the city best?",
    )  # fmt: skip
    disclosure_add(
        activity=workshop, by=None, title="Corridor options study (summary)",
        url="https://aurelia.example.org/mobility/corridor-options.pdf", shared_on=_on(-134),
    )  # fmt: skip
    for name, status, represented_by in [
        ("Aurelia Metro", "attended", "Head of operations"),
        ("Mobility and Transport", "attended", "Project manager"),
        ("Aurelia Taxi", "declined", ""),
        ("Central Market Street Vendors", "attended", "Two stallholders"),
        ("Old Harbour Residents", "attended", "The association's secretary"),
        ("Southern Districts Commuters", "attended", "Group coordinator"),
        ("Open Streets", "attended", "Spokesperson"),
        ("Aurelia Disability Rights", "absent", ""),
        ("Coastal Region Authority", "attended", "Regional transport officer"),
        ("Aurelia Chamber of Commerce", "invited", ""),
    ]:
        participation_add(
            activity=workshop, stakeholder=stakeholder(name), by=None, status=status,
            invited_on=_on(-140), represented_by=represented_by,
        )  # fmt: skip
    activity_open(activity=workshop, by=None)
    contribute(workshop, -120, stakeholder=stakeholder("Southern Districts Commuters"),
               stance="support", topics=["bus-lanes", "night-service"], channel="in_person",
               text="Option B reaches the southern districts; please add night buses.")  # fmt: skip
    contribute(workshop, -120, stakeholder=stakeholder("Open Streets"), stance="proposal",
               topics=["cycling", "bus-lanes"], channel="in_person",
               text="Build the protected bike lane in the same works as the bus lane.")  # fmt: skip
    activity_close(activity=workshop, by=None,
                   outcome="Option B preferred by most participants, with a bike lane.")  # fmt: skip

    # A public hearing where the information came too late.
    hearing = activity(
        mobility, -60, 2, kind="public_hearing", title="Harbour Avenue bus lane hearing",
        channels=["in_person", "online", "phone"], levels=["local"], is_public=True,
        place="Old Harbour community hall",
        question="How should the bus lane on Harbour Avenue be laid out?",
    )  # fmt: skip
    disclosure_add(
        activity=hearing, by=None, title="Harbour Avenue lane drawings", audience="public",
        url="https://aurelia.example.org/mobility/harbour-avenue.pdf", shared_on=_on(-63),
    )  # fmt: skip
    for name in ("Old Harbour Residents", "Central Market Street Vendors", "Aurelia Taxi"):
        participation_add(activity=hearing, stakeholder=stakeholder(name), by=None,
                          status="attended", invited_on=_on(-70))  # fmt: skip
    activity_open(activity=hearing, by=None)
    hearing_contributions = [
        contribute(hearing, -60, stakeholder=stakeholder("Old Harbour Residents"),
                   stance="oppose", topics=["bus-lanes", "heritage", "parking"],
                   channel="in_person", author_name="Elena Rossi",
                   author_email="elena.rossi@example.org",
                   text="A bus lane would take every parking space on a heritage street."),
        contribute(hearing, -60, stakeholder=stakeholder("Central Market Street Vendors"),
                   stance="concern", topics=["bus-lanes", "market"], channel="in_person",
                   text="Where do the stalls go while the works last?"),
        contribute(hearing, -60, stakeholder=stakeholder("Aurelia Taxi"), stance="oppose",
                   topics=["bus-lanes", "taxis"], channel="in_person",
                   author_name="Duarte Pinto", author_email="duarte.pinto@example.org",
                   text="Taxis must be allowed in the bus lane."),
        contribute(hearing, -59, stance="support", topics=["bus-lanes", "accessibility"],
                   channel="online", author_name="Inês Carvalho",
                   author_email="ines.carvalho@example.net",
                   text="I wait 25 minutes for the bus every morning; the lane is overdue."),
        contribute(hearing, -59, stance="question", topics=["bus-lanes", "deliveries"],
                   channel="phone", text="How will shops get their deliveries?"),
    ]  # fmt: skip
    activity_close(activity=hearing, by=None,
                   outcome="Residents and vendors asked for loading bays and a phased "
                   "works plan; commuters strongly in favour.")  # fmt: skip

    # An open public survey and a planned information session.
    survey = activity(
        mobility, -5, 2, last_day=25, kind="survey", title="One ticket for buses, tram and regional lines",
        channels=["online", "post"], levels=["local", "sub_national"], is_public=True,
        question="What should a single ticket cost, and where should you be able to buy it?",
    )  # fmt: skip
    disclosure_add(
        activity=survey, by=None, title="Fare options explained", audience="public",
        url="https://aurelia.example.org/mobility/fares.pdf", shared_on=_on(-14),
    )  # fmt: skip
    activity_open(activity=survey, by=None)
    contribute(survey, -3, stance="proposal", topics=["fares", "students"],
               author_name="Tomás Silva", author_email="tomas.silva@example.net",
               text="Half price for students and pensioners.")  # fmt: skip
    contribute(survey, -2, stance="concern", topics=["fares", "cash"], channel="post",
               text="Keep paying in cash on the bus: not everyone has a card.")  # fmt: skip
    activity(
        mobility, 30, 2, kind="information_session", title="Night buses: information session",
        channels=["in_person", "online"], levels=["local"], is_public=True,
        place="Southern districts library",
    )  # fmt: skip

    # The decision answering the hearing.
    decision = decision_create(
        initiative=mobility, by=None, decided_on=_on(-30), decided_by="Aurelia City Council",
        title="Harbour Avenue: shared bus lane with loading bays",
        text="The bus lane runs on Harbour Avenue from 7:00 to 20:00; outside these hours "
        "it serves as parking and loading bays. Works are phased street by street, with "
        "the market stalls moved to Market Square meanwhile.",
        decision_makers=[stakeholder("Aurelia City Council"),
                         stakeholder("Mobility and Transport")],
    )  # fmt: skip
    result.decisions += 1
    answers = [
        ("partly_accepted", "The lane is shared with parking in the evening and at night.",
         True),
        ("accepted", "The stalls move to Market Square during the works, at no cost.", True),
        ("not_accepted", "Taxis stay out of the lane: buses would lose the time they gain.",
         True),
        ("accepted", "The lane opens next spring.", True),
        ("accepted", "Loading bays serve the shops before 7:00 and after 20:00.", False),
    ]  # fmt: skip
    responses = [
        response_set(contribution=contribution, decision=decision, by=None, outcome=outcome,
                     explanation=explanation, published=published)[0]
        for contribution, (outcome, explanation, published) in zip(
            hearing_contributions, answers, strict=True)
    ]  # fmt: skip
    decision_publish(decision=decision, by=None)
    response_record_communication(response=responses[1], by=None, via="meeting",
                                  at=_at(-25), note="Told at the vendors' monthly meeting.")  # fmt: skip
    response_record_communication(response=responses[4], by=None, via="phone", at=_at(-24))

    # Grievances: resolved and closed, rejected, overdue, just received.
    def lodge(days: int, subject: str, description: str, **values: Any) -> Any:
        result.grievances += 1
        return grievance_lodge(
            city=city, by=None, subject=subject, description=description,
            received_at=_at(days, 10), initiative=mobility, **values,
        )[0]  # fmt: skip

    closed = lodge(-50, "Stalls moved without notice",
                   "We learned from a poster that our stalls must move next month.",
                   stakeholder=stakeholder("Central Market Street Vendors"), channel="in_person")  # fmt: skip
    for action, note in [
        ("acknowledge", ""),
        ("investigate", ""),
        ("resolve", "Works postponed by a month; the vendors chose the new place themselves."),
        ("close", ""),
    ]:
        grievance_act(grievance=closed, action=action, by=None, note=note)
    rejected = lodge(-45, "Taxis excluded from the hearing",
                     "The taxi association was given two minutes to speak.",
                     stakeholder=stakeholder("Aurelia Taxi"), channel="post")  # fmt: skip
    grievance_act(grievance=rejected, action="acknowledge", by=None)
    grievance_act(grievance=rejected, action="reject", by=None,
                  note="Every speaker had the same time; the association also sent a written "
                  "contribution, which was answered.")  # fmt: skip
    overdue = lodge(-40, "Hearing held during working hours",
                    "Many commuters could not attend a hearing at 18:00 on a weekday.",
                    channel="online")  # fmt: skip
    grievance_act(grievance=overdue, action="acknowledge", by=None)
    grievance_act(grievance=overdue, action="investigate", by=None)
    lodge(-2, "Noise from night works",
          "Drilling on Harbour Avenue after midnight three nights in a row.",
          channel="phone", complainant_name="Marta Gomes")  # fmt: skip

    # Reviews: one held, the next one overdue.
    review_schedule_set(initiative=mobility, by=None, cadence_days=90, next_due_on=_on(-100))
    review_record(
        initiative=mobility, by=None, held_on=_on(-100),
        findings="Taxi drivers and street vendors were heard late; hearings were held only "
        "in the evening.",
        changes_made="Vendors invited to the workshop; phone lines opened for hearings.",
    )  # fmt: skip
    review_schedule_set(initiative=water, by=None, cadence_days=180, next_due_on=_on(60))

    # The water initiative: a bilateral meeting, contributions not yet answered.
    meeting = activity(
        water, -20, 2, kind="bilateral_meeting", title="Smart meters with the Hillside committee",
        channels=["in_person"], levels=["local"], place="Hillside community centre",
        question="How can smart meters work for households without piped water?",
    )  # fmt: skip
    participation_add(activity=meeting, stakeholder=stakeholder("Hillside Settlement"),
                      by=None, status="attended", invited_on=_on(-30),
                      represented_by="Committee chair")  # fmt: skip
    activity_open(activity=meeting, by=None)
    contribute(meeting, -20, stakeholder=stakeholder("Hillside Settlement"), stance="concern",
               topics=["meters", "disconnections"], channel="in_person",
               text="Meters must never be used to cut off water to households.")  # fmt: skip
    contribute(meeting, -20, stakeholder=stakeholder("Hillside Settlement"), stance="proposal",
               topics=["meters", "standpipes"], channel="in_person",
               text="Put metered standpipes in the streets without piped water first.")  # fmt: skip
    activity_close(activity=meeting, by=None)
    return result
