"""Root URLs: the web UI per app, and the API under /api/v1/."""

from django.urls import include, path

from civitas.api import api

urlpatterns = [
    path("", include("civitas.cities.urls")),
    path("accounts/", include("civitas.accounts.urls")),
    path("catalogue/", include("civitas.catalogue.urls")),
    path("cities/<slug:city_slug>/", include("civitas.stakeholders.urls")),
    path("cities/<slug:city_slug>/", include("civitas.reports.urls")),
    path("cities/<slug:city_slug>/", include("civitas.network.urls")),
    path("", include("civitas.engagement.urls")),
    path("cities/<slug:city_slug>/health/", include("civitas.health.urls")),
    path("api/v1/", api.urls),
]

handler403 = "civitas.core.views.permission_denied"
handler404 = "civitas.core.views.page_not_found"
handler500 = "civitas.core.views.server_error"
