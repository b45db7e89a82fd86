"""API shapes for the catalogue of stakeholder types."""

from ninja import Field, Schema

from civitas.catalogue.models import StakeholderType, TypeKind
from civitas.core.vocabulary import Level, LfaRole, MatrixDimension, Sector, TechnologyRole


class TypeRef(Schema):
    """A stakeholder type named by its code."""

    code: str
    name: str


class DefaultMatrixItemOut(Schema):
    key: str
    dimension: MatrixDimension
    text: str
    clause: str


class TypeOut(Schema):
    code: str
    kind: TypeKind
    parent: str | None = Field(None, description="The code of the generic type of a unit.")
    letter: str = Field(description="The letter in the Supplement's list of generic types.")
    name: str
    definition: str
    clause: str
    default_levels: list[Level]
    default_sector: Sector
    default_lfa_roles: list[LfaRole]
    default_technology_roles: list[TechnologyRole]
    default_power_monetary: int = Field(ge=0, le=5)
    default_power_administrative: int = Field(ge=0, le=5)
    default_interest: int = Field(ge=0, le=5)
    default_attitude: int = Field(ge=-2, le=2)

    @staticmethod
    def resolve_parent(obj: StakeholderType) -> str | None:
        return obj.parent.code if obj.parent else None


class TypeDetailOut(TypeOut):
    matrix: list[DefaultMatrixItemOut] = Field(
        description="Analysis-matrix items every stakeholder of this type inherits."
    )
