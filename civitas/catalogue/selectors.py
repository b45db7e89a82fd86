"""Reads of the catalogue."""

from django.db.models import Prefetch, QuerySet

from civitas.catalogue.models import DefaultMatrixItem, StakeholderType, TypeKind


def catalogue_types(
    *, kind: str | None = None, with_matrix: bool = False
) -> QuerySet[StakeholderType]:
    """Return catalogue entries in catalogue order, with their parent (and matrix items)."""
    types = StakeholderType.objects.select_related("parent").order_by("position")
    if kind:
        types = types.filter(kind=kind)
    if with_matrix:
        types = types.prefetch_related(
            Prefetch("matrix", queryset=DefaultMatrixItem.objects.order_by("dimension", "position"))
        )
    return types


def generic_types() -> QuerySet[StakeholderType]:
    """Return the 12 generic types of §3.1."""
    return catalogue_types(kind=TypeKind.GENERIC)


def type_by_code_or_name(value: str) -> StakeholderType | None:
    """Find a catalogue entry by its code or its name, ignoring case."""
    value = value.strip()
    return (
        StakeholderType.objects.filter(code__iexact=value).first()
        or StakeholderType.objects.filter(name__iexact=value).first()
    )
