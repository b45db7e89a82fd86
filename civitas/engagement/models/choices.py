"""The engagement vocabulary: kinds of activity, channels, stances, answers and statuses."""

from django.db import models


class ActivityKind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    WORKSHOP = "workshop", "Workshop"
    SURVEY = "survey", "Survey"
    PUBLIC_HEARING = "public_hearing", "Public hearing"
    BILATERAL_MEETING = "bilateral_meeting", "Bilateral meeting"
    INFORMATION_SESSION = "information_session", "Information session"


# Kinds where participants are asked for their views: the "consultative process" of §4.2.
CONSULTATIVE_KINDS = (
    ActivityKind.CONSULTATION,
    ActivityKind.WORKSHOP,
    ActivityKind.SURVEY,
    ActivityKind.PUBLIC_HEARING,
    ActivityKind.BILATERAL_MEETING,
)


class Channel(models.TextChoices):
    """How people take part; §5.10 asks for ways that need no easy access to technology."""

    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    PHONE = "phone", "Phone"
    POST = "post", "Post"


DIGITAL_CHANNELS = (Channel.ONLINE,)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ParticipationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Did not attend"


class Audience(models.TextChoices):
    """Who a disclosure was shared with."""

    INVITED = "invited", "The invited stakeholders"
    PUBLIC = "public", "Everyone (published)"


class Stance(models.TextChoices):
    SUPPORT = "support", "Support"
    OPPOSE = "oppose", "Oppose"
    CONCERN = "concern", "Concern"
    PROPOSAL = "proposal", "Proposal"
    QUESTION = "question", "Question"


class Outcome(models.TextChoices):
    """How a contribution affected the decision (§4.2.1, sixth value)."""

    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    OUT_OF_SCOPE = "out_of_scope", "Out of scope"


class CommunicationChannel(models.TextChoices):
    """How a participant was told the answer to their contribution."""

    EMAIL = "email", "E-mail"
    POST = "post", "Letter"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    MEETING = "meeting", "At a public meeting"


class GrievanceStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    RESOLVED = "resolved", "Resolved"
    REJECTED = "rejected", "Rejected"
    CLOSED = "closed", "Closed"


# Statuses in which the city still owes the complainant an outcome.
OPEN_GRIEVANCE_STATUSES = (
    GrievanceStatus.RECEIVED,
    GrievanceStatus.ACKNOWLEDGED,
    GrievanceStatus.UNDER_INVESTIGATION,
)


class GrievanceAction(models.TextChoices):
    """What a handler (or, for an appeal, the complainant) does to a grievance."""

    ACKNOWLEDGE = "acknowledge", "Acknowledge"
    INVESTIGATE = "investigate", "Start the investigation"
    RESOLVE = "resolve", "Resolve"
    REJECT = "reject", "Reject"
    CLOSE = "close", "Close"
    APPEAL = "appeal", "Appeal"
