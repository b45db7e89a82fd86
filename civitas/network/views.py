"""Pages of the map (§4.1 b, Figure 3), its analysis, graph downloads and relationships."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from civitas.accounts.models import Membership, User
from civitas.cities.models import City, Initiative
from civitas.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    error_messages,
)
from civitas.core.forms import add_service_errors
from civitas.core.vocabulary import Level, Sector
from civitas.network.formats import COLOURS, FORMATS, SIZES
from civitas.network.forms import MapScopeForm, RelationshipFilterForm, RelationshipForm
from civitas.network.maps import graph_export, graph_filename, map_data
from civitas.network.models import Relationship
from civitas.network.report import network_report
from civitas.network.selectors import relationship_history, relationship_list
from civitas.network.services import (
    layout_reset,
    layout_save,
    relationship_create,
    relationship_delete,
    relationship_update,
)
from civitas.network.vocabulary import KIND_STYLES, SECTOR_COLOURS, RelationshipKind
from civitas.stakeholders.selectors import stakeholder_list
from civitas.stakeholders.views._common import (
    city_view,
    confirm_page,
    get_city,
    is_confirmed,
    posted,
    safe_next,
)

VIEW = "network.view_network"
PAGE_SIZE = 50
# How many items of each finding the map page shows beside the map.
SHOWN = 8
METRIC_LABELS = {
    "degree": "Degree (stakeholders related to)",
    "relationships": "Relationships",
    "betweenness": "Betweenness",
    "pagerank": "PageRank",
    "eigenvector": "Eigenvector centrality",
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _scope(request: HttpRequest, city: City) -> tuple[MapScopeForm, Initiative | None, str]:
    form = MapScopeForm(request.GET, city=city)
    initiative, grouping = form.scope()
    return form, initiative, grouping


def _scope_query(initiative: Initiative | None, grouping: str) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if initiative is not None:
        query["initiative"] = initiative.pk
    if grouping:
        query["grouping"] = grouping
    return query


def editable_sources(user: User, city: City) -> set[int] | None:
    """Return the stakeholders whose relationships the user may change (None: all of them)."""
    if user.has_perm("network.change_relationship", city):
        return None
    own = Membership.objects.filter(
        user=user, city=city, role="contributor", stakeholder__isnull=False
    ).values_list("stakeholder_id", flat=True)
    return set(own)


@city_view
def map_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Show the interactive map of a city or an initiative; its analysis loads beside it."""
    city = get_city(request, city_slug, VIEW)
    user = _user(request)
    scope_form, initiative, grouping = _scope(request, city)
    query = _scope_query(initiative, grouping)
    sources = editable_sources(user, city)
    downloads = [
        (label, reverse("network:graph_export", args=[city.slug, code]) + _query(query))
        for code, label in (
            ("graphml", "GraphML"),
            ("gexf", "GEXF"),
            ("json", "JSON"),
            ("kumu", "Kumu"),
        )
    ]
    focus = request.GET.get("focus", "")
    context = {
        "city": city,
        "scope_form": scope_form,
        "initiative": initiative,
        "grouping": grouping,
        "kinds": [
            {
                "code": code,
                "label": label,
                "colour": KIND_STYLES[code].colour,
                "line": KIND_STYLES[code].line,
            }
            for code, label in RelationshipKind.choices
        ],  # fmt: skip
        "levels": Level.choices,
        "sectors": [(label, SECTOR_COLOURS[code]) for code, label in Sector.choices],
        "data_url": reverse("network:map_data", args=[city.slug]) + _query(query),
        "summary_url": reverse("network:analysis_summary", args=[city.slug])
        + _query(_scope_query(initiative, "")),
        "save_url": reverse("network:layout_save", args=[city.slug]),
        "svg_url": reverse("network:graph_export", args=[city.slug, "svg"]),
        "new_relationship_url": reverse("network:relationship_create", args=[city.slug]),
        "analysis_url": reverse("network:analysis", args=[city.slug]) + _query(query),
        "downloads": downloads,
        "can_add": sources is None or bool(sources),
        "can_save_layout": user.has_perm("network.save_layout", city),
        "focus": focus if focus.isdigit() else "",
        "metric_labels": METRIC_LABELS,
    }
    return render(request, "network/map.html", context)


@require_GET
@city_view
def analysis_summary_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Return the analysis shown beside the map (a fragment the map page loads)."""
    city = get_city(request, city_slug, VIEW)
    _, initiative, _ = _scope(request, city)
    report = network_report(city=city, user=_user(request), initiative=initiative)
    analysis_url = reverse("network:analysis", args=[city.slug]) + _query(
        _scope_query(initiative, "")
    )
    return render(
        request,
        "network/_analysis_summary.html",
        {"city": city, "report": report, "shown": SHOWN, "analysis_url": analysis_url},
    )


def _query(values: dict[str, Any]) -> str:
    return f"?{urlencode(values, doseq=True)}" if values else ""


@require_GET
@city_view
def map_data_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Return the map's stakeholders, positions, metrics and relationships as JSON."""
    city = get_city(request, city_slug, VIEW)
    _, initiative, grouping = _scope(request, city)
    data = map_data(city=city, user=_user(request), initiative=initiative, grouping=grouping)
    response = JsonResponse(data, json_dumps_params={"separators": (",", ":")})
    response["Cache-Control"] = "private, no-store"
    return response


def _json_error(
    status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> JsonResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status)


@require_POST
@city_view
def layout_save_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Save (or with "reset": forget) the positions of a map, sent as JSON by the map."""
    city = get_city(request, city_slug, VIEW)
    user = _user(request)
    if not user.has_perm("network.save_layout", city):
        return _json_error(403, "Your role in this city does not allow saving the map's layout.")
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _json_error(400, "Send the layout as JSON.")
    if not isinstance(body, dict):
        return _json_error(400, "Send the layout as a JSON object.")
    initiative = None
    if body.get("initiative") not in (None, ""):
        initiative = Initiative.objects.filter(city=city, pk=_int(body["initiative"])).first()
        if initiative is None:
            return _json_error(422, "Invalid input.", {"initiative": ["No such initiative."]})
    grouping = str(body.get("grouping") or "")
    try:
        if body.get("action") == "reset":
            layout_reset(city=city, initiative=initiative, grouping=grouping, by=user)
            return JsonResponse({"reset": True})
        version = body.get("version")
        layout = layout_save(
            city=city,
            initiative=initiative,
            grouping=grouping,
            positions=body.get("positions"),
            by=user,
            expected_version=_int(version) if version is not None else None,
        )
    except ValidationError as error:
        return _json_error(422, "Invalid input.", error_messages(error))
    except ConflictError as error:
        return _json_error(409, str(error))
    except PermissionDeniedError as error:
        return _json_error(403, str(error))
    return JsonResponse(
        {
            "version": layout.version,
            "saved_by": user.get_username(),
            "saved_at": layout.updated_at.isoformat(),
            "positions": len(layout.positions),
        }
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@city_view
def analysis_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Show the map's metrics, brokers, influence without voice, communities, gaps, overlaps."""
    city = get_city(request, city_slug, VIEW)
    scope_form, initiative, grouping = _scope(request, city)
    report = network_report(city=city, user=_user(request), initiative=initiative)
    sort = request.GET.get("sort", "betweenness")
    if sort not in METRIC_LABELS:
        sort = "betweenness"
    metrics = report.analysis.metrics.nodes
    ranked = [{"node": node, "metrics": metrics[node.id]} for node, _ in report.ranked(sort)]
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "city": city,
        "scope_form": scope_form,
        "initiative": initiative,
        "report": report,
        "page": page,
        "sort": sort,
        "sort_label": METRIC_LABELS[sort],
        "metric_labels": METRIC_LABELS,
        "analysis_url": reverse("network:analysis", args=[city.slug]),
        "map_url": reverse("network:map", args=[city.slug])
        + _query(_scope_query(initiative, grouping)),
        "scope_query": _query(_scope_query(initiative, "")),
    }
    return render(request, "network/analysis.html", context)


@require_GET
@city_view
def graph_export_view(request: HttpRequest, city_slug: str, format: str) -> HttpResponse:
    """Download the map as GraphML, GEXF, JSON, Kumu's JSON or SVG."""
    if format not in FORMATS:
        raise Http404("No such format.")
    city = get_city(request, city_slug, VIEW)
    _, initiative, grouping = _scope(request, city)
    kinds = {kind for kind in request.GET.getlist("kind") if kind in RelationshipKind.values}
    colour = request.GET.get("colour", "sector")
    size = request.GET.get("size", "power")
    content = graph_export(
        format,
        city=city,
        user=_user(request),
        initiative=initiative,
        grouping=grouping,
        kinds=kinds or None,
        level=request.GET.get("level", "")[:20],
        type=request.GET.get("type", "")[:60],
        colour_by=colour if colour in COLOURS else "sector",
        size_by=size if size in SIZES else "power",
    )
    response = HttpResponse(content, content_type=FORMATS[format].content_type)
    filename = graph_filename(city, initiative, format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Relationships


@city_view
def relationship_list_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """List a city's relationships, filtered, fifty to a page."""
    city = get_city(request, city_slug, VIEW)
    user = _user(request)
    form = RelationshipFilterForm(request.GET, city=city)
    filters = form.cleaned_data if form.is_valid() else {}
    relationships = relationship_list(
        city=city,
        user=user,
        kind=filters.get("kind") or "",
        initiative=filters.get("initiative"),
        search=filters.get("search") or "",
    )
    page = Paginator(relationships, PAGE_SIZE).get_page(request.GET.get("page"))
    sources = editable_sources(user, city)
    rows = [
        {
            "relationship": relationship,
            "can_change": sources is None or relationship.source_id in sources,
        }
        for relationship in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/relationship_list.html",
        {
            "city": city,
            "form": form,
            "page": page,
            "rows": rows,
            "can_add": sources is None or bool(sources),
            "query": query.urlencode(),
        },
    )


def _form_stakeholders(request: HttpRequest, city: City) -> Any:
    return stakeholder_list(city=city, user=_user(request))


@city_view
def relationship_create_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Add a relationship; ?source= and ?target= fill in the form (from the map or a page)."""
    city = get_city(request, city_slug, VIEW)
    user = _user(request)
    sources = editable_sources(user, city)
    if sources is not None and not sources:
        raise PermissionDenied("Your role in this city does not allow adding relationships.")
    stakeholders = _form_stakeholders(request, city)
    initial = {
        name: request.GET[name]
        for name in ("source", "target", "kind", "initiative")
        if request.GET.get(name, "").replace("_", "").isalnum()
    }
    form = RelationshipForm(posted(request), city=city, stakeholders=stakeholders, initial=initial)
    if sources is not None:
        form.fields["source"].queryset = stakeholders.filter(pk__in=sources)  # type: ignore[attr-defined]
    back = safe_next(request, reverse("network:relationship_list", args=[city.slug]))
    if request.method == "POST" and form.is_valid():
        try:
            relationship = relationship_create(by=user, **_arguments(form))
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, f"Recorded: {relationship}.")
            return redirect(back)
    return render(
        request,
        "network/relationship_form.html",
        {"city": city, "form": form, "relationship": None, "next": back, "cancel_url": back},
    )


def _arguments(form: RelationshipForm) -> dict[str, Any]:
    data = form.service_arguments()
    data["direction"] = data.get("direction") or ""
    return data


def _relationship(request: HttpRequest, city: City, pk: int) -> Relationship:
    relationship = relationship_list(city=city, user=_user(request)).filter(pk=pk).first()
    if relationship is None:
        raise Http404("No such relationship in this city.")
    return relationship


@city_view
def relationship_edit_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Change a relationship; shows its change history below the form."""
    city = get_city(request, city_slug, VIEW)
    user = _user(request)
    relationship = _relationship(request, city, pk)
    if not user.has_perm("network.change_relationship", relationship.source):
        raise PermissionDenied("Your role in this city does not allow changing this relationship.")
    form = RelationshipForm(
        posted(request),
        city=city,
        stakeholders=_form_stakeholders(request, city),
        instance=relationship,
    )
    back = safe_next(request, reverse("network:relationship_list", args=[city.slug]))
    if request.method == "POST" and form.is_valid():
        try:
            relationship_update(
                relationship=relationship,
                by=user,
                expected_version=form.cleaned_data["version"],
                **_arguments(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, str(error))
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, f"Saved: {relationship}.")
            return redirect(back)
    return render(
        request,
        "network/relationship_form.html",
        {
            "city": city,
            "form": form,
            "relationship": relationship,
            "history": relationship_history(relationship),
            "next": back,
            "cancel_url": back,
        },
    )


@city_view
def relationship_delete_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Delete a relationship, after confirmation."""
    city = get_city(request, city_slug, VIEW)
    user = _user(request)
    relationship = _relationship(request, city, pk)
    if not user.has_perm("network.delete_relationship", relationship.source):
        raise PermissionDenied("Your role in this city does not allow deleting this relationship.")
    back = safe_next(request, reverse("network:relationship_list", args=[city.slug]))
    if not is_confirmed(request):
        return confirm_page(
            request,
            city=city,
            question=f"Delete the relationship “{relationship}”?",
            details="It leaves the map and its analysis; its change history keeps it.",
            cancel_url=back,
            button_label="Delete the relationship",
            hidden=[("next", back)],
        )
    relationship_delete(relationship=relationship, by=user)
    messages.success(request, f"Deleted: {relationship}.")
    return redirect(back)
