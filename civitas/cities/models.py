"""Cities and their SSC initiatives."""

from django.db import models
from django.db.models import F, Q

from civitas.core.models import TimeStampedModel, VersionedModel


class DevelopmentContext(models.TextChoices):
    """What is feasible differs between developed and developing cities (§6)."""

    DEVELOPED = "developed", "Developed"
    DEVELOPING = "developing", "Developing"
    LEAST_DEVELOPED = "least_developed", "Least developed"


class City(TimeStampedModel):
    """A city running an SSC programme; everything else hangs off it."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    population = models.PositiveBigIntegerField(null=True, blank=True)
    development_context = models.CharField(
        max_length=20, choices=DevelopmentContext.choices, default=DevelopmentContext.DEVELOPING
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"

    def __str__(self) -> str:
        return self.name


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    SUSPENDED = "suspended", "Suspended"


class Initiative(VersionedModel):
    """An SSC project or strategy of a city."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="initiatives")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.PLANNED
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "name"], name="initiative_unique_name_per_city"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="initiative_starts_before_it_ends",
            ),
        ]

    def __str__(self) -> str:
        return self.name
