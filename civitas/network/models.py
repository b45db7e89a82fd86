"""Relationships between a city's stakeholders (§4.1 b, Figure 3) and what the map keeps."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from civitas.core.models import VersionedModel
from civitas.network.vocabulary import Direction, Grouping, RelationshipKind


class Relationship(VersionedModel):
    """A typed relationship from one stakeholder to another, possibly within one initiative."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="relationships")
    source = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.CASCADE, related_name="relationships_out"
    )
    target = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.CASCADE, related_name="relationships_in"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.DIRECTED
    )
    strength = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="1 (weak or occasional) to 3 (strong or formal).",
    )
    description = models.TextField(blank=True)
    initiative = models.ForeignKey(
        "cities.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relationships",
        help_text="Leave empty for a relationship that holds across the city's programme.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["source__name", "kind", "target__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="relationship_not_to_itself"
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=1, strength__lte=3), name="relationship_strength_1_3"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="relationship_starts_before_it_ends",
            ),
            models.UniqueConstraint(
                fields=["source", "target", "kind"],
                condition=Q(initiative__isnull=True),
                name="relationship_unique_citywide",
            ),
            models.UniqueConstraint(
                fields=["source", "target", "kind", "initiative"],
                condition=Q(initiative__isnull=False),
                name="relationship_unique_per_initiative",
            ),
        ]
        indexes = [
            models.Index(fields=["city", "initiative"]),
            models.Index(fields=["target", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"

    @property
    def is_mutual(self) -> bool:
        return self.direction == Direction.MUTUAL


class Audience(models.TextChoices):
    """Who a cached map is for: confidential stakeholders are hidden from some roles."""

    ALL = "all", "Everyone who may see confidential stakeholders"
    PUBLIC = "public", "Members who may not see confidential stakeholders"


class NetworkCache(models.Model):
    """Metrics and computed positions of one map, valid while its graph is unchanged.

    `fingerprint` digests the stakeholders and relationships the map was computed from;
    a map whose graph digests differently is computed again.
    """

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(
        "cities.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    fingerprint = models.CharField(max_length=64)
    metrics = models.JSONField(default=dict, blank=True)
    layouts = models.JSONField(
        default=dict, blank=True, help_text="Positions per grouping: {grouping: {id: [x, y]}}."
    )
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["city", "audience"],
                condition=Q(initiative__isnull=True),
                name="network_cache_one_per_city",
            ),
            models.UniqueConstraint(
                fields=["city", "initiative", "audience"],
                condition=Q(initiative__isnull=False),
                name="network_cache_one_per_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"Network cache of {self.city_id}/{self.initiative_id or '-'} ({self.audience})"


class SavedLayout(VersionedModel):
    """Positions a person arranged on a map and saved for everyone in the city."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(
        "cities.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    grouping = models.CharField(max_length=10, choices=Grouping.choices, blank=True, default="")
    positions = models.JSONField(default=dict, blank=True, help_text="{stakeholder id: [x, y]}")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["city", "grouping"],
                condition=Q(initiative__isnull=True),
                name="saved_layout_one_per_city_map",
            ),
            models.UniqueConstraint(
                fields=["city", "initiative", "grouping"],
                condition=Q(initiative__isnull=False),
                name="saved_layout_one_per_initiative_map",
            ),
        ]

    def __str__(self) -> str:
        return f"Saved layout of {self.city_id}/{self.initiative_id or '-'} {self.grouping}"
