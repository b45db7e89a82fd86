"""Report downloads, mounted under /cities/<city_slug>/."""

from django.urls import path

from civitas.reports import views

app_name = "reports"
urlpatterns = [
    path("summary.<str:format>", views.summary_export, name="summary_export"),
]
