"""The health dashboard per city and per initiative, stored runs, and the city's thresholds."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from civitas.cities.models import City, Initiative
from civitas.core.errors import ConflictError, ValidationError, error_messages
from civitas.health.checks import CHECKS
from civitas.health.models import THRESHOLD_FIELDS, HealthRun, HealthThresholds
from civitas.health.selectors import (
    latest_run,
    previous_run,
    run_detail,
    run_history,
    thresholds_of,
    trend,
)
from civitas.health.services import health_run, thresholds_update
from civitas.stakeholders.views._common import city_view, get_city, get_initiative

VIEW = "health.view_health"
HISTORY_SHOWN = 20
# Where a record of each kind is shown; a kind whose page does not exist is shown unlinked.
RECORD_PAGES = {
    "stakeholders.stakeholder": ("stakeholders:detail", "city_slug"),
    "engagement.activity": ("engagement:activity_detail", "city_slug"),
    "engagement.contribution": ("engagement:contribution_detail", "city_slug"),
    "engagement.decision": ("engagement:decision_detail", "city_slug"),
    "engagement.grievance": ("engagement:grievance_detail", "city_slug"),
    "cities.initiative": ("cities:initiative_detail", "slug"),
}


def record_url(city: City, model: str, pk: int) -> str | None:
    """Return the page of a record behind a figure, or None when there is none."""
    page = RECORD_PAGES.get(model)
    if page is None:
        return None
    name, slug_kwarg = page
    try:
        return reverse(name, kwargs={slug_kwarg: city.slug, "pk": pk})
    except NoReverseMatch:
        return None


def _with_links(city: City, run: HealthRun) -> tuple[int | None, list[dict[str, Any]]]:
    """Return the change of the overall score since the run before, and the findings with
    links to the records behind their figures and the change of each check."""
    change = trend(run, previous_run(run))
    findings = []
    for finding in run.findings.all():
        figures = []
        for entry in finding.evidence.get("figures", []):
            entry = dict(entry)
            refs = entry.get("records")
            if refs:
                entry["records"] = {
                    **refs,
                    "items": [
                        {**item, "url": record_url(city, refs["model"], item["id"])}
                        for item in refs["items"]
                    ],
                }
            entry["is_table"] = isinstance(entry["value"], list)
            figures.append(entry)
        findings.append(
            {
                "finding": finding,
                "figures": figures,
                "change": change.per_check.get(finding.check_id),
            }
        )
    return change.overall, findings


def _dashboard(
    request: HttpRequest, city: City, initiative: Initiative | None, run: HealthRun | None
) -> HttpResponse:
    overall_change, findings = _with_links(city, run) if run is not None else (None, [])
    context = {
        "city": city,
        "initiative": initiative,
        "run": run,
        "findings": findings,
        "overall_change": overall_change,
        "history": list(run_history(city=city, initiative=initiative)[:HISTORY_SHOWN]),
        "initiatives": []
        if initiative
        else list(Initiative.objects.filter(city=city).order_by("name")),
        "can_run": request.user.has_perm("health.run_health", city),
        "checks": CHECKS,
    }
    return render(request, "health/dashboard.html", context)


@city_view
def city_dashboard(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Show the latest health check of the whole city."""
    city = get_city(request, city_slug, VIEW)
    return _dashboard(request, city, None, latest_run(city=city))


@city_view
def initiative_dashboard(request: HttpRequest, city_slug: str, initiative_pk: int) -> HttpResponse:
    """Show the latest health check of one initiative."""
    city = get_city(request, city_slug, VIEW)
    initiative = get_initiative(city, initiative_pk)
    return _dashboard(request, city, initiative, latest_run(city=city, initiative=initiative))


@city_view
def run_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show one stored run, compared with the one before it."""
    city = get_city(request, city_slug, VIEW)
    try:
        run = run_detail(city=city, pk=pk)
    except HealthRun.DoesNotExist as error:
        raise Http404("No such health check in this city.") from error
    return _dashboard(request, city, run.initiative, run)


@city_view
@require_POST
def run_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Run the checks now on the initiative posted (or the whole city) and show the result."""
    city = get_city(request, city_slug, "health.run_health")
    initiative = None
    if request.POST.get("initiative"):
        try:
            initiative = get_initiative(city, int(request.POST["initiative"]))
        except ValueError as error:
            raise Http404("No such initiative in this city.") from error
    run = health_run(by=request.user, initiative=initiative, city=city)  # type: ignore[arg-type]
    messages.success(request, "The health check has run.")
    return redirect("health:run", city_slug=city.slug, pk=run.pk)


@city_view
def thresholds_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Show the thresholds the checks use; owners change them."""
    city = get_city(request, city_slug, VIEW)
    thresholds = thresholds_of(city)
    can_change = request.user.has_perm("health.change_thresholds", city)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Only the city's owners set the thresholds.")
        changes: dict[str, Any] = {}
        for name in THRESHOLD_FIELDS:
            raw = request.POST.get(name, "").strip()
            try:
                changes[name] = int(raw)
            except ValueError:
                errors[name] = ["Give a whole number."]
        if not errors:
            try:
                thresholds_update(
                    city=city,
                    by=request.user,  # type: ignore[arg-type]
                    expected_version=_int(request.POST.get("version")),
                    **changes,
                )
            except ValidationError as error:
                errors = error_messages(error)
            except ConflictError as error:
                errors = {"__all__": [str(error)]}
            else:
                messages.success(request, "The thresholds are saved; they apply from the next run.")
                return redirect("health:thresholds", city_slug=city.slug)
        for name, value in changes.items():
            setattr(thresholds, name, value)
    rows = [
        {
            "name": name,
            "label": HealthThresholds._meta.get_field(name).help_text,  # type: ignore[union-attr]
            "value": getattr(thresholds, name),
            "default": HealthThresholds._meta.get_field(name).default,  # type: ignore[union-attr]
            "errors": errors.get(name, []),
        }
        for name in THRESHOLD_FIELDS
    ]
    status = 422 if errors else 200
    context = {
        "city": city,
        "thresholds": thresholds,
        "rows": rows,
        "errors": errors.get("__all__", []),
        "can_change": can_change,
    }
    return render(request, "health/thresholds.html", context, status=status)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
