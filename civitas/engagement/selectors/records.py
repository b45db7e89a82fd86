"""Reads of engagement records for the city's members, shaped so that lists stay flat."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.engagement.models import (
    OPEN_GRIEVANCE_STATUSES,
    Activity,
    Contribution,
    Decision,
    Disclosure,
    Grievance,
    GrievanceEvent,
    Participation,
    ParticipationStatus,
    Registration,
    Response,
    Review,
    ReviewSchedule,
)
from civitas.stakeholders.models import Stakeholder


def count_of(model: type[Model], link: str, outer: str = "pk", **filters: Any) -> Coalesce:
    """Return a subquery counting `model` rows whose `link` is the outer row's `outer` (0: none).

    Subqueries keep several counts on one list from multiplying each other's rows.
    """
    rows = (
        model._default_manager.filter(**{link: OuterRef(outer)}, **filters)
        .order_by()
        .values(link)
        .annotate(number=Count("pk"))
        .values("number")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def sees_confidential(user: User | None, city: City) -> bool:
    """Tell whether the user sees confidential stakeholders (None: the system does)."""
    if user is None:
        return True
    return user.has_perm("stakeholders.view_confidential", city)


def _hide_confidential(
    rows: QuerySet[Any], user: User | None, city: City, path: str = "stakeholder"
) -> QuerySet[Any]:
    if sees_confidential(user, city):
        return rows
    return rows.exclude(**{f"{path}__confidential": True})


# Activities


def activity_list(
    *,
    city: City,
    user: User | None = None,
    initiative: Initiative | None = None,
    status: str = "",
    kind: str = "",
) -> QuerySet[Activity]:
    """Return a city's activities, newest first, with their counts and first disclosure."""
    activities = Activity.objects.filter(city=city).select_related(
        "initiative", "city__engagement_settings"
    )
    if initiative is not None:
        activities = activities.filter(initiative=initiative)
    if status:
        activities = activities.filter(status=status)
    if kind:
        activities = activities.filter(kind=kind)
    return activities.annotate(
        invited_count=count_of(Participation, "activity", invited_on__isnull=False),
        attended_count=count_of(Participation, "activity", status=ParticipationStatus.ATTENDED),
        contribution_count=count_of(Contribution, "activity"),
        registration_count=count_of(Registration, "activity"),
        first_disclosed_on=Subquery(
            Disclosure.objects.filter(activity=OuterRef("pk"))
            .order_by("shared_on")
            .values("shared_on")[:1]
        ),
    ).order_by("-starts_at", "-id")


def activity_detail(*, city: City, pk: int, user: User | None = None) -> Activity:
    """Return one activity with its disclosures and the participations the user may see."""
    participations = _hide_confidential(
        Participation.objects.select_related("stakeholder__type"), user, city
    ).order_by("stakeholder__name")
    return (
        activity_list(city=city, user=user)
        .prefetch_related(
            Prefetch("participations", queryset=participations),
            Prefetch("disclosures", queryset=Disclosure.objects.order_by("shared_on", "id")),
        )
        .get(pk=pk)
    )


def participation_list(*, activity: Activity, user: User | None = None) -> QuerySet[Participation]:
    """Return who was invited to an activity and whether they came."""
    rows = Participation.objects.filter(activity=activity).select_related(
        "stakeholder__type", "activity"
    )
    return _hide_confidential(rows, user, activity.city).order_by("stakeholder__name")


def disclosure_list(*, activity: Activity) -> QuerySet[Disclosure]:
    """Return what was shared before an activity, oldest first."""
    return Disclosure.objects.filter(activity=activity).order_by("shared_on", "id")


def registration_list(*, activity: Activity) -> QuerySet[Registration]:
    """Return the citizens registered for a public activity (personal data: check first)."""
    return Registration.objects.filter(activity=activity).order_by("created_at", "id")


# Contributions, decisions and answers


def contribution_list(
    *,
    city: City,
    user: User | None = None,
    initiative: Initiative | None = None,
    activity: Activity | None = None,
    stakeholder: Stakeholder | None = None,
    stance: str = "",
    topic: str = "",
    answered: bool | None = None,
    from_citizens: bool | None = None,
) -> QuerySet[Contribution]:
    """Return contributions with their activity, stakeholder and answer, newest first."""
    contributions = Contribution.objects.filter(city=city).select_related(
        "initiative",
        "activity",
        "stakeholder__type",
        "response__decision",
    )
    contributions = _hide_confidential(contributions, user, city)
    if initiative is not None:
        contributions = contributions.filter(initiative=initiative)
    if activity is not None:
        contributions = contributions.filter(activity=activity)
    if stakeholder is not None:
        contributions = contributions.filter(stakeholder=stakeholder)
    if stance:
        contributions = contributions.filter(stance=stance)
    if topic:
        contributions = contributions.filter(topics__has=topic.strip().lower())
    if answered is not None:
        contributions = contributions.filter(response__isnull=not answered)
    if from_citizens is not None:
        contributions = contributions.filter(stakeholder__isnull=from_citizens)
    return contributions.order_by("-submitted_at", "-id")


def contribution_detail(*, city: City, pk: int, user: User | None = None) -> Contribution:
    """Return one contribution the user may see, with its answer."""
    return contribution_list(city=city, user=user).get(pk=pk)


def decision_list(
    *, city: City, initiative: Initiative | None = None, published: bool | None = None
) -> QuerySet[Decision]:
    """Return decisions, newest first, with how many answers they gave and have told."""
    decisions = Decision.objects.filter(city=city).select_related("initiative")
    if initiative is not None:
        decisions = decisions.filter(initiative=initiative)
    if published is not None:
        decisions = decisions.filter(published_at__isnull=not published)
    return (
        decisions.annotate(
            response_count=count_of(Response, "decision"),
            communicated_count=count_of(Response, "decision", communicated_at__isnull=False),
        )
        .prefetch_related(
            Prefetch("decision_makers", queryset=Stakeholder.objects.order_by("name"))
        )
        .order_by("-decided_on", "-id")
    )


def decision_detail(*, city: City, pk: int, user: User | None = None) -> Decision:
    """Return one decision with its decision-makers and the answers the user may see."""
    responses = _hide_confidential(
        Response.objects.select_related(
            "contribution__activity", "contribution__stakeholder__type", "contribution__initiative"
        ),
        user,
        city,
        "contribution__stakeholder",
    ).order_by("contribution__submitted_at", "pk")
    return (
        decision_list(city=city)
        .prefetch_related(Prefetch("responses", queryset=responses))
        .get(pk=pk)
    )


def answers_to_tell(*, decision: Decision) -> QuerySet[Response]:
    """Return a decision's answers whose participants have not been told yet."""
    return (
        Response.objects.filter(decision=decision, communicated_at__isnull=True)
        .select_related("contribution")
        .order_by("pk")
    )


# Grievances


def grievance_list(
    *,
    city: City,
    user: User | None = None,
    status: str = "",
    overdue: bool = False,
    initiative: Initiative | None = None,
    today: date | None = None,
) -> QuerySet[Grievance]:
    """Return grievances the user may see, newest first; `overdue` lists those past due.

    Contributors see only the grievances of the stakeholder they act for.
    """
    grievances = Grievance.objects.filter(city=city).select_related(
        "initiative", "activity", "stakeholder", "handler"
    )
    if user is not None and not user.has_perm("engagement.view_grievances", city):
        own = user.memberships.filter(city=city).values("stakeholder_id")
        grievances = grievances.filter(stakeholder__isnull=False, stakeholder_id__in=own)
    if status:
        grievances = grievances.filter(status=status)
    if initiative is not None:
        grievances = grievances.filter(initiative=initiative)
    if overdue:
        grievances = grievances.filter(
            status__in=OPEN_GRIEVANCE_STATUSES, due_on__lt=today or timezone.localdate()
        ).order_by("due_on", "id")
        return grievances
    return grievances.order_by("-received_at", "-id")


def grievance_detail(*, city: City, pk: int, user: User | None = None) -> Grievance:
    """Return one grievance with each step of its handling."""
    return (
        grievance_list(city=city, user=user)
        .prefetch_related(
            Prefetch(
                "events", queryset=GrievanceEvent.objects.select_related("by").order_by("at", "id")
            )
        )
        .get(pk=pk)
    )


# Reviews


def review_schedule_list(
    *, city: City | None = None, overdue: bool = False, today: date | None = None
) -> QuerySet[ReviewSchedule]:
    """Return review schedules (of one city, or all), soonest due first, with the last review.

    `overdue` keeps those past their due date, for initiatives that are not archived.
    """
    schedules = ReviewSchedule.objects.select_related("initiative", "city").annotate(
        last_review_on=Subquery(
            Review.objects.filter(initiative=OuterRef("initiative"))
            .order_by("-held_on")
            .values("held_on")[:1]
        ),
        review_count=count_of(Review, "initiative", "initiative"),
    )
    if city is not None:
        schedules = schedules.filter(city=city)
    if overdue:
        schedules = schedules.filter(
            next_due_on__lt=today or timezone.localdate(), initiative__archived_at__isnull=True
        )
    return schedules.order_by("next_due_on", "id")


def review_list(*, initiative: Initiative) -> QuerySet[Review]:
    """Return the reviews of an initiative, newest first."""
    return Review.objects.filter(initiative=initiative).select_related("reviewed_by")


# The stakeholder page


@dataclass(frozen=True)
class EngagementEntry:
    """One line of a stakeholder's engagement over time: an invitation or a contribution."""

    at: datetime
    kind: str  # "participation" | "contribution"
    activity: Activity
    participation: Participation | None = None
    contribution: Contribution | None = None

    @property
    def response(self) -> Response | None:
        return getattr(self.contribution, "response", None) if self.contribution else None


def stakeholder_engagement(*, stakeholder: Stakeholder) -> list[EngagementEntry]:
    """Return a stakeholder's invitations, attendance, contributions and answers, newest first."""
    entries = [
        EngagementEntry(
            at=participation.activity.starts_at,
            kind="participation",
            activity=participation.activity,
            participation=participation,
        )
        for participation in Participation.objects.filter(stakeholder=stakeholder).select_related(
            "activity__initiative"
        )
    ]
    entries += [
        EngagementEntry(
            at=contribution.submitted_at,
            kind="contribution",
            activity=contribution.activity,
            contribution=contribution,
        )
        for contribution in Contribution.objects.filter(stakeholder=stakeholder).select_related(
            "activity__initiative", "response__decision"
        )
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def stakeholders_never_invited(*, initiative: Initiative) -> QuerySet[Stakeholder]:
    """Return the stakeholders categorized in an initiative but invited to none of its activities."""
    invited = Participation.objects.filter(
        activity__initiative=initiative, stakeholder=OuterRef("pk")
    )
    return (
        Stakeholder.objects.filter(categorizations__initiative=initiative, archived_at__isnull=True)
        .exclude(Exists(invited))
        .select_related("type")
        .order_by("name")
    )


def engagement_counts(*, initiative: Initiative) -> dict[str, int]:
    """Return an initiative's engagement figures: activities, contributions, answers and so on."""
    contributions = Contribution.objects.filter(initiative=initiative).aggregate(
        contributions=Count("pk"),
        answered=Count("pk", filter=Q(response__isnull=False)),
        told=Count("pk", filter=Q(response__communicated_at__isnull=False)),
    )
    return {
        "activities": Activity.objects.filter(initiative=initiative).count(),
        "decisions": Decision.objects.filter(initiative=initiative).count(),
        "open_grievances": Grievance.objects.filter(
            initiative=initiative, status__in=OPEN_GRIEVANCE_STATUSES
        ).count(),
        **contributions,
    }


def first_consultation_start(*, initiative: Initiative) -> datetime | None:
    """Return when the initiative's first activity started."""
    return Activity.objects.filter(initiative=initiative).aggregate(first=Min("starts_at"))["first"]


def last_review_on(*, initiative: Initiative) -> date | None:
    """Return when the initiative's engagement was last reviewed."""
    return Review.objects.filter(initiative=initiative).aggregate(last=Max("held_on"))["last"]
