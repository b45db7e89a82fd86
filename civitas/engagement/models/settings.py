"""A city's engagement settings: disclosure lead time and its grievance mechanism."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from civitas.core.fields import CodeSetField
from civitas.core.models import VersionedModel
from civitas.engagement.models.choices import Channel

DEFAULT_DISCLOSURE_LEAD_DAYS = 7
DEFAULT_GRIEVANCE_RESPONSE_DAYS = 30


class EngagementSettings(VersionedModel):
    """How a city engages: prior disclosure (§4.2 second principle) and grievances (fourth)."""

    city = models.OneToOneField(
        "cities.City", on_delete=models.CASCADE, related_name="engagement_settings"
    )
    disclosure_lead_days = models.PositiveSmallIntegerField(
        default=DEFAULT_DISCLOSURE_LEAD_DAYS,
        help_text="Participants should have the information at least this many days before "
        "an activity starts.",
    )
    public_page = models.BooleanField(
        default=False,
        help_text="Show the city's public engagement page: public activities, published "
        "decisions and the grievance form.",
    )
    grievance_established_on = models.DateField(
        null=True, blank=True, help_text="When the grievance mechanism was set up."
    )
    grievance_channels = CodeSetField(
        allowed=Channel.values, help_text="How people can lodge a grievance."
    )
    grievance_response_days = models.PositiveSmallIntegerField(
        default=DEFAULT_GRIEVANCE_RESPONSE_DAYS,
        help_text="Days the city gives itself to resolve or reject a grievance.",
    )
    grievance_handler = models.CharField(
        max_length=200, blank=True, help_text="Who handles grievances, e.g. an ombudsperson."
    )
    grievance_description = models.TextField(
        blank=True, help_text="How the mechanism works and why it is impartial."
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "engagement settings"
        verbose_name_plural = "engagement settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(disclosure_lead_days__lte=365),
                name="engagement_settings_disclosure_lead_at_most_a_year",
            ),
            models.CheckConstraint(
                condition=Q(grievance_response_days__gte=1, grievance_response_days__lte=365),
                name="engagement_settings_grievance_target_1_365",
            ),
        ]

    def __str__(self) -> str:
        return f"Engagement settings of {self.city}"

    @property
    def grievance_mechanism_established(self) -> bool:
        return self.grievance_established_on is not None
