"""Graph files read back with networkx and igraph, Kumu's blueprint, and the SVG."""

import io
import json
import xml.etree.ElementTree as ET

import igraph
import networkx as nx
import pytest

from civitas.network.analytics import analyse
from civitas.network.formats import gexf_bytes, graph_json, graph_svg, graphml_bytes, kumu_json
from civitas.network.graph import Edge, Network, Node
from civitas.network.layout import compute_layout


@pytest.fixture
def analysis():
    nodes = [
        Node(1, "Council", "municipality", "Municipality", sector="public", levels=["local"],
             lfa_roles=["active"], power=5, interest=5, categorized=True),
        Node(2, "Waste & Co <ltd>", "city_services_company", "City services", sector="private",
             levels=["local", "national"], tags=["waste"], power=2),
        Node(3, "Friends “of” the coast", "ngo", "NGO", sector="civil_society", power=1),
        Node(4, "Loner", "ngo", "NGO", sector="civil_society"),
    ]  # fmt: skip
    edges = [
        Edge(10, 1, 2, "evaluates", strength=3, description="KPIs = quarterly"),
        Edge(11, 3, 1, "collaborates", direction="mutual", strength=1),
        Edge(12, 1, 2, "funds", strength=2, initiative_id=7),
    ]
    return analyse(Network(nodes=nodes, edges=edges, title="Lumen"))


def test_graphml_reads_back_in_networkx_with_every_attribute(analysis) -> None:
    graph = nx.read_graphml(io.BytesIO(graphml_bytes(analysis, compute_layout(analysis.network))))
    assert graph.is_directed() and graph.is_multigraph()
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 3
    council = graph.nodes["1"]
    assert council["label"] == "Council" and council["type"] == "municipality"
    assert council["sector"] == "public" and council["power"] == 5 and council["levels"] == "local"
    assert council["degree"] == 2 and council["broker"] is True
    assert isinstance(council["betweenness"], float) and "x" in council
    assert graph.nodes["2"]["levels"] == "local;national"
    edges = {data["kind"]: data for _, _, data in graph.edges(data=True)}
    assert edges["evaluates"]["strength"] == 3 and edges["collaborates"]["direction"] == "mutual"
    assert edges["funds"]["initiative"] == 7


def test_graphml_reads_back_in_igraph(analysis, tmp_path) -> None:
    path = tmp_path / "map.graphml"
    path.write_bytes(graphml_bytes(analysis))
    graph = igraph.Graph.Read_GraphML(str(path))
    assert graph.is_directed() and graph.vcount() == 4 and graph.ecount() == 3
    labels = set(graph.vs["label"])
    assert "Waste & Co <ltd>" in labels and "Friends “of” the coast" in labels
    assert sorted(graph.es["kind"]) == ["collaborates", "evaluates", "funds"]
    assert sorted(graph.es["strength"]) == [1, 2, 3]
    assert set(graph.vs["sector"]) == {"public", "private", "civil_society"}


def test_gexf_reads_back_in_networkx_with_positions_for_gephi(analysis) -> None:
    positions = compute_layout(analysis.network)
    graph = nx.read_gexf(io.BytesIO(gexf_bytes(analysis, positions)))
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 3
    council = graph.nodes["1"]
    assert council["label"] == "Council" and council["power"] == 5
    assert council["viz"]["position"]["x"] == pytest.approx(positions[1][0])
    kinds = sorted(data["kind"] for _, _, data in graph.edges(data=True))
    assert kinds == ["collaborates", "evaluates", "funds"]


def test_json_reads_back_in_networkx_and_igraph(analysis) -> None:
    document = json.loads(json.dumps(graph_json(analysis)))
    graph = nx.node_link_graph(document, edges="edges")
    assert graph.is_directed() and graph.is_multigraph() and graph.number_of_edges() == 3
    assert graph.nodes["2"]["levels"] == ["local", "national"]
    assert graph.nodes["4"]["community"] is None
    again = igraph.Graph.DictList(
        document["nodes"], document["edges"], directed=True, vertex_name_attr="id"
    )
    assert again.vcount() == 4 and again.ecount() == 3
    assert sorted(again.es["kind"]) == ["collaborates", "evaluates", "funds"]


def test_kumu_blueprint_links_connections_to_elements_by_label(analysis) -> None:
    document = kumu_json(analysis)
    labels = {element["label"] for element in document["elements"]}
    assert labels == {"Council", "Waste & Co <ltd>", "Friends “of” the coast", "Loner"}
    for connection in document["connections"]:
        assert connection["from"] in labels and connection["to"] in labels
    mutual = next(c for c in document["connections"] if c["type"] == "Collaborates with")
    assert mutual["direction"] == "mutual"
    council = next(e for e in document["elements"] if e["label"] == "Council")
    assert council["type"] == "Municipality" and council["Sector"] == "Public"


def test_svg_is_well_formed_and_draws_everyone(analysis) -> None:
    positions = compute_layout(analysis.network, "sector")
    svg = graph_svg(analysis, positions, colour_by="lfa", size_by="betweenness", grouping="sector")
    root = ET.fromstring(svg)  # noqa: S314 (our own document)
    namespace = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f".//{namespace}circle")) >= 4
    assert len(root.findall(f".//{namespace}line")) >= 3
    assert "Waste &amp; Co &lt;ltd&gt;" in svg
    assert 'marker-start="url(#arrow-collaborates)"' in svg
