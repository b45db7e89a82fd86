"""API shapes for grievances, reviews and a stakeholder's engagement over time."""

from datetime import date, datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Schema

from civitas.core.schemas import Text
from civitas.engagement.models import (
    Channel,
    GrievanceAction,
    GrievanceStatus,
    Outcome,
    ParticipationStatus,
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
    UserRef,
    VersionIn,
    may_see_personal_data,
)

# Grievances


class GrievanceEventOut(Schema):
    action: GrievanceAction | None
    from_status: GrievanceStatus | None
    to_status: GrievanceStatus
    note: str
    at: datetime
    by: str | None = Field(description="The member who acted; null for the system.")
    by_complainant: bool

    @staticmethod
    def resolve_action(obj: Any) -> str | None:
        return obj.action or None

    @staticmethod
    def resolve_from_status(obj: Any) -> str | None:
        return obj.from_status or None

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return obj.by.username if obj.by else None


class GrievanceOut(Schema):
    id: int
    subject: str
    description: str
    status: GrievanceStatus
    channel: Channel
    initiative: Ref | None
    activity: ActivityRef | None
    stakeholder: Ref | None
    anonymous: bool
    complainant_name: str | None = Field(description="Personal data: owners and analysts only.")
    complainant_email: str | None = Field(description="Personal data: owners and analysts only.")
    tracking_code: str | None = Field(description="Owners and analysts only.")
    received_at: datetime
    due_on: date
    overdue: bool
    acknowledged_at: datetime | None
    decided_at: datetime | None
    resolution: str
    closed_at: datetime | None
    appeal_count: int
    handler: UserRef | None
    version: int

    @staticmethod
    def resolve_anonymous(obj: Any) -> bool:
        return not (obj.complainant_name or obj.complainant_email or obj.stakeholder_id)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.is_overdue())

    @staticmethod
    def resolve_complainant_name(obj: Any, context: Any) -> str | None:
        return obj.complainant_name if may_see_personal_data(obj, context) else None

    @staticmethod
    def resolve_complainant_email(obj: Any, context: Any) -> str | None:
        return obj.complainant_email if may_see_personal_data(obj, context) else None

    @staticmethod
    def resolve_tracking_code(obj: Any, context: Any) -> str | None:
        return obj.tracking_code if may_see_personal_data(obj, context) else None


class GrievanceDetailOut(GrievanceOut):
    events: list[GrievanceEventOut]

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


class GrievanceFilters(Schema):
    status: GrievanceStatus | None = None
    overdue: bool = Field(False, description="Only those past their due date, soonest first.")
    initiative: Id | None = None


class GrievanceIn(Schema):
    subject: Title
    description: LongText
    channel: Channel = Channel.ONLINE
    stakeholder_id: Id | None = None
    initiative_id: Id | None = None
    activity_id: Id | None = None
    complainant_name: ShortText = ""
    complainant_email: Email = ""
    received_at: datetime | None = Field(None, description="Default: now.")
    submission_token: SubmissionToken | None = None


class GrievanceActionIn(VersionIn):
    note: Text = Field(
        "", description="Required to resolve (how), reject (the reasons) or appeal (why)."
    )


class AssignIn(Schema):
    handler_id: Id | None = Field(description="An owner or analyst of the city; null: nobody.")


# Reviews


class ReviewScheduleOut(Schema):
    initiative: Ref
    cadence_days: int
    next_due_on: date
    overdue: bool
    last_review_on: date | None
    review_count: int
    version: int

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.next_due_on < timezone.localdate())


class ReviewScheduleIn(VersionIn):
    cadence_days: Annotated[int, Field(ge=1, le=3660)]
    next_due_on: date | None = Field(None, description="Default: one cadence from today.")


class ReviewOut(Schema):
    id: int
    held_on: date
    was_due_on: date | None
    on_schedule: bool | None
    findings: str
    changes_made: str
    reviewed_by: str | None

    @staticmethod
    def resolve_reviewed_by(obj: Any) -> str | None:
        return obj.reviewed_by.username if obj.reviewed_by else None


class ReviewIn(Schema):
    findings: LongText
    held_on: date | None = Field(None, description="Default: today.")
    changes_made: Text = ""


# The stakeholder page


class EngagementAnswerOut(Schema):
    outcome: Outcome
    explanation: str
    decision: str
    communicated_at: datetime | None


class EngagementEntryOut(Schema):
    at: datetime
    kind: str = Field(description="participation or contribution")
    initiative: Ref
    activity: ActivityRef
    status: ParticipationStatus | None = Field(description="For a participation.")
    stance: Stance | None = Field(description="For a contribution.")
    text: str | None
    answer: EngagementAnswerOut | None

    @staticmethod
    def resolve_initiative(obj: Any) -> Any:
        return obj.activity.initiative

    @staticmethod
    def resolve_status(obj: Any) -> str | None:
        return obj.participation.status if obj.participation else None

    @staticmethod
    def resolve_stance(obj: Any) -> str | None:
        return obj.contribution.stance if obj.contribution else None

    @staticmethod
    def resolve_text(obj: Any) -> str | None:
        return obj.contribution.text if obj.contribution else None

    @staticmethod
    def resolve_answer(obj: Any) -> dict[str, Any] | None:
        response = obj.response
        if response is None:
            return None
        return {
            "outcome": response.outcome,
            "explanation": response.explanation,
            "decision": response.decision.title,
            "communicated_at": response.communicated_at,
        }
