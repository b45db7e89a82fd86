"""Health dashboard pages, under /cities/<city_slug>/health/."""

from django.urls import path

from civitas.health import views

app_name = "health"

urlpatterns = [
    path("", views.city_dashboard, name="city"),
    path("initiatives/<int:initiative_pk>/", views.initiative_dashboard, name="initiative"),
    path("run/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_view, name="run"),
    path("thresholds/", views.thresholds_view, name="thresholds"),
]
