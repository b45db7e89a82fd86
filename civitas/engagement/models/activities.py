"""Engagement activities, who was invited and took part, and what was disclosed before."""

from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from civitas.core.fields import CodeSetField
from civitas.core.models import TimeStampedModel, VersionedModel
from civitas.core.vocabulary import Level
from civitas.engagement.models.choices import (
    ActivityKind,
    ActivityStatus,
    Audience,
    Channel,
    ParticipationStatus,
)
from civitas.engagement.models.settings import DEFAULT_DISCLOSURE_LEAD_DAYS


class DisclosureState(models.TextChoices):
    """Whether participants had the information in time (§4.2 second principle)."""

    IN_TIME = "in_time", "Shared in time"
    LATE = "late", "Shared late"
    MISSING = "missing", "Nothing shared"


class Activity(VersionedModel):
    """A consultation, workshop, survey, hearing, meeting or session of an initiative."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="activities")
    initiative = models.ForeignKey(
        "cities.Initiative", on_delete=models.RESTRICT, related_name="activities"
    )
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    question = models.TextField(blank=True, help_text="The question put to participants.")
    levels = CodeSetField(allowed=Level.values, help_text="Levels of stakeholders it reaches.")
    channels = CodeSetField(allowed=Channel.values, help_text="How people can take part.")
    place = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    outcome = models.TextField(blank=True, help_text="What came out of it.")
    is_public = models.BooleanField(
        default=False, help_text="Citizens can register and contribute on the public page."
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="activity_starts_before_it_ends"
            ),
        ]
        indexes = [
            models.Index(fields=["city", "starts_at"]),
            models.Index(fields=["initiative", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def disclosure_lead_days(self) -> int:
        """Return the city's lead time (read through select_related when listing)."""
        city_settings = getattr(self.city, "engagement_settings", None)
        if city_settings is None:
            return DEFAULT_DISCLOSURE_LEAD_DAYS
        return city_settings.disclosure_lead_days

    @property
    def disclosure_deadline(self) -> date:
        """Return the last day on which information counts as shared in time."""
        return timezone.localtime(self.starts_at).date() - timedelta(days=self.disclosure_lead_days)

    @property
    def first_disclosed(self) -> date | None:
        """Return when the first information was shared (annotated by the selectors)."""
        annotated: Any = getattr(self, "first_disclosed_on", ...)
        if annotated is not ...:
            return annotated  # type: ignore[no-any-return]
        return self.disclosures.aggregate(first=models.Min("shared_on"))["first"]

    @property
    def disclosure_state(self) -> str:
        first = self.first_disclosed
        if first is None:
            return DisclosureState.MISSING
        return (
            DisclosureState.IN_TIME if first <= self.disclosure_deadline else DisclosureState.LATE
        )


class Participation(VersionedModel):
    """A stakeholder's invitation to an activity and whether it took part."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.RESTRICT, related_name="participations"
    )
    status = models.CharField(
        max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.INVITED
    )
    invited_on = models.DateField(
        null=True, blank=True, help_text="Empty when the stakeholder came without invitation."
    )
    represented_by = models.CharField(
        max_length=200, blank=True, help_text="Who represented the stakeholder."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["stakeholder__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "stakeholder"], name="participation_one_per_activity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} at {self.activity}"

    @property
    def took_part(self) -> bool:
        return self.status == ParticipationStatus.ATTENDED


class Disclosure(TimeStampedModel):
    """Information shared with participants before an activity, as a document or a link."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="disclosures")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    document = models.FileField(upload_to="engagement/disclosures/%Y/", blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.INVITED)
    shared_on = models.DateField()

    class Meta:
        ordering = ["shared_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(document=""), name="disclosure_has_a_document_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(TimeStampedModel):
    """A citizen's registration for a public activity. Personal data: staff only."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    consent_at = models.DateTimeField(help_text="When the person agreed to their data being kept.")
    attended = models.BooleanField(default=False)
    submission_token = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "submission_token"],
                condition=~Q(submission_token=""),
                name="registration_submitted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.activity}"
