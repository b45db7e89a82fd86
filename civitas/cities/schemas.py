"""API shapes for cities and their initiatives."""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from ninja import Body, Field, Schema
from pydantic import StringConstraints

from civitas.accounts.models import Role
from civitas.cities.models import City, DevelopmentContext, InitiativeStatus
from civitas.core.permissions import roles_of
from civitas.core.schemas import NoNul, PatchSchema, Text

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul]
Country = Annotated[
    str, Field(pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2 code, e.g. PT.")
]
Population = Annotated[int, Field(ge=0, le=10**9)]


class CityOut(Schema):
    slug: str
    name: str
    country: str
    population: int | None
    development_context: DevelopmentContext
    description: str
    role: Role | None = Field(None, description="Your role in this city.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_role(obj: City, context: dict[str, Any]) -> str | None:
        return roles_of(context["request"].auth).get(obj.pk)


class CityListOut(CityOut):
    stakeholder_count: int
    initiative_count: int


class CityIn(Schema):
    slug: str = Field(
        pattern=r"^[-a-zA-Z0-9_]+$",
        min_length=1,
        max_length=60,
        description="Short name used in addresses, e.g. lumen.",
    )
    name: Name
    country: Country = ""
    population: Population | None = None
    development_context: DevelopmentContext | None = None
    description: Text = ""


class CityPatch(PatchSchema):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"population"})

    name: Name | None = None
    country: Country | None = None
    population: Population | None = None
    development_context: DevelopmentContext | None = None
    description: Text | None = None


class InitiativeOut(Schema):
    id: int
    name: str
    description: str
    status: InitiativeStatus
    start_date: date | None
    end_date: date | None
    archived: bool
    archived_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return obj.archived_at is not None


class InitiativeListOut(InitiativeOut):
    categorized_count: int = Field(description="How many stakeholders are categorized in it.")


class InitiativeIn(Schema):
    name: Name
    description: Text = ""
    status: InitiativeStatus | None = None
    start_date: date | None = None
    end_date: date | None = None


class InitiativePatch(PatchSchema):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"start_date", "end_date"})

    version: int = Field(
        ge=1, le=2**31 - 2, description="The version you read; a stale one is refused (409)."
    )
    name: Name | None = None
    description: Text | None = None
    status: InitiativeStatus | None = None
    start_date: date | None = None
    end_date: date | None = None


class ArchiveIn(Schema):
    archived: bool = Field(True, description="false brings the record back from the archive.")


# The archive actions' body is optional: no body archives.
ARCHIVE = Body(ArchiveIn(archived=True), description='{"archived": false} brings the record back.')
