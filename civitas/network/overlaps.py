"""Overlaps: several stakeholders doing one job, which the Supplement asks cities to prevent (§1).

Two signs of it: stakeholders holding the same relationship to the same target (two
bodies evaluating one provider, two regulators of one company), for the kinds where one
holder is the rule; and stakeholders whose analysis matrix claims the same contribution
in the city's own words (texts compared without case, punctuation and extra spaces).
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from civitas.network.graph import Network, Node
from civitas.network.vocabulary import KIND_STYLES, RelationshipKind

_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class Overlap:
    """Several stakeholders claiming the same function."""

    sign: str  # "relationship" or "contribution"
    stakeholders: list[Node]
    kind: str = ""
    target: Node | None = None
    contribution: str = ""

    @property
    def message(self) -> str:
        names = _names(self.stakeholders)
        every = "both" if len(self.stakeholders) == 2 else "all"
        if self.sign == "relationship" and self.target is not None:
            verb = RelationshipKind(self.kind).label.lower()
            return f"{names} {every} {_plural(verb)} “{self.target.name}”."
        return f"{names} {every} claim the contribution “{self.contribution.rstrip('.')}”."

    def as_dict(self) -> dict[str, Any]:
        return {
            "sign": self.sign,
            "kind": self.kind or None,
            "target": {"id": self.target.id, "name": self.target.name} if self.target else None,
            "contribution": self.contribution or None,
            "stakeholders": [{"id": node.id, "name": node.name} for node in self.stakeholders],
            "message": self.message,
        }


def _names(nodes: list[Node]) -> str:
    quoted = [f"“{node.name}”" for node in nodes]
    return ", ".join(quoted[:-1]) + f" and {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _plural(verb: str) -> str:
    """Turn "funds" or "is a member of" into the form several subjects take."""
    replacements = {"is ": "are ", "funds": "fund", "regulates": "regulate",
                    "evaluates": "evaluate", "sets ": "set ", "coordinates": "coordinate",
                    "provides": "provide", "contracts": "contract"}  # fmt: skip
    for singular, plural in replacements.items():
        verb = verb.replace(singular, plural)
    return verb


def normalize_text(text: str) -> str:
    """Return text reduced to its words, lower case, for comparing claims."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def find_overlaps(network: Network, contributions: Iterable[tuple[int, str]] = ()) -> list[Overlap]:
    """Return the overlaps of a map; `contributions` are (stakeholder id, text) pairs."""
    nodes = network.node_map()
    holders: dict[tuple[int, str], set[int]] = defaultdict(set)
    for edge in network.edges:
        style = KIND_STYLES.get(edge.kind)
        if style is None or not style.overlap_matters or edge.is_mutual:
            continue
        holders[(edge.target, edge.kind)].add(edge.source)
    overlaps = [
        Overlap(
            "relationship",
            sorted((nodes[pk] for pk in sources), key=lambda node: node.name),
            kind=kind,
            target=nodes[target],
        )
        for (target, kind), sources in holders.items()
        if len(sources) > 1
    ]
    claims: dict[str, dict[int, str]] = defaultdict(dict)
    for pk, text in contributions:
        if pk in nodes and (key := normalize_text(text)):
            claims[key].setdefault(pk, text.strip())
    for claimed in claims.values():
        if len(claimed) > 1:
            ordered = sorted((nodes[pk] for pk in claimed), key=lambda node: node.name)
            overlaps.append(Overlap("contribution", ordered, contribution=claimed[ordered[0].id]))
    overlaps.sort(key=lambda o: (o.sign != "relationship", -len(o.stakeholders), o.message))
    return overlaps
