"""API shapes of the public endpoints: never a name, e-mail address or internal note."""

from datetime import date, datetime

from ninja import Field, Schema

from civitas.engagement.models import (
    ActivityKind,
    ActivityStatus,
    Channel,
    GrievanceStatus,
    Outcome,
    Stance,
)
from civitas.engagement.schemas.common import (
    Email,
    Id,
    LongText,
    ShortText,
    SubmissionToken,
    Title,
    Topics,
)

# Public


class PublicDocumentOut(Schema):
    title: str
    description: str
    url: str
    shared_on: date


class PublicActivityOut(Schema):
    id: int
    initiative: str
    kind: ActivityKind
    title: str
    description: str
    question: str
    channels: list[Channel]
    place: str
    starts_at: datetime
    ends_at: datetime
    status: ActivityStatus
    outcome: str
    takes_contributions: bool
    takes_registrations: bool
    documents: list[PublicDocumentOut]


class PublicInitiativeOut(Schema):
    id: int
    name: str
    description: str


class PublicAnswerOut(Schema):
    activity: str
    source: str = Field(description='An organization\'s name, a type, or "A citizen".')
    stance: Stance
    topics: list[str]
    text: str | None = Field(description="Only when the city chose to publish it.")
    outcome: Outcome
    explanation: str


class PublicDecisionOut(Schema):
    id: int
    title: str
    text: str
    decided_on: date
    decided_by: str
    decision_makers: list[str]
    published_at: datetime
    outcomes: dict[str, int] = Field(description="How many contributions got each answer.")
    answers: list[PublicAnswerOut]


class PublicAccountabilityOut(Schema):
    initiative_id: int
    initiative: str
    description: str
    decisions: list[PublicDecisionOut]


class PublicContributionIn(Schema):
    text: LongText
    stance: Stance
    topics: Topics = []
    author_name: ShortText = Field("", description="Optional.")
    author_email: Email = Field("", description="Optional: where the answer is sent.")
    consent: bool = Field(description="Agreement to the city keeping the contribution.")
    submission_token: SubmissionToken


class PublicReceiptOut(Schema):
    tracking_code: str = Field(description="Keep it: it leads to the answer.")
    tracking_url: str


class PublicContributionOut(Schema):
    city: str
    initiative: str
    activity: str
    submitted_on: date
    stance: Stance
    topics: list[str]
    text: str
    answered: bool
    outcome: Outcome | None
    explanation: str | None
    decision: str | None
    decided_on: date | None
    decision_text: str | None
    told_on: date | None


class PublicRegistrationIn(Schema):
    name: Title
    email: Email = ""
    channel: Channel = Channel.IN_PERSON
    consent: bool
    submission_token: SubmissionToken


class PublicRegistrationOut(Schema):
    activity: str
    registered: bool = True


class PublicGrievanceIn(Schema):
    subject: Title
    description: LongText
    name: ShortText = Field("", description="Optional: leave out to stay anonymous.")
    email: Email = Field("", description="Optional.")
    consent: bool = Field(False, description="Required when a name or address is given.")
    initiative_id: Id | None = None
    activity_id: Id | None = None
    submission_token: SubmissionToken


class PublicGrievanceReceiptOut(PublicReceiptOut):
    due_on: date


class PublicStepOut(Schema):
    status: GrievanceStatus
    on: date


class PublicGrievanceOut(Schema):
    city: str
    subject: str
    status: GrievanceStatus
    received_on: date
    due_on: date
    overdue: bool
    outcome: str | None
    can_appeal: bool
    steps: list[PublicStepOut]


class PublicAppealIn(Schema):
    reason: LongText
