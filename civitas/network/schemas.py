"""API shapes for relationships, the map, its analysis and saved layouts."""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from ninja import Field, Schema

from civitas.core.schemas import MAX_ID, PatchSchema, Text
from civitas.network.vocabulary import Direction, Grouping, RelationshipKind
from civitas.stakeholders.schemas import StakeholderRef, TypeCode, Version

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Strength = Annotated[int, Field(ge=1, le=3, description="1 (weak) to 3 (strong or formal).")]
GroupingCode = Literal["", "sector", "type"]
GraphFormatCode = Literal["graphml", "gexf", "json", "kumu", "svg"]


class InitiativeRef(Schema):
    id: int
    name: str


class RelationshipOut(Schema):
    id: int
    source: StakeholderRef
    target: StakeholderRef
    kind: RelationshipKind
    kind_label: str
    direction: Direction
    strength: int
    description: str
    initiative: InitiativeRef | None
    start_date: date | None
    end_date: date | None
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class RelationshipIn(Schema):
    source_id: Id = Field(description="The stakeholder the relationship starts from.")
    target_id: Id = Field(description="The stakeholder it goes to.")
    kind: RelationshipKind
    direction: Direction | None = Field(
        None, description="Default: mutual for collaborates, else directed."
    )
    strength: Strength = 2
    description: Text = ""
    initiative_id: Id | None = Field(None, description="Empty: across the city's programme.")
    start_date: date | None = None
    end_date: date | None = None


class RelationshipPatch(PatchSchema):
    nullable_fields: ClassVar[frozenset[str]] = frozenset(
        {"initiative_id", "start_date", "end_date"}
    )

    version: Version
    source_id: Id | None = None
    target_id: Id | None = None
    kind: RelationshipKind | None = None
    direction: Direction | None = None
    strength: Strength | None = None
    description: Text | None = None
    initiative_id: Id | None = None
    start_date: date | None = None
    end_date: date | None = None


class RelationshipFilters(Schema):
    stakeholder: Id | None = Field(None, description="Relationships from or to this stakeholder.")
    kind: RelationshipKind | None = None
    initiative: Id | None = None
    search: Annotated[str, Field(max_length=200)] = Field(
        "", description="Words in either stakeholder's name or the description."
    )
    include_ended: bool = Field(True, description="false leaves out ended relationships.")


class FieldChangeOut(Schema):
    field: str
    old: Any = None
    new: Any = None


class RelationshipHistoryOut(Schema):
    when: datetime
    who: str
    action: str
    changes: list[FieldChangeOut]


class MapFilters(Schema):
    initiative: Id | None = Field(None, description="The map of one initiative.")
    grouping: GroupingCode = Field("", description="Group stakeholders by sector or type.")
    kind: list[RelationshipKind] = Field(
        [], description="Show only these kinds of relationship (repeat the parameter)."
    )
    level: Annotated[str, Field(max_length=20)] = ""
    type: TypeCode = Field("", description="Only this catalogue type and its units.")


class ExportFilters(MapFilters):
    format: GraphFormatCode = "graphml"
    colour: Literal["sector", "lfa"] = Field("sector", description="SVG: colour by.")
    size: Literal["power", "degree", "relationships", "betweenness", "pagerank", "eigenvector"] = (
        Field("power", description="SVG: size by.")
    )


class LayoutInfoOut(Schema):
    saved: bool
    version: int | None
    saved_by: str | None
    saved_at: str | None


class MapOut(Schema):
    title: str
    city: str
    initiative: int | None
    grouping: str
    layout: LayoutInfoOut
    counts: dict[str, int]
    links: dict[str, str]
    legend: dict[str, Any]
    nodes: list[dict[str, Any]] = Field(
        description="Cytoscape elements: data (attributes and metrics) and position."
    )
    edges: list[dict[str, Any]]


class LayoutIn(Schema):
    initiative: Id | None = None
    grouping: GroupingCode = ""
    version: Version | None = Field(
        None, description="The saved layout's version the map showed; null when it had none."
    )
    positions: dict[str, Annotated[list[float], Field(min_length=2, max_length=2)]] = Field(
        description="{stakeholder id: [x, y]}"
    )


class LayoutOut(Schema):
    version: int
    saved_by: str | None
    saved_at: datetime
    positions: int = Field(description="How many positions were saved.")


class NodeRefOut(Schema):
    id: int
    name: str
    type: str = ""


class NodeMetricsOut(NodeRefOut):
    power: int
    degree: int
    relationships: int
    in_degree: int
    out_degree: int
    betweenness: float
    pagerank: float
    eigenvector: float
    community: int | None


class CommunityOut(Schema):
    number: int
    members: list[NodeRefOut]


class BrokerOut(NodeRefOut):
    betweenness: float


class VoicelessOut(NodeRefOut):
    power: int
    eigenvector: float
    betweenness: float


class GapOut(Schema):
    rule: str
    level: Literal["expected", "suggested"]
    clause: str
    stakeholder: NodeRefOut
    message: str
    expectation: str
    kinds: list[RelationshipKind]
    candidates: list[NodeRefOut]


class OverlapOut(Schema):
    sign: Literal["relationship", "contribution"]
    kind: RelationshipKind | None
    target: NodeRefOut | None
    contribution: str | None
    stakeholders: list[NodeRefOut]
    message: str


class AnalysisOut(Schema):
    city: str
    initiative: int | None
    stakeholders: int
    relationships: int
    density: float
    components: int
    modularity: float
    metrics: list[NodeMetricsOut]
    communities: list[CommunityOut]
    isolated: list[NodeRefOut]
    brokers: list[BrokerOut]
    influence_without_voice: list[VoicelessOut]
    gaps: list[GapOut]
    overlaps: list[OverlapOut]


class SideOut(Schema):
    types: list[str]
    tags: list[str]


class ExpectedRelationshipOut(Schema):
    code: str
    level: Literal["expected", "suggested"]
    clause: str
    each: Literal["source", "target"]
    source: SideOut
    kinds: list[RelationshipKind]
    target: SideOut
    either_direction: bool
    expectation: str


GROUPINGS = Grouping.values
