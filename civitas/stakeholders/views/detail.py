"""The stakeholder page: facts, contacts, categorizations, analysis matrix and history."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from civitas.cities.selectors import initiative_list
from civitas.core.vocabulary import Level, LfaRole, MatrixDimension, TechnologyRole
from civitas.stakeholders.forms import ContactForm, MatrixItemForm
from civitas.stakeholders.models import (
    Categorization,
    GridQuadrant,
    IdentificationReason,
    Stakeholder,
    ValidationStep,
)
from civitas.stakeholders.selectors import (
    dismissed_defaults,
    stakeholder_detail,
    stakeholder_history,
    stakeholder_matrix,
)
from civitas.stakeholders.services import stakeholder_has_records
from civitas.stakeholders.views._common import check_stakeholder, city_view, get_city, labels

HISTORY_LIMIT = 50
PERMISSIONS = {
    "change": "stakeholders.change_stakeholder",
    "archive": "stakeholders.archive_stakeholder",
    "delete": "stakeholders.delete_stakeholder",
    "merge": "stakeholders.merge_stakeholder",
    "categorize": "stakeholders.categorize",
    "change_matrix": "stakeholders.change_matrix",
    "view_contacts": "stakeholders.view_contacts",
}


def categorization_row(categorization: Categorization) -> dict[str, Any]:
    """Return what a table shows of one categorization, with labels instead of codes."""
    return {
        "categorization": categorization,
        "lfa_roles": labels(categorization.lfa_roles, LfaRole),
        "technology_roles": labels(categorization.technology_roles, TechnologyRole),
        "quadrant": GridQuadrant(categorization.quadrant).label,
    }


def _shown(value: Any) -> str:
    """Return a value of the change history as text a person reads."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value)
    return str(value)


def _history(stakeholder: Stakeholder) -> list[dict[str, Any]]:
    entries = stakeholder_history(stakeholder, limit=HISTORY_LIMIT)
    for entry in entries:
        entry["changes"] = [
            {
                "field": change["field"].replace("_", " "),
                "old": _shown(change["old"]),
                "new": _shown(change["new"]),
            }
            for change in entry["changes"]
        ]
    return entries


@city_view
def stakeholder_detail_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show everything the city knows about one stakeholder, and what the user may do."""
    city = get_city(request, city_slug)
    stakeholder = check_stakeholder(request, stakeholder_detail_or_none(city=city, pk=pk))
    can = {name: request.user.has_perm(perm, stakeholder) for name, perm in PERMISSIONS.items()}
    categorizations = list(stakeholder.categorizations.all())
    categorized = {c.initiative_id for c in categorizations}
    open_initiatives = [
        initiative for initiative in initiative_list(city=city) if initiative.pk not in categorized
    ]
    wanted = request.GET.get("categorize_in", "")
    if (
        can["categorize"]
        and wanted.isdigit()
        and any(initiative.pk == int(wanted) for initiative in open_initiatives)
    ):
        return redirect("stakeholders:categorize", city.slug, stakeholder.pk, int(wanted))
    matrix = stakeholder_matrix(stakeholder)
    context = {
        "city": city,
        "stakeholder": stakeholder,
        "can": can,
        "levels": labels(stakeholder.levels, Level),
        "identified_as": labels(stakeholder.identified_as, IdentificationReason),
        "validation_steps": [
            {"label": label, "done": code in stakeholder.validation_steps}
            for code, label in ValidationStep.choices
        ],
        "units": list(stakeholder.units.all()),
        "contacts": list(stakeholder.contacts.all()) if can["view_contacts"] else [],
        "contact_form": ContactForm(auto_id="id_contact_%s") if can["change"] else None,
        "categorizations": [categorization_row(c) for c in categorizations],
        "open_initiatives": open_initiatives,
        "matrix": [
            {
                "code": code,
                "label": label,
                "entries": matrix[code],
                "form": MatrixItemForm(initial={"dimension": code}, auto_id=f"id_{code}_%s")
                if can["change_matrix"]
                else None,
            }
            for code, label in MatrixDimension.choices
        ],
        "dismissed": dismissed_defaults(stakeholder),
        "history": _history(stakeholder),
        "has_records": stakeholder_has_records(stakeholder) if can["delete"] else True,
        "is_archived": stakeholder.archived_at is not None,
    }
    return render(request, "stakeholders/stakeholder_detail.html", context)


def stakeholder_detail_or_none(*, city: Any, pk: int) -> Stakeholder | None:
    """Return the stakeholder with what its page shows, or None when it does not exist."""
    try:
        return stakeholder_detail(city=city, pk=pk)
    except Stakeholder.DoesNotExist:
        return None
