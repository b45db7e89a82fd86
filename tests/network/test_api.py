"""Relationships, the map, its analysis, layouts and downloads through /api/v1."""

import pytest

from civitas.network.models import Relationship
from civitas.network.services import relationship_create

pytestmark = pytest.mark.django_db
RELATIONSHIPS = "/cities/lumen/relationships"


@pytest.fixture
def people(city, add):
    return {
        "council": add("Lumen Council", "municipality"),
        "waste": add("Lumen Waste", "city_services_company"),
        "friends": add("Friends of Lumen", "ngo"),
    }


def test_an_analyst_records_changes_and_deletes_a_relationship(api_as, people) -> None:
    api = api_as("analyst")
    council, waste = people["council"], people["waste"]
    created = api.post(
        RELATIONSHIPS,
        {"source_id": council.pk, "target_id": waste.pk, "kind": "evaluates", "strength": 3},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind_label"] == "Evaluates" and body["direction"] == "directed"
    assert body["source"] == {"id": council.pk, "name": "Lumen Council"}
    url = f"{RELATIONSHIPS}/{body['id']}"
    changed = api.patch(url, {"version": 1, "strength": 1, "description": "Yearly"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert api.patch(url, {"version": 1, "strength": 2}).status_code == 409
    history = api.get(url + "/history").json()
    assert [entry["action"] for entry in history] == ["changed", "created"]
    listed = api.get(RELATIONSHIPS, {"stakeholder": waste.pk}).json()
    assert listed["count"] == 1
    assert api.delete(url).status_code == 204
    assert not Relationship.objects.exists()


def test_bad_input_gets_errors_per_field(api_as, people) -> None:
    api = api_as("analyst")
    council = people["council"]
    response = api.post(
        RELATIONSHIPS, {"source_id": council.pk, "target_id": 999999, "kind": "funds"}
    )
    assert response.status_code == 422 and "target_id" in response.json()["errors"]
    response = api.post(
        RELATIONSHIPS, {"source_id": council.pk, "target_id": council.pk, "kind": "funds"}
    )
    assert response.status_code == 422 and "target" in response.json()["errors"]
    response = api.post(
        RELATIONSHIPS,
        {"source_id": council.pk, "target_id": people["waste"].pk, "kind": "likes"},
    )
    assert response.status_code == 422 and "kind" in response.json()["errors"]


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("contributor", 403), ("outsider", 404), (None, 401)]
)
def test_others_may_not_record(api_as, people, role, status) -> None:
    response = api_as(role).post(
        RELATIONSHIPS,
        {"source_id": people["council"].pk, "target_id": people["waste"].pk, "kind": "funds"},
    )
    assert response.status_code == status


def test_the_map_the_analysis_and_the_gaps(api_as, people) -> None:
    relationship_create(source=people["council"], target=people["waste"], kind="evaluates", by=None)
    relationship_create(source=people["friends"], target=people["council"], kind="informs", by=None)
    api = api_as("viewer")
    data = api.get("/cities/lumen/network").json()
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 2
    only = api.get("/cities/lumen/network", {"kind": "informs", "type": "ngo"}).json()
    assert [n["data"]["name"] for n in only["nodes"]] == ["Friends of Lumen"]
    assert only["edges"] == []
    analysis = api.get("/cities/lumen/network/analysis")
    assert analysis.status_code == 200
    body = analysis.json()
    assert body["stakeholders"] == 3 and body["relationships"] == 2
    assert [b["name"] for b in body["brokers"]] == ["Lumen Council"]
    gaps = api.get("/cities/lumen/network/gaps").json()
    assert {gap["rule"] for gap in gaps} >= {"national-policy-for-municipality"}
    assert all(gap["clause"] for gap in gaps)
    rules = api.get("/network/expected-relationships").json()
    assert len(rules) >= 30 and all(rule["clause"] for rule in rules)
    assert api.get("/cities/lumen/network", {"initiative": 999999}).status_code == 422


def test_layouts_and_downloads(api_as, people) -> None:
    analyst, viewer = api_as("analyst"), api_as("viewer")
    body = {"positions": {str(people["council"].pk): [1, 2]}}
    assert viewer.put("/cities/lumen/network/layout", body).status_code == 403
    saved = analyst.put("/cities/lumen/network/layout", body)
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert (
        analyst.put("/cities/lumen/network/layout", {**body, "version": 1}).json()["version"] == 2
    )
    assert analyst.put("/cities/lumen/network/layout", {**body, "version": 1}).status_code == 409
    assert analyst.put("/cities/lumen/network/layout", {"positions": {"1": [1]}}).status_code == 422
    assert analyst.delete("/cities/lumen/network/layout").status_code == 204
    download = viewer.get("/cities/lumen/network/export", {"format": "gexf"})
    assert download.status_code == 200 and download.content.startswith(b"<?xml")
    assert viewer.get("/cities/lumen/network/export", {"format": "pdf"}).status_code == 422
