"""Cities, their members and their initiatives (mounted at the site root)."""

from django.urls import path

from civitas.cities import views

app_name = "cities"
urlpatterns = [
    path("", views.city_list, name="list"),
    path("cities/new/", views.city_create_view, name="create"),
    path("cities/<slug:slug>/", views.city_detail, name="detail"),
    path("cities/<slug:slug>/edit/", views.city_edit, name="edit"),
    path("cities/<slug:slug>/members/", views.city_members, name="members"),
    path("cities/<slug:slug>/members/<int:pk>/role/", views.member_change, name="member_change"),
    path("cities/<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("cities/<slug:slug>/initiatives/", views.initiative_list_view, name="initiative_list"),
    path(
        "cities/<slug:slug>/initiatives/new/",
        views.initiative_create_view,
        name="initiative_create",
    ),
    path(
        "cities/<slug:slug>/initiatives/<int:pk>/",
        views.initiative_detail,
        name="initiative_detail",
    ),
    path(
        "cities/<slug:slug>/initiatives/<int:pk>/edit/",
        views.initiative_edit,
        name="initiative_edit",
    ),
    path(
        "cities/<slug:slug>/initiatives/<int:pk>/archive/",
        views.initiative_archive_view,
        name="initiative_archive",
    ),
]
