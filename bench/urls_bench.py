"""The site's URLs plus a bare view inserting one contribution row: the benchmark baseline."""

import uuid

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from civitas.engagement.models import Activity, Contribution
from civitas.urls import urlpatterns as site_urlpatterns


@require_POST
def baseline_insert(request: HttpRequest, pk: int) -> HttpResponse:
    """Insert one contribution row with the ORM, no validation or services."""
    activity = Activity.objects.only("city_id", "initiative_id").get(pk=pk)
    Contribution.objects.create(
        city_id=activity.city_id,
        initiative_id=activity.initiative_id,
        activity_id=activity.pk,
        text=request.POST.get("text", ""),
        stance="proposal",
        tracking_code=uuid.uuid4().hex,
        submission_token=request.POST.get("submission_token", ""),
    )
    return HttpResponse("stored")


urlpatterns = [
    path("bench/baseline/<int:pk>/", baseline_insert),
    *site_urlpatterns,
]

handler403 = "civitas.core.views.permission_denied"
handler404 = "civitas.core.views.page_not_found"
handler500 = "civitas.core.views.server_error"
