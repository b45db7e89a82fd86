"""The Supplement's catalogue of stakeholder types (§3.1, §5, Tables 1-2, Appendix I)."""

from django.db import models

from civitas.core.fields import CodeSetField
from civitas.core.vocabulary import Level, LfaRole, MatrixDimension, Sector, TechnologyRole


class TypeKind(models.TextChoices):
    """Whether a catalogue entry is a generic type or a unit of one."""

    GENERIC = "generic", "Generic type"
    MUNICIPAL_UNIT = "municipal_unit", "Municipal unit (Table 1)"
    NATIONAL_UNIT = "national_unit", "National unit (Table 2)"


class StakeholderType(models.Model):
    """One catalogue entry: a generic stakeholder type or a municipal or national unit."""

    code = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=TypeKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    letter = models.CharField(max_length=1, blank=True, help_text="The letter in §3.1's list.")
    name = models.CharField(max_length=200)
    definition = models.TextField()
    clause = models.CharField(max_length=100)
    default_levels = CodeSetField(allowed=Level.values)
    default_sector = models.CharField(max_length=20, choices=Sector.choices)
    default_lfa_roles = CodeSetField(allowed=LfaRole.values)
    default_technology_roles = CodeSetField(allowed=TechnologyRole.values)
    default_power_monetary = models.PositiveSmallIntegerField(default=0)
    default_power_administrative = models.PositiveSmallIntegerField(default=0)
    default_interest = models.PositiveSmallIntegerField(default=0)
    default_attitude = models.SmallIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    catalogue_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unit(self) -> bool:
        return self.kind != TypeKind.GENERIC


class DefaultMatrixItem(models.Model):
    """An analysis-matrix item every stakeholder of a type inherits until the city edits it."""

    type = models.ForeignKey(StakeholderType, on_delete=models.CASCADE, related_name="matrix")
    key = models.SlugField(max_length=100, unique=True)
    dimension = models.CharField(max_length=20, choices=MatrixDimension.choices)
    text = models.TextField()
    clause = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["type__position", "dimension", "position"]

    def __str__(self) -> str:
        return self.text


class CatalogueRelease(models.Model):
    """A catalogue version that was loaded, and when."""

    version = models.PositiveIntegerField(unique=True)
    loaded_at = models.DateTimeField(auto_now=True)
    types = models.PositiveIntegerField(default=0)
    matrix_items = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Catalogue v{self.version}"
