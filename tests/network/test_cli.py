"""`civitas analyze network`, `civitas export graph` and `civitas import relationships`."""

import json

import networkx as nx
import pytest

from civitas.network.models import Relationship
from civitas.network.services import relationship_create
from tests.cli import fails, run
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(city, add):
    council = add("Lumen Council", "municipality")
    waste = add("Lumen Waste", "city_services_company")
    friends = add("Friends of Lumen", "ngo")
    relationship_create(source=council, target=waste, kind="evaluates", by=None)
    relationship_create(source=friends, target=council, kind="informs", by=None)
    return {"council": council, "waste": waste, "friends": friends}


def test_analyze_as_a_table(people) -> None:
    out, _ = run("analyze", "network", "--city", "lumen")
    assert out.startswith("Map of Lumen: 3 stakeholders, 2 relationships")
    assert "Brokers (1): Lumen Council" in out
    assert "Gaps (" in out and "[expected]" in out and "§5.2" in out


def test_analyze_as_json(people) -> None:
    out, _ = run("analyze", "network", "--city", "lumen", "--format", "json")
    report = json.loads(out)
    assert report["stakeholders"] == 3 and report["relationships"] == 2
    assert {m["name"] for m in report["metrics"]} == {
        "Lumen Council",
        "Lumen Waste",
        "Friends of Lumen",
    }
    assert report["gaps"] and all(gap["clause"] for gap in report["gaps"])


def test_analyze_an_initiative(people, city) -> None:
    initiative = InitiativeFactory(city=city, name="Clean streets")
    relationship_create(
        source=people["waste"], target=people["council"], kind="provides_service", by=None,
        initiative=initiative,
    )  # fmt: skip
    out, _ = run("analyze", "network", "--city", "lumen", "--initiative", "Clean streets")
    assert out.startswith("Map of Lumen: Clean streets: 2 stakeholders, 2 relationships")


@pytest.mark.parametrize(
    "args",
    [
        ("analyze", "network", "--city", "nowhere"),
        ("analyze", "network", "--city", "lumen", "--initiative", "Nothing"),
        ("analyze", "network", "--city", "lumen", "--format", "pdf"),
        ("export", "graph", "--city", "lumen", "--format", "pdf"),
        ("export", "graph", "--city", "nowhere", "--format", "json"),
    ],
)
def test_bad_input_exits_with_status_2(people, args) -> None:
    fails(*args)


def test_export_graph_to_a_file_and_to_stdout(people, tmp_path) -> None:
    path = tmp_path / "lumen.graphml"
    out, _ = run("export", "graph", "--city", "lumen", "--format", "graphml", "-o", str(path))
    assert "Wrote the map of Lumen" in out
    graph = nx.read_graphml(path)
    assert graph.number_of_nodes() == 3 and graph.number_of_edges() == 2
    out, _ = run("export", "graph", "--city", "lumen", "--format", "json", "--kind", "informs")
    assert [edge["kind"] for edge in json.loads(out)["edges"]] == ["informs"]
    out, _ = run("export", "graph", "--city", "lumen", "--format", "svg", "--grouping", "sector")
    assert out.startswith("<svg")


def test_import_relationships(people, tmp_path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "source,target,kind,strength,description\n"
        "Lumen Waste,Lumen Council,provides_service,3,Collection contract\n",
        encoding="utf-8",
    )
    out, _ = run("import", "relationships", str(good), "--city", "lumen", "--quiet")
    assert "1 created" in out
    assert Relationship.objects.filter(kind="provides_service", strength=3).exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "source,target,kind\nLumen Waste,Lumen Council,funds\nNobody,Lumen Council,funds\n",
        encoding="utf-8",
    )
    message = fails("import", "relationships", str(bad), "--city", "lumen", "--quiet")
    assert "Line 3, column “source”" in message and "nothing was imported" in message
    assert not Relationship.objects.filter(kind="funds").exists()
