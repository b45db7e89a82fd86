"""The import and export API: files in and out, with the same checks as the pages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civitas.accounts.services import token_create
from civitas.cities.models import City
from civitas.reports.backup import city_backup
from civitas.stakeholders.models import Stakeholder
from tests.factories import InitiativeFactory, StakeholderFactory, UserFactory, stakeholder_type

pytestmark = pytest.mark.django_db

BASE = "/api/v1/cities/lumen"


@pytest.fixture
def api(user_in):
    def make(role):
        user = UserFactory() if role == "outsider" else user_in(role)
        _, raw = token_create(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def post_file(client, path, text, **fields):
    file = SimpleUploadedFile("list.csv", text.encode(), content_type="text/csv")
    return client.post(path, {"file": file, **fields})


def test_import_returns_counts_and_a_preview(api, city):
    response = post_file(
        api("analyst"), f"{BASE}/imports/stakeholders", "name,type\nA,ngo\nB,ngo\n"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["written"]) == (2, True)
    assert body["preview"][0] == {"line": 2, "action": "create", "label": "A", "changes": []}
    assert Stakeholder.objects.count() == 2


def test_dry_run_writes_nothing(api, city):
    response = post_file(
        api("owner"), f"{BASE}/imports/stakeholders", "name,type\nA,ngo\n", dry_run="true"
    )
    assert response.json()["written"] is False and not Stakeholder.objects.exists()


def test_a_refused_file_answers_422_with_every_problem(api, city):
    response = post_file(api("analyst"), f"{BASE}/imports/stakeholders", "name,type\nA,x\n,ngo\n")
    assert response.status_code == 422
    body = response.json()
    assert [(p["line"], p["column"]) for p in body["problems"]] == [(2, "type"), (3, "name")]
    assert body["errors"]["file"][0].startswith("Line 2, column “type”: Unknown type")
    assert not Stakeholder.objects.exists()


def test_categorizations_by_initiative_id(api, city):
    StakeholderFactory(city=city, name="A", type=stakeholder_type("ngo"))
    initiative = InitiativeFactory(city=city)
    client = api("analyst")
    response = post_file(
        client, f"{BASE}/imports/categorizations", "stakeholder,interest\nA,3\n",
        initiative=str(initiative.pk),
    )  # fmt: skip
    assert response.json()["created"] == 1
    response = post_file(
        client, f"{BASE}/imports/categorizations", "stakeholder\nA\n", initiative="999999"
    )
    assert response.status_code == 422 and "initiative" in response.json()["errors"]


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider", 404)])
def test_who_may_not_import(api, city, role, status):
    response = post_file(api(role), f"{BASE}/imports/stakeholders", "name,type\nA,ngo\n")
    assert response.status_code == status
    assert not Stakeholder.objects.exists()


def test_exports_stream_files(api, city):
    StakeholderFactory(city=city, name="Open", type=stakeholder_type("ngo"))
    StakeholderFactory(city=city, name="Secret", type=stakeholder_type("ngo"), confidential=True)
    viewer = api("viewer")
    response = viewer.get(f"{BASE}/exports/registry", {"format": "json"})
    assert response.status_code == 200
    rows = json.loads(b"".join(response.streaming_content))["rows"]
    assert [row["name"] for row in rows] == ["Open"]
    response = viewer.get(f"{BASE}/exports/matrix", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = viewer.get(f"{BASE}/exports/summary", {"format": "json"})
    assert response.streaming
    assert json.loads(b"".join(response.streaming_content))["city"]["slug"] == "lumen"
    assert viewer.get(f"{BASE}/exports/planets").status_code == 422
    assert api("outsider").get(f"{BASE}/exports/registry").status_code == 404


def test_templates(api, city):
    response = api("viewer").get(f"{BASE}/templates/matrix")
    assert response.content.decode().startswith("stakeholder,dimension,text\r\n")


def test_backup_and_restore(api, city, user_in):
    StakeholderFactory(city=city, name="Open", type=stakeholder_type("ngo"))
    assert api("analyst").get(f"{BASE}/backup").status_code == 403
    owner = api("owner")
    document = json.loads(b"".join(owner.get(f"{BASE}/backup").streaming_content))
    file = SimpleUploadedFile("lumen.json", json.dumps(document).encode())
    response = owner.post("/api/v1/city-backups", {"file": file, "slug": "lumen-2"})
    assert response.status_code == 201, response.content
    assert response.json()["counts"]["stakeholders"] == 1
    copy = City.objects.get(slug="lumen-2")
    assert json.loads("".join(city_backup(copy)))["stakeholders"] == document["stakeholders"]
    file = SimpleUploadedFile("lumen.json", json.dumps(document).encode())
    response = owner.post("/api/v1/city-backups", {"file": file})
    assert response.status_code == 422 and "exists already" in response.json()["errors"]["file"][0]
