"""Gaps: relationships the Supplement expects between types of stakeholder that a map lacks.

The expectations are catalogue data (data/expected_relationships.json), each citing its
clause. A rule says that every stakeholder on one side ("each": source or target) holds a
relationship of one of some kinds with a stakeholder on the other side. On the other side
a unit counts for its organization (a municipal department for the municipality), and a
stakeholder also matches by one of the rule's tags.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from civitas.network.graph import Network, Node

RULES_FILE = Path(__file__).resolve().parent / "data" / "expected_relationships.json"
LEVELS = ("expected", "suggested")
# How many possible partners a gap names.
CANDIDATES = 5


@dataclass(frozen=True)
class Side:
    """Which stakeholders one side of a rule covers: catalogue types, or tags."""

    types: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ExpectedRelationship:
    """One rule: every stakeholder on the `each` side should hold such a relationship."""

    code: str
    level: str
    clause: str
    each: str  # "source" or "target"
    source: Side
    kinds: tuple[str, ...]
    target: Side
    either_direction: bool
    expectation: str
    missing: str

    @property
    def subject(self) -> Side:
        return self.source if self.each == "source" else self.target

    @property
    def partner(self) -> Side:
        return self.target if self.each == "source" else self.source

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": self.level,
            "clause": self.clause,
            "each": self.each,
            "source": {"types": sorted(self.source.types), "tags": sorted(self.source.tags)},
            "kinds": list(self.kinds),
            "target": {"types": sorted(self.target.types), "tags": sorted(self.target.tags)},
            "either_direction": self.either_direction,
            "expectation": self.expectation,
        }


@dataclass
class Gap:
    """A stakeholder that lacks a relationship a rule expects of it."""

    rule: ExpectedRelationship
    stakeholder: Node
    candidates: list[Node] = field(default_factory=list)  # who could be on the other side

    @property
    def message(self) -> str:
        return self.rule.missing.format(name=self.stakeholder.name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.code,
            "level": self.rule.level,
            "clause": self.rule.clause,
            "stakeholder": {"id": self.stakeholder.id, "name": self.stakeholder.name},
            "message": self.message,
            "expectation": self.rule.expectation,
            "kinds": list(self.rule.kinds),
            "candidates": [{"id": node.id, "name": node.name} for node in self.candidates],
        }


def _side(data: dict[str, Any]) -> Side:
    return Side(
        types=frozenset(data.get("types", [])),
        tags=frozenset(tag.lower() for tag in data.get("tags", [])),
    )


def parse_rules(document: dict[str, Any]) -> list[ExpectedRelationship]:
    """Read the rules of an expected-relationships document."""
    return [
        ExpectedRelationship(
            code=rule["code"],
            level=rule.get("level", "expected"),
            clause=rule["clause"],
            each=rule.get("each", "source"),
            source=_side(rule["source"]),
            kinds=tuple(rule["kinds"]),
            target=_side(rule["target"]),
            either_direction=bool(rule.get("either_direction", False)),
            expectation=rule["expectation"],
            missing=rule["missing"],
        )
        for rule in document["rules"]
    ]


@cache
def expected_relationships() -> tuple[ExpectedRelationship, ...]:
    """Return the shipped rules."""
    return tuple(parse_rules(json.loads(RULES_FILE.read_text(encoding="utf-8"))))


class _Index:
    """The stakeholders of a map by type, by organization type and by tag, to match sides."""

    def __init__(self, network: Network) -> None:
        self.by_type: dict[str, list[Node]] = defaultdict(list)
        self.by_parent: dict[str, list[Node]] = defaultdict(list)
        self.by_tag: dict[str, list[Node]] = defaultdict(list)
        for node in network.nodes:
            self.by_type[node.type_code].append(node)
            if node.parent_type_code:
                self.by_parent[node.parent_type_code].append(node)
            for tag in node.tags:
                self.by_tag[tag].append(node)

    def members(self, side: Side, *, with_units: bool) -> list[Node]:
        found: dict[int, Node] = {}
        for code in side.types:
            found.update((node.id, node) for node in self.by_type.get(code, ()))
            if with_units:
                found.update((node.id, node) for node in self.by_parent.get(code, ()))
        for tag in side.tags:
            found.update((node.id, node) for node in self.by_tag.get(tag, ()))
        return sorted(found.values(), key=lambda node: (node.name, node.id))


def find_gaps(
    network: Network,
    rules: "tuple[ExpectedRelationship, ...] | list[ExpectedRelationship] | None" = None,
) -> list[Gap]:
    """Hold a map against the rules and return what it lacks, expected ones first."""
    rules = expected_relationships() if rules is None else rules
    index = _Index(network)
    # For each kind: who reaches whom, following the recorded direction (both ways when
    # mutual), and who is reached from whom.
    forward: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    backward: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for edge in network.edges:
        forward[edge.kind][edge.source].add(edge.target)
        backward[edge.kind][edge.target].add(edge.source)
        if edge.is_mutual:
            forward[edge.kind][edge.target].add(edge.source)
            backward[edge.kind][edge.source].add(edge.target)
    gaps: list[Gap] = []
    for rule in rules:
        subjects = index.members(rule.subject, with_units=False)
        if not subjects:
            continue
        partners = index.members(rule.partner, with_units=True)
        partner_ids = {node.id for node in partners}
        ahead, behind = (forward, backward) if rule.each == "source" else (backward, forward)
        for subject in subjects:
            linked: set[int] = set()
            for kind in rule.kinds:
                linked.update(ahead[kind].get(subject.id, ()))
                if rule.either_direction:
                    linked.update(behind[kind].get(subject.id, ()))
            linked.discard(subject.id)
            if linked & partner_ids:
                continue
            candidates = list(
                islice((node for node in partners if node.id != subject.id), CANDIDATES)
            )
            gaps.append(Gap(rule, subject, candidates))
    order = {level: position for position, level in enumerate(LEVELS)}
    gaps.sort(key=lambda gap: (order.get(gap.rule.level, 9), gap.stakeholder.name, gap.rule.code))
    return gaps
