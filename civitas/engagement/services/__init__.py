"""Writes for engagement (§4.2): every change to activities, contributions, decisions,
answers, grievances and reviews goes through these functions.

Each takes keyword arguments and `by=` the acting user (None: the system, e.g. the CLI or
the demo), checks permissions with the rules of civitas/engagement/rules.py (raising
PermissionDeniedError), validates (ValidationError with messages per field) and runs in
one transaction. Updates of versioned records take `expected_version=` and raise
ConflictError when someone else saved meanwhile.

Settings
    settings_of(city) -> EngagementSettings (unsaved defaults when never set)
    engagement_settings_update(city, by, expected_version, **changes)

Activities (planned → open → closed), participation and disclosure
    activity_create(initiative, by, kind, title, starts_at, ends_at, channels, ...)
    activity_update(activity, by, expected_version, **changes)
    activity_open(activity, by) · activity_close(activity, by, outcome=None)
    activity_delete(activity, by)            (only while nothing is recorded)
    participation_add(activity, stakeholder, by, status, invited_on, represented_by, notes)
    activity_invite(activity, stakeholders, by)   (bulk invitations)
    participation_update(participation, by, expected_version, **changes)
    participation_answer(participation, by, accept, represented_by)   (contributors too)
    participation_remove(participation, by)
    disclosure_add(activity, by, title, shared_on, url | document, audience, description)
    disclosure_update(disclosure, by, **changes) · disclosure_remove(disclosure, by)
    registration_submit(activity, name, submission_token, consent, email, channel)  (public)
    registration_set_attended(registration, by, attended)

Contributions (each returns (contribution, created): a repeated token stores one)
    contribution_create(activity, by, text, stance, stakeholder, topics, channel,
                        author_name, author_email, submitted_at, submission_token)
    contribution_submit(activity, text, stance, submission_token, consent, topics,
                        author_name, author_email)   (public: citizens, no user)
    contribution_update(contribution, by, expected_version, **changes)
    contribution_delete(contribution, by)

Decisions and answers
    decision_create(initiative, by, title, decided_on, text, decided_by, decision_makers)
    decision_update(decision, by, expected_version, **changes)
    decision_publish(decision, by, published=True) · decision_delete(decision, by)
    response_set(contribution, decision, by, outcome, explanation, published,
                 expected_version) -> (response, created)
    response_delete(response, by)
    response_record_communication(response, by, via, at, note)   (letter, phone, ...)

E-mail and tracking links
    tracking_link(base_url, code) · grievance_tracking_link(base_url, code)
        (URL names "engagement:public_contribution" / "engagement:public_grievance" with
        kwarg `code`; a fixed path until those pages exist)
    default_base_url()
    answer_email(response, base_url) -> EmailMessage
    response_notify(response, base_url, by) -> bool
    decision_notify(decision, base_url, by) -> NotifyResult(sent, already_told,
                                                           without_email, failed)

Grievances (received → acknowledged → under investigation → resolved | rejected → closed;
appeal reopens)
    grievance_due_on(city, received)
    grievance_submit(city, subject, description, submission_token, name, email, consent,
                     initiative, activity) -> (grievance, created)   (public)
    grievance_lodge(city, by, subject, description, channel, stakeholder, initiative,
                    activity, complainant_name, complainant_email, received_at,
                    submission_token) -> (grievance, created)
    grievance_act(grievance, action, by, note, expected_version)
    grievance_acknowledge / grievance_investigate / grievance_resolve(resolution) /
    grievance_reject(reasons) / grievance_close / grievance_appeal(reason)
    grievance_appeal_public(grievance, reason)   (the complainant, by tracking code)
    grievance_assign(grievance, handler, by)
    takes_grievances_online(city_settings) -> bool   (established, and online among its channels)

Reviews
    review_schedule_set(initiative, by, cadence_days, next_due_on, expected_version)
    review_record(initiative, by, findings, held_on, changes_made)

Merging stakeholders
    engagement_transfer(source, target, by) -> Transferred   (inside stakeholder_merge)
"""

from civitas.engagement.services.activities import (
    activity_close,
    activity_create,
    activity_delete,
    activity_invite,
    activity_open,
    activity_update,
    participation_add,
    participation_answer,
    participation_remove,
    participation_update,
    public_activity_check,
)
from civitas.engagement.services.contributions import (
    SUBMISSION_TOKEN,
    contribution_create,
    contribution_delete,
    contribution_submit,
    contribution_update,
)
from civitas.engagement.services.decisions import (
    decision_create,
    decision_delete,
    decision_publish,
    decision_update,
    response_delete,
    response_record_communication,
    response_set,
)
from civitas.engagement.services.disclosures import (
    disclosure_add,
    disclosure_remove,
    disclosure_update,
    registration_set_attended,
    registration_submit,
)
from civitas.engagement.services.grievances import (
    MAX_APPEALS,
    TRANSITIONS,
    grievance_acknowledge,
    grievance_act,
    grievance_appeal,
    grievance_appeal_public,
    grievance_assign,
    grievance_close,
    grievance_due_on,
    grievance_investigate,
    grievance_lodge,
    grievance_reject,
    grievance_resolve,
    grievance_submit,
    takes_grievances_online,
)
from civitas.engagement.services.notifications import (
    NotifyResult,
    answer_email,
    decision_notify,
    default_base_url,
    grievance_tracking_link,
    response_notify,
    tracking_link,
)
from civitas.engagement.services.reviews import review_record, review_schedule_set
from civitas.engagement.services.settings import engagement_settings_update, settings_of
from civitas.engagement.services.transfer import Transferred, engagement_transfer

__all__ = [
    "MAX_APPEALS",
    "SUBMISSION_TOKEN",
    "TRANSITIONS",
    "Transferred",
    "NotifyResult",
    "activity_close",
    "activity_create",
    "activity_delete",
    "activity_invite",
    "activity_open",
    "activity_update",
    "answer_email",
    "contribution_create",
    "contribution_delete",
    "contribution_submit",
    "contribution_update",
    "decision_create",
    "decision_delete",
    "decision_notify",
    "decision_publish",
    "decision_update",
    "default_base_url",
    "disclosure_add",
    "disclosure_remove",
    "disclosure_update",
    "engagement_settings_update",
    "engagement_transfer",
    "grievance_acknowledge",
    "grievance_act",
    "grievance_appeal",
    "grievance_appeal_public",
    "grievance_assign",
    "grievance_close",
    "grievance_due_on",
    "grievance_investigate",
    "grievance_lodge",
    "grievance_reject",
    "grievance_resolve",
    "grievance_submit",
    "grievance_tracking_link",
    "participation_add",
    "participation_answer",
    "participation_remove",
    "participation_update",
    "public_activity_check",
    "registration_set_attended",
    "registration_submit",
    "response_delete",
    "response_notify",
    "response_record_communication",
    "response_set",
    "review_record",
    "review_schedule_set",
    "settings_of",
    "takes_grievances_online",
    "tracking_link",
]
