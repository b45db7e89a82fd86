"""Contributions, the decisions they fed, and the answer each contribution got."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from civitas.core.fields import CodeSetField
from civitas.core.models import VersionedModel
from civitas.engagement.models.choices import (
    Channel,
    CommunicationChannel,
    Outcome,
    Stance,
)


class Contribution(VersionedModel):
    """What a stakeholder or a citizen said in an activity.

    A contribution without a stakeholder comes from a citizen. The author's name, e-mail
    address and consent are personal data: only the city's owners and analysts see them.
    """

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="contributions")
    # Kept beside the activity so that per-initiative figures need no join.
    initiative = models.ForeignKey(
        "cities.Initiative", on_delete=models.RESTRICT, related_name="contributions"
    )
    activity = models.ForeignKey(
        "engagement.Activity", on_delete=models.RESTRICT, related_name="contributions"
    )
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member who entered it; empty when a citizen sent it on the public page.",
    )
    author_name = models.CharField(max_length=200, blank=True)
    author_email = models.EmailField(blank=True, help_text="Where the answer is sent.")
    consent_at = models.DateTimeField(
        null=True, blank=True, help_text="When a citizen agreed to their data being kept."
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    text = models.TextField()
    stance = models.CharField(max_length=20, choices=Stance.choices)
    topics = CodeSetField()
    submitted_at = models.DateTimeField(default=timezone.now)
    tracking_code = models.CharField(max_length=32, unique=True, editable=False)
    submission_token = models.CharField(
        max_length=64,
        blank=True,
        help_text="Chosen by the sender's form or client, so that a repeated submission "
        "is stored once.",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "submission_token"],
                condition=~Q(submission_token=""),
                name="contribution_submitted_once_per_city",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="contribution_has_text"),
        ]
        indexes = [
            models.Index(fields=["initiative", "submitted_at"]),
            models.Index(fields=["activity", "submitted_at"]),
            # Per-author and per-activity figures of an initiative, read from the index alone.
            models.Index(
                fields=["initiative", "stakeholder", "submitted_at"],
                name="contribution_initiative_author",
            ),
            models.Index(
                fields=["initiative", "activity", "stance"], name="contribution_initiative_stance"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()} on {self.activity}"

    @property
    def from_citizen(self) -> bool:
        return self.stakeholder_id is None


class Decision(VersionedModel):
    """A decision taken in an initiative, and the contributions it answered."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="decisions")
    initiative = models.ForeignKey(
        "cities.Initiative", on_delete=models.RESTRICT, related_name="decisions"
    )
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    decided_on = models.DateField()
    decided_by = models.CharField(
        max_length=200, blank=True, help_text="Who took it, e.g. the city council."
    )
    decision_makers = models.ManyToManyField(
        "stakeholders.Stakeholder",
        blank=True,
        related_name="decisions_taken",
        help_text="The stakeholders who took it.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Shown on the public accountability page since then."
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["initiative", "decided_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Response(VersionedModel):
    """The answer to one contribution within a decision, and when its author was told."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="responses")
    contribution = models.OneToOneField(
        Contribution, on_delete=models.RESTRICT, related_name="response"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    explanation = models.TextField()
    published = models.BooleanField(
        default=False,
        help_text="Show the contribution's text with this answer on the public page once the "
        "decision is published (check it holds no personal data).",
    )
    answered_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    communicated_at = models.DateTimeField(null=True, blank=True)
    communicated_via = models.CharField(
        max_length=20, choices=CommunicationChannel.choices, blank=True
    )
    communicated_note = models.TextField(blank=True)
    communicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["decision", "answered_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(communicated_at__isnull=True, communicated_via="")
                | (Q(communicated_at__isnull=False) & ~Q(communicated_via="")),
                name="response_communicated_with_a_channel",
            ),
            models.CheckConstraint(condition=~Q(explanation=""), name="response_explained"),
        ]
        indexes = [
            # What health figures read of each answer, found by contribution in the index alone.
            models.Index(
                fields=["contribution", "outcome", "communicated_at", "answered_at"],
                name="response_contribution_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.contribution}"

    @property
    def is_communicated(self) -> bool:
        return self.communicated_at is not None
