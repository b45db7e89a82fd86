"""API for relationships, the map, its analysis, saved layouts and graph downloads."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from civitas.cities.api import city_of
from civitas.cities.models import City, Initiative
from civitas.core.errors import ValidationError
from civitas.core.permissions import require
from civitas.core.schemas import ERRORS, CitySlug, ErrorOut, ObjectId, Pages, acting_user
from civitas.network.formats import FORMATS
from civitas.network.gaps import expected_relationships
from civitas.network.maps import graph_export, graph_filename, map_data
from civitas.network.models import Relationship
from civitas.network.report import network_report
from civitas.network.schemas import (
    AnalysisOut,
    ExpectedRelationshipOut,
    ExportFilters,
    GapOut,
    GroupingCode,
    LayoutIn,
    LayoutOut,
    MapFilters,
    MapOut,
    RelationshipFilters,
    RelationshipHistoryOut,
    RelationshipIn,
    RelationshipOut,
    RelationshipPatch,
)
from civitas.network.selectors import relationship_history, relationship_list, relationship_of
from civitas.network.services import (
    layout_reset,
    layout_save,
    relationship_create,
    relationship_delete,
    relationship_update,
)
from civitas.stakeholders.models import Stakeholder

router = Router()

RELATIONSHIPS = "/cities/{slug}/relationships"
ONE = RELATIONSHIPS + "/{relationship_id}"
NETWORK = "/cities/{slug}/network"
CONFLICT: dict[int, type[ErrorOut]] = {409: ErrorOut}


def _initiative(city: City, pk: int | None, errors: dict[str, list[str]], field: str) -> Any:
    if pk is None:
        return None
    initiative = Initiative.objects.filter(city=city, pk=pk).first()
    if initiative is None:
        errors[field] = [f"There is no initiative with the id {pk} in this city."]
    return initiative


def _stakeholder(
    request: HttpRequest, city: City, pk: int, errors: dict[str, list[str]], field: str
) -> Stakeholder | None:
    stakeholder = Stakeholder.objects.filter(city=city, pk=pk).first()
    if stakeholder is None or not acting_user(request).has_perm(
        "stakeholders.view_stakeholder", stakeholder
    ):
        errors[field] = [f"There is no stakeholder with the id {pk} in this city."]
        return None
    return stakeholder


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _relationship(request: HttpRequest, slug: str, pk: int) -> Relationship:
    city = city_of(request, slug)
    return relationship_of(city=city, user=acting_user(request), pk=pk)


@router.get(
    RELATIONSHIPS, response={200: list[RelationshipOut], **ERRORS}, summary="List relationships"
)
@paginate(Pages)
def relationship_index(
    request: HttpRequest, slug: CitySlug, filters: Query[RelationshipFilters]
) -> Any:
    """List a city's relationships between stakeholders you may see."""
    city = city_of(request, slug)
    errors: dict[str, list[str]] = {}
    stakeholder = None
    if filters.stakeholder is not None:
        stakeholder = _stakeholder(request, city, filters.stakeholder, errors, "stakeholder")
    initiative = _initiative(city, filters.initiative, errors, "initiative")
    _raise_if(errors)
    return relationship_list(
        city=city,
        user=acting_user(request),
        stakeholder=stakeholder,
        kind=filters.kind or "",
        initiative=initiative,
        search=filters.search,
        include_ended=filters.include_ended,
    )


@router.post(RELATIONSHIPS, response={201: RelationshipOut, **ERRORS}, summary="Add a relationship")
def relationship_add(
    request: HttpRequest, slug: CitySlug, payload: RelationshipIn
) -> Status[Relationship]:
    """Record a relationship (owners and analysts; contributors from their own stakeholder)."""
    city = city_of(request, slug)
    user = acting_user(request)
    errors: dict[str, list[str]] = {}
    source = _stakeholder(request, city, payload.source_id, errors, "source_id")
    target = _stakeholder(request, city, payload.target_id, errors, "target_id")
    initiative = _initiative(city, payload.initiative_id, errors, "initiative_id")
    _raise_if(errors)
    require(user, "network.add_relationship", source)
    relationship = relationship_create(
        source=source,  # type: ignore[arg-type]  # checked: no error was noted
        target=target,  # type: ignore[arg-type]
        kind=payload.kind,
        by=user,
        direction=payload.direction or "",
        strength=payload.strength,
        description=payload.description,
        initiative=initiative,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    return Status(201, relationship)


@router.get(ONE, response={200: RelationshipOut, **ERRORS}, summary="Get a relationship")
def relationship_get(
    request: HttpRequest, slug: CitySlug, relationship_id: ObjectId
) -> Relationship:
    """Return one relationship."""
    return _relationship(request, slug, relationship_id)


@router.patch(
    ONE, response={200: RelationshipOut, **CONFLICT, **ERRORS}, summary="Change a relationship"
)
def relationship_change(
    request: HttpRequest, slug: CitySlug, relationship_id: ObjectId, payload: RelationshipPatch
) -> Relationship:
    """Change a relationship; send the version you read, a stale one is refused with 409."""
    relationship = _relationship(request, slug, relationship_id)
    user = acting_user(request)
    require(user, "network.change_relationship", relationship.source)
    changes = payload.changes()
    version = changes.pop("version")
    errors: dict[str, list[str]] = {}
    city = city_of(request, slug)
    for field in ("source", "target"):
        if f"{field}_id" in changes:
            changes[field] = _stakeholder(
                request, city, changes.pop(f"{field}_id"), errors, f"{field}_id"
            )
    if "initiative_id" in changes:
        changes["initiative"] = _initiative(
            city, changes.pop("initiative_id"), errors, "initiative_id"
        )
    _raise_if(errors)
    return relationship_update(
        relationship=relationship, by=user, expected_version=version, **changes
    )


@router.delete(ONE, response={204: None, **ERRORS}, summary="Delete a relationship")
def relationship_remove(
    request: HttpRequest, slug: CitySlug, relationship_id: ObjectId
) -> Status[None]:
    """Delete a relationship; its history keeps it."""
    relationship = _relationship(request, slug, relationship_id)
    relationship_delete(relationship=relationship, by=acting_user(request))
    return Status(204, None)


@router.get(
    ONE + "/history",
    response={200: list[RelationshipHistoryOut], **ERRORS},
    summary="Change history of a relationship",
)
def relationship_changes(
    request: HttpRequest, slug: CitySlug, relationship_id: ObjectId
) -> list[dict[str, Any]]:
    """List who created and changed the relationship, newest first."""
    return relationship_history(_relationship(request, slug, relationship_id))


def _map_scope(request: HttpRequest, slug: str, initiative_id: int | None) -> tuple[City, Any]:
    city = city_of(request, slug, "network.view_network")
    errors: dict[str, list[str]] = {}
    initiative = _initiative(city, initiative_id, errors, "initiative")
    _raise_if(errors)
    return city, initiative


@router.get(NETWORK, response={200: MapOut, **ERRORS}, summary="The map's data")
def network_map(request: HttpRequest, slug: CitySlug, filters: Query[MapFilters]) -> dict[str, Any]:
    """Return the map of a city or an initiative: stakeholders with positions and metrics,
    and relationships, in Cytoscape's element format. The filters leave out stakeholders of
    other levels or types, and relationships of other kinds."""
    city, initiative = _map_scope(request, slug, filters.initiative)
    data = map_data(
        city=city, user=acting_user(request), initiative=initiative, grouping=filters.grouping
    )
    if filters.kind or filters.level or filters.type:
        _filter_elements(data, set(filters.kind), filters.level, filters.type)
    return data


def _filter_elements(data: dict[str, Any], kinds: set[str], level: str, type: str) -> None:
    shown = {
        node["data"]["id"]
        for node in data["nodes"]
        if not node["data"].get("is_group")
        and (not level or level in node["data"]["levels"])
        and (not type or type in (node["data"]["type"], node["data"]["parent_type"]))
    }
    data["nodes"] = [
        node
        for node in data["nodes"]
        if node["data"]["id"] in shown or node["data"].get("is_group")
    ]
    data["edges"] = [
        edge
        for edge in data["edges"]
        if edge["data"]["source"] in shown
        and edge["data"]["target"] in shown
        and (not kinds or edge["data"]["kind"] in kinds)
    ]


@router.get(NETWORK + "/analysis", response={200: AnalysisOut, **ERRORS}, summary="Analyse the map")
def network_analysis(
    request: HttpRequest, slug: CitySlug, initiative: Query[int | None] = None
) -> dict[str, Any]:
    """Return the map's metrics, communities, isolated stakeholders, brokers, influence
    without voice, gaps against the Supplement's expected relationships, and overlaps."""
    city, scope = _map_scope(request, slug, initiative)
    return network_report(city=city, user=acting_user(request), initiative=scope).as_dict()


@router.get(NETWORK + "/gaps", response={200: list[GapOut], **ERRORS}, summary="Gaps of the map")
def network_gaps(
    request: HttpRequest, slug: CitySlug, initiative: Query[int | None] = None
) -> list[dict[str, Any]]:
    """List the relationships the Supplement expects that the map lacks."""
    city, scope = _map_scope(request, slug, initiative)
    report = network_report(city=city, user=acting_user(request), initiative=scope)
    return [gap.as_dict() for gap in report.gaps]


@router.put(
    NETWORK + "/layout",
    response={200: LayoutOut, **CONFLICT, **ERRORS},
    summary="Save the map's layout",
)
def network_layout_save(request: HttpRequest, slug: CitySlug, payload: LayoutIn) -> dict[str, Any]:
    """Save the positions of a map's stakeholders for everyone in the city (owners, analysts)."""
    city, initiative = _map_scope(request, slug, payload.initiative)
    user = acting_user(request)
    layout = layout_save(
        city=city,
        initiative=initiative,
        grouping=payload.grouping,
        positions=payload.positions,
        by=user,
        expected_version=payload.version,
    )
    return {
        "version": layout.version,
        "saved_by": user.get_username(),
        "saved_at": layout.updated_at,
        "positions": len(layout.positions),
    }


@router.delete(
    NETWORK + "/layout", response={204: None, **ERRORS}, summary="Reset the map's layout"
)
def network_layout_reset(
    request: HttpRequest,
    slug: CitySlug,
    initiative: Query[int | None] = None,
    grouping: Query[GroupingCode] = "",
) -> Status[None]:
    """Forget a map's saved positions, so that the computed layout shows again."""
    city, scope = _map_scope(request, slug, initiative)
    layout_reset(city=city, initiative=scope, grouping=grouping, by=acting_user(request))
    return Status(204, None)


@router.get(NETWORK + "/export", response={200: None, **ERRORS}, summary="Download the map")
def network_export(
    request: HttpRequest, slug: CitySlug, filters: Query[ExportFilters]
) -> HttpResponse:
    """Download the map as GraphML or GEXF (Gephi, networkx, igraph), plain JSON, Kumu's
    JSON, or an SVG picture drawn with the map's positions."""
    city, initiative = _map_scope(request, slug, filters.initiative)
    content = graph_export(
        filters.format,
        city=city,
        user=acting_user(request),
        initiative=initiative,
        grouping=filters.grouping,
        kinds=set(filters.kind) or None,
        level=filters.level,
        type=filters.type,
        colour_by=filters.colour,
        size_by=filters.size,
    )
    response = HttpResponse(content, content_type=FORMATS[filters.format].content_type)
    filename = graph_filename(city, initiative, filters.format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/network/expected-relationships",
    response={200: list[ExpectedRelationshipOut], **ERRORS},
    summary="The relationships the Supplement expects",
)
def expected_relationship_list(request: HttpRequest) -> list[dict[str, Any]]:
    """List the rules gaps are found with: which types should relate how, citing the clause."""
    return [rule.as_dict() for rule in expected_relationships()]
