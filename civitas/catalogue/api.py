"""API for the catalogue of stakeholder types: public, read only."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router
from ninja.params.functions import Path

from civitas.catalogue.models import StakeholderType, TypeKind
from civitas.catalogue.schemas import TypeDetailOut, TypeOut
from civitas.catalogue.selectors import catalogue_types
from civitas.core.schemas import ERRORS

router = Router(auth=None)

TypeCode = Annotated[
    str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60, description="The type's code.")
]


@router.get("/types", response={200: list[TypeOut], **ERRORS}, summary="List stakeholder types")
def type_list(request: HttpRequest, kind: Query[TypeKind | None] = None) -> list[StakeholderType]:
    """List the catalogue's generic types and units, optionally of one kind."""
    return list(catalogue_types(kind=kind))


@router.get(
    "/types/{code}", response={200: TypeDetailOut, **ERRORS}, summary="Get a stakeholder type"
)
def type_detail(request: HttpRequest, code: TypeCode) -> StakeholderType:
    """Return one catalogue entry with its default analysis-matrix items."""
    return catalogue_types(with_matrix=True).get(code=code)
