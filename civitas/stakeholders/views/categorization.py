"""Categorization per initiative (§3.2): the form, the initiative's table and its figures."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from civitas.core.errors import ConflictError, ValidationError
from civitas.core.forms import add_service_errors
from civitas.stakeholders.figures import figure2_svg, power_interest_svg
from civitas.stakeholders.forms import AddToInitiativeForm, CategorizationForm
from civitas.stakeholders.models import Categorization
from civitas.stakeholders.selectors import initiative_categorizations, stakeholder_list
from civitas.stakeholders.services import (
    categorization_defaults,
    categorization_delete,
    categorization_set,
)
from civitas.stakeholders.views._common import (
    city_view,
    confirm_page,
    get_city,
    get_initiative,
    get_stakeholder,
    is_confirmed,
    posted,
    safe_next,
)
from civitas.stakeholders.views.detail import categorization_row

CATEGORIZE = "stakeholders.categorize"


@city_view
def categorize_view(
    request: HttpRequest, city_slug: str, pk: int, initiative_pk: int
) -> HttpResponse:
    """Set a stakeholder's roles and scores in an initiative; new ones start from the type."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CATEGORIZE)
    initiative = get_initiative(city, initiative_pk)
    existing = Categorization.objects.filter(stakeholder=stakeholder, initiative=initiative).first()
    if existing is not None:
        initial = {
            "lfa_roles": existing.lfa_roles,
            "technology_roles": existing.technology_roles,
            "power_monetary": existing.power_monetary,
            "power_administrative": existing.power_administrative,
            "interest": existing.interest,
            "attitude": existing.attitude,
            "rationale": existing.rationale,
            "version": existing.version,
        }
    else:
        if initiative.archived_at is not None:
            raise Http404("This initiative is archived.")
        initial = categorization_defaults(stakeholder.type)
    detail_url = reverse("stakeholders:detail", args=[city.slug, stakeholder.pk])
    form = CategorizationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            if existing is not None and version is None:
                raise ConflictError(
                    "Someone else categorized this stakeholder in this initiative after you "
                    "opened the form. Reload it to see their values, then apply yours again."
                )
            categorization_set(
                stakeholder=stakeholder,
                initiative=initiative,
                by=request.user,  # type: ignore[arg-type]
                expected_version=version,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"“{stakeholder.name}” was categorized in “{initiative.name}”."
            )
            return redirect(safe_next(request, detail_url))
    return render(
        request,
        "stakeholders/categorization_form.html",
        {
            "city": city,
            "stakeholder": stakeholder,
            "initiative": initiative,
            "categorization": existing,
            "form": form,
            "next": safe_next(request, ""),
            "cancel_url": safe_next(request, detail_url),
        },
    )


@city_view
def categorization_delete_view(
    request: HttpRequest, city_slug: str, pk: int, initiative_pk: int
) -> HttpResponse:
    """Remove a stakeholder's categorization from an initiative, after confirmation."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CATEGORIZE)
    initiative = get_initiative(city, initiative_pk)
    categorization = Categorization.objects.filter(
        stakeholder=stakeholder, initiative=initiative
    ).first()
    if categorization is None:
        raise Http404("This stakeholder is not categorized in this initiative.")
    categorization.stakeholder = stakeholder
    back = safe_next(request, reverse("stakeholders:detail", args=[city.slug, stakeholder.pk]))
    if not is_confirmed(request):
        return confirm_page(
            request,
            city=city,
            stakeholder=stakeholder,
            question=f"Remove the categorization of “{stakeholder.name}” in “{initiative.name}”?",
            details="Its roles and scores in this initiative are removed; the change history "
            "keeps a record of them.",
            cancel_url=back,
            button_label="Remove",
            hidden=[("next", back)],
        )
    categorization_delete(categorization=categorization, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request, f"“{stakeholder.name}” is no longer categorized in “{initiative.name}”."
    )
    return redirect(back)


@city_view
def initiative_categorization_view(
    request: HttpRequest, city_slug: str, initiative_pk: int
) -> HttpResponse:
    """Show an initiative's categorized stakeholders, Figure 2 and the power-interest grid."""
    city = get_city(request, city_slug, "cities.view_initiative")
    initiative = get_initiative(city, initiative_pk)
    categorizations = initiative_categorizations(initiative=initiative, user=request.user)  # type: ignore[arg-type]
    can_categorize = request.user.has_perm(CATEGORIZE, city)
    form = None
    if can_categorize and initiative.archived_at is None:
        candidates = stakeholder_list(city=city, user=request.user).exclude(  # type: ignore[arg-type]
            categorizations__initiative=initiative
        )
        form = AddToInitiativeForm(posted(request), candidates=candidates)
        if request.method == "POST" and form.is_valid():
            chosen = list(form.cleaned_data["stakeholders"])
            try:
                with transaction.atomic():
                    for stakeholder in chosen:
                        categorization_set(
                            stakeholder=stakeholder,
                            initiative=initiative,
                            by=request.user,  # type: ignore[arg-type]
                        )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                count = len(chosen)
                messages.success(
                    request,
                    f"{count} stakeholder{'s' if count != 1 else ''} added with their types' "
                    "default roles and scores. Adjust each one below.",
                )
                return redirect("stakeholders:initiative_categorization", city.slug, initiative.pk)
    elif request.method == "POST":
        return redirect("stakeholders:initiative_categorization", city.slug, initiative.pk)
    return render(
        request,
        "stakeholders/initiative_categorization.html",
        {
            "city": city,
            "initiative": initiative,
            "rows": [categorization_row(c) for c in categorizations],
            "form": form,
            "can_categorize": can_categorize,
            "figure2": figure2_svg(
                categorizations, title=f"Figure 2: stakeholders of “{initiative.name}” by role"
            ),
            "grid": power_interest_svg(
                categorizations, title=f"Power-interest grid of “{initiative.name}”"
            ),
        },
    )


def _svg_response(svg: str, filename: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@city_view
def figure2_svg_view(request: HttpRequest, city_slug: str, initiative_pk: int) -> HttpResponse:
    """Return Figure 2 of an initiative as an SVG file."""
    city = get_city(request, city_slug, "cities.view_initiative")
    initiative = get_initiative(city, initiative_pk)
    categorizations = initiative_categorizations(initiative=initiative, user=request.user)  # type: ignore[arg-type]
    svg = figure2_svg(
        categorizations, title=f"Figure 2: stakeholders of “{initiative.name}” by role"
    )
    return _svg_response(svg, f"{city.slug}-initiative-{initiative.pk}-figure2.svg")


@city_view
def grid_svg_view(request: HttpRequest, city_slug: str, initiative_pk: int) -> HttpResponse:
    """Return the power-interest grid of an initiative as an SVG file."""
    city = get_city(request, city_slug, "cities.view_initiative")
    initiative = get_initiative(city, initiative_pk)
    categorizations = initiative_categorizations(initiative=initiative, user=request.user)  # type: ignore[arg-type]
    svg = power_interest_svg(categorizations, title=f"Power-interest grid of “{initiative.name}”")
    return _svg_response(svg, f"{city.slug}-initiative-{initiative.pk}-grid.svg")
