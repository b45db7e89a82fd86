"""What anyone may read without signing in: never a name, e-mail address or internal note.

Everything here returns plain data classes built field by field, so that nothing
personal can slip out through a model instance: citizens' and complainants' names and
addresses, who entered or answered what, consent dates, registrations, and the names of
stakeholders that are people or confidential.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from civitas.cities.models import City, Initiative
from civitas.engagement.models import (
    Activity,
    ActivityStatus,
    Audience,
    Contribution,
    Decision,
    Disclosure,
    EngagementSettings,
    Grievance,
    GrievanceStatus,
    Outcome,
    Response,
)
from civitas.engagement.services.grievances import MAX_APPEALS
from civitas.stakeholders.models import Stakeholder, StakeholderKind

CITIZEN = "A citizen"
M = TypeVar("M", bound=Model)


def public_source(stakeholder: Stakeholder | None) -> str:
    """Return who a contribution came from, as the public may see it."""
    if stakeholder is None:
        return CITIZEN
    if stakeholder.kind == StakeholderKind.PERSON or stakeholder.confidential:
        return stakeholder.type.name
    return stakeholder.name


def public_city(slug: str) -> City:
    """Return a city that shows a public engagement page, or raise Http404."""
    city = (
        City.objects.filter(slug=slug, engagement_settings__public_page=True)
        .select_related("engagement_settings")
        .first()
    )
    if city is None:
        raise Http404("No such public page.")
    return city


def _public_activity_rows(city: City) -> QuerySet[Activity]:
    return Activity.objects.filter(
        city=city, is_public=True, initiative__archived_at__isnull=True
    ).select_related("initiative", "city__engagement_settings")


def public_activities(*, city: City) -> QuerySet[Activity]:
    """Return a city's public activities of initiatives that are not archived, soonest first."""
    return (
        _public_activity_rows(city)
        .prefetch_related(
            Prefetch(
                "disclosures",
                queryset=Disclosure.objects.filter(audience=Audience.PUBLIC).order_by(
                    "shared_on", "id"
                ),
                to_attr="public_disclosures",
            )
        )
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class PublicDocument:
    title: str
    description: str
    url: str
    shared_on: date


@dataclass(frozen=True)
class PublicActivity:
    id: int
    initiative: str
    kind: str
    title: str
    description: str
    question: str
    channels: list[str]
    place: str
    starts_at: datetime
    ends_at: datetime
    status: str
    outcome: str
    takes_contributions: bool
    takes_registrations: bool
    documents: list[PublicDocument]


def _public_activity(activity: Activity) -> PublicActivity:
    documents = getattr(activity, "public_disclosures", None)
    if documents is None:
        documents = list(activity.disclosures.filter(audience=Audience.PUBLIC))
    return PublicActivity(
        id=activity.pk,
        initiative=activity.initiative.name,
        kind=activity.kind,
        title=activity.title,
        description=activity.description,
        question=activity.question,
        channels=list(activity.channels),
        place=activity.place,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        status=activity.status,
        outcome=activity.outcome if activity.status == ActivityStatus.CLOSED else "",
        takes_contributions=activity.status == ActivityStatus.OPEN,
        takes_registrations=activity.status in (ActivityStatus.PLANNED, ActivityStatus.OPEN),
        documents=[
            PublicDocument(
                title=document.title,
                description=document.description,
                url=document.url or (document.document.url if document.document else ""),
                shared_on=document.shared_on,
            )
            for document in documents
        ],
    )


def public_activity_list(*, city: City) -> list[PublicActivity]:
    """Return the public data of a city's public activities."""
    return [_public_activity(activity) for activity in public_activities(city=city)]


def public_activity(*, city: City, pk: int) -> Activity:
    """Return one public activity of a city (to submit to), or raise Activity.DoesNotExist."""
    return _public_activity_rows(city).get(pk=pk)


# A submission is the busiest public request: composing its query with the ORM took longer
# than the database took to answer it, so the query is written out once, here. The checks
# are in its WHERE clause; it reads only the columns a submission and its receipt need.
# Table names come from the models; every value is a parameter.
SUBMISSION_SQL = f"""
    SELECT a.city_id, a.initiative_id, a.title, a.status, c.name, s.id
      FROM {Activity._meta.db_table} a
      JOIN {City._meta.db_table} c ON c.id = a.city_id
      JOIN {Initiative._meta.db_table} i ON i.id = a.initiative_id
      JOIN {EngagementSettings._meta.db_table} s ON s.city_id = a.city_id
     WHERE a.id = %s AND c.slug = %s AND a.is_public = %s AND s.public_page = %s
       AND i.archived_at IS NULL
"""  # noqa: S608


def _loaded(model: type[M], alias: str, values: dict[str, Any]) -> M:
    """Return an instance as the ORM loads one with only(): other fields load when used."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(alias, names, [values[name] for name in names])


def public_activity_to_submit(*, city_slug: str, pk: int) -> Activity:
    """Return a public activity to submit to, with its city, settings and initiative.

    One query by primary key: the city must show a public page and the activity be public
    and of an initiative that is not archived, else Activity.DoesNotExist. The instances
    are those select_related() and only() would give: other fields load when used.
    """
    alias = router.db_for_read(Activity)
    with connections[alias].cursor() as cursor:
        cursor.execute(SUBMISSION_SQL, [pk, city_slug, True, True])
        row = cursor.fetchone()
    if row is None:
        raise Activity.DoesNotExist("No such public activity.")
    city_id, initiative_id, title, status, city_name, settings_id = row
    activity = _loaded(Activity, alias, {
        "id": pk, "city_id": city_id, "initiative_id": initiative_id,
        "title": title, "status": status, "is_public": True,
    })  # fmt: skip
    city = _loaded(City, alias, {"id": city_id, "name": city_name, "slug": city_slug})
    city.engagement_settings = _loaded(
        EngagementSettings, alias, {"id": settings_id, "city_id": city_id, "public_page": True}
    )
    activity.city = city
    activity.initiative = _loaded(Initiative, alias, {"id": initiative_id, "archived_at": None})
    return activity


def public_activity_data(*, city: City, pk: int) -> PublicActivity:
    """Return the public data of one public activity."""
    return _public_activity(public_activities(city=city).get(pk=pk))


@dataclass(frozen=True)
class PublicAnswer:
    activity: str
    source: str
    stance: str
    topics: list[str]
    text: str | None  # only when the city chose to publish it
    outcome: str
    explanation: str


@dataclass(frozen=True)
class PublicDecision:
    id: int
    title: str
    text: str
    decided_on: date
    decided_by: str
    decision_makers: list[str]
    published_at: datetime
    outcomes: dict[str, int]
    answers: list[PublicAnswer] = field(default_factory=list)


@dataclass(frozen=True)
class PublicAccountability:
    initiative_id: int
    initiative: str
    description: str
    decisions: list[PublicDecision]


def public_initiatives(*, city: City) -> QuerySet[Initiative]:
    """Return the initiatives with a public activity or a published decision."""
    published = Decision.objects.filter(initiative=OuterRef("pk"), published_at__isnull=False)
    public = Activity.objects.filter(initiative=OuterRef("pk"), is_public=True)
    return (
        Initiative.objects.filter(city=city, archived_at__isnull=True)
        .filter(Q(Exists(published)) | Q(Exists(public)))
        .order_by("name")
    )


def public_accountability(*, initiative: Initiative) -> PublicAccountability:
    """Return an initiative's published decisions and how the contributions affected each."""
    responses = Response.objects.select_related(
        "contribution__activity", "contribution__stakeholder__type"
    ).order_by("contribution__submitted_at", "pk")
    decisions = (
        Decision.objects.filter(initiative=initiative, published_at__isnull=False)
        .prefetch_related(
            Prefetch("responses", queryset=responses),
            Prefetch(
                "decision_makers",
                queryset=Stakeholder.objects.select_related("type").order_by("name"),
            ),
        )
        .order_by("-decided_on", "-id")
    )
    result = []
    for decision in decisions:
        all_responses = list(decision.responses.all())
        outcomes = Counter(response.outcome for response in all_responses)
        result.append(
            PublicDecision(
                id=decision.pk,
                title=decision.title,
                text=decision.text,
                decided_on=decision.decided_on,
                decided_by=decision.decided_by,
                decision_makers=[public_source(maker) for maker in decision.decision_makers.all()],
                published_at=decision.published_at,  # type: ignore[arg-type]
                outcomes={outcome: outcomes.get(outcome, 0) for outcome in Outcome.values},
                answers=[
                    PublicAnswer(
                        activity=response.contribution.activity.title,
                        source=public_source(response.contribution.stakeholder),
                        stance=response.contribution.stance,
                        topics=list(response.contribution.topics),
                        text=response.contribution.text if response.published else None,
                        outcome=response.outcome,
                        explanation=response.explanation,
                    )
                    for response in all_responses
                    if response.published
                ],
            )
        )
    return PublicAccountability(
        initiative_id=initiative.pk,
        initiative=initiative.name,
        description=initiative.description,
        decisions=result,
    )


@dataclass(frozen=True)
class PublicContributionStatus:
    """What a participant following their tracking link sees."""

    city: str
    initiative: str
    activity: str
    submitted_on: date
    stance: str
    topics: list[str]
    text: str
    answered: bool
    outcome: str | None = None
    explanation: str | None = None
    decision: str | None = None
    decided_on: date | None = None
    decision_text: str | None = None
    told_on: date | None = None


def public_contribution(*, code: str) -> PublicContributionStatus:
    """Return a contribution and its answer by tracking code, or raise Contribution.DoesNotExist."""
    contribution = Contribution.objects.select_related(
        "city", "initiative", "activity", "response__decision"
    ).get(tracking_code=code)
    status = PublicContributionStatus(
        city=contribution.city.name,
        initiative=contribution.initiative.name,
        activity=contribution.activity.title,
        submitted_on=timezone.localtime(contribution.submitted_at).date(),
        stance=contribution.stance,
        topics=list(contribution.topics),
        text=contribution.text,
        answered=False,
    )
    response = getattr(contribution, "response", None)
    if response is None:
        return status
    decision = response.decision
    told = response.communicated_at
    return replace(
        status,
        answered=True,
        outcome=response.outcome,
        explanation=response.explanation,
        decision=decision.title,
        decided_on=decision.decided_on,
        decision_text=decision.text if decision.is_published else None,
        told_on=timezone.localtime(told).date() if told else None,
    )


@dataclass(frozen=True)
class PublicStep:
    status: str
    on: date


@dataclass(frozen=True)
class PublicGrievanceStatus:
    """What a complainant following their tracking code sees."""

    city: str
    subject: str
    status: str
    received_on: date
    due_on: date
    overdue: bool
    outcome: str | None
    can_appeal: bool
    steps: list[PublicStep]


def public_grievance_record(*, code: str) -> Grievance:
    """Return a grievance by tracking code (to appeal), or raise Grievance.DoesNotExist."""
    return Grievance.objects.select_related("city").get(tracking_code=code)


def public_grievance(*, code: str) -> PublicGrievanceStatus:
    """Return where a grievance stands by tracking code, or raise Grievance.DoesNotExist."""
    grievance = (
        Grievance.objects.select_related("city").prefetch_related("events").get(tracking_code=code)
    )
    decided = grievance.status in (GrievanceStatus.RESOLVED, GrievanceStatus.REJECTED) or (
        grievance.status == GrievanceStatus.CLOSED and grievance.decided_at is not None
    )
    return PublicGrievanceStatus(
        city=grievance.city.name,
        subject=grievance.subject,
        status=grievance.status,
        received_on=timezone.localtime(grievance.received_at).date(),
        due_on=grievance.due_on,
        overdue=grievance.is_overdue(),
        outcome=grievance.resolution if decided else None,
        can_appeal=grievance.status
        in (GrievanceStatus.RESOLVED, GrievanceStatus.REJECTED, GrievanceStatus.CLOSED)
        and grievance.appeal_count < MAX_APPEALS,
        steps=[
            PublicStep(status=event.to_status, on=timezone.localtime(event.at).date())
            for event in grievance.events.all()
        ],
    )
