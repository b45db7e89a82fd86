"""The Supplement's shared vocabulary: levels, sectors, roles and matrix dimensions."""

from django.db import models


class Level(models.TextChoices):
    """Levels a stakeholder operates at (§4.1 a, §4.2 first principle)."""

    LOCAL = "local", "Local"
    SUB_NATIONAL = "sub_national", "Sub-national"
    NATIONAL = "national", "National"
    INTERNATIONAL = "international", "International"


class Sector(models.TextChoices):
    """The sector a stakeholder works in (§4.1 a)."""

    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"
    CIVIL_SOCIETY = "civil_society", "Civil society"
    ACADEMIA = "academia", "Academia and research"
    INTERNATIONAL = "international", "International"
    CITIZENS = "citizens", "Citizens"


class LfaRole(models.TextChoices):
    """Roles in an initiative after the logical framework approach (§3.2 a)."""

    ACTIVE = "active", "Active"
    BENEFICIARY = "beneficiary", "Beneficiary"
    POTENTIAL_SUPPORTER = "potential_supporter", "Affected: potential supporter"
    POTENTIAL_OPPONENT = "potential_opponent", "Affected: potential opponent"


class TechnologyRole(models.TextChoices):
    """Roles towards SSC technology (§3.2 b)."""

    TECHNOLOGY_ENABLER = "technology_enabler", "Enabler of technology"
    TECHNOLOGY_DRIVER = "technology_driver", "Driver of technology"
    SSC_ENABLER = "ssc_enabler", "Enabler of the SSC"


class MatrixDimension(models.TextChoices):
    """The analysis matrix's dimensions (§4.1 a, Appendix I)."""

    AIM = "aim", "Aims"
    CHALLENGE = "challenge", "Challenges"
    POTENTIAL = "potential", "Potential"
    CONSTRAINT = "constraint", "Constraints"
    CONTRIBUTION = "contribution", "Role and contributions"


class Scale(models.TextChoices):
    """Where a stakeholder operates: local only, or beyond (§4.1 a)."""

    LOCAL = "local", "Local"
    SUPRALOCAL = "supralocal", "Supralocal"


def scale_of(levels: list[str]) -> str:
    """Return the scale implied by a set of levels ("" when no level is known)."""
    if not levels:
        return ""
    return Scale.LOCAL if set(levels) == {Level.LOCAL} else Scale.SUPRALOCAL
