"""City-wide views of the registry: the completeness check and the Appendix I summary."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civitas.stakeholders.models import ValidationStep
from civitas.stakeholders.selectors import completeness_check, summary_rows
from civitas.stakeholders.views._common import city_view, get_city


@city_view
def completeness_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Show what the registry still lacks against the catalogue and the steps of §3.1."""
    city = get_city(request, city_slug)
    result = completeness_check(city=city, user=request.user)  # type: ignore[arg-type]
    step_labels = dict(ValidationStep.choices)
    unvalidated = [
        {
            "stakeholder": stakeholder,
            "missing": [
                str(label)
                for code, label in ValidationStep.choices
                if code not in stakeholder.validation_steps
            ],
        }
        for stakeholder in result.unvalidated
    ]
    return render(
        request,
        "stakeholders/completeness.html",
        {
            "city": city,
            "result": result,
            "steps": [
                {"label": step_labels[code], "done": count}
                for code, count in result.steps_done.items()
            ],
            "unvalidated": unvalidated,
            "can_add": request.user.has_perm("stakeholders.add_stakeholder", city),
        },
    )


@city_view
def summary_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Show the Appendix I summary table: one row per stakeholder, five columns."""
    city = get_city(request, city_slug)
    rows = summary_rows(city=city, user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "stakeholders/summary.html",
        {"city": city, "rows": rows, "formats": ("csv", "xlsx", "md", "json")},
    )
