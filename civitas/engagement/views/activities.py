"""Staff pages of engagement: the overview per initiative, activities and their records."""

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from civitas.core.errors import ValidationError
from civitas.core.forms import add_service_errors
from civitas.engagement.forms import (
    ActivityForm,
    CloseForm,
    ContributionForm,
    DisclosureForm,
    InviteForm,
    ParticipationForm,
)
from civitas.engagement.models import Activity, Participation, Registration
from civitas.engagement.selectors import (
    activity_detail,
    activity_list,
    contribution_list,
    decision_list,
    engagement_counts,
    registration_list,
    review_schedule_list,
)
from civitas.engagement.services import (
    activity_close,
    activity_create,
    activity_invite,
    activity_open,
    activity_update,
    contribution_create,
    disclosure_add,
    participation_update,
    registration_set_attended,
)
from civitas.engagement.views._common import (
    city_view,
    engagement_city,
    found,
    initiative_of,
    posted,
    require,
    save_edit,
    signed_in,
)
from civitas.stakeholders.models import Stakeholder
from civitas.stakeholders.selectors import stakeholder_list

MANAGE = "engagement.manage_activity"


def _activity(request: HttpRequest, city_slug: str, pk: int) -> Activity:
    city = engagement_city(request, city_slug)
    activity = found(activity_detail, city=city, pk=pk, user=signed_in(request))
    activity.city = city
    return activity


def _detail_url(activity: Activity) -> str:
    return reverse("engagement:activity_detail", args=[activity.city.slug, activity.pk])


@city_view
def home(request: HttpRequest, city_slug: str) -> HttpResponse:
    """List the city's initiatives with their engagement, and the activities coming up."""
    city = engagement_city(request, city_slug)
    activities = activity_list(city=city, user=signed_in(request))
    return render(
        request,
        "engagement/home.html",
        {
            "city": city,
            "initiatives": city.initiatives.filter(archived_at__isnull=True).order_by("name"),
            "activities": activities[:50],
            "overdue_reviews": review_schedule_list(city=city, overdue=True),
            "can_manage": request.user.has_perm(MANAGE, city),
            "can_change_settings": request.user.has_perm("engagement.change_settings", city),
        },
    )


@city_view
def overview(request: HttpRequest, city_slug: str, initiative_pk: int) -> HttpResponse:
    """Show an initiative's activities, decisions and the contributions still unanswered."""
    city = engagement_city(request, city_slug)
    initiative = initiative_of(city, initiative_pk)
    return render(
        request,
        "engagement/overview.html",
        {
            "city": city,
            "initiative": initiative,
            "activities": activity_list(city=city, user=signed_in(request), initiative=initiative),
            "decisions": decision_list(city=city, initiative=initiative),
            "unanswered": contribution_list(
                city=city, user=signed_in(request), initiative=initiative, answered=False
            ),
            "counts": engagement_counts(initiative=initiative),
            "can_manage": request.user.has_perm(MANAGE, city),
            "can_decide": request.user.has_perm("engagement.decide", city),
        },
    )


def _activity_values(form: ActivityForm) -> dict[str, Any]:
    values = dict(form.cleaned_data)
    values.pop("version", None)
    return values


@city_view
def activity_create_view(request: HttpRequest, city_slug: str, initiative_pk: int) -> HttpResponse:
    """Plan a new activity of an initiative."""
    city = engagement_city(request, city_slug)
    initiative = initiative_of(city, initiative_pk)
    require(request, MANAGE, city)
    form = ActivityForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(
                initiative=initiative,
                by=request.user,  # type: ignore[arg-type]
                **_activity_values(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{activity.title}” was planned.")
            activity.city = city
            return redirect(_detail_url(activity))
    return render(
        request,
        "engagement/activity_form.html",
        {"city": city, "initiative": initiative, "form": form},
    )


@city_view
def activity_edit_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Edit an activity."""
    activity = _activity(request, city_slug, pk)
    require(request, MANAGE, activity)
    initial = {
        field: getattr(activity, field)
        for field in ActivityForm.base_fields
        if hasattr(activity, field)
    }
    initial["levels"] = list(activity.levels)
    initial["channels"] = list(activity.channels)
    form = ActivityForm(posted(request), initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_edit(request, form, partial(activity_update, activity=activity), "activity")
    ):
        return redirect(_detail_url(activity))
    return render(
        request,
        "engagement/activity_form.html",
        {
            "city": activity.city,
            "initiative": activity.initiative,
            "form": form,
            "activity": activity,
        },
    )


@city_view
def activity_detail_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show an activity: invitations, disclosures, contributions and registrations."""
    activity = _activity(request, city_slug, pk)
    city = activity.city
    can_manage = request.user.has_perm(MANAGE, activity)
    invited = [participation.stakeholder_id for participation in activity.participations.all()]
    candidates = stakeholder_list(city=city, user=signed_in(request)).exclude(pk__in=invited)
    sees_personal = request.user.has_perm("engagement.view_personal_data", city)
    return render(
        request,
        "engagement/activity_detail.html",
        {
            "city": city,
            "activity": activity,
            "initiative": activity.initiative,
            "participations": activity.participations.all(),
            "disclosures": activity.disclosures.all(),
            "contributions": contribution_list(
                city=city, user=signed_in(request), activity=activity
            ),
            "registrations": registration_list(activity=activity) if sees_personal else None,
            "invite_form": InviteForm(stakeholders=candidates) if can_manage else None,
            "disclosure_form": DisclosureForm() if can_manage else None,
            "close_form": CloseForm(initial={"outcome": activity.outcome}),
            "participation_form": ParticipationForm(),
            "can_manage": can_manage,
            "can_contribute": request.user.has_perm("engagement.add_contribution", city)
            or request.user.memberships.filter(  # type: ignore[union-attr]
                city=city, role="contributor", stakeholder__isnull=False
            ).exists(),
            "sees_personal": sees_personal,
        },
    )


@require_POST
@city_view
def activity_open_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Open an activity for contributions."""
    activity = _activity(request, city_slug, pk)
    try:
        activity_open(activity=activity, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The activity is open.")
    return redirect(_detail_url(activity))


@city_view
def activity_close_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Close an activity and record its outcome."""
    activity = _activity(request, city_slug, pk)
    require(request, MANAGE, activity)
    form = CloseForm(posted(request), initial={"outcome": activity.outcome})
    if request.method == "POST" and form.is_valid():
        try:
            activity_close(
                activity=activity,
                by=request.user,  # type: ignore[arg-type]
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The activity is closed.")
            return redirect(_detail_url(activity))
    return render(
        request,
        "engagement/activity_close.html",
        {"city": activity.city, "activity": activity, "form": form},
    )


@require_POST
@city_view
def activity_invite_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Invite the chosen stakeholders to an activity."""
    activity = _activity(request, city_slug, pk)
    require(request, MANAGE, activity)
    form = InviteForm(
        request.POST,
        stakeholders=stakeholder_list(city=activity.city, user=signed_in(request)),
    )
    if not form.is_valid():
        messages.error(request, "Choose at least one stakeholder to invite.")
        return redirect(_detail_url(activity))
    try:
        invited = activity_invite(
            activity=activity,
            stakeholders=form.cleaned_data["stakeholders"],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{len(invited)} stakeholder(s) invited.")
    return redirect(_detail_url(activity) + "#invitations")


@require_POST
@city_view
def participation_edit_view(
    request: HttpRequest, city_slug: str, pk: int, participation_pk: int
) -> HttpResponse:
    """Record attendance and who represented a stakeholder."""
    activity = _activity(request, city_slug, pk)
    participation = Participation.objects.filter(activity=activity, pk=participation_pk).first()
    if participation is None:
        raise Http404("No such invitation.")
    participation.activity = activity
    form = ParticipationForm(request.POST)
    if form.is_valid():
        try:
            participation_update(
                participation=participation,
                by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Saved for {participation.stakeholder}.")
    return redirect(_detail_url(activity) + "#invitations")


@require_POST
@city_view
def disclosure_add_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Record information shared before an activity."""
    activity = _activity(request, city_slug, pk)
    require(request, MANAGE, activity)
    form = DisclosureForm(request.POST, request.FILES)
    if form.is_valid():
        values = dict(form.cleaned_data)
        if not values.get("document"):
            values.pop("document")
        try:
            disclosure_add(activity=activity, by=request.user, **values)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The disclosure was recorded.")
    else:
        messages.error(request, "Give a title, the date it was shared and a link or a document.")
    return redirect(_detail_url(activity) + "#disclosures")


@require_POST
@city_view
def registration_attended_view(
    request: HttpRequest, city_slug: str, pk: int, registration_pk: int
) -> HttpResponse:
    """Mark a citizen's registration as attended (or not)."""
    activity = _activity(request, city_slug, pk)
    registration = Registration.objects.filter(activity=activity, pk=registration_pk).first()
    if registration is None:
        raise Http404("No such registration.")
    registration.activity = activity
    registration_set_attended(
        registration=registration,
        by=request.user,  # type: ignore[arg-type]
        attended=request.POST.get("attended") == "yes",
    )
    return redirect(_detail_url(activity) + "#registrations")


@city_view
def contribution_create_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Enter a contribution on behalf of a stakeholder."""
    activity = _activity(request, city_slug, pk)
    city = activity.city
    staff = request.user.has_perm("engagement.add_contribution", city)
    if staff:
        stakeholders = stakeholder_list(city=city, user=signed_in(request))
    else:
        # A contributor speaks for its own stakeholder, confidential or not.
        own = request.user.memberships.filter(  # type: ignore[union-attr]
            city=city, role="contributor", stakeholder__isnull=False
        ).values("stakeholder_id")
        stakeholders = Stakeholder.objects.filter(  # type: ignore[misc]
            city=city, archived_at__isnull=True, pk__in=own
        ).order_by("name")
        if not stakeholders.exists():
            require(request, "engagement.add_contribution", city)
    form = ContributionForm(posted(request), stakeholders=stakeholders, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            _, created = contribution_create(
                activity=activity,
                by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The contribution was recorded."
                if created
                else "This contribution had already been recorded.",
            )
            return redirect(_detail_url(activity) + "#contributions")
    return render(
        request,
        "engagement/contribution_form.html",
        {"city": city, "activity": activity, "form": form},
    )
