"""The registry (step 1), categorization (step 2) and analysis matrix (step 3)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from civitas.core.fields import CodeSetField
from civitas.core.models import VersionedModel
from civitas.core.vocabulary import (
    Level,
    LfaRole,
    MatrixDimension,
    Sector,
    TechnologyRole,
    scale_of,
)


class StakeholderKind(models.TextChoices):
    ORGANIZATION = "organization", "Organization"
    UNIT = "unit", "Unit"
    GROUP = "group", "Group"
    PERSON = "person", "Person"


class IdentificationReason(models.TextChoices):
    """Why a stakeholder belongs on the list (§3)."""

    INTERESTED = "interested", "Interested"
    AFFECTED = "affected", "Affected"
    INFLUENTIAL = "influential", "Has influence"


class ValidationStep(models.TextChoices):
    """The checks a city runs over its list (§3.1)."""

    DEFINITION = "definition", "Derived from the definition (interested, affected, influential)"
    CLASSIFICATION = "classification", "Checked against a general classification"
    SUPPLEMENTS = "supplements", "Checked against the stakeholders of related Supplements"
    LITERATURE = "literature", "Checked against the literature"


class Stakeholder(VersionedModel):
    """An organization, unit, group or person that matters to one city's SSC programme."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="stakeholders")
    type = models.ForeignKey(
        "catalogue.StakeholderType", on_delete=models.PROTECT, related_name="stakeholders"
    )
    kind = models.CharField(
        max_length=20, choices=StakeholderKind.choices, default=StakeholderKind.ORGANIZATION
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    name = models.CharField(max_length=200)
    levels = CodeSetField(allowed=Level.values)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    tags = CodeSetField()
    identified_as = CodeSetField(allowed=IdentificationReason.values)
    validation_steps = CodeSetField(allowed=ValidationStep.values)
    confidential = models.BooleanField(
        default=False, help_text="Only owners and analysts of the city see it."
    )
    is_placeholder = models.BooleanField(
        default=False, help_text="Created from the catalogue; rename, merge or archive it."
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "city", name="stakeholder_unique_name_per_city"),
        ]
        indexes = [models.Index(fields=["city", "archived_at", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> str:
        return scale_of(self.levels)

    @property
    def is_validated(self) -> bool:
        return len(self.validation_steps) == len(ValidationStep.values)


class ContactPerson(models.Model):
    """Someone to talk to at a stakeholder. Personal data: members of the city only."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GridQuadrant(models.TextChoices):
    """The power-interest grid's four strategies."""

    MANAGE_CLOSELY = "manage_closely", "Manage closely"
    KEEP_SATISFIED = "keep_satisfied", "Keep satisfied"
    KEEP_INFORMED = "keep_informed", "Keep informed"
    MONITOR = "monitor", "Monitor"


# Scores at or above this are "high" on the power-interest grid (scales run 0-5).
GRID_THRESHOLD = 3


class Categorization(VersionedModel):
    """A stakeholder's roles, power, interest and attitude in one initiative (§3.2)."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="categorizations"
    )
    initiative = models.ForeignKey(
        "cities.Initiative", on_delete=models.CASCADE, related_name="categorizations"
    )
    lfa_roles = CodeSetField(allowed=LfaRole.values)
    technology_roles = CodeSetField(allowed=TechnologyRole.values)
    power_monetary = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(5)], help_text="0 (none) to 5."
    )
    power_administrative = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(5)], help_text="0 (none) to 5."
    )
    interest = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(5)], help_text="0 (none) to 5."
    )
    attitude = models.SmallIntegerField(
        default=0,
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
        help_text="-2 (opposed) to +2 (supportive).",
    )
    rationale = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["stakeholder__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "initiative"], name="categorization_one_per_initiative"
            ),
            models.CheckConstraint(
                condition=Q(power_monetary__lte=5), name="categorization_power_monetary_0_5"
            ),
            models.CheckConstraint(
                condition=Q(power_administrative__lte=5),
                name="categorization_power_administrative_0_5",
            ),
            models.CheckConstraint(
                condition=Q(interest__lte=5), name="categorization_interest_0_5"
            ),
            models.CheckConstraint(
                condition=Q(attitude__gte=-2, attitude__lte=2), name="categorization_attitude_m2_2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} in {self.initiative}"

    @property
    def power(self) -> int:
        """Overall power: the stronger of money and administrative authority (§4.2)."""
        return max(self.power_monetary, self.power_administrative)

    @property
    def quadrant(self) -> str:
        high_power = self.power >= GRID_THRESHOLD
        high_interest = self.interest >= GRID_THRESHOLD
        if high_power and high_interest:
            return GridQuadrant.MANAGE_CLOSELY
        if high_power:
            return GridQuadrant.KEEP_SATISFIED
        if high_interest:
            return GridQuadrant.KEEP_INFORMED
        return GridQuadrant.MONITOR


class MatrixItem(VersionedModel):
    """A city's own analysis-matrix item, or its edit or dismissal of a catalogue default."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="matrix_items"
    )
    dimension = models.CharField(max_length=20, choices=MatrixDimension.choices)
    text = models.TextField(blank=True)
    replaces = models.ForeignKey(
        "catalogue.DefaultMatrixItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overrides",
        help_text="The catalogue default this item edits or dismisses.",
    )
    dismissed = models.BooleanField(
        default=False, help_text="The city removed the catalogue default it replaces."
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["dimension", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "replaces"],
                condition=Q(replaces__isnull=False),
                name="matrix_item_one_override_per_default",
            ),
            models.CheckConstraint(
                condition=Q(dismissed=False) | Q(replaces__isnull=False),
                name="matrix_item_dismisses_only_defaults",
            ),
        ]

    def __str__(self) -> str:
        return self.text
