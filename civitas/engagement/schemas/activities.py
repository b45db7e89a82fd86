"""API shapes for engagement settings, activities, participation, disclosure, registrations."""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from ninja import Field, Schema

from civitas.core.schemas import PatchSchema, Text
from civitas.core.vocabulary import Level
from civitas.engagement.models import (
    ActivityKind,
    ActivityStatus,
    Audience,
    Channel,
    DisclosureState,
    ParticipationStatus,
)
from civitas.engagement.schemas.common import (
    Days,
    Id,
    Ref,
    ShortText,
    Title,
    Url,
    Version,
    VersionIn,
)

# Settings


class SettingsOut(Schema):
    disclosure_lead_days: int
    public_page: bool
    grievance_established_on: date | None
    grievance_channels: list[Channel]
    grievance_response_days: int
    grievance_handler: str
    grievance_description: str
    version: int


class SettingsPatch(PatchSchema):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"grievance_established_on", "version"})

    version: Version | None = Field(None, description="The version you read, once saved.")
    disclosure_lead_days: Days | None = None
    public_page: bool | None = None
    grievance_established_on: date | None = None
    grievance_channels: list[Channel] | None = None
    grievance_response_days: Annotated[int, Field(ge=1, le=365)] | None = None
    grievance_handler: ShortText | None = None
    grievance_description: Text | None = None


# Activities, participation, disclosure


class DisclosureCheckOut(Schema):
    state: DisclosureState = Field(description="in_time, late or missing")
    first_shared_on: date | None
    deadline: date = Field(description="The last day on which sharing counts as in time.")
    lead_days: int


class DisclosureOut(Schema):
    id: int
    title: str
    description: str
    url: str
    document: str = Field(description="The address of the attached document, if any.")
    audience: Audience
    shared_on: date

    @staticmethod
    def resolve_document(obj: Any) -> str:
        return obj.document.url if obj.document else ""


class ParticipationOut(Schema):
    id: int
    stakeholder: Ref
    status: ParticipationStatus
    invited_on: date | None
    represented_by: str
    notes: str
    version: int


class ActivityOut(Schema):
    id: int
    initiative: Ref
    kind: ActivityKind
    title: str
    description: str
    question: str
    levels: list[Level]
    channels: list[Channel]
    place: str
    starts_at: datetime
    ends_at: datetime
    status: ActivityStatus
    outcome: str
    is_public: bool
    opened_at: datetime | None
    closed_at: datetime | None
    invited_count: int
    attended_count: int
    contribution_count: int
    registration_count: int
    disclosure: DisclosureCheckOut
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_disclosure(obj: Any) -> dict[str, Any]:
        return {
            "state": obj.disclosure_state,
            "first_shared_on": obj.first_disclosed,
            "deadline": obj.disclosure_deadline,
            "lead_days": obj.disclosure_lead_days,
        }


class ActivityDetailOut(ActivityOut):
    participations: list[ParticipationOut]
    disclosures: list[DisclosureOut]


class ActivityFilters(Schema):
    initiative: Id | None = None
    status: ActivityStatus | None = None
    kind: ActivityKind | None = None


class ActivityIn(Schema):
    initiative_id: Id
    kind: ActivityKind
    title: Title
    starts_at: datetime
    ends_at: datetime
    channels: list[Channel] = Field(min_length=1)
    description: Text = ""
    question: Text = ""
    levels: list[Level] = []
    place: ShortText = ""
    is_public: bool = False


class ActivityPatch(PatchSchema):
    version: Version
    kind: ActivityKind | None = None
    title: Title | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    channels: list[Channel] | None = None
    description: Text | None = None
    question: Text | None = None
    levels: list[Level] | None = None
    place: ShortText | None = None
    outcome: Text | None = None
    is_public: bool | None = None


class CloseIn(VersionIn):
    outcome: Text | None = Field(None, description="What came out of the activity.")


class ParticipationIn(Schema):
    stakeholder_id: Id
    status: ParticipationStatus = ParticipationStatus.INVITED
    invited_on: date | None = Field(None, description="Default: today, unless attended.")
    represented_by: ShortText = ""
    notes: Text = ""


class InviteIn(Schema):
    stakeholder_ids: list[Id] = Field(min_length=1, max_length=1000)
    invited_on: date | None = None


class ParticipationPatch(PatchSchema):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"invited_on"})

    version: Version
    status: ParticipationStatus | None = None
    invited_on: date | None = None
    represented_by: ShortText | None = None
    notes: Text | None = None


class InvitationAnswerIn(VersionIn):
    accept: bool
    represented_by: ShortText | None = None


class DisclosureIn(Schema):
    title: Title
    url: Url
    shared_on: date | None = Field(None, description="Default: today.")
    audience: Audience = Audience.INVITED
    description: Text = ""


class DisclosureForm(Schema):
    title: Title
    shared_on: date | None = Field(None, description="Default: today.")
    audience: Audience = Audience.INVITED
    description: Text = ""


class DisclosurePatch(PatchSchema):
    title: Title | None = None
    url: Url | None = None
    shared_on: date | None = None
    audience: Audience | None = None
    description: Text | None = None


class RegistrationOut(Schema):
    id: int
    name: str
    email: str
    channel: Channel
    consent_at: datetime
    attended: bool


class AttendedIn(Schema):
    attended: bool = True
