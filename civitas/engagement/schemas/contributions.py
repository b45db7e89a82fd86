"""API shapes for contributions, decisions and the answers to contributions."""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from ninja import Field, Schema
from pydantic import StringConstraints

from civitas.core.schemas import NoNul, PatchSchema, Text
from civitas.engagement.models import (
    Channel,
    CommunicationChannel,
    Outcome,
    Stance,
)
from civitas.engagement.schemas.common import (
    ActivityRef,
    Email,
    Id,
    LongText,
    Ref,
    ShortText,
    SubmissionToken,
    Title,
    Topics,
    Version,
    VersionIn,
    may_see_personal_data,
)

# Contributions, decisions, answers


class AnswerOut(Schema):
    id: int
    decision: ActivityRef
    outcome: Outcome
    explanation: str
    published: bool
    answered_at: datetime
    communicated_at: datetime | None
    communicated_via: CommunicationChannel | None
    version: int

    @staticmethod
    def resolve_communicated_via(obj: Any) -> str | None:
        return obj.communicated_via or None


class ContributionOut(Schema):
    id: int
    initiative: Ref
    activity: ActivityRef
    stakeholder: Ref | None
    from_citizen: bool
    author_name: str | None = Field(description="Personal data: owners and analysts only.")
    author_email: str | None = Field(description="Personal data: owners and analysts only.")
    tracking_code: str | None = Field(description="Owners and analysts only.")
    channel: Channel
    text: str
    stance: Stance
    topics: list[str]
    submitted_at: datetime
    answer: AnswerOut | None
    version: int

    @staticmethod
    def resolve_author_name(obj: Any, context: Any) -> str | None:
        return obj.author_name if may_see_personal_data(obj, context) else None

    @staticmethod
    def resolve_author_email(obj: Any, context: Any) -> str | None:
        return obj.author_email if may_see_personal_data(obj, context) else None

    @staticmethod
    def resolve_tracking_code(obj: Any, context: Any) -> str | None:
        return obj.tracking_code if may_see_personal_data(obj, context) else None

    @staticmethod
    def resolve_answer(obj: Any) -> Any:
        return getattr(obj, "response", None)


class ContributionFilters(Schema):
    initiative: Id | None = None
    activity: Id | None = None
    stakeholder: Id | None = None
    stance: Stance | None = None
    topic: Annotated[str, StringConstraints(max_length=60), NoNul] = ""
    answered: bool | None = Field(None, description="true: answered only; false: not yet.")
    from_citizens: bool | None = None


class ContributionIn(Schema):
    activity_id: Id
    text: LongText
    stance: Stance
    stakeholder_id: Id | None = Field(None, description="Leave out for a citizen's.")
    topics: Topics = []
    channel: Channel | None = None
    author_name: ShortText = ""
    author_email: Email = ""
    submitted_at: datetime | None = None
    submission_token: SubmissionToken | None = None


class ContributionPatch(PatchSchema):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"stakeholder_id"})

    version: Version
    text: LongText | None = None
    stance: Stance | None = None
    topics: Topics | None = None
    channel: Channel | None = None
    stakeholder_id: Id | None = None
    author_name: ShortText | None = None
    author_email: Email | None = None
    submitted_at: datetime | None = None


class DecisionAnswerOut(Schema):
    id: int
    contribution_id: int
    activity: ActivityRef
    stakeholder: Ref | None
    stance: Stance
    text: str
    outcome: Outcome
    explanation: str
    published: bool
    communicated_at: datetime | None
    communicated_via: CommunicationChannel | None
    version: int

    @staticmethod
    def resolve_activity(obj: Any) -> Any:
        return obj.contribution.activity

    @staticmethod
    def resolve_stakeholder(obj: Any) -> Any:
        return obj.contribution.stakeholder

    @staticmethod
    def resolve_stance(obj: Any) -> str:
        return str(obj.contribution.stance)

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return str(obj.contribution.text)

    @staticmethod
    def resolve_communicated_via(obj: Any) -> str | None:
        return obj.communicated_via or None


class DecisionOut(Schema):
    id: int
    initiative: Ref
    title: str
    text: str
    decided_on: date
    decided_by: str
    decision_makers: list[Ref]
    published: bool
    published_at: datetime | None
    response_count: int
    communicated_count: int
    version: int

    @staticmethod
    def resolve_published(obj: Any) -> bool:
        return obj.published_at is not None

    @staticmethod
    def resolve_decision_makers(obj: Any) -> list[Any]:
        return list(obj.decision_makers.all())


class DecisionDetailOut(DecisionOut):
    answers: list[DecisionAnswerOut]

    @staticmethod
    def resolve_answers(obj: Any) -> list[Any]:
        return list(obj.responses.all())


class DecisionIn(Schema):
    initiative_id: Id
    title: Title
    decided_on: date
    text: Text = ""
    decided_by: ShortText = ""
    decision_maker_ids: list[Id] = []


class DecisionPatch(PatchSchema):
    version: Version
    title: Title | None = None
    decided_on: date | None = None
    text: Text | None = None
    decided_by: ShortText | None = None
    decision_maker_ids: list[Id] | None = None


class PublishIn(Schema):
    published: bool = Field(True, description="false takes the decision off the public page.")


class AnswerIn(Schema):
    decision_id: Id
    outcome: Outcome
    explanation: LongText
    published: bool = Field(
        False, description="Show the contribution's text with the answer on the public page."
    )
    version: Version | None = Field(None, description="Required when changing an answer.")


class CommunicatedIn(VersionIn):
    via: CommunicationChannel
    at: datetime | None = Field(None, description="Default: now.")
    note: Text = ""


class FailedOut(Schema):
    contribution_id: int
    error: str


class NotifyOut(Schema):
    sent: list[int] = Field(description="Contributions whose answer was e-mailed now.")
    already_told: list[int]
    without_email: list[int] = Field(description="Tell these another way, then record how.")
    failed: list[FailedOut]
