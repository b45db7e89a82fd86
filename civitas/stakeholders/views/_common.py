"""Helpers every stakeholder view shares: look-ups with permission checks, confirmations."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from civitas.cities.models import City, Initiative
from civitas.cities.selectors import city_for
from civitas.core.errors import PermissionDeniedError
from civitas.stakeholders.models import Stakeholder

View = Callable[..., HttpResponse]


def city_view(view: View) -> View:
    """Require a signed-in user and turn a service's PermissionDeniedError into a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error

    return login_required(wrapper)


def get_city(request: HttpRequest, city_slug: str, permission: str = "cities.view_city") -> City:
    """Return the city: 404 for non-members, 403 for a role lacking the permission."""
    return city_for(slug=city_slug, user=request.user, permission=permission)  # type: ignore[arg-type]


def get_stakeholder(
    request: HttpRequest, city: City, pk: int, permission: str | None = None
) -> Stakeholder:
    """Return a stakeholder of the city the user may see (else 404) and act on (else 403)."""
    stakeholder = (
        Stakeholder.objects.select_related("type", "type__parent", "parent")
        .filter(city=city, pk=pk)
        .first()
    )
    if stakeholder is not None:
        stakeholder.city = city
    return check_stakeholder(request, stakeholder, permission)


def check_stakeholder(
    request: HttpRequest, stakeholder: Stakeholder | None, permission: str | None = None
) -> Stakeholder:
    """Raise 404 for a stakeholder the user may not see, 403 for an action they may not do."""
    if stakeholder is None or not request.user.has_perm(
        "stakeholders.view_stakeholder", stakeholder
    ):
        raise Http404("No such stakeholder in this city.")
    if permission and not request.user.has_perm(permission, stakeholder):
        raise PermissionDenied("Your role in this city does not allow this.")
    return stakeholder


def get_initiative(city: City, pk: int) -> Initiative:
    """Return an initiative of the city, or raise 404."""
    initiative = Initiative.objects.filter(city=city, pk=pk).first()
    if initiative is None:
        raise Http404("No such initiative in this city.")
    return initiative


def posted(request: HttpRequest) -> Any:
    """Return the POST data to bind a form to, or None on GET (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def is_confirmed(request: HttpRequest) -> bool:
    """Tell whether a POST carries the confirmation (from the page or from civitas.js)."""
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    city: City,
    question: str,
    details: str,
    cancel_url: str,
    button_label: str,
    danger: bool = True,
    hidden: Iterable[tuple[str, str]] = (),
    stakeholder: Stakeholder | None = None,
) -> HttpResponse:
    """Render the page asking to confirm an action that removes or changes something."""
    return render(
        request,
        "stakeholders/confirm.html",
        {
            "city": city,
            "stakeholder": stakeholder,
            "question": question,
            "details": details,
            "action_url": request.path,
            "cancel_url": cancel_url,
            "button_label": button_label,
            "danger": danger,
            "hidden": list(hidden),
        },
    )


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Return the "next" URL of the request if it points inside this site, else the fallback."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def labels(values: Iterable[str], choices: type[TextChoices]) -> list[str]:
    """Return the labels of codes, in the vocabulary's order."""
    wanted = set(values)
    return [str(label) for code, label in choices.choices if code in wanted]


def is_htmx(request: HttpRequest) -> bool:
    """Tell whether htmx asked for a fragment (not a history restore, which needs the page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
