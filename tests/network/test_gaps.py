"""The expected relationships (gap rules): the shipped data, and each rule passing and failing."""

import json
import re

import pytest

from civitas.catalogue.models import StakeholderType
from civitas.network.gaps import (
    RULES_FILE,
    ExpectedRelationship,
    Side,
    expected_relationships,
    find_gaps,
)
from civitas.network.graph import Edge, Network, Node
from civitas.network.vocabulary import RelationshipKind

RULES = expected_relationships()


def _member(side: Side, pk: int, name: str) -> Node:
    """Return a stakeholder on one side of a rule: of its first type, else with its first tag."""
    if side.types:
        code = sorted(side.types)[0]
        return Node(id=pk, name=name, type_code=code, type_name=code)
    return Node(id=pk, name=name, type_code="ngo", type_name="ngo", tags=[sorted(side.tags)[0]])


def _pair(rule: ExpectedRelationship) -> tuple[Node, Node]:
    subject = _member(rule.subject, 1, "Subject")
    partner = _member(rule.partner, 2, "Partner")
    return subject, partner


def _edge(rule: ExpectedRelationship, subject: Node, partner: Node, kind: str) -> Edge:
    """Return the relationship the rule asks for, recorded the way round the rule reads."""
    if rule.each == "source":
        return Edge(id=1, source=subject.id, target=partner.id, kind=kind)
    return Edge(id=1, source=partner.id, target=subject.id, kind=kind)


def _gaps_of(rule: ExpectedRelationship, network: Network) -> list[str]:
    return [gap.rule.code for gap in find_gaps(network, [rule])]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_fails_without_the_relationship(rule: ExpectedRelationship) -> None:
    subject, partner = _pair(rule)
    gaps = find_gaps(Network(nodes=[subject, partner], edges=[]), [rule])
    assert [gap.rule.code for gap in gaps] == [rule.code]
    assert gaps[0].stakeholder is subject
    assert [node.id for node in gaps[0].candidates] == [partner.id]
    assert "Subject" in gaps[0].message


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_passes_with_the_relationship(rule: ExpectedRelationship) -> None:
    subject, partner = _pair(rule)
    for kind in rule.kinds:
        network = Network(nodes=[subject, partner], edges=[_edge(rule, subject, partner, kind)])
        assert _gaps_of(rule, network) == [], kind


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_fails_with_another_kind(rule: ExpectedRelationship) -> None:
    subject, partner = _pair(rule)
    other = next(kind for kind in RelationshipKind.values if kind not in rule.kinds)
    network = Network(nodes=[subject, partner], edges=[_edge(rule, subject, partner, other)])
    assert _gaps_of(rule, network) == [rule.code]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_the_wrong_way_round_counts_only_when_the_rule_allows(rule: ExpectedRelationship) -> None:
    subject, partner = _pair(rule)
    edge = _edge(rule, subject, partner, rule.kinds[0])
    edge.source, edge.target = edge.target, edge.source
    gaps = _gaps_of(rule, Network(nodes=[subject, partner], edges=[edge]))
    assert gaps == ([] if rule.either_direction else [rule.code])


def _rule(code: str) -> ExpectedRelationship:
    return next(rule for rule in RULES if rule.code == code)


def test_a_unit_acts_for_its_organization() -> None:
    rule = _rule("municipality-evaluates-city-services")
    finance = Node(1, "Finance", "municipal_finance", "", parent_type_code="municipality")
    waste = Node(2, "Waste", "city_services_company", "")
    assert _gaps_of(rule, Network([finance, waste], [Edge(1, 1, 2, "evaluates")])) == []


def test_a_unit_is_not_held_to_its_organizations_rules() -> None:
    # "Every municipality is given policy by the government" does not ask it of each unit.
    rule = _rule("national-policy-for-municipality")
    finance = Node(1, "Finance", "municipal_finance", "", parent_type_code="municipality")
    assert _gaps_of(rule, Network([finance], [])) == []


def test_a_mutual_relationship_counts_both_ways() -> None:
    rule = _rule("municipality-evaluates-city-services")
    council = Node(1, "Council", "municipality", "")
    waste = Node(2, "Waste", "city_services_company", "")
    edge = Edge(1, 2, 1, "evaluates", direction="mutual")
    assert _gaps_of(rule, Network([council, waste], [edge])) == []


def test_a_stakeholder_does_not_satisfy_a_rule_with_itself() -> None:
    rule = _rule("cert-with-other-certs")
    cert = Node(1, "City CERT", "municipal_cert", "", tags=["cert"])
    gaps = find_gaps(Network([cert], []), [rule])
    assert [gap.rule.code for gap in gaps] == [rule.code]
    assert gaps[0].candidates == []


def test_tags_stand_for_a_type() -> None:
    rule = _rule("cert-with-law-enforcement")
    cert = Node(1, "City CERT", "municipal_cert", "")
    police = Node(2, "City police", "municipality", "", tags=["police"])
    assert _gaps_of(rule, Network([cert, police], [Edge(1, 1, 2, "coordinates")])) == []


def test_no_subject_no_gap() -> None:
    rule = _rule("standards-for-ict")
    assert _gaps_of(rule, Network([Node(1, "SDO", "standards_body", "")], [])) == []


def test_expected_gaps_come_before_suggested_ones() -> None:
    council = Node(1, "Council", "municipality", "")
    levels = [gap.rule.level for gap in find_gaps(Network([council], []))]
    assert levels == sorted(levels, key=["expected", "suggested"].index)
    assert "expected" in levels and "suggested" in levels


def test_the_issue_examples_are_rules() -> None:
    codes = {rule.code for rule in RULES}
    for code in (
        "municipality-evaluates-city-services",
        "national-policy-for-municipality",
        "standards-for-ict",
        "ngo-raises-concerns",
        "emergency-coordinates-health",
        "emergency-coordinates-infrastructure",
        "emergency-coordinates-transportation",
        "emergency-coordinates-citizen-services",
        "environment-with-transportation",
        "cert-with-other-certs",
        "cert-with-law-enforcement",
    ):
        assert code in codes


@pytest.mark.django_db
def test_the_shipped_rules_are_sound() -> None:
    document = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    codes = set(StakeholderType.objects.values_list("code", flat=True))
    seen = set()
    for rule in document["rules"]:
        assert rule["code"] not in seen, rule["code"]
        seen.add(rule["code"])
        assert re.search(r"§\d|Table|Appendix", rule["clause"]), rule["code"]
        assert rule["level"] in ("expected", "suggested")
        assert rule["each"] in ("source", "target")
        assert rule["kinds"] and set(rule["kinds"]) <= set(RelationshipKind.values)
        for side in ("source", "target"):
            assert set(rule[side].get("types", [])) <= codes, (rule["code"], side)
            assert rule[side].get("types") or rule[side].get("tags"), rule["code"]
        assert "{name}" in rule["missing"]
        assert len(rule["expectation"]) > 20
    assert len(seen) >= 30
