"""API for categorizations (step 2), the analysis matrix (step 3) and what they add up to."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Path
from ninja.responses import Status

from civitas.catalogue.models import DefaultMatrixItem
from civitas.cities.api import city_of
from civitas.cities.models import Initiative
from civitas.core.errors import ConflictError, ValidationError
from civitas.core.permissions import require
from civitas.core.schemas import ERRORS, CitySlug, ObjectId, acting_user
from civitas.stakeholders.api.lookups import CONFLICT, STAKEHOLDER, stakeholder_of
from civitas.stakeholders.models import Categorization, MatrixItem, Stakeholder
from civitas.stakeholders.schemas import (
    CategorizationIn,
    CategorizationOut,
    CompletenessOut,
    DefaultEditIn,
    MatrixItemIn,
    MatrixItemOut,
    MatrixItemPatch,
    MatrixOut,
    SummaryRowOut,
)
from civitas.stakeholders.selectors import (
    completeness_check,
    dismissed_defaults,
    initiative_categorizations,
    stakeholder_matrix,
    summary_rows,
)
from civitas.stakeholders.services import (
    categorization_delete,
    categorization_set,
    matrix_default_dismiss,
    matrix_default_edit,
    matrix_default_restore,
    matrix_item_add,
    matrix_item_remove,
    matrix_item_update,
)

router = Router()

DefaultKey = Annotated[
    str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100, description="A catalogue item's key.")
]

# Categorizations (step 2)


@router.get(
    "/{slug}/initiatives/{initiative_id}/categorizations",
    response={200: list[CategorizationOut], **ERRORS},
    summary="List an initiative's categorizations",
)
def categorization_index(
    request: HttpRequest, slug: CitySlug, initiative_id: ObjectId
) -> list[Categorization]:
    """List how each stakeholder you may see is categorized in an initiative."""
    city = city_of(request, slug, "cities.view_initiative")
    initiative = Initiative.objects.select_related("city").get(city=city, pk=initiative_id)
    return initiative_categorizations(initiative=initiative, user=acting_user(request))


def _categorization_target(
    request: HttpRequest, slug: str, stakeholder_id: int, initiative_id: int
) -> tuple[Stakeholder, Initiative]:
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    initiative = Initiative.objects.get(city_id=stakeholder.city_id, pk=initiative_id)
    return stakeholder, initiative


CATEGORIZATION = f"{STAKEHOLDER}/categorizations/{{initiative_id}}"


@router.get(
    CATEGORIZATION,
    response={200: CategorizationOut, **ERRORS},
    summary="Get a stakeholder's categorization in an initiative",
)
def categorization_get(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, initiative_id: ObjectId
) -> Categorization:
    """Return a stakeholder's categorization in an initiative (404 when there is none)."""
    stakeholder, initiative = _categorization_target(request, slug, stakeholder_id, initiative_id)
    return Categorization.objects.select_related("stakeholder").get(
        stakeholder=stakeholder, initiative=initiative
    )


@router.put(
    CATEGORIZATION,
    response={200: CategorizationOut, 201: CategorizationOut, **CONFLICT, **ERRORS},
    summary="Categorize a stakeholder in an initiative",
)
def categorization_put(
    request: HttpRequest,
    slug: CitySlug,
    stakeholder_id: ObjectId,
    initiative_id: ObjectId,
    payload: CategorizationIn,
) -> Status[Categorization]:
    """Create or change a categorization; a new one starts from the type's defaults.

    Changing an existing one requires the version you read; a stale one is refused (409).
    """
    stakeholder, initiative = _categorization_target(request, slug, stakeholder_id, initiative_id)
    user = acting_user(request)
    require(user, "stakeholders.categorize", stakeholder)
    values = payload.changes()
    version = values.pop("version", None)
    existing = Categorization.objects.filter(stakeholder=stakeholder, initiative=initiative)
    if version is None and existing.exists():
        raise ValidationError(
            {"version": [
                "This stakeholder is already categorized in this initiative: send the version "
                "you read, so that nobody's change is overwritten."
            ]}
        )  # fmt: skip
    created = version is None
    if not created and not existing.exists():
        raise ConflictError(
            "This categorization was removed after you opened it. Reload, then categorize again."
        )
    categorization = categorization_set(
        stakeholder=stakeholder,
        initiative=initiative,
        by=user,
        expected_version=version,
        **values,
    )
    return Status(201 if created else 200, categorization)


@router.delete(
    CATEGORIZATION,
    response={204: None, **ERRORS},
    summary="Remove a stakeholder's categorization",
)
def categorization_remove(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, initiative_id: ObjectId
) -> Status[None]:
    """Remove a stakeholder's categorization from an initiative."""
    stakeholder, initiative = _categorization_target(request, slug, stakeholder_id, initiative_id)
    categorization = Categorization.objects.select_related("stakeholder").get(
        stakeholder=stakeholder, initiative=initiative
    )
    categorization_delete(categorization=categorization, by=acting_user(request))
    return Status(204, None)


# The analysis matrix (step 3)


def _matrix_of(stakeholder: Stakeholder) -> dict[str, Any]:
    matrix = stakeholder_matrix(stakeholder)
    entries = [
        {
            "dimension": entry.dimension,
            "text": entry.text,
            "source": entry.source,
            "item_id": entry.item.pk if entry.item else None,
            "item_version": entry.item.version if entry.item else None,
            "default_key": entry.default.key if entry.default else None,
            "clause": entry.clause,
        }
        for dimension_entries in matrix.values()
        for entry in dimension_entries
    ]
    return {
        "stakeholder_id": stakeholder.pk,
        "scale": stakeholder.scale or None,
        "sector": stakeholder.sector,
        "entries": entries,
        "dismissed_defaults": dismissed_defaults(stakeholder),
    }


def _item_of(request: HttpRequest, slug: str, stakeholder_id: int, item_id: int) -> MatrixItem:
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    return MatrixItem.objects.select_related("stakeholder", "replaces").get(
        stakeholder=stakeholder, pk=item_id
    )


def _default_of(stakeholder: Stakeholder, key: str) -> DefaultMatrixItem:
    return DefaultMatrixItem.objects.get(type_id=stakeholder.type_id, key=key)


@router.get(
    f"{STAKEHOLDER}/matrix", response={200: MatrixOut, **ERRORS}, summary="Get the analysis matrix"
)
def matrix_get(request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId) -> dict[str, Any]:
    """Return the effective matrix: inherited defaults, the city's edits and its own items."""
    return _matrix_of(stakeholder_of(request, slug, stakeholder_id))


@router.post(
    f"{STAKEHOLDER}/matrix",
    response={201: MatrixItemOut, **ERRORS},
    summary="Add a matrix item",
)
def matrix_add(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, payload: MatrixItemIn
) -> Status[MatrixItem]:
    """Add one of the city's own items to the matrix."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    item = matrix_item_add(
        stakeholder=stakeholder,
        dimension=payload.dimension,
        text=payload.text,
        by=acting_user(request),
    )
    return Status(201, item)


@router.patch(
    f"{STAKEHOLDER}/matrix/{{item_id}}",
    response={200: MatrixItemOut, **CONFLICT, **ERRORS},
    summary="Change a matrix item",
)
def matrix_change(
    request: HttpRequest,
    slug: CitySlug,
    stakeholder_id: ObjectId,
    item_id: ObjectId,
    payload: MatrixItemPatch,
) -> MatrixItem:
    """Change the text of the city's item or of its edit of a default (409 when stale)."""
    item = _item_of(request, slug, stakeholder_id, item_id)
    return matrix_item_update(
        item=item, text=payload.text, by=acting_user(request), expected_version=payload.version
    )


@router.delete(
    f"{STAKEHOLDER}/matrix/{{item_id}}",
    response={204: None, **ERRORS},
    summary="Remove a matrix item",
)
def matrix_remove(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, item_id: ObjectId
) -> Status[None]:
    """Remove the city's item; removing an edit of a default brings the default back."""
    item = _item_of(request, slug, stakeholder_id, item_id)
    matrix_item_remove(item=item, by=acting_user(request))
    return Status(204, None)


@router.put(
    f"{STAKEHOLDER}/matrix/defaults/{{key}}",
    response={200: MatrixItemOut, **CONFLICT, **ERRORS},
    summary="Reword a catalogue default",
)
def matrix_default_put(
    request: HttpRequest,
    slug: CitySlug,
    stakeholder_id: ObjectId,
    key: DefaultKey,
    payload: DefaultEditIn,
) -> MatrixItem:
    """Replace a catalogue default with the city's wording, for this stakeholder only.

    Changing wording the city already gave requires the version you read (409 when stale).
    """
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    user = acting_user(request)
    default = _default_of(stakeholder, key)
    require(user, "stakeholders.change_matrix", stakeholder)
    edit = MatrixItem.objects.filter(stakeholder=stakeholder, replaces=default).first()
    if edit is not None and not edit.dismissed:
        if payload.version is None:
            raise ValidationError(
                {"version": ["The city already reworded this default: send the version you read."]}
            )
        edit.replaces = default
        return matrix_item_update(
            item=edit, text=payload.text, by=user, expected_version=payload.version
        )
    if payload.version is not None:
        raise ConflictError(
            "The wording you opened was removed meanwhile. Reload, then reword the default again."
        )
    return matrix_default_edit(stakeholder=stakeholder, default=default, text=payload.text, by=user)


@router.post(
    f"{STAKEHOLDER}/matrix/defaults/{{key}}/dismiss",
    response={200: MatrixItemOut, **ERRORS},
    summary="Dismiss a catalogue default",
)
def matrix_default_drop(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, key: DefaultKey
) -> MatrixItem:
    """Stop a catalogue default from applying to this stakeholder."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    default = _default_of(stakeholder, key)
    item = matrix_default_dismiss(stakeholder=stakeholder, default=default, by=acting_user(request))
    item.replaces = default
    return item


@router.delete(
    f"{STAKEHOLDER}/matrix/defaults/{{key}}",
    response={204: None, **ERRORS},
    summary="Restore a catalogue default",
)
def matrix_default_back(
    request: HttpRequest, slug: CitySlug, stakeholder_id: ObjectId, key: DefaultKey
) -> Status[None]:
    """Let the catalogue default apply again, dropping the city's wording or dismissal."""
    stakeholder = stakeholder_of(request, slug, stakeholder_id)
    default = _default_of(stakeholder, key)
    matrix_default_restore(stakeholder=stakeholder, default=default, by=acting_user(request))
    return Status(204, None)


# What the registry still lacks, and the Appendix I summary


@router.get(
    "/{slug}/completeness",
    response={200: CompletenessOut, **ERRORS},
    summary="Check the registry's completeness",
)
def completeness(request: HttpRequest, slug: CitySlug) -> dict[str, Any]:
    """List catalogue types without a stakeholder, uncategorized and unvalidated stakeholders."""
    city = city_of(request, slug)
    return completeness_check(city=city, user=acting_user(request)).as_dict()


@router.get(
    "/{slug}/summary",
    response={200: list[SummaryRowOut], **ERRORS},
    summary="The Appendix I summary table",
)
def summary(request: HttpRequest, slug: CitySlug) -> list[dict[str, Any]]:
    """Return one row per stakeholder: scale and sector, aims and challenges, and so on."""
    city = city_of(request, slug)
    return [
        {
            "stakeholder": row.stakeholder,
            "scale_and_sector": row.scale_and_sector,
            "aims_and_challenges": row.aims_and_challenges,
            "potential_and_constraints": row.potential_and_constraints,
            "role_and_contributions": row.role_and_contributions,
            "lfa_roles": row.lfa_roles,
            "technology_roles": row.technology_roles,
        }
        for row in summary_rows(city=city, user=acting_user(request))
    ]
