"""The words of the interaction map (§4.1 b, Figure 3): kinds of relationship and directions."""

from dataclasses import dataclass

from django.db import models


class RelationshipKind(models.TextChoices):
    """What one stakeholder does for or to another.

    The municipality as examiner of its service providers is §5.1; the others come from
    the roles clause 5 and Tables 1-2 give each type of stakeholder.
    """

    FUNDS = "funds", "Funds"
    REGULATES = "regulates", "Regulates or sets policy for"
    PROVIDES_SERVICE = "provides_service", "Contracts with or provides a service to"
    EVALUATES = "evaluates", "Evaluates"
    COLLABORATES = "collaborates", "Collaborates with"
    SUPPLIES_DATA = "supplies_data", "Supplies data to"
    MEMBER_OF = "member_of", "Is a member of or represents"
    ADVISES = "advises", "Advises or assists"
    SETS_STANDARDS = "sets_standards", "Sets standards for"
    COORDINATES = "coordinates", "Coordinates"
    INFORMS = "informs", "Informs or communicates with"


class Direction(models.TextChoices):
    """Whether a relationship runs from the source to the target, or both ways."""

    DIRECTED = "directed", "From the source to the target"
    MUTUAL = "mutual", "Both ways"


class Grouping(models.TextChoices):
    """How the map gathers stakeholders into boxes (compound nodes)."""

    NONE = "", "No grouping"
    SECTOR = "sector", "By sector"
    TYPE = "type", "By type"


class Strength(models.IntegerChoices):
    WEAK = 1, "1 · weak or occasional"
    MEDIUM = 2, "2 · regular"
    STRONG = 3, "3 · strong or formal"


@dataclass(frozen=True)
class KindStyle:
    """How a kind reads in a sentence and looks on the map."""

    passive: str  # "{target} is funded by {source}"
    mutual_by_default: bool
    # Two sources holding it towards one target may duplicate a function (one regulator,
    # one examiner, one coordinator is the rule); co-funding and several suppliers are not.
    overlap_matters: bool
    colour: str
    line: str  # solid, dashed or dotted


KIND_STYLES: dict[str, KindStyle] = {
    RelationshipKind.FUNDS: KindStyle("is funded by", False, False, "#2e7d32", "solid"),
    RelationshipKind.REGULATES: KindStyle(
        "is regulated or given policy by", False, True, "#6a1b9a", "solid"
    ),
    RelationshipKind.PROVIDES_SERVICE: KindStyle(
        "receives a service from", False, False, "#1565c0", "solid"
    ),
    RelationshipKind.EVALUATES: KindStyle("is evaluated by", False, True, "#c62828", "dashed"),
    RelationshipKind.COLLABORATES: KindStyle("collaborates with", True, False, "#00838f", "solid"),
    RelationshipKind.SUPPLIES_DATA: KindStyle(
        "receives data from", False, False, "#ef6c00", "dotted"
    ),
    RelationshipKind.MEMBER_OF: KindStyle(
        "has as member or is represented by", False, False, "#5d4037", "dashed"
    ),
    RelationshipKind.ADVISES: KindStyle("is advised by", False, False, "#558b2f", "dotted"),
    RelationshipKind.SETS_STANDARDS: KindStyle(
        "follows standards set by", False, True, "#283593", "dashed"
    ),
    RelationshipKind.COORDINATES: KindStyle("is coordinated by", False, True, "#ad1457", "solid"),
    RelationshipKind.INFORMS: KindStyle("is informed by", False, False, "#757575", "dotted"),
}

# Colours of the map's nodes, by sector and by LFA role (§3.2 a).
SECTOR_COLOURS = {
    "public": "#1f6f8b",
    "private": "#c77d00",
    "civil_society": "#2e7d32",
    "academia": "#6a1b9a",
    "international": "#00838f",
    "citizens": "#c2185b",
}
LFA_COLOURS = {
    "active": "#1f6f8b",
    "beneficiary": "#2e7d32",
    "potential_supporter": "#7cb342",
    "potential_opponent": "#c62828",
    "": "#9e9e9e",
}
