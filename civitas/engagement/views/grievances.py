"""Staff pages of the grievance mechanism, the engagement settings and the reviews."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from civitas.core.errors import ConflictError, ValidationError
from civitas.core.forms import add_service_errors
from civitas.engagement.forms import (
    GrievanceActionForm,
    GrievanceLodgeForm,
    ReviewForm,
    ReviewScheduleForm,
    SettingsForm,
)
from civitas.engagement.models import Grievance, GrievanceAction
from civitas.engagement.selectors import (
    grievance_detail,
    grievance_list,
    review_list,
    review_schedule_list,
)
from civitas.engagement.services import (
    TRANSITIONS,
    engagement_settings_update,
    grievance_act,
    grievance_lodge,
    review_record,
    review_schedule_set,
    settings_of,
)
from civitas.engagement.views._common import (
    city_view,
    engagement_city,
    found,
    initiative_of,
    posted,
    require,
    signed_in,
)

HANDLE = "engagement.handle_grievance"


@city_view
def settings_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Show and change the city's disclosure lead time and grievance mechanism."""
    city = engagement_city(request, city_slug)
    current = settings_of(city)
    can_change = request.user.has_perm("engagement.change_settings", city)
    initial = {name: getattr(current, name) for name in SettingsForm.base_fields}
    initial["grievance_channels"] = list(current.grievance_channels)
    form = SettingsForm(posted(request), initial=initial)
    if request.method == "POST":
        require(request, "engagement.change_settings", city)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            version = changes.pop("version")
            try:
                engagement_settings_update(
                    city=city,
                    by=request.user,  # type: ignore[arg-type]
                    expected_version=version if current.pk else None,
                    **changes,
                )
            except ConflictError:
                form.add_error(None, "Someone else changed the settings meanwhile. Reload.")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The engagement settings were saved.")
                return redirect("engagement:settings", city.slug)
    return render(
        request,
        "engagement/settings.html",
        {"city": city, "form": form, "settings": current, "can_change": can_change},
    )


@city_view
def grievance_list_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """List the city's grievances; `?overdue=1` keeps those past their due date."""
    city = engagement_city(request, city_slug)
    overdue = request.GET.get("overdue") == "1"
    status = request.GET.get("status", "")
    can_handle = request.user.has_perm(HANDLE, city)
    if not (
        request.user.has_perm("engagement.view_grievances", city)
        or request.user.memberships.filter(city=city, role="contributor").exists()  # type: ignore[union-attr]
    ):
        require(request, "engagement.view_grievances", city)
    return render(
        request,
        "engagement/grievance_list.html",
        {
            "city": city,
            "grievances": grievance_list(
                city=city, user=signed_in(request), status=status, overdue=overdue
            ),
            "overdue": overdue,
            "today": timezone.localdate(),
            "can_handle": can_handle,
            "lodge_form": GrievanceLodgeForm() if can_handle else None,
        },
    )


@require_POST
@city_view
def grievance_lodge_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Record a grievance received by letter, phone or at the counter."""
    city = engagement_city(request, city_slug)
    require(request, "engagement.lodge_grievance", city)
    form = GrievanceLodgeForm(request.POST)
    if form.is_valid():
        try:
            grievance, _ = grievance_lodge(city=city, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"Grievance recorded; tracking code {grievance.tracking_code}."
            )
            return redirect("engagement:grievance_detail", city.slug, grievance.pk)
    else:
        messages.error(request, "Give the subject and what happened.")
    return redirect("engagement:grievance_list", city.slug)


def _grievance(request: HttpRequest, city_slug: str, pk: int) -> Grievance:
    city = engagement_city(request, city_slug)
    grievance = found(grievance_detail, city=city, pk=pk, user=signed_in(request))
    grievance.city = city
    return grievance


@city_view
def grievance_detail_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show a grievance, its steps and the actions possible from its status."""
    grievance = _grievance(request, city_slug, pk)
    require(request, "engagement.view_grievance", grievance)
    actions = [
        (action, label)
        for action, label in GrievanceAction.choices
        if grievance.status in TRANSITIONS[action][0]
        and request.user.has_perm(
            "engagement.appeal_grievance" if action == GrievanceAction.APPEAL else HANDLE,
            grievance,
        )
    ]
    return render(
        request,
        "engagement/grievance_detail.html",
        {
            "city": grievance.city,
            "grievance": grievance,
            "events": grievance.events.all(),
            "actions": actions,
            "sees_personal": request.user.has_perm("engagement.view_personal_data", grievance.city),
        },
    )


@require_POST
@city_view
def grievance_act_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Move a grievance on one step."""
    grievance = _grievance(request, city_slug, pk)
    form = GrievanceActionForm(request.POST)
    if form.is_valid():
        try:
            grievance_act(
                grievance=grievance,
                action=form.cleaned_data["action"],
                by=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError:
            messages.error(request, "Someone else moved this grievance meanwhile.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The grievance was updated.")
    return redirect("engagement:grievance_detail", grievance.city.slug, grievance.pk)


@city_view
def review_list_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """List the review schedules of the city's initiatives, overdue ones first."""
    city = engagement_city(request, city_slug)
    overdue = request.GET.get("overdue") == "1"
    return render(
        request,
        "engagement/review_list.html",
        {
            "city": city,
            "schedules": review_schedule_list(city=city, overdue=overdue),
            "overdue": overdue,
            "today": timezone.localdate(),
            "initiatives": city.initiatives.filter(archived_at__isnull=True).order_by("name"),
            "can_manage": request.user.has_perm("engagement.manage_reviews", city),
        },
    )


@city_view
def review_initiative_view(
    request: HttpRequest, city_slug: str, initiative_pk: int
) -> HttpResponse:
    """Set an initiative's review schedule and record the reviews held."""
    city = engagement_city(request, city_slug)
    initiative = initiative_of(city, initiative_pk)
    schedule = getattr(initiative, "review_schedule", None)
    schedule_form = ReviewScheduleForm(
        request.POST if request.POST.get("form") == "schedule" else None,
        initial={"cadence_days": getattr(schedule, "cadence_days", 90),
                 "next_due_on": getattr(schedule, "next_due_on", None)},
    )  # fmt: skip
    review_form = ReviewForm(
        request.POST if request.POST.get("form") == "review" else None,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST":
        require(request, "engagement.manage_reviews", city)
        form = schedule_form if request.POST.get("form") == "schedule" else review_form
        if form.is_valid():
            try:
                if form is schedule_form:
                    review_schedule_set(
                        initiative=initiative,
                        by=request.user,  # type: ignore[arg-type]
                        expected_version=None,
                        **form.cleaned_data,
                    )
                else:
                    review_record(initiative=initiative, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Saved.")
                return redirect(
                    reverse("engagement:review_initiative", args=[city.slug, initiative.pk])
                )
    return render(
        request,
        "engagement/review_initiative.html",
        {
            "city": city,
            "initiative": initiative,
            "schedule": schedule,
            "reviews": review_list(initiative=initiative),
            "schedule_form": schedule_form,
            "review_form": review_form,
            "can_manage": request.user.has_perm("engagement.manage_reviews", city),
        },
    )
