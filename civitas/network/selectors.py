"""Reads for relationships and for the graph of a city's or an initiative's map."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.vocabulary import LfaRole, TechnologyRole
from civitas.network.graph import Edge, Network, Node
from civitas.network.models import Audience, Relationship
from civitas.stakeholders.models import Categorization, Stakeholder


def sees_confidential(user: User | None, city: City) -> bool:
    """Tell whether the user sees confidential stakeholders (None is the system: yes)."""
    return user is None or user.has_perm("stakeholders.view_confidential", city)


def audience_for(user: User | None, city: City) -> str:
    """Return which cached map the user gets: with or without confidential stakeholders."""
    return Audience.ALL if sees_confidential(user, city) else Audience.PUBLIC


def _current(today: date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gte=today)


def relationship_list(
    *,
    city: City,
    user: User | None,
    stakeholder: Stakeholder | None = None,
    kind: str = "",
    initiative: Initiative | None = None,
    search: str = "",
    include_ended: bool = True,
) -> QuerySet[Relationship]:
    """Return a city's relationships between stakeholders the user may see, shaped for lists."""
    relationships = Relationship.objects.filter(
        city=city, source__archived_at__isnull=True, target__archived_at__isnull=True
    ).select_related("source", "target", "initiative", "source__type", "target__type")
    if not sees_confidential(user, city):
        relationships = relationships.filter(source__confidential=False, target__confidential=False)
    if stakeholder is not None:
        relationships = relationships.filter(Q(source=stakeholder) | Q(target=stakeholder))
    if kind:
        relationships = relationships.filter(kind=kind)
    if initiative is not None:
        relationships = relationships.filter(initiative=initiative)
    if search := search.strip():
        relationships = relationships.filter(
            Q(source__name__icontains=search)
            | Q(target__name__icontains=search)
            | Q(description__icontains=search)
        )
    if not include_ended:
        relationships = relationships.filter(_current(timezone.localdate()))
    return relationships.order_by("source__name", "kind", "target__name", "pk")


def relationship_of(*, city: City, user: User | None, pk: int) -> Relationship:
    """Return one relationship the user may see, or raise Relationship.DoesNotExist."""
    return relationship_list(city=city, user=user).get(pk=pk)


def stakeholder_relationships(
    *, stakeholder: Stakeholder, user: User | None
) -> dict[str, list[Relationship]]:
    """Return a stakeholder's relationships as {"outgoing": [...], "incoming": [...]}.

    A mutual relationship is listed under "outgoing" on both sides.
    """
    relationships = relationship_list(city=stakeholder.city, user=user, stakeholder=stakeholder)
    grouped: dict[str, list[Relationship]] = {"outgoing": [], "incoming": []}
    for relationship in relationships:
        outgoing = relationship.source_id == stakeholder.pk or relationship.is_mutual
        grouped["outgoing" if outgoing else "incoming"].append(relationship)
    return grouped


def relationship_history(relationship: Relationship, limit: int = 50) -> list[dict[str, Any]]:
    """Return who created and changed a relationship, newest first, with what changed."""
    records = list(
        Relationship.history.filter(id=relationship.pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for position, record in enumerate(records[:limit]):
        before = records[position + 1] if position + 1 < len(records) else None
        changes = []
        if record.history_type == "~" and before is not None:
            delta = record.diff_against(before, excluded_fields=["version", "updated_at"])
            changes = [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user.username if record.history_user else "system",
                "action": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "changes": changes,
            }
        )
    return entries


_LFA_ORDER = {code: position for position, code in enumerate(LfaRole.values)}
_TECHNOLOGY_ORDER = {code: position for position, code in enumerate(TechnologyRole.values)}


def network_for(
    *,
    city: City,
    user: User | None,
    initiative: Initiative | None = None,
    include_ended: bool = False,
    today: date | None = None,
) -> Network:
    """Return the graph of a city's map, or of one initiative's, in three queries.

    The city's map holds every stakeholder that is not archived. An initiative's map holds
    the stakeholders categorized in it and those its own relationships name, joined by
    the initiative's relationships and the city-wide ones. Power, interest and roles come
    from the initiative's categorization, or on the city's map from the strongest of the
    stakeholder's categorizations, else from the defaults of its catalogue type.
    Relationships that ended before `today` are left out unless `include_ended`.
    """
    today = today or timezone.localdate()
    stakeholders = Stakeholder.objects.filter(city=city, archived_at__isnull=True)
    if not sees_confidential(user, city):
        stakeholders = stakeholders.filter(confidential=False)
    rows = stakeholders.values_list(
        "id", "name", "type__code", "type__name", "type__parent__code", "type__parent__name",
        "kind", "sector",
        "levels", "tags", "type__default_power_monetary", "type__default_power_administrative",
        "type__default_interest", "type__default_attitude",
    ).order_by("name", "id")  # fmt: skip
    nodes: dict[int, Node] = {}
    for (pk, name, code, type_name, parent_code, parent_name, kind, sector, levels, tags, money,
         admin, interest, attitude) in rows:  # fmt: skip
        nodes[pk] = Node(
            id=pk,
            name=name,
            type_code=code,
            type_name=type_name,
            parent_type_code=parent_code or "",
            parent_type_name=parent_name or "",
            kind=kind,
            sector=sector,
            levels=levels,
            tags=tags,
            power=max(money, admin),
            interest=interest,
            attitude=attitude,
        )
    categorizations = Categorization.objects.filter(stakeholder__city=city)
    if initiative is not None:
        categorizations = categorizations.filter(initiative=initiative)
    else:
        categorizations = categorizations.filter(initiative__archived_at__isnull=True)
    _apply_categorizations(nodes, categorizations)
    relationships = Relationship.objects.filter(city=city)
    if initiative is not None:
        relationships = relationships.filter(Q(initiative__isnull=True) | Q(initiative=initiative))
    if not include_ended:
        relationships = relationships.filter(_current(today))
    edge_rows = relationships.values_list(
        "id", "source_id", "target_id", "kind", "direction", "strength", "description",
        "initiative_id", "start_date", "end_date",
    ).order_by("id")  # fmt: skip
    edges = [
        Edge(pk, source, target, kind, direction, strength, description, scope, start, end)
        for pk, source, target, kind, direction, strength, description, scope, start, end in edge_rows
        if source in nodes and target in nodes
    ]
    if initiative is not None:
        keep = {node.id for node in nodes.values() if node.categorized}
        keep.update(e.source for e in edges if e.initiative_id == initiative.pk)
        keep.update(e.target for e in edges if e.initiative_id == initiative.pk)
        nodes = {pk: node for pk, node in nodes.items() if pk in keep}
        edges = [e for e in edges if e.source in keep and e.target in keep]
    title = f"{city.name}: {initiative.name}" if initiative is not None else city.name
    return Network(nodes=list(nodes.values()), edges=edges, title=title)


def _apply_categorizations(
    nodes: dict[int, Node], categorizations: QuerySet[Categorization]
) -> None:
    """Set each node's roles and scores from its categorizations (the strongest of them)."""
    lfa: dict[int, set[str]] = defaultdict(set)
    technology: dict[int, set[str]] = defaultdict(set)
    rows = categorizations.values_list(
        "stakeholder_id", "lfa_roles", "technology_roles", "power_monetary",
        "power_administrative", "interest", "attitude",
    )  # fmt: skip
    for pk, lfa_roles, technology_roles, money, admin, interest, attitude in rows:
        node = nodes.get(pk)
        if node is None:
            continue
        power = max(money, admin)
        if not node.categorized:
            node.categorized = True
            node.power, node.interest, node.attitude = power, interest, attitude
        else:
            node.power = max(node.power, power)
            node.interest = max(node.interest, interest)
            node.attitude = min(node.attitude, attitude)  # the most reserved stance counts
        lfa[pk].update(lfa_roles)
        technology[pk].update(technology_roles)
    for pk, roles in lfa.items():
        nodes[pk].lfa_roles = sorted(roles, key=lambda code: _LFA_ORDER.get(code, 99))
    for pk, roles in technology.items():
        nodes[pk].technology_roles = sorted(roles, key=lambda code: _TECHNOLOGY_ORDER.get(code, 99))


def contribution_texts(*, city: City, stakeholder_ids: list[int]) -> list[tuple[int, str]]:
    """Return the contributions the city wrote for stakeholders (its own and reworded ones)."""
    from civitas.core.vocabulary import MatrixDimension
    from civitas.stakeholders.models import MatrixItem

    wanted = set(stakeholder_ids)
    rows = (
        MatrixItem.objects.filter(
            stakeholder__city=city, dimension=MatrixDimension.CONTRIBUTION, dismissed=False
        )
        .exclude(text="")
        .values_list("stakeholder_id", "text")
        .order_by("stakeholder_id", "pk")
    )
    return [(pk, text) for pk, text in rows if pk in wanted]
