"""Helpers the engagement pages share: look-ups of a city's records with permission checks."""

from typing import Any, cast

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.stakeholders.views._common import city_view, get_city, posted

VIEW = "engagement.view_engagement"

__all__ = ["VIEW", "city_view", "engagement_city", "found", "initiative_of", "posted", "require"]


def signed_in(request: HttpRequest) -> User:
    """Return the request's user, on pages that are only served to signed-in users."""
    return cast(User, request.user)


def engagement_city(request: HttpRequest, city_slug: str) -> City:
    """Return the city for a member (404 for others)."""
    return get_city(request, city_slug, VIEW)


def require(request: HttpRequest, permission: str, obj: Any) -> None:
    """Raise 403 unless the user has the permission on the object."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied("Your role in this city does not allow this.")


def initiative_of(city: City, pk: int) -> Initiative:
    """Return an initiative of the city, or raise 404."""
    initiative = Initiative.objects.filter(city=city, pk=pk).first()
    if initiative is None:
        raise Http404("No such initiative in this city.")
    initiative.city = city
    return initiative


def found(lookup: Any, **kwargs: Any) -> Any:
    """Call a selector and turn "does not exist" into a 404."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist as error:
        raise Http404("Not found in this city.") from error
