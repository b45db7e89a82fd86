"""Reads for the registry, categorizations, the analysis matrix and the completeness check."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from civitas.accounts.models import User
from civitas.catalogue.models import DefaultMatrixItem, StakeholderType, TypeKind
from civitas.cities.models import City, Initiative
from civitas.core.vocabulary import MatrixDimension
from civitas.stakeholders.models import (
    Categorization,
    ContactPerson,
    MatrixItem,
    Stakeholder,
    ValidationStep,
)

SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "type": ("type__position", "name"),
    "-type": ("-type__position", "name"),
    "sector": ("sector", "name"),
    "-sector": ("-sector", "name"),
    "updated": ("updated_at", "name"),
    "-updated": ("-updated_at", "name"),
}


def stakeholder_list(
    *,
    city: City,
    user: User | None,
    search: str = "",
    type: str = "",
    sector: str = "",
    level: str = "",
    lfa_role: str = "",
    tag: str = "",
    initiative: Initiative | None = None,
    archived: bool = False,
    sort: str = "name",
) -> QuerySet[Stakeholder]:
    """Return a city's stakeholders, filtered and sorted, shaped for lists.

    `type` matches a catalogue code, and also the units of that type. `lfa_role` matches
    stakeholders categorized with that role (in `initiative`, when given).
    """
    stakeholders = Stakeholder.objects.filter(city=city).select_related("type", "parent")
    stakeholders = stakeholders.filter(archived_at__isnull=not archived)
    if user is not None and not user.has_perm("stakeholders.view_confidential", city):
        stakeholders = stakeholders.filter(confidential=False)
    if search := search.strip():
        stakeholders = stakeholders.filter(
            Q(name__icontains=search)
            | Q(description__icontains=search)
            | Q(tags__has=search.lower())
        )
    if type:
        stakeholders = stakeholders.filter(Q(type__code=type) | Q(type__parent__code=type))
    if sector:
        stakeholders = stakeholders.filter(sector=sector)
    if level:
        stakeholders = stakeholders.filter(levels__has=level)
    if tag:
        stakeholders = stakeholders.filter(tags__has=tag.strip().lower())
    if lfa_role:
        categorized = Categorization.objects.filter(
            stakeholder=OuterRef("pk"), lfa_roles__has=lfa_role
        )
        if initiative is not None:
            categorized = categorized.filter(initiative=initiative)
        stakeholders = stakeholders.filter(Exists(categorized))
    return stakeholders.order_by(*SORTS.get(sort, SORTS["name"]))


def stakeholder_detail(*, city: City, pk: int) -> Stakeholder:
    """Return one stakeholder with what its page shows, in a fixed number of queries."""
    return (
        Stakeholder.objects.select_related("type", "type__parent", "parent", "city")
        .prefetch_related(
            Prefetch("contacts", queryset=ContactPerson.objects.order_by("name")),
            Prefetch(
                "categorizations",
                queryset=Categorization.objects.select_related("initiative").order_by(
                    "initiative__name"
                ),
            ),
            Prefetch("units", queryset=Stakeholder.objects.filter(archived_at__isnull=True)),
        )
        .get(city=city, pk=pk)
    )


def city_tags(city: City) -> list[str]:
    """Return every tag used in a city, sorted.

    Tag sets repeat across stakeholders, so the database hands back each distinct set once.
    """
    tags: set[str] = set()
    tag_sets = (
        Stakeholder.objects.filter(city=city, archived_at__isnull=True)
        .order_by()
        .values_list("tags", flat=True)
        .distinct()
    )
    for values in tag_sets:
        tags.update(values)
    return sorted(tags)


@dataclass
class MatrixEntry:
    """One line of a stakeholder's analysis matrix, saying where it comes from."""

    dimension: str
    text: str
    source: str  # "default" (catalogue), "edited" (a default the city reworded), "city"
    item: MatrixItem | None = None
    default: DefaultMatrixItem | None = None
    clause: str = ""

    @property
    def is_default(self) -> bool:
        return self.source == "default"


def _compose_matrix(
    defaults: Iterable[DefaultMatrixItem], items: Iterable[MatrixItem]
) -> dict[str, list[MatrixEntry]]:
    defaults, items = list(defaults), list(items)
    default_ids = {default.pk for default in defaults}
    by_default = {item.replaces_id: item for item in items if item.replaces_id}
    matrix: dict[str, list[MatrixEntry]] = {d: [] for d in MatrixDimension.values}
    for default in defaults:
        override = by_default.get(default.pk)
        if override is None:
            matrix[default.dimension].append(
                MatrixEntry(
                    default.dimension, default.text, "default", None, default, default.clause
                )
            )
        elif not override.dismissed:
            matrix[default.dimension].append(
                MatrixEntry(
                    default.dimension, override.text, "edited", override, default, default.clause
                )
            )
    for item in items:
        # An edit of a default the stakeholder no longer inherits (its type changed, or the
        # catalogue moved the item) keeps its text as one of the city's own items.
        inherited = item.replaces_id is not None and item.replaces_id in default_ids
        if not inherited and not item.dismissed:
            matrix[item.dimension].append(MatrixEntry(item.dimension, item.text, "city", item))
    return matrix


def stakeholder_matrix(stakeholder: Stakeholder) -> dict[str, list[MatrixEntry]]:
    """Return a stakeholder's effective matrix: inherited defaults, edits and own items."""
    defaults = DefaultMatrixItem.objects.filter(type_id=stakeholder.type_id).order_by("position")
    items = MatrixItem.objects.filter(stakeholder=stakeholder).order_by("position", "pk")
    return _compose_matrix(list(defaults), list(items))


def dismissed_defaults(stakeholder: Stakeholder) -> list[DefaultMatrixItem]:
    """Return the catalogue defaults the city removed for this stakeholder."""
    return list(
        DefaultMatrixItem.objects.filter(
            overrides__stakeholder=stakeholder, overrides__dismissed=True
        ).order_by("dimension", "position")
    )


def city_matrices(stakeholders: list[Stakeholder]) -> dict[int, dict[str, list[MatrixEntry]]]:
    """Return the effective matrix of many stakeholders in two queries."""
    type_ids = {s.type_id for s in stakeholders}
    defaults_by_type: dict[int, list[DefaultMatrixItem]] = defaultdict(list)
    for default in DefaultMatrixItem.objects.filter(type_id__in=type_ids).order_by("position"):
        defaults_by_type[default.type_id].append(default)
    items_by_stakeholder: dict[int, list[MatrixItem]] = defaultdict(list)
    ids = [s.pk for s in stakeholders]
    for item in MatrixItem.objects.filter(stakeholder_id__in=ids).order_by("position", "pk"):
        items_by_stakeholder[item.stakeholder_id].append(item)
    return {
        s.pk: _compose_matrix(defaults_by_type[s.type_id], items_by_stakeholder[s.pk])
        for s in stakeholders
    }


def stakeholder_history(stakeholder: Stakeholder, limit: int = 100) -> list[dict[str, Any]]:
    """Return the change history of a stakeholder, its categorizations, matrix and contacts.

    Each entry says who, when, what record and which fields changed (old → new). The
    number of queries does not grow with the history.
    """
    batches: list[list[Any]] = []
    for model in (Stakeholder, Categorization, MatrixItem, ContactPerson):
        owner = (
            {"id": stakeholder.pk} if model is Stakeholder else {"stakeholder_id": stakeholder.pk}
        )
        batches.append(
            list(
                model.history.filter(**owner)  # type: ignore[attr-defined]
                .select_related("history_user")
                .order_by("-history_date", "-history_id")[:limit]
            )
        )
    records = sorted(
        (record for batch in batches for record in batch),
        key=lambda r: r.history_date,
        reverse=True,
    )[:limit]
    shown = {id(record) for record in records}
    previous: dict[int, Any] = {}
    for batch in batches:
        if batch:
            previous.update(_previous_records(batch, shown))
    initiatives = Initiative.objects.in_bulk(
        {r.initiative_id for r in records if hasattr(r, "initiative_id")}
    )
    entries = []
    for record in records:
        changes: list[dict[str, Any]] = []
        before = previous.get(id(record)) if record.history_type == "~" else None
        if before is not None:
            delta = record.diff_against(before, excluded_fields=["version", "updated_at"])
            changes = [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user.username if record.history_user else "system",
                "action": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "record": record.instance_type._meta.verbose_name,
                "label": _history_label(record, stakeholder, initiatives),
                "changes": changes,
            }
        )
    return entries


def _previous_records(batch: list[Any], shown: set[int]) -> dict[int, Any]:
    """Map each shown record of one model (by id()) to the record before it, in one query.

    `batch` holds the newest records of the model, newest first; a record whose previous
    version is older than the batch gets it from a single windowed query.
    """
    previous: dict[int, Any] = {}
    newer: dict[int, Any] = {}  # object id -> its oldest record seen so far
    for record in batch:
        if record.id in newer:
            previous[id(newer[record.id])] = record
        newer[record.id] = record
    missing = [
        record
        for record in newer.values()
        if id(record) in shown and record.history_type == "~" and id(record) not in previous
    ]
    if missing:
        history = batch[0].instance_type.history
        older = (
            history.filter(id__in={r.id for r in missing})
            .exclude(history_id__in=[r.history_id for r in batch])
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("id")],
                    order_by=[F("history_date").desc(), F("history_id").desc()],
                )
            )
            .filter(rank=1)
        )
        by_object = {record.id: record for record in older}
        for record in missing:
            if record.id in by_object:
                previous[id(record)] = by_object[record.id]
    return previous


def _history_label(record: Any, stakeholder: Stakeholder, initiatives: dict[int, Any]) -> str:
    """Return how a history record names its object, without a query per record."""
    instance = record.history_object
    if hasattr(instance, "initiative_id"):
        initiative = initiatives.get(instance.initiative_id)
        if initiative is None:
            return f"{stakeholder.name} in a removed initiative"
        instance.initiative = initiative
    if hasattr(instance, "stakeholder_id"):
        instance.stakeholder = stakeholder
    return str(instance)


@dataclass
class Completeness:
    """What a city's registry still lacks (§3.1): the answer of the completeness check."""

    missing_types: list[StakeholderType] = field(default_factory=list)
    missing_units: list[StakeholderType] = field(default_factory=list)
    uncategorized: list[Stakeholder] = field(default_factory=list)
    without_own_matrix: list[Stakeholder] = field(default_factory=list)
    unvalidated: list[Stakeholder] = field(default_factory=list)
    steps_done: dict[str, int] = field(default_factory=dict)
    stakeholder_count: int = 0
    placeholders: list[Stakeholder] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not (
            self.missing_types or self.uncategorized or self.without_own_matrix or self.unvalidated
        )

    def as_dict(self) -> dict[str, Any]:
        def people(items: list[Stakeholder]) -> list[dict[str, Any]]:
            return [{"id": s.pk, "name": s.name, "type": s.type.code} for s in items]

        return {
            "complete": self.is_complete,
            "stakeholder_count": self.stakeholder_count,
            "missing_types": [t.code for t in self.missing_types],
            "missing_units": [t.code for t in self.missing_units],
            "uncategorized": people(self.uncategorized),
            "without_own_matrix_items": people(self.without_own_matrix),
            "unvalidated": [
                {
                    **person,
                    "missing_steps": [
                        step for step in ValidationStep.values if step not in s.validation_steps
                    ],
                }
                for person, s in zip(people(self.unvalidated), self.unvalidated, strict=True)
            ],
            "validation_steps_done": self.steps_done,
            "placeholders": people(self.placeholders),
        }


def completeness_check(*, city: City, user: User | None = None) -> Completeness:
    """Check a city's registry against the catalogue and the validation steps of §3.1."""
    stakeholders = list(
        stakeholder_list(city=city, user=user).annotate(
            categorization_count=Count("categorizations", distinct=True),
            own_matrix_count=Count(
                "matrix_items", filter=Q(matrix_items__dismissed=False), distinct=True
            ),
        )
    )
    present = {s.type_id for s in stakeholders}
    result = Completeness(stakeholder_count=len(stakeholders))
    for stakeholder_type in StakeholderType.objects.order_by("position"):
        if stakeholder_type.pk in present:
            continue
        if stakeholder_type.kind == TypeKind.GENERIC:
            result.missing_types.append(stakeholder_type)
        else:
            result.missing_units.append(stakeholder_type)
    for stakeholder in stakeholders:
        if not stakeholder.categorization_count:  # type: ignore[attr-defined]
            result.uncategorized.append(stakeholder)
        if not stakeholder.own_matrix_count:  # type: ignore[attr-defined]
            result.without_own_matrix.append(stakeholder)
        if not stakeholder.is_validated:
            result.unvalidated.append(stakeholder)
        if stakeholder.is_placeholder:
            result.placeholders.append(stakeholder)
    result.steps_done = {
        step: sum(1 for s in stakeholders if step in s.validation_steps)
        for step in ValidationStep.values
    }
    return result


def initiative_categorizations(
    *, initiative: Initiative, user: User | None
) -> list[Categorization]:
    """Return an initiative's categorizations of stakeholders the user may see."""
    categorizations = (
        Categorization.objects.filter(initiative=initiative, stakeholder__archived_at__isnull=True)
        .select_related("stakeholder", "stakeholder__type")
        .order_by("stakeholder__name")
    )
    if user is not None and not user.has_perm("stakeholders.view_confidential", initiative.city):
        categorizations = categorizations.filter(stakeholder__confidential=False)
    return list(categorizations)


@dataclass
class SummaryRow:
    """One row of the Appendix I summary table."""

    stakeholder: Stakeholder
    scale_and_sector: str
    aims_and_challenges: dict[str, list[str]]
    potential_and_constraints: dict[str, list[str]]
    role_and_contributions: list[str]
    lfa_roles: list[str]
    technology_roles: list[str]

    COLUMNS = (
        "Stakeholder",
        "Scale and sector",
        "Aims and challenges",
        "Potential and constraints",
        "Role and contributions",
    )


def summary_rows(*, city: City, user: User | None = None) -> list[SummaryRow]:
    """Return the Appendix I summary of a city, one row per active stakeholder."""
    return list(summary_rows_streamed(city=city, user=user))


def summary_rows_streamed(
    *, city: City, user: User | None = None, chunk_size: int = 500
) -> Iterator[SummaryRow]:
    """Yield the Appendix I summary chunk by chunk, so that exports keep memory flat."""
    stakeholders = stakeholder_list(city=city, user=user, sort="type").prefetch_related(
        Prefetch(
            "categorizations",
            queryset=Categorization.objects.only("stakeholder_id", "lfa_roles", "technology_roles"),
        )
    )
    chunk: list[Stakeholder] = []
    for stakeholder in stakeholders.iterator(chunk_size=chunk_size):
        chunk.append(stakeholder)
        if len(chunk) == chunk_size:
            yield from _summary_chunk(chunk)
            chunk = []
    yield from _summary_chunk(chunk)


def _summary_chunk(stakeholders: list[Stakeholder]) -> Iterator[SummaryRow]:
    from civitas.core.vocabulary import LfaRole, Scale, Sector, TechnologyRole

    matrices = city_matrices(stakeholders) if stakeholders else {}
    for stakeholder in stakeholders:
        texts = {
            dimension: [entry.text for entry in entries]
            for dimension, entries in matrices[stakeholder.pk].items()
        }
        lfa: set[str] = set()
        technology: set[str] = set()
        for categorization in stakeholder.categorizations.all():
            lfa.update(categorization.lfa_roles)
            technology.update(categorization.technology_roles)
        scale = Scale(stakeholder.scale).label if stakeholder.scale else "Unknown scale"
        yield SummaryRow(
            stakeholder=stakeholder,
            scale_and_sector=f"{scale}, {Sector(stakeholder.sector).label.lower()}",
            aims_and_challenges={"aims": texts["aim"], "challenges": texts["challenge"]},
            potential_and_constraints={
                "potential": texts["potential"],
                "constraints": texts["constraint"],
            },
            role_and_contributions=texts["contribution"],
            lfa_roles=[LfaRole(r).label for r in LfaRole.values if r in lfa],
            technology_roles=[
                TechnologyRole(r).label for r in TechnologyRole.values if r in technology
            ],
        )
