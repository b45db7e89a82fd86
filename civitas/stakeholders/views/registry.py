"""The registry pages: list, create, edit, archive, delete, merge, Start from the Supplement."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from civitas.catalogue.selectors import catalogue_types
from civitas.cities.selectors import initiative_list
from civitas.core.errors import ConflictError, ValidationError, error_messages
from civitas.core.forms import add_service_errors
from civitas.stakeholders.forms import (
    MergeForm,
    RegistryFilterForm,
    SeedForm,
    StakeholderForm,
)
from civitas.stakeholders.selectors import city_tags, stakeholder_list
from civitas.stakeholders.services import (
    city_seed_from_catalogue,
    stakeholder_archive,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_has_records,
    stakeholder_merge,
    stakeholder_update,
)
from civitas.stakeholders.views._common import (
    city_view,
    confirm_page,
    get_city,
    get_stakeholder,
    is_confirmed,
    is_htmx,
    posted,
)

PAGE_SIZE = 50
SORT_COLUMNS = ("name", "type", "sector", "updated")


@city_view
def stakeholder_list_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """List a city's stakeholders with search, filters, sorting and pages of 50."""
    city = get_city(request, city_slug)
    initiatives = list(initiative_list(city=city))
    form = RegistryFilterForm(
        request.GET, types=catalogue_types(), tags=city_tags(city), initiatives=initiatives
    )
    filters = form.filters()
    sort = filters.get("sort", "name")
    if sort.lstrip("-") not in SORT_COLUMNS:
        sort = "name"
    initiative = next((i for i in initiatives if i.pk == filters.get("initiative")), None)
    stakeholders = stakeholder_list(
        city=city,
        user=request.user,  # type: ignore[arg-type]
        search=filters.get("q", ""),
        type=filters.get("type", ""),
        sector=filters.get("sector", ""),
        level=filters.get("level", ""),
        lfa_role=filters.get("lfa_role", ""),
        tag=filters.get("tag", ""),
        initiative=initiative,
        archived=filters.get("archived", False),
        sort=sort,
    )
    if filters.get("placeholders"):
        stakeholders = stakeholders.filter(is_placeholder=True)
    page = Paginator(stakeholders, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(key not in ("sort", "archived") for key in filters)
    context: dict[str, Any] = {
        "city": city,
        "form": form,
        "page_obj": page,
        "sort": sort,
        "sort_links": {
            column: f"-{column}" if sort == column else column for column in SORT_COLUMNS
        },
        "filtered": filtered,
        "archived": filters.get("archived", False),
        "can_add": request.user.has_perm("stakeholders.add_stakeholder", city),
    }
    context["htmx"] = is_htmx(request)
    template = (
        "stakeholders/_registry_results.html"
        if context["htmx"]
        else "stakeholders/stakeholder_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@city_view
def stakeholder_create_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Add a stakeholder to the registry."""
    city = get_city(request, city_slug, "stakeholders.add_stakeholder")
    types = list(catalogue_types())
    if request.method == "POST":
        form = StakeholderForm(request.POST, city=city, types=types)
        if form.is_valid():
            try:
                stakeholder = stakeholder_create(
                    city=city,
                    by=request.user,  # type: ignore[arg-type]
                    **form.service_arguments(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"“{stakeholder.name}” was added to the registry.")
                return redirect("stakeholders:detail", city.slug, stakeholder.pk)
    else:
        form = StakeholderForm(
            city=city, types=types, initial={"type": request.GET.get("type", "")}
        )
    return render(request, "stakeholders/stakeholder_form.html", {"city": city, "form": form})


@city_view
def stakeholder_edit_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Change a stakeholder; a save from a stale page is refused with a clear message."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, "stakeholders.change_stakeholder")
    types = list(catalogue_types())
    if request.method == "POST":
        form = StakeholderForm(request.POST, city=city, types=types, instance=stakeholder)
        if form.is_valid():
            try:
                stakeholder_update(
                    stakeholder=stakeholder,
                    by=request.user,  # type: ignore[arg-type]
                    expected_version=form.expected_version,
                    **form.service_arguments(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except ConflictError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"“{stakeholder.name}” was saved.")
                return redirect("stakeholders:detail", city.slug, stakeholder.pk)
    else:
        form = StakeholderForm(city=city, types=types, instance=stakeholder)
    return render(
        request,
        "stakeholders/stakeholder_form.html",
        {"city": city, "form": form, "stakeholder": stakeholder},
    )


@city_view
@require_POST
def stakeholder_archive_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Archive a stakeholder, or bring it back with archived=0."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, "stakeholders.archive_stakeholder")
    archived = request.POST.get("archived", "1") != "0"
    try:
        stakeholder_archive(
            stakeholder=stakeholder,
            by=request.user,  # type: ignore[arg-type]
            archived=archived,
        )
    except ValidationError as error:
        for message_list in error_messages(error).values():
            for message in message_list:
                messages.error(request, message)
    else:
        messages.success(
            request,
            f"“{stakeholder.name}” was archived: it no longer shows in the registry."
            if archived
            else f"“{stakeholder.name}” is back in the registry.",
        )
    return redirect("stakeholders:detail", city.slug, stakeholder.pk)


@city_view
def stakeholder_delete_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Delete a stakeholder that has no records yet, after confirmation."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, "stakeholders.delete_stakeholder")
    detail_url = reverse("stakeholders:detail", args=[city.slug, stakeholder.pk])
    if stakeholder_has_records(stakeholder):
        messages.warning(
            request,
            f"“{stakeholder.name}” already has categorizations, matrix items, units or edits "
            "on record, so it cannot be deleted. Archive it instead: its history stays.",
        )
        return redirect(detail_url)
    if not is_confirmed(request):
        return confirm_page(
            request,
            city=city,
            stakeholder=stakeholder,
            question=f"Delete “{stakeholder.name}”?",
            details="It has no records yet, so it is removed for good. This cannot be undone.",
            cancel_url=detail_url,
            button_label="Delete",
        )
    try:
        stakeholder_delete(stakeholder=stakeholder, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for message_list in error_messages(error).values():
            for message in message_list:
                messages.error(request, message)
        return redirect(detail_url)
    messages.success(request, f"“{stakeholder.name}” was deleted.")
    return redirect("stakeholders:list", city.slug)


@city_view
def stakeholder_merge_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Fold a stakeholder into another one: its records move, it is archived."""
    city = get_city(request, city_slug)
    source = get_stakeholder(request, city, pk, "stakeholders.merge_stakeholder")
    form = MergeForm(posted(request), source=source)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            stakeholder_merge(source=source, target=target, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"“{source.name}” was merged into “{target.name}” and archived."
            )
            return redirect("stakeholders:detail", city.slug, target.pk)
    return render(
        request,
        "stakeholders/stakeholder_merge.html",
        {"city": city, "stakeholder": source, "form": form},
    )


@city_view
def start_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Start from the Supplement: one placeholder per catalogue type the city lacks."""
    city = get_city(request, city_slug, "stakeholders.add_stakeholder")
    form = SeedForm(posted(request))
    if request.method == "POST" and form.is_valid():
        created = city_seed_from_catalogue(
            city=city,
            by=request.user,  # type: ignore[arg-type]
            include_units=form.cleaned_data["include_units"],
        )
        if created:
            count = len(created)
            messages.success(
                request,
                f"{count} placeholder{'s' if count != 1 else ''} created. Rename each one "
                "after a real stakeholder of the city, merge it, or archive it.",
            )
            return redirect(reverse("stakeholders:list", args=[city.slug]) + "?placeholders=on")
        messages.info(
            request, "Nothing to add: the registry already has a stakeholder of every type."
        )
        return redirect("stakeholders:list", city.slug)
    return render(request, "stakeholders/start.html", {"city": city, "form": form})
