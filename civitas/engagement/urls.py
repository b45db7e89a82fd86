"""Engagement pages: staff pages under /cities/<city>/engagement/, public ones under /public/.

Mounted at the site root, because the two families live under different prefixes and
share one namespace: the tracking links of e-mails name "engagement:public_contribution".
"""

from django.urls import include, path

from civitas.engagement.views import activities, decisions, grievances, public

app_name = "engagement"

staff = [
    path("", activities.home, name="home"),
    path("settings/", grievances.settings_view, name="settings"),
    path("initiatives/<int:initiative_pk>/", activities.overview, name="overview"),
    path(
        "initiatives/<int:initiative_pk>/activities/new/",
        activities.activity_create_view,
        name="activity_create",
    ),
    path("activities/<int:pk>/", activities.activity_detail_view, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit_view, name="activity_edit"),
    path("activities/<int:pk>/open/", activities.activity_open_view, name="activity_open"),
    path("activities/<int:pk>/close/", activities.activity_close_view, name="activity_close"),
    path("activities/<int:pk>/invite/", activities.activity_invite_view, name="activity_invite"),
    path(
        "activities/<int:pk>/invitations/<int:participation_pk>/",
        activities.participation_edit_view,
        name="participation_edit",
    ),
    path(
        "activities/<int:pk>/disclosures/new/",
        activities.disclosure_add_view,
        name="disclosure_add",
    ),
    path(
        "activities/<int:pk>/registrations/<int:registration_pk>/attended/",
        activities.registration_attended_view,
        name="registration_attended",
    ),
    path(
        "activities/<int:pk>/contributions/new/",
        activities.contribution_create_view,
        name="contribution_create",
    ),
    path(
        "initiatives/<int:initiative_pk>/decisions/new/",
        decisions.decision_create_view,
        name="decision_create",
    ),
    path("decisions/<int:pk>/", decisions.decision_detail_view, name="decision_detail"),
    path("decisions/<int:pk>/edit/", decisions.decision_edit_view, name="decision_edit"),
    path("decisions/<int:pk>/answer/", decisions.decision_answer_view, name="decision_answer"),
    path("decisions/<int:pk>/publish/", decisions.decision_publish_view, name="decision_publish"),
    path("decisions/<int:pk>/notify/", decisions.decision_notify_view, name="decision_notify"),
    path(
        "decisions/<int:pk>/answers/<int:response_pk>/communicated/",
        decisions.response_communicated_view,
        name="response_communicated",
    ),
    path("grievances/", grievances.grievance_list_view, name="grievance_list"),
    path("grievances/new/", grievances.grievance_lodge_view, name="grievance_lodge"),
    path("grievances/<int:pk>/", grievances.grievance_detail_view, name="grievance_detail"),
    path("grievances/<int:pk>/act/", grievances.grievance_act_view, name="grievance_act"),
    path("reviews/", grievances.review_list_view, name="review_list"),
    path(
        "initiatives/<int:initiative_pk>/reviews/",
        grievances.review_initiative_view,
        name="review_initiative",
    ),
]

citizens = [
    path("", public.public_home, name="public_home"),
    path("activities/<int:pk>/", public.public_activity_view, name="public_activity"),
    path(
        "activities/<int:pk>/contribute/", public.public_contribute_view, name="public_contribute"
    ),
    path("activities/<int:pk>/register/", public.public_register_view, name="public_register"),
    path("initiatives/<int:pk>/", public.public_accountability_view, name="public_accountability"),
    path("grievances/new/", public.public_grievance_form_view, name="public_grievance_form"),
]

urlpatterns = [
    path("cities/<slug:city_slug>/engagement/", include(staff)),
    # Tracking pages come before the city pages: their first segment is not a city.
    path(
        "public/contributions/<str:code>/",
        public.public_contribution_view,
        name="public_contribution",
    ),
    path("public/grievances/<str:code>/", public.public_grievance_view, name="public_grievance"),
    path("public/<slug:city_slug>/", include(citizens)),
]
