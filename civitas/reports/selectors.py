"""Reads for exports: a city's records in chunks, with a fixed number of queries per chunk."""

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice
from typing import Any

from civitas.accounts.models import User
from civitas.catalogue.models import DefaultMatrixItem
from civitas.cities.models import City, Initiative
from civitas.stakeholders.models import Categorization, MatrixItem, Stakeholder
from civitas.stakeholders.selectors import MatrixEntry, city_matrices, stakeholder_list

# Rows fetched from the database at a time.
CHUNK = 2_000


def export_stakeholders(*, city: City, user: User | None) -> Iterator[Stakeholder]:
    """Yield the city's active stakeholders the user may see, by name, in one query."""
    return stakeholder_list(city=city, user=user).iterator(chunk_size=CHUNK)


REGISTRY_FIELDS = (
    "id", "name", "type__code", "kind", "parent__name", "levels", "sector", "description",
    "website", "tags", "identified_as", "validation_steps", "confidential",
    "parent__confidential",
)  # fmt: skip


def export_registry_rows(*, city: City, user: User | None) -> Iterator[tuple[Any, ...]]:
    """Yield the registry's columns (REGISTRY_FIELDS) per visible stakeholder, in one query.

    Plain tuples rather than model instances: a large registry exports several times faster.
    The parent of a unit is left out (None) when it is confidential and the user may not
    see it.
    """
    rows = stakeholder_list(city=city, user=user).values_list(*REGISTRY_FIELDS)
    hide = user is not None and not user.has_perm("stakeholders.view_confidential", city)
    for row in rows.iterator(chunk_size=CHUNK):
        if hide and row[-1]:
            row = (*row[:4], None, *row[5:])
        yield row[:-1]


def export_categorizations(
    *, city: City, user: User | None, initiative: Initiative | None = None
) -> Iterator[Categorization]:
    """Yield the categorizations of active stakeholders the user may see, in one query."""
    categorizations = Categorization.objects.filter(
        initiative__city=city, stakeholder__archived_at__isnull=True
    ).select_related("stakeholder", "initiative")
    if initiative is not None:
        categorizations = categorizations.filter(initiative=initiative)
    if user is not None and not user.has_perm("stakeholders.view_confidential", city):
        categorizations = categorizations.filter(stakeholder__confidential=False)
    return categorizations.order_by("initiative__name", "stakeholder__name", "pk").iterator(
        chunk_size=CHUNK
    )


MatrixRow = tuple[Stakeholder, dict[str, list[MatrixEntry]], list[DefaultMatrixItem]]


def export_matrix_rows(*, city: City, user: User | None) -> Iterator[MatrixRow]:
    """Yield each visible stakeholder with its effective matrix and the defaults it dismissed.

    Three queries per chunk of stakeholders: the stakeholders, their matrices (through
    city_matrices) and their dismissals.
    """
    stakeholders = export_stakeholders(city=city, user=user)
    while chunk := list(islice(stakeholders, CHUNK)):
        matrices = city_matrices(chunk)
        dismissed: dict[int, list[DefaultMatrixItem]] = defaultdict(list)
        type_of = {stakeholder.pk: stakeholder.type_id for stakeholder in chunk}
        for item in (
            MatrixItem.objects.filter(
                stakeholder_id__in=list(type_of), dismissed=True, replaces__isnull=False
            )
            .select_related("replaces")
            .order_by("replaces__dimension", "replaces__position", "pk")
        ):
            default = item.replaces
            if default is not None and default.type_id == type_of[item.stakeholder_id]:
                dismissed[item.stakeholder_id].append(default)
        for stakeholder in chunk:
            yield stakeholder, matrices[stakeholder.pk], dismissed[stakeholder.pk]
