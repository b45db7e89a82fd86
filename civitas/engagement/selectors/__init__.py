"""Reads for engagement: querysets shaped for lists (no N+1) and public data classes.

Members (pass `user` to hide confidential stakeholders from roles that may not see them;
personal data such as citizens' names stays on the instances: show it only to users with
`engagement.view_personal_data`)
    activity_list(city, user, initiative, status, kind) -> QuerySet[Activity]
        annotated: invited_count, attended_count, contribution_count, registration_count,
        first_disclosed_on; each activity has .disclosure_state ("in_time" | "late" |
        "missing"), .disclosure_deadline and .disclosure_lead_days
    activity_detail(city, pk, user) -> Activity (+ participations, disclosures prefetched)
    participation_list(activity, user) · disclosure_list(activity)
    registration_list(activity)   (personal data)
    contribution_list(city, user, initiative, activity, stakeholder, stance, topic,
                      answered, from_citizens) -> QuerySet[Contribution] (+ response)
    contribution_detail(city, pk, user)
    decision_list(city, initiative, published) -> annotated response_count,
                                                  communicated_count
    decision_detail(city, pk, user) -> Decision (+ responses and decision-makers)
    answers_to_tell(decision) -> answers not yet communicated
    grievance_list(city, user, status, overdue, initiative, today) (contributors: their
                   stakeholder's only) · grievance_detail(city, pk, user) (+ events)
    review_schedule_list(city | None, overdue, today) -> annotated last_review_on,
                                                         review_count
    review_list(initiative)
    stakeholder_engagement(stakeholder) -> [EngagementEntry(at, kind, activity,
                                            participation | contribution, .response)]
    stakeholders_never_invited(initiative) · engagement_counts(initiative)
    first_consultation_start(initiative) · last_review_on(initiative)

Public (no sign-in; data classes without any personal data)
    public_city(slug) -> City or Http404 (cities that show a public page)
    public_activities(city) -> QuerySet · public_activity(city, pk) -> Activity
    public_activity_list(city) -> [PublicActivity] · public_activity_data(city, pk)
    public_activity_to_submit(city_slug, pk) -> Activity with city, settings, initiative
    public_initiatives(city) -> initiatives with a public activity or published decision
    public_accountability(initiative) -> PublicAccountability(decisions with outcome
                                         counts and the answers the city published)
    public_contribution(code) -> PublicContributionStatus (the tracking page)
    public_grievance(code) -> PublicGrievanceStatus · public_grievance_record(code)
    public_source(stakeholder) -> how a contribution's author is shown to the public
"""

from civitas.engagement.selectors.public import (
    CITIZEN,
    PublicAccountability,
    PublicActivity,
    PublicAnswer,
    PublicContributionStatus,
    PublicDecision,
    PublicDocument,
    PublicGrievanceStatus,
    PublicStep,
    public_accountability,
    public_activities,
    public_activity,
    public_activity_data,
    public_activity_list,
    public_activity_to_submit,
    public_city,
    public_contribution,
    public_grievance,
    public_grievance_record,
    public_initiatives,
    public_source,
)
from civitas.engagement.selectors.records import (
    EngagementEntry,
    activity_detail,
    activity_list,
    answers_to_tell,
    contribution_detail,
    contribution_list,
    count_of,
    decision_detail,
    decision_list,
    disclosure_list,
    engagement_counts,
    first_consultation_start,
    grievance_detail,
    grievance_list,
    last_review_on,
    participation_list,
    registration_list,
    review_list,
    review_schedule_list,
    sees_confidential,
    stakeholder_engagement,
    stakeholders_never_invited,
)

__all__ = [
    "CITIZEN",
    "EngagementEntry",
    "PublicAccountability",
    "PublicActivity",
    "PublicAnswer",
    "PublicContributionStatus",
    "PublicDecision",
    "PublicDocument",
    "PublicGrievanceStatus",
    "PublicStep",
    "activity_detail",
    "activity_list",
    "answers_to_tell",
    "contribution_detail",
    "contribution_list",
    "count_of",
    "decision_detail",
    "decision_list",
    "disclosure_list",
    "engagement_counts",
    "first_consultation_start",
    "grievance_detail",
    "grievance_list",
    "last_review_on",
    "participation_list",
    "public_accountability",
    "public_activities",
    "public_activity",
    "public_activity_data",
    "public_activity_list",
    "public_activity_to_submit",
    "public_city",
    "public_contribution",
    "public_grievance",
    "public_grievance_record",
    "public_initiatives",
    "public_source",
    "registration_list",
    "review_list",
    "review_schedule_list",
    "sees_confidential",
    "stakeholder_engagement",
    "stakeholders_never_invited",
]
