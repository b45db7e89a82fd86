"""Registry, categorization and analysis-matrix pages, mounted under /cities/<city_slug>/."""

from django.urls import path

from civitas.stakeholders import views

app_name = "stakeholders"

ONE = "stakeholders/<int:pk>/"
urlpatterns = [
    path("stakeholders/", views.stakeholder_list_view, name="list"),
    path("stakeholders/new/", views.stakeholder_create_view, name="create"),
    path(ONE, views.stakeholder_detail_view, name="detail"),
    path(ONE + "edit/", views.stakeholder_edit_view, name="edit"),
    path(ONE + "archive/", views.stakeholder_archive_view, name="archive"),
    path(ONE + "delete/", views.stakeholder_delete_view, name="delete"),
    path(ONE + "merge/", views.stakeholder_merge_view, name="merge"),
    path(ONE + "contacts/add/", views.contact_add_view, name="contact_add"),
    path(ONE + "contacts/<int:contact_pk>/edit/", views.contact_edit_view, name="contact_edit"),
    path(
        ONE + "contacts/<int:contact_pk>/delete/", views.contact_delete_view, name="contact_delete"
    ),
    path(ONE + "matrix/add/", views.matrix_add_view, name="matrix_add"),
    path(ONE + "matrix/<int:item_pk>/edit/", views.matrix_item_edit_view, name="matrix_item_edit"),
    path(
        ONE + "matrix/<int:item_pk>/delete/",
        views.matrix_item_delete_view,
        name="matrix_item_delete",
    ),
    path(
        ONE + "matrix/defaults/<int:default_pk>/edit/",
        views.matrix_default_edit_view,
        name="matrix_default_edit",
    ),
    path(
        ONE + "matrix/defaults/<int:default_pk>/dismiss/",
        views.matrix_default_dismiss_view,
        name="matrix_default_dismiss",
    ),
    path(
        ONE + "matrix/defaults/<int:default_pk>/restore/",
        views.matrix_default_restore_view,
        name="matrix_default_restore",
    ),
    path(ONE + "categorize/<int:initiative_pk>/", views.categorize_view, name="categorize"),
    path(
        ONE + "categorize/<int:initiative_pk>/delete/",
        views.categorization_delete_view,
        name="categorization_delete",
    ),
    path(
        "initiatives/<int:initiative_pk>/categorization/",
        views.initiative_categorization_view,
        name="initiative_categorization",
    ),
    path(
        "initiatives/<int:initiative_pk>/figure2.svg",
        views.figure2_svg_view,
        name="figure2_svg",
    ),
    path("initiatives/<int:initiative_pk>/grid.svg", views.grid_svg_view, name="grid_svg"),
    path("start/", views.start_view, name="start"),
    path("completeness/", views.completeness_view, name="completeness"),
    path("summary/", views.summary_view, name="summary"),
]
