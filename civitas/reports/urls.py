"""Report downloads, imports and exports, mounted under /cities/<city_slug>/."""

from django.urls import path

from civitas.reports import views

app_name = "reports"
urlpatterns = [
    path("summary.<str:format>", views.summary_export, name="summary_export"),
    path("data/", views.data_view, name="exports"),
    path("data/import/", views.import_start, name="import"),
    path("data/import/<int:pk>/", views.import_job_view, name="import_job"),
    path("data/import/<int:pk>/preview/", views.import_preview, name="import_preview"),
    path("data/import/<int:pk>/problems.csv", views.import_problems, name="import_problems"),
    path("data/export/<str:kind>.<str:format>", views.export_download, name="export"),
    path("data/templates/<str:kind>.<str:format>", views.template_download, name="template"),
    path("data/backup.json", views.backup_download, name="backup"),
]
