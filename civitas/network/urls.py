"""The map, its analysis and downloads, and relationship pages, under /cities/<city_slug>/."""

from django.urls import path

from civitas.network import views

app_name = "network"

urlpatterns = [
    path("map/", views.map_view, name="map"),
    path("map/data.json", views.map_data_view, name="map_data"),
    path("map/layout/", views.layout_save_view, name="layout_save"),
    path("map/analysis/", views.analysis_view, name="analysis"),
    path("map/analysis/summary/", views.analysis_summary_view, name="analysis_summary"),
    path("map/download.<str:format>", views.graph_export_view, name="graph_export"),
    path("relationships/", views.relationship_list_view, name="relationship_list"),
    path("relationships/new/", views.relationship_create_view, name="relationship_create"),
    path("relationships/<int:pk>/edit/", views.relationship_edit_view, name="relationship_edit"),
    path(
        "relationships/<int:pk>/delete/",
        views.relationship_delete_view,
        name="relationship_delete",
    ),
]
