"""Writes for a city's engagement settings."""

from typing import Any

from django.db import transaction

from civitas.accounts.models import User
from civitas.cities.models import City
from civitas.core.concurrency import claim_version
from civitas.core.errors import ValidationError
from civitas.core.fields import normalize_set
from civitas.engagement.models import EngagementSettings
from civitas.engagement.services.common import Errors, check, clean_fields, raise_if, stamp

SETTINGS_FIELDS = {
    "disclosure_lead_days", "public_page", "grievance_established_on", "grievance_channels",
    "grievance_response_days", "grievance_handler", "grievance_description",
}  # fmt: skip


def settings_of(city: City) -> EngagementSettings:
    """Return the city's settings; a city that never set them gets the defaults, unsaved."""
    found = EngagementSettings.objects.filter(city=city).first()
    return found if found is not None else EngagementSettings(city=city)


@transaction.atomic
def engagement_settings_update(
    *, city: City, by: User | None, expected_version: int | None = None, **changes: Any
) -> EngagementSettings:
    """Change how the city engages: disclosure lead time, public page, grievance mechanism.

    A new response-time target applies to grievances received from now on.
    """
    check(by, "engagement.change_settings", city)
    unknown = set(changes) - SETTINGS_FIELDS
    if unknown:
        raise ValidationError({field: ["This setting does not exist."] for field in unknown})
    city_settings, created = EngagementSettings.objects.select_for_update().get_or_create(city=city)
    if "grievance_channels" in changes:
        changes["grievance_channels"] = normalize_set(changes["grievance_channels"])
    for field in ("grievance_handler", "grievance_description"):
        if isinstance(changes.get(field), str):
            changes[field] = changes[field].strip()
    for field, value in changes.items():
        setattr(city_settings, field, value)
    errors: Errors = {}
    if not 0 <= (city_settings.disclosure_lead_days or 0) <= 365:
        errors["disclosure_lead_days"] = ["Give a number of days from 0 to 365."]
    if not 1 <= (city_settings.grievance_response_days or 0) <= 365:
        errors["grievance_response_days"] = ["Give a number of days from 1 to 365."]
    if city_settings.grievance_established_on and not city_settings.grievance_channels:
        errors["grievance_channels"] = ["Say how people can lodge a grievance."]
    clean_fields(city_settings, errors, exclude=["city"])
    raise_if(errors)
    if not created:
        claim_version(city_settings, expected_version)
    stamp(city_settings, by)
    city_settings.save()
    return city_settings
