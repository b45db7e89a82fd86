"""The engagement records of §4.2: activities to grievances and reviews."""

from civitas.engagement.models.activities import (
    Activity,
    Disclosure,
    DisclosureState,
    Participation,
    Registration,
)
from civitas.engagement.models.choices import (
    CONSULTATIVE_KINDS,
    DIGITAL_CHANNELS,
    OPEN_GRIEVANCE_STATUSES,
    ActivityKind,
    ActivityStatus,
    Audience,
    Channel,
    CommunicationChannel,
    GrievanceAction,
    GrievanceStatus,
    Outcome,
    ParticipationStatus,
    Stance,
)
from civitas.engagement.models.contributions import Contribution, Decision, Response
from civitas.engagement.models.grievances import Grievance, GrievanceEvent
from civitas.engagement.models.reviews import Review, ReviewSchedule
from civitas.engagement.models.settings import (
    DEFAULT_DISCLOSURE_LEAD_DAYS,
    DEFAULT_GRIEVANCE_RESPONSE_DAYS,
    EngagementSettings,
)

__all__ = [
    "CONSULTATIVE_KINDS",
    "DEFAULT_DISCLOSURE_LEAD_DAYS",
    "DEFAULT_GRIEVANCE_RESPONSE_DAYS",
    "DIGITAL_CHANNELS",
    "OPEN_GRIEVANCE_STATUSES",
    "Activity",
    "ActivityKind",
    "ActivityStatus",
    "Audience",
    "Channel",
    "CommunicationChannel",
    "Contribution",
    "Decision",
    "Disclosure",
    "DisclosureState",
    "EngagementSettings",
    "Grievance",
    "GrievanceAction",
    "GrievanceEvent",
    "GrievanceStatus",
    "Outcome",
    "Participation",
    "ParticipationStatus",
    "Registration",
    "Response",
    "Review",
    "ReviewSchedule",
    "Stance",
]
