"""Reads for cities and initiatives."""

from django.db.models import Count, Q, QuerySet

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative


def city_list_for(*, user: User) -> QuerySet[City]:
    """Return the cities the user is a member of, with their counts."""
    if not user.is_authenticated:
        return City.objects.none()
    return (
        City.objects.filter(memberships__user=user)
        .annotate(
            stakeholder_count=Count(
                "stakeholders", filter=Q(stakeholders__archived_at__isnull=True), distinct=True
            ),
            initiative_count=Count(
                "initiatives", filter=Q(initiatives__archived_at__isnull=True), distinct=True
            ),
        )
        .order_by("name")
    )


def initiative_list(*, city: City, include_archived: bool = False) -> QuerySet[Initiative]:
    """Return a city's initiatives with the number of categorized stakeholders."""
    initiatives = Initiative.objects.filter(city=city).annotate(
        categorized_count=Count("categorizations", distinct=True)
    )
    if not include_archived:
        initiatives = initiatives.filter(archived_at__isnull=True)
    return initiatives.order_by("name")


def city_for(*, slug: str, user: User, permission: str = "cities.view_city") -> City:
    """Return the city if the user holds the permission on it, else raise Http404 or 403.

    Non-members get 404, so that a city's existence is not revealed to them.
    """
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    city = City.objects.filter(slug=slug).first()
    if city is None or not user.has_perm("cities.view_city", city):
        raise Http404("No such city, or you are not a member of it.")
    if permission != "cities.view_city" and not user.has_perm(permission, city):
        raise PermissionDenied("Your role in this city does not allow this.")
    return city
