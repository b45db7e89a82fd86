"""Helpers the engagement pages share: look-ups of a city's records with permission checks."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.errors import ConflictError
from civitas.core.forms import add_service_errors
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


def save_edit(
    request: HttpRequest, form: forms.Form, update: Callable[..., Any], noun: str
) -> bool:
    """Save a valid edit form through a versioned update service; tell whether it saved.

    A stale version or a refused value is shown on the form, which keeps the input.
    """
    changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
    try:
        update(by=signed_in(request), expected_version=form.cleaned_data["version"], **changes)
    except ConflictError:
        form.add_error(None, f"Someone else changed this {noun} meanwhile. Reload the page.")
    except ValidationError as error:
        add_service_errors(form, error)
    else:
        messages.success(request, f"The {noun} was saved.")
        return True
    return False
