"""Look-ups the engagement API handlers share: records of a city the caller belongs to."""

from django.http import Http404, HttpRequest

from civitas.cities.api import city_of
from civitas.cities.models import City, Initiative
from civitas.core.errors import ValidationError
from civitas.core.schemas import ErrorOut, acting_user
from civitas.engagement.models import Activity, Contribution, Decision, Grievance
from civitas.engagement.selectors import sees_confidential
from civitas.stakeholders.models import Stakeholder

CONFLICT: dict[int, type[ErrorOut]] = {409: ErrorOut}
VIEW = "engagement.view_engagement"


def engagement_city(request: HttpRequest, slug: str) -> City:
    """Return a city of the caller's (404 for everyone else)."""
    return city_of(request, slug, VIEW)


def initiative_in(city: City, initiative_id: int, field: str = "initiative_id") -> Initiative:
    """Return an initiative of the city, or raise a field error."""
    initiative = Initiative.objects.filter(city=city, pk=initiative_id).first()
    if initiative is None:
        raise ValidationError(
            {field: [f"There is no initiative with the id {initiative_id} here."]}
        )
    return initiative


def stakeholder_in(
    request: HttpRequest, city: City, stakeholder_id: int, field: str = "stakeholder_id"
) -> Stakeholder:
    """Return a stakeholder of the city the caller may see, or raise a field error."""
    stakeholder = (
        Stakeholder.objects.select_related("type").filter(city=city, pk=stakeholder_id).first()
    )
    if stakeholder is None or (
        stakeholder.confidential and not sees_confidential(acting_user(request), city)
    ):
        raise ValidationError(
            {field: [f"There is no stakeholder with the id {stakeholder_id} here."]}
        )
    return stakeholder


def activity_in(city: City, activity_id: int, field: str = "activity_id") -> Activity:
    """Return an activity of the city, or raise a field error."""
    activity = (
        Activity.objects.select_related("initiative", "city")
        .filter(city=city, pk=activity_id)
        .first()
    )
    if activity is None:
        raise ValidationError({field: [f"There is no activity with the id {activity_id} here."]})
    return activity


def activity_of(request: HttpRequest, slug: str, activity_id: int) -> Activity:
    """Return an activity of a city of the caller's, or raise 404."""
    city = engagement_city(request, slug)
    return Activity.objects.select_related("initiative", "city").get(city=city, pk=activity_id)


def contribution_of(request: HttpRequest, slug: str, contribution_id: int) -> Contribution:
    """Return a contribution the caller may see, or raise 404."""
    city = engagement_city(request, slug)
    contribution = Contribution.objects.select_related(
        "activity__initiative", "stakeholder__type", "city", "initiative"
    ).get(city=city, pk=contribution_id)
    stakeholder = contribution.stakeholder
    hidden = stakeholder is not None and stakeholder.confidential
    if hidden and not sees_confidential(acting_user(request), city):
        raise Http404("No such contribution.")
    return contribution


def decision_of(request: HttpRequest, slug: str, decision_id: int) -> Decision:
    """Return a decision of a city of the caller's, or raise 404."""
    city = engagement_city(request, slug)
    return Decision.objects.select_related("initiative", "city").get(city=city, pk=decision_id)


def grievance_of(request: HttpRequest, slug: str, grievance_id: int) -> Grievance:
    """Return a grievance the caller may see, or raise 404."""
    city = engagement_city(request, slug)
    grievance = Grievance.objects.select_related(
        "city", "initiative", "activity", "stakeholder", "handler"
    ).get(city=city, pk=grievance_id)
    if not acting_user(request).has_perm("engagement.view_grievance", grievance):
        raise Http404("No such grievance.")
    return grievance
