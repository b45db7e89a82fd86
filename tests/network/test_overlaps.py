"""Overlaps: several stakeholders holding one function."""

import pytest

from civitas.network.graph import Edge, Network
from civitas.network.overlaps import find_overlaps, normalize_text
from civitas.network.report import network_report
from civitas.network.services import relationship_create
from civitas.stakeholders.services import matrix_item_add
from tests.network.graphs import network, node


def test_two_examiners_of_one_provider_overlap() -> None:
    graph = network(3, [(1, 3), (2, 3)], kind="evaluates")
    overlaps = find_overlaps(graph)
    assert len(overlaps) == 1
    assert [n.id for n in overlaps[0].stakeholders] == [1, 2]
    assert overlaps[0].target is not None and overlaps[0].target.id == 3
    assert overlaps[0].message == "“S1” and “S2” both evaluate “S3”."


def test_relationships_several_may_hold_do_not_overlap() -> None:
    for kind in ("funds", "informs", "collaborates", "provides_service", "advises"):
        assert find_overlaps(network(3, [(1, 3), (2, 3)], kind=kind)) == [], kind


def test_mutual_relationships_and_different_targets_do_not_overlap() -> None:
    assert find_overlaps(network(3, [(1, 3), (2, 3)], kind="coordinates", direction="mutual")) == []
    assert find_overlaps(network(4, [(1, 3), (2, 4)], kind="regulates")) == []


def test_one_source_twice_is_not_an_overlap() -> None:
    graph = Network(
        nodes=[node(1), node(2)],
        edges=[Edge(1, 1, 2, "regulates", initiative_id=1), Edge(2, 1, 2, "regulates")],
    )
    assert find_overlaps(graph) == []


def test_the_same_contribution_claimed_twice_overlaps() -> None:
    graph = network(3, [])
    claims = [
        (1, "Runs the flood warnings."),
        (2, "runs the  FLOOD warnings"),
        (3, "Something else"),
        (99, "Runs the flood warnings."),  # not on this map
    ]
    overlaps = find_overlaps(graph, claims)
    assert len(overlaps) == 1
    assert [n.id for n in overlaps[0].stakeholders] == [1, 2]
    assert "claim the contribution “Runs the flood warnings”" in overlaps[0].message


def test_normalize_text() -> None:
    assert normalize_text("  Runs, the flood-warnings! ") == "runs the flood warnings"


@pytest.mark.django_db
def test_the_report_finds_both_signs(city, add) -> None:
    a, b, c = add("A", "academia_research"), add("B", "academia_research"), add("Transit")
    relationship_create(source=a, target=c, kind="evaluates", by=None)
    relationship_create(source=b, target=c, kind="evaluates", by=None)
    matrix_item_add(stakeholder=a, dimension="contribution", text="Counts the riders.", by=None)
    matrix_item_add(stakeholder=b, dimension="contribution", text="counts the riders", by=None)
    matrix_item_add(stakeholder=b, dimension="aim", text="Counts the riders.", by=None)
    signs = sorted(overlap.sign for overlap in network_report(city=city, user=None).overlaps)
    assert signs == ["contribution", "relationship"]
