"""The map page, its data, layouts, analysis, downloads and the relationship pages, per role."""

import json

import pytest
from django.test import Client

from civitas.accounts.services import membership_set
from civitas.network.models import Relationship, SavedLayout
from civitas.network.services import relationship_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MEMBERS = ["owner", "analyst", "contributor", "viewer"]


@pytest.fixture
def people(city, add):
    council = add("Lumen Council", "municipality")
    waste = add("Lumen Waste", "city_services_company")
    friends = add("Friends of Lumen", "ngo")
    relationship_create(source=council, target=waste, kind="evaluates", by=None)
    relationship_create(source=friends, target=council, kind="informs", by=None)
    return {"council": council, "waste": waste, "friends": friends}


@pytest.mark.parametrize("role", MEMBERS)
def test_members_see_the_map_and_its_analysis(client_as, people, role) -> None:
    client = client_as(role)
    page = client.get("/cities/lumen/map/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="network-map"' in html and "vendor/cytoscape/cytoscape.min.js" in html
    assert "<script>" not in html  # no inline script under the CSP
    assert ("Save the layout" in html) == (role in ("owner", "analyst"))
    assert 'hx-get="/cities/lumen/map/analysis/summary/"' in html
    summary = client.get("/cities/lumen/map/analysis/summary/").content.decode()
    assert "Gaps" in summary and "Brokers" in summary and "Lumen Council" in summary
    data = client.get("/cities/lumen/map/data.json").json()
    assert {n["data"]["name"] for n in data["nodes"]} == {
        "Lumen Council",
        "Lumen Waste",
        "Friends of Lumen",
    }
    assert len(data["edges"]) == 2
    assert client.get("/cities/lumen/map/analysis/").status_code == 200


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("outsider", 404)])
def test_others_do_not_see_the_map(client_as, people, role, status) -> None:
    client = client_as(role)
    for url in (
        "/cities/lumen/map/",
        "/cities/lumen/map/data.json",
        "/cities/lumen/relationships/",
    ):
        assert client.get(url).status_code == status


def test_the_map_of_an_initiative_and_a_grouping(client_as, people, city) -> None:
    from tests.factories import InitiativeFactory

    initiative = InitiativeFactory(city=city, name="Mobility")
    relationship_create(
        source=people["waste"], target=people["council"], kind="provides_service", by=None,
        initiative=initiative,
    )  # fmt: skip
    client = client_as("viewer")
    data = client.get(f"/cities/lumen/map/data.json?initiative={initiative.pk}&grouping=type")
    body = data.json()
    assert body["initiative"] == initiative.pk and body["grouping"] == "type"
    names = {n["data"]["name"] for n in body["nodes"] if not n["data"].get("is_group")}
    assert names == {"Lumen Council", "Lumen Waste"}
    page = client.get(f"/cities/lumen/map/?initiative={initiative.pk}")
    assert "Mobility" in page.content.decode()


def _save(client: Client, body: object) -> object:
    return client.post(
        "/cities/lumen/map/layout/", json.dumps(body), content_type="application/json"
    )


def test_analysts_save_and_reset_the_layout_viewers_may_not(client_as, people) -> None:
    council = people["council"]
    body = {"positions": {str(council.pk): [12, 34]}, "version": None}
    assert _save(client_as("viewer"), body).status_code == 403
    analyst = client_as("analyst")
    saved = _save(analyst, body)
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert SavedLayout.objects.get().positions == {str(council.pk): [12.0, 34.0]}
    assert _save(analyst, body).status_code == 409  # the page had no saved layout
    data = analyst.get("/cities/lumen/map/data.json").json()
    assert data["layout"]["version"] == 1
    position = next(n["position"] for n in data["nodes"] if n["data"]["id"] == str(council.pk))
    assert position == {"x": 12.0, "y": 34.0}
    assert _save(analyst, {"positions": "nope", "version": 1}).status_code == 422
    assert _save(analyst, {"action": "reset"}).json() == {"reset": True}
    assert not SavedLayout.objects.exists()


def test_saving_needs_the_csrf_token(people, user_in) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_in("analyst"))
    assert _save(client, {"positions": {}}).status_code == 403


@pytest.mark.parametrize(
    ("format", "content_type", "start"),
    [
        ("graphml", "application/graphml+xml", b"<?xml"),
        ("gexf", "application/gexf+xml", b"<?xml"),
        ("json", "application/json", b"{"),
        ("kumu", "application/json", b"{"),
        ("svg", "image/svg+xml", b"<svg"),
    ],
)
def test_downloads(client_as, people, format, content_type, start) -> None:
    response = client_as("viewer").get(f"/cities/lumen/map/download.{format}?kind=evaluates")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(start)
    if format == "json":
        assert {e["kind"] for e in json.loads(response.content)["edges"]} == {"evaluates"}
    assert client_as("viewer").get("/cities/lumen/map/download.exe").status_code == 404


def test_confidential_stakeholders_stay_out_of_viewers_maps_and_files(
    client_as, add, people
) -> None:
    bank = add("Secret Bank", "international_organization", confidential=True)
    relationship_create(source=bank, target=people["council"], kind="funds", by=None)
    viewer = client_as("viewer")
    for url in ("/cities/lumen/map/data.json", "/cities/lumen/map/download.graphml",
                "/cities/lumen/map/analysis/summary/", "/cities/lumen/relationships/"):  # fmt: skip
        assert b"Secret Bank" not in viewer.get(url).content, url
    assert b"Secret Bank" in client_as("analyst").get("/cities/lumen/map/data.json").content


def test_relationship_list_and_pages(client_as, people, django_assert_max_num_queries) -> None:
    analyst = client_as("analyst")
    with django_assert_max_num_queries(12):
        page = analyst.get("/cities/lumen/relationships/")
    html = page.content.decode()
    assert "Lumen Council" in html and "evaluates" in html and "Edit" in html
    viewer_html = client_as("viewer").get("/cities/lumen/relationships/").content.decode()
    assert "Edit" not in viewer_html and "Add a relationship" not in viewer_html
    filtered = analyst.get("/cities/lumen/relationships/?kind=informs").content.decode()
    assert "Friends of Lumen" in filtered and "Lumen Waste</a>" not in filtered


def test_the_list_keeps_its_queries_as_rows_grow(
    client_as, add, people, django_assert_max_num_queries
) -> None:
    analyst = client_as("analyst")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        analyst.get("/cities/lumen/relationships/")
    council = people["council"]
    for number in range(30):
        relationship_create(source=add(f"Extra {number}"), target=council, kind="informs", by=None)
    with django_assert_max_num_queries(len(few)):
        analyst.get("/cities/lumen/relationships/")


def test_adding_a_relationship_from_the_form(client_as, people) -> None:
    analyst = client_as("analyst")
    council, friends = people["council"], people["friends"]
    form = analyst.get(f"/cities/lumen/relationships/new/?source={friends.pk}&target={council.pk}")
    assert form.status_code == 200
    assert f'<option value="{friends.pk}" selected>' in form.content.decode()
    response = analyst.post(
        "/cities/lumen/relationships/new/",
        {"source": friends.pk, "target": council.pk, "kind": "advises", "strength": 3,
         "next": "/cities/lumen/map/"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/cities/lumen/map/"
    created = Relationship.objects.get(kind="advises")
    assert created.strength == 3 and created.direction == "directed"
    again = analyst.post(
        "/cities/lumen/relationships/new/",
        {"source": friends.pk, "target": council.pk, "kind": "advises", "strength": 3},
    )
    assert again.status_code == 200 and "already advises" in again.content.decode()


def test_editing_with_a_stale_form_is_refused(client_as, people) -> None:
    analyst = client_as("analyst")
    relationship = Relationship.objects.get(kind="evaluates")
    url = f"/cities/lumen/relationships/{relationship.pk}/edit/"
    assert "Change history" in analyst.get(url).content.decode()
    data = {"source": relationship.source_id, "target": relationship.target_id,
            "kind": "evaluates", "direction": "directed", "strength": 1, "version": 1}  # fmt: skip
    assert analyst.post(url, data).status_code == 302
    stale = analyst.post(url, {**data, "strength": 3})
    assert stale.status_code == 200 and "Someone else changed" in stale.content.decode()
    relationship.refresh_from_db()
    assert relationship.strength == 1


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("contributor", 403)])
def test_readers_may_not_change_relationships(client_as, people, role, status) -> None:
    client = client_as(role)
    relationship = Relationship.objects.get(kind="evaluates")
    assert client.get("/cities/lumen/relationships/new/").status_code == status
    assert client.get(f"/cities/lumen/relationships/{relationship.pk}/edit/").status_code == status
    delete = client.post(
        f"/cities/lumen/relationships/{relationship.pk}/delete/", {"confirmed": "yes"}
    )
    assert delete.status_code == status
    assert Relationship.objects.filter(pk=relationship.pk).exists()


def test_deleting_asks_first(client_as, people) -> None:
    analyst = client_as("analyst")
    relationship = Relationship.objects.get(kind="evaluates")
    url = f"/cities/lumen/relationships/{relationship.pk}/delete/"
    assert "Delete the relationship" in analyst.post(url).content.decode()
    assert analyst.post(url, {"confirmed": "yes"}).status_code == 302
    assert not Relationship.objects.filter(pk=relationship.pk).exists()


def test_a_contributor_adds_relationships_of_its_own_stakeholder(city, people) -> None:
    carla = UserFactory()
    membership_set(
        city=city, user=carla, role="contributor", stakeholder=people["friends"], by=None
    )
    client = Client()
    client.force_login(carla)
    form = client.get("/cities/lumen/relationships/new/").content.decode()
    assert "Friends of Lumen" in form
    response = client.post(
        "/cities/lumen/relationships/new/",
        {"source": people["friends"].pk, "target": people["waste"].pk, "kind": "informs",
         "strength": 2},
    )  # fmt: skip
    assert response.status_code == 302
    refused = client.post(
        "/cities/lumen/relationships/new/",
        {"source": people["council"].pk, "target": people["waste"].pk, "kind": "funds",
         "strength": 2},
    )  # fmt: skip
    assert refused.status_code == 200 and not Relationship.objects.filter(kind="funds").exists()


def test_the_stakeholder_page_lists_its_relationships(
    client_as, people, django_assert_max_num_queries
) -> None:
    council = people["council"]
    analyst = client_as("analyst")
    html = analyst.get(f"/cities/lumen/stakeholders/{council.pk}/").content.decode()
    assert 'id="relationships"' in html
    assert "evaluates" in html and "is informed by" in html
    assert f"?source={council.pk}" in html and f"focus={council.pk}" in html
    viewer_html = (
        client_as("viewer").get(f"/cities/lumen/stakeholders/{council.pk}/").content.decode()
    )
    assert "Add a relationship" not in viewer_html and "is informed by" in viewer_html


def test_the_city_navigation_links_the_map(client_as, people) -> None:
    assert 'href="/cities/lumen/map/"' in client_as("viewer").get("/cities/lumen/").content.decode()
