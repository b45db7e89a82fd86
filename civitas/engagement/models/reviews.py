"""Periodic reviews of an initiative's engagement process (§4.2 second pitfall)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from civitas.core.models import TimeStampedModel, VersionedModel


class ReviewSchedule(VersionedModel):
    """How often an initiative's engagement is reviewed, and when the next review is due."""

    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="review_schedules"
    )
    initiative = models.OneToOneField(
        "cities.Initiative", on_delete=models.CASCADE, related_name="review_schedule"
    )
    cadence_days = models.PositiveSmallIntegerField(help_text="Days between two reviews.")
    next_due_on = models.DateField()

    class Meta:
        ordering = ["next_due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1, cadence_days__lte=3660),
                name="review_schedule_cadence_1_day_to_10_years",
            ),
        ]

    def __str__(self) -> str:
        return f"Reviews of {self.initiative} every {self.cadence_days} days"


class Review(TimeStampedModel):
    """One review held: what was found and what was changed."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="reviews")
    initiative = models.ForeignKey(
        "cities.Initiative", on_delete=models.RESTRICT, related_name="reviews"
    )
    held_on = models.DateField()
    was_due_on = models.DateField(
        null=True, blank=True, help_text="When the schedule said it was due."
    )
    findings = models.TextField()
    changes_made = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(findings=""), name="review_has_findings"),
        ]

    def __str__(self) -> str:
        return f"Review of {self.initiative} on {self.held_on}"

    @property
    def on_schedule(self) -> bool | None:
        if self.was_due_on is None:
            return None
        return self.held_on <= self.was_due_on
