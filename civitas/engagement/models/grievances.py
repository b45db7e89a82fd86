"""Grievances lodged with a city's grievance mechanism, and each step of their handling."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from civitas.core.models import VersionedModel
from civitas.engagement.models.choices import (
    OPEN_GRIEVANCE_STATUSES,
    Channel,
    GrievanceAction,
    GrievanceStatus,
)


class Grievance(VersionedModel):
    """A complaint about the engagement process or an initiative (§4.2 fourth principle).

    The complainant's name and e-mail address are personal data, and both may be left
    empty: the tracking code is then the complainant's only way back to it.
    """

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="grievances")
    initiative = models.ForeignKey(
        "cities.Initiative",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="grievances",
    )
    activity = models.ForeignKey(
        "engagement.Activity",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="grievances",
    )
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="grievances",
        help_text="The stakeholder that lodged it, if any.",
    )
    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_email = models.EmailField(blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    subject = models.CharField(max_length=200)
    description = models.TextField()
    status = models.CharField(
        max_length=30, choices=GrievanceStatus.choices, default=GrievanceStatus.RECEIVED
    )
    received_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(help_text="From the city's response-time target.")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last resolved or rejected."
    )
    resolution = models.TextField(
        blank=True, help_text="How it was resolved, or the reasons for rejecting it."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    appeal_count = models.PositiveSmallIntegerField(default=0)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_grievances",
    )
    tracking_code = models.CharField(max_length=32, unique=True, editable=False)
    submission_token = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "submission_token"],
                condition=~Q(submission_token=""),
                name="grievance_submitted_once_per_city",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[GrievanceStatus.RESOLVED, GrievanceStatus.REJECTED])
                | ~Q(resolution=""),
                name="grievance_outcome_has_reasons",
            ),
        ]
        indexes = [models.Index(fields=["city", "status", "due_on"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_GRIEVANCE_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        """Tell whether the city still owes an outcome after the due date."""
        return self.is_open and self.due_on < (today or timezone.localdate())


class GrievanceEvent(models.Model):
    """One step in a grievance's handling: who did what, and when."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=GrievanceAction.choices, blank=True)
    from_status = models.CharField(max_length=30, choices=GrievanceStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=GrievanceStatus.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_complainant = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.grievance}: {self.to_status}"
