"""Public pages: no sign-in, never personal data; forms with CSRF, honeypot and throttling.

Each public form carries a random submission token made when the form is shown, so that a
double click or a retried request stores one record and shows the same receipt.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from civitas.core.errors import PermissionDeniedError, ValidationError
from civitas.core.forms import add_service_errors
from civitas.engagement.forms import (
    PublicContributionForm,
    PublicForm,
    PublicGrievanceForm,
    PublicRegistrationForm,
)
from civitas.engagement.models import Activity, Outcome, Stance
from civitas.engagement.selectors import (
    public_accountability,
    public_activity,
    public_activity_data,
    public_activity_list,
    public_activity_to_submit,
    public_city,
    public_contribution,
    public_grievance,
    public_grievance_record,
    public_initiatives,
)
from civitas.engagement.services import (
    contribution_submit,
    grievance_appeal_public,
    grievance_submit,
    grievance_tracking_link,
    registration_submit,
    takes_grievances_online,
    tracking_link,
)
from civitas.engagement.throttling import allow_public_submission

TOO_MANY = "You sent many forms in a short time. Wait a minute, then try again."
CAUGHT = "Your form could not be accepted. Leave the last field empty and try again."

STANCES = dict(Stance.choices)
OUTCOMES = dict(Outcome.choices)


def _code(code: str) -> str:
    if not 8 <= len(code) <= 32 or not code.replace("-", "").replace("_", "").isalnum():
        raise Http404("No such tracking code.")
    return code


def _guarded(request: HttpRequest, form: PublicForm) -> bool:
    """Tell whether a posted public form may go to the service; add the reason if not."""
    if form.caught:
        form.add_error(None, CAUGHT)
        return False
    if not allow_public_submission(request):
        form.add_error(None, TOO_MANY)
        return False
    return form.is_valid()


def _public_context(city: Any, **values: Any) -> dict[str, Any]:
    return {"public_city": city, "stances": STANCES, "outcomes": OUTCOMES, **values}


def public_home(request: HttpRequest, city_slug: str) -> HttpResponse:
    """List a city's public activities and the initiatives with an accountability page."""
    city = public_city(city_slug)
    return render(
        request,
        "engagement/public/home.html",
        _public_context(
            city,
            activities=public_activity_list(city=city),
            initiatives=public_initiatives(city=city),
            takes_grievances=takes_grievances_online(city.engagement_settings),
        ),
    )


def _activity_page(
    request: HttpRequest, city: Any, pk: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    try:
        data = public_activity_data(city=city, pk=pk)
    except ObjectDoesNotExist as error:
        raise Http404("No such public activity.") from error
    context = _public_context(
        city,
        activity=data,
        contribution_form=forms.get("contribution_form") or PublicContributionForm(),
        registration_form=forms.get("registration_form") or PublicRegistrationForm(),
    )
    return render(request, "engagement/public/activity.html", context, status=status)


def _activity(city: Any, pk: int) -> Activity:
    try:
        return public_activity(city=city, pk=pk)
    except ObjectDoesNotExist as error:
        raise Http404("No such public activity.") from error


@csrf_protect
def public_activity_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show a public activity with the registration and contribution forms."""
    return _activity_page(request, public_city(city_slug), pk)


@csrf_protect
@require_http_methods(["POST"])
def public_contribute_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Take a citizen's contribution, once per submission token; show its tracking link."""
    try:
        activity = public_activity_to_submit(city_slug=city_slug, pk=pk)
    except ObjectDoesNotExist as error:
        raise Http404("No such public activity.") from error
    city = activity.city
    form = PublicContributionForm(request.POST)
    if _guarded(request, form):
        values = dict(form.cleaned_data)
        values.pop("website")
        try:
            contribution, _ = contribution_submit(
                activity=activity, city_settings=city.engagement_settings, **values
            )
        except PermissionDeniedError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            link = tracking_link(request.build_absolute_uri("/"), contribution.tracking_code)
            return render(
                request,
                "engagement/public/thanks.html",
                {"public_city": city, "activity": activity, "link": link,
                 "code": contribution.tracking_code},
            )  # fmt: skip
    return _activity_page(request, city, pk, status=400, contribution_form=form)


@csrf_protect
@require_http_methods(["POST"])
def public_register_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Take a citizen's registration for a public activity."""
    city = public_city(city_slug)
    activity = _activity(city, pk)
    form = PublicRegistrationForm(request.POST)
    if _guarded(request, form):
        values = dict(form.cleaned_data)
        values.pop("website")
        try:
            registration_submit(activity=activity, channel="in_person", **values)
        except PermissionDeniedError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "engagement/public/registered.html",
                _public_context(city, activity=activity),
            )
    return _activity_page(request, city, pk, status=400, registration_form=form)


def public_contribution_view(request: HttpRequest, code: str) -> HttpResponse:
    """Show a participant their contribution and, once given, its answer."""
    try:
        status = public_contribution(code=_code(code))
    except ObjectDoesNotExist as error:
        raise Http404("No such tracking code.") from error
    return render(
        request,
        "engagement/public/contribution.html",
        _public_context(None, status=status),
    )


def public_accountability_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show an initiative's published decisions and how the contributions affected them."""
    city = public_city(city_slug)
    initiative = public_initiatives(city=city).filter(pk=pk).first()
    if initiative is None:
        raise Http404("No such initiative.")
    return render(
        request,
        "engagement/public/accountability.html",
        _public_context(city, accountability=public_accountability(initiative=initiative)),
    )


@csrf_protect
def public_grievance_form_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Take a grievance (anonymous allowed) and give its tracking code."""
    city = public_city(city_slug)
    if not takes_grievances_online(city.engagement_settings):
        raise Http404("This city does not take grievances online.")
    form = PublicGrievanceForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if _guarded(request, form):
            values = dict(form.cleaned_data)
            values.pop("website")
            try:
                grievance, _ = grievance_submit(city=city, **values)
            except PermissionDeniedError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                link = grievance_tracking_link(
                    request.build_absolute_uri("/"), grievance.tracking_code
                )
                return render(
                    request,
                    "engagement/public/grievance_thanks.html",
                    _public_context(city, link=link, code=grievance.tracking_code),
                )
    return render(
        request,
        "engagement/public/grievance_form.html",
        _public_context(city, form=form, settings=city.engagement_settings),
        status=status,
    )


@csrf_protect
def public_grievance_view(request: HttpRequest, code: str) -> HttpResponse:
    """Show a complainant where their grievance stands; let them appeal the outcome."""
    code = _code(code)
    error_message = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        try:
            grievance = public_grievance_record(code=code)
        except ObjectDoesNotExist as error:
            raise Http404("No such tracking code.") from error
        if not allow_public_submission(request):
            error_message = TOO_MANY
        else:
            try:
                grievance_appeal_public(grievance=grievance, reason=reason)
            except (ValidationError, PermissionDeniedError) as error:
                error_message = " ".join(getattr(error, "messages", [str(error)]))
    try:
        status = public_grievance(code=code)
    except ObjectDoesNotExist as error:
        raise Http404("No such tracking code.") from error
    return render(
        request,
        "engagement/public/grievance.html",
        _public_context(None, status=status, error_message=error_message),
    )
