"""API shapes for the registry, contacts, categorizations, the matrix and the summary."""

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from civitas.catalogue.schemas import DefaultMatrixItemOut, TypeRef
from civitas.core.schemas import MAX_ID, NoNul, PatchSchema, Text
from civitas.core.vocabulary import (
    Level,
    LfaRole,
    MatrixDimension,
    Scale,
    Sector,
    TechnologyRole,
)
from civitas.stakeholders.models import (
    GridQuadrant,
    IdentificationReason,
    StakeholderKind,
    ValidationStep,
)

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^|]+$"), NoNul]
Website = Annotated[
    str, StringConstraints(max_length=200), NoNul, Field(description="A full address, https://…")
]
ShortText = Annotated[str, StringConstraints(max_length=200), NoNul]
Email = Annotated[str, StringConstraints(max_length=254), NoNul]
Phone = Annotated[str, StringConstraints(max_length=50), NoNul]
SearchText = Annotated[str, StringConstraints(max_length=200), NoNul]
TagText = Annotated[str, StringConstraints(max_length=60), NoNul]
TypeCode = Annotated[
    str,
    StringConstraints(max_length=60),
    NoNul,
    Field(description="A catalogue type code, e.g. ngo or municipality."),
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Score = Annotated[int, Field(ge=0, le=5, description="0 (none) to 5.")]
Attitude = Annotated[int, Field(ge=-2, le=2, description="-2 (opposed) to +2 (supportive).")]
# Versions live in a 32-bit column and the save adds one.
Version = Annotated[
    int,
    Field(ge=1, le=2**31 - 2, description="The version you read; a stale one is refused (409)."),
]
Sort = Literal["name", "-name", "type", "-type", "sector", "-sector", "updated", "-updated"]


class StakeholderRef(Schema):
    id: int
    name: str


class ContactOut(Schema):
    id: int
    name: str
    role: str
    email: str
    phone: str


class StakeholderOut(Schema):
    id: int
    name: str
    type: TypeRef
    kind: StakeholderKind
    parent: StakeholderRef | None
    levels: list[Level]
    scale: Scale | None = Field(None, description="Derived from the levels; null without any.")
    sector: Sector
    description: str
    website: str
    tags: list[str]
    identified_as: list[IdentificationReason]
    validation_steps: list[ValidationStep]
    confidential: bool
    is_placeholder: bool
    archived: bool
    archived_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_scale(obj: Any) -> str | None:
        return obj.scale or None

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return obj.archived_at is not None


class StakeholderDetailOut(StakeholderOut):
    contacts: list[ContactOut]
    units: list[StakeholderRef] = Field(description="Its units that are not archived.")


class StakeholderFilters(Schema):
    search: SearchText = Field("", description="Words in the name, description or tags.")
    type: TypeCode = Field("", description="A type code; also matches the units of that type.")
    sector: Sector | None = None
    level: Level | None = None
    lfa_role: LfaRole | None = Field(None, description="Categorized with this role.")
    initiative: Id | None = Field(None, description="With lfa_role: in this initiative only.")
    tag: TagText = ""
    archived: bool = Field(False, description="true lists the archived stakeholders instead.")
    sort: Sort = "name"


class StakeholderIn(Schema):
    name: Name
    type: TypeCode = Field(examples=["ngo"])
    kind: StakeholderKind | None = Field(None, description="Default: from the type.")
    parent: Id | None = Field(None, description="The id of the stakeholder a unit belongs to.")
    levels: list[Level] | None = Field(None, description="Default: the type's levels.")
    sector: Sector | None = Field(None, description="Default: the type's sector.")
    description: Text = ""
    website: Website = ""
    tags: list[Tag] = []
    identified_as: list[IdentificationReason] = []
    validation_steps: list[ValidationStep] = []
    confidential: bool = Field(False, description="Only owners and analysts see it.")


class StakeholderPatch(PatchSchema):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"parent"})

    version: Version
    name: Name | None = None
    type: TypeCode | None = None
    kind: StakeholderKind | None = None
    parent: Id | None = None
    levels: list[Level] | None = None
    sector: Sector | None = None
    description: Text | None = None
    website: Website | None = None
    tags: list[Tag] | None = None
    identified_as: list[IdentificationReason] | None = None
    validation_steps: list[ValidationStep] | None = None
    confidential: bool | None = None


class StartIn(Schema):
    include_units: bool = Field(
        False, description="Also add the municipal (Table 1) and national (Table 2) units."
    )


class FieldChangeOut(Schema):
    field: str
    old: Any = None
    new: Any = None


class HistoryEntryOut(Schema):
    when: datetime
    who: str = Field(description='The user who made the change, or "system".')
    action: str = Field(description="created, changed or deleted")
    record: str = Field(description="stakeholder, categorization, matrix item or contact person")
    label: str
    changes: list[FieldChangeOut]


class MergeIn(Schema):
    target_id: Id = Field(description="The stakeholder that receives this one's records.")


class ContactIn(Schema):
    name: Name
    role: ShortText = ""
    email: Email = ""
    phone: Phone = ""


class ContactPatch(PatchSchema):
    name: Name | None = None
    role: ShortText | None = None
    email: Email | None = None
    phone: Phone | None = None


class CategorizationOut(Schema):
    id: int
    stakeholder: StakeholderRef
    initiative_id: int
    lfa_roles: list[LfaRole]
    technology_roles: list[TechnologyRole]
    power_monetary: int
    power_administrative: int
    power: int = Field(description="The stronger of monetary and administrative power.")
    interest: int
    attitude: int
    quadrant: GridQuadrant = Field(description="Where it sits on the power-interest grid.")
    rationale: str
    version: int
    updated_at: datetime


class CategorizationIn(PatchSchema):
    """A categorization to create or change; fields left out keep their value (or default)."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset({"version"})

    version: Version | None = Field(
        None, description="Required when changing an existing categorization."
    )
    lfa_roles: list[LfaRole] | None = None
    technology_roles: list[TechnologyRole] | None = None
    power_monetary: Score | None = None
    power_administrative: Score | None = None
    interest: Score | None = None
    attitude: Attitude | None = None
    rationale: Text | None = None


MatrixText = Annotated[str, StringConstraints(min_length=1, max_length=2000), NoNul]


class MatrixEntryOut(Schema):
    dimension: MatrixDimension
    text: str
    source: Literal["default", "edited", "city"] = Field(
        description="default: the catalogue's; edited: the city's wording of a default; "
        "city: the city's own item."
    )
    item_id: int | None = Field(description="The city's item (edited or own), to change it.")
    item_version: int | None
    default_key: str | None = Field(description="The catalogue default it comes from.")
    clause: str


class MatrixOut(Schema):
    stakeholder_id: int
    scale: Scale | None
    sector: Sector
    entries: list[MatrixEntryOut]
    dismissed_defaults: list[DefaultMatrixItemOut] = Field(
        description="Catalogue defaults the city removed for this stakeholder."
    )


class MatrixItemOut(Schema):
    id: int
    dimension: MatrixDimension
    text: str
    default_key: str | None = Field(None, description="The catalogue default it edits.")
    dismissed: bool
    version: int

    @staticmethod
    def resolve_default_key(obj: Any) -> str | None:
        return obj.replaces.key if obj.replaces_id else None


class MatrixItemIn(Schema):
    dimension: MatrixDimension
    text: MatrixText


class MatrixItemPatch(Schema):
    version: Version
    text: MatrixText


class DefaultEditIn(Schema):
    text: MatrixText
    version: Version | None = Field(
        None, description="Required when the city already reworded this default."
    )


class CompletenessStakeholder(Schema):
    id: int
    name: str
    type: str


class UnvalidatedStakeholder(CompletenessStakeholder):
    missing_steps: list[ValidationStep]


class CompletenessOut(Schema):
    complete: bool
    stakeholder_count: int
    missing_types: list[str] = Field(description="Codes of generic types with no stakeholder.")
    missing_units: list[str] = Field(description="Codes of unit types with no stakeholder.")
    uncategorized: list[CompletenessStakeholder]
    without_own_matrix_items: list[CompletenessStakeholder]
    unvalidated: list[UnvalidatedStakeholder]
    validation_steps_done: dict[str, int]
    placeholders: list[CompletenessStakeholder]


class SummaryStakeholder(Schema):
    id: int
    name: str
    type: TypeRef


class AimsAndChallenges(Schema):
    aims: list[str]
    challenges: list[str]


class PotentialAndConstraints(Schema):
    potential: list[str]
    constraints: list[str]


class SummaryRowOut(Schema):
    """One row of the Appendix I summary table."""

    stakeholder: SummaryStakeholder
    scale_and_sector: str
    aims_and_challenges: AimsAndChallenges
    potential_and_constraints: PotentialAndConstraints
    role_and_contributions: list[str]
    lfa_roles: list[str] = Field(description="LFA roles held in any initiative, as labels.")
    technology_roles: list[str] = Field(description="Technology roles held, as labels.")
