"""The import and export pages: who may use them, upload → preview → confirm, downloads."""

import csv
import io
import json
import time
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from civitas.reports.models import ImportJob, ImportStatus
from civitas.stakeholders.models import Stakeholder
from tests.factories import CategorizationFactory, StakeholderFactory, stakeholder_type

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def imports_in_the_request(settings):
    settings.CIVITAS_BACKGROUND_IMPORTS = False


def url(name, *args):
    return reverse(f"reports:{name}", args=("lumen", *args))


def upload(client, text, kind="stakeholders", name="list.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(url("import"), {"kind": kind, "file": file})


# Who may import


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("analyst", 200), ("contributor", 403), ("viewer", 403), ("outsider", 404)],
)
def test_who_may_open_the_import_page(client_as, role, status):
    # A contributor edits the matrix of one stakeholder only: a city-wide import is not theirs.
    assert client_as(role).get(url("import")).status_code == status


def test_anonymous_visitors_must_log_in(client_as):
    response = client_as(None).get(url("import"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_refused_role_cannot_post_a_file_either(client_as):
    response = upload(client_as("viewer"), "name,type\nA,ngo\n")
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


# Upload → preview → confirm


def test_upload_preview_confirm(client_as, city):
    client = client_as("analyst")
    StakeholderFactory(city=city, name="Old", type=stakeholder_type("ngo"))
    response = upload(client, "name,type,description\nOld,ngo,Changed\nNew,municipality,\n")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == url("import_preview", job.pk)
    assert job.status == ImportStatus.CHECKED
    page = client.get(url("import_preview", job.pk)).content.decode()
    assert "The file is fine" in page
    assert "<strong>1</strong> to create" in page and "<strong>1</strong> to update" in page
    assert "description" in page  # the change of the updated row
    assert Stakeholder.objects.count() == 1
    response = client.post(url("import_preview", job.pk))
    assert response["Location"] == url("import_job", job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result["created"] == 1 and job.data == b""
    assert Stakeholder.objects.get(name="Old").description == "Changed"
    assert "Imported." in client.get(url("import_job", job.pk)).content.decode()
    assert client.post(url("import_preview", job.pk)).status_code == 302  # not twice
    assert Stakeholder.objects.count() == 2


def test_a_refused_file_lists_every_problem_and_writes_nothing(client_as):
    client = client_as("owner")
    upload(client, "name,type\nA,spaceship\n,ngo\n")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED
    page = client.get(url("import_preview", job.pk)).content.decode()
    assert "2 problems found in list.csv: nothing was imported." in page
    assert "Unknown type “spaceship”" in page and "The name is empty." in page
    assert "Import 2 rows" not in page
    problems = client.get(url("import_problems", job.pk))
    rows = list(csv.reader(io.StringIO(b"".join(problems.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["line", "column", "problem"] and rows[1][:2] == ["2", "type"]
    assert client.post(url("import_preview", job.pk)).status_code == 302
    assert not Stakeholder.objects.exists()


def test_categorizations_need_the_initiative_field_or_column(client_as, city):
    from tests.factories import InitiativeFactory

    client = client_as("analyst")
    StakeholderFactory(city=city, name="A", type=stakeholder_type("ngo"))
    initiative = InitiativeFactory(city=city, name="Smart mobility")
    file = SimpleUploadedFile("c.csv", b"stakeholder,interest\nA,4\n")
    client.post(
        url("import"), {"kind": "categorizations", "file": file, "initiative": initiative.pk}
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED and job.initiative == initiative


def test_an_empty_upload_is_refused_by_the_form(client_as):
    response = upload(client_as("analyst"), "")
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_the_status_block_alone_answers_htmx_polling(client_as, city):
    client = client_as("analyst")
    job = ImportJob.objects.create(
        city=city, kind="stakeholders", file_name="big.csv", data=b"x",
        status=ImportStatus.IMPORTING, heartbeat_at=timezone.now(), stage="checking",
        done=50, total=200,
    )  # fmt: skip
    page = client.get(url("import_job", job.pk), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<html" not in page
    assert "Checking rows: 50 of 200 (25%)" in page and 'value="25"' in page
    full = client.get(url("import_job", job.pk)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in full


def test_a_job_whose_process_went_away_is_marked_stopped(client_as, city):
    job = ImportJob.objects.create(
        city=city, kind="stakeholders", file_name="big.csv", data=b"x",
        status=ImportStatus.IMPORTING, heartbeat_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    page = client_as("analyst").get(url("import_job", job.pk)).content.decode()
    assert "The import stopped before it finished" in page
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.data == b""


def test_jobs_of_other_cities_and_kinds_a_role_cannot_run_are_hidden(client_as, city):
    job = ImportJob.objects.create(city=city, kind="stakeholders", file_name="a.csv", data=b"x")
    assert client_as("viewer").get(url("import_job", job.pk)).status_code == 403
    assert client_as("outsider").get(url("import_job", job.pk)).status_code == 404
    assert client_as("owner").get(url("import_job", job.pk + 1)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_import_runs_in_a_background_thread(client_as, settings):
    settings.CIVITAS_BACKGROUND_IMPORTS = True
    client = client_as("analyst")
    upload(client, "name,type\nA,ngo\nB,ngo\n")
    job = ImportJob.objects.get()
    for _ in range(100):
        job.refresh_from_db()
        if not job.is_running:
            break
        time.sleep(0.05)
    assert job.status == ImportStatus.CHECKED
    client.post(url("import_preview", job.pk))
    for _ in range(100):
        job.refresh_from_db()
        if not job.is_running:
            break
        time.sleep(0.05)
    assert job.status == ImportStatus.DONE
    assert Stakeholder.objects.count() == 2


# Downloads


@pytest.mark.parametrize("kind", ["registry", "categorizations", "matrix", "summary"])
@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_every_export_downloads(client_as, city, kind, format):
    council = StakeholderFactory(city=city, name="=Council", type=stakeholder_type("municipality"))
    CategorizationFactory(stakeholder=council)
    response = client_as("viewer").get(url("export", kind, format))
    assert response.status_code == 200
    assert f"lumen-{kind}.{format}" in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if format == "csv":
        assert body.startswith("\ufeff".encode()) and b"'=Council" in body
    elif format == "json":
        assert json.loads(body)
    else:
        assert openpyxl.load_workbook(io.BytesIO(body)).active.max_row >= 1


def test_exports_leave_out_confidential_stakeholders_for_viewers(client_as, city):
    StakeholderFactory(city=city, name="Secret", type=stakeholder_type("ngo"), confidential=True)
    for role, seen in (("viewer", False), ("analyst", True)):
        response = client_as(role).get(url("export", "registry", "csv"))
        assert (b"Secret" in b"".join(response.streaming_content)) is seen


@pytest.mark.parametrize(
    ("path", "status"),
    [(("export", "planets", "csv"), 404), (("export", "registry", "pdf"), 404),
     (("template", "planets", "csv"), 404), (("template", "matrix", "json"), 404)],
)  # fmt: skip
def test_unknown_downloads_are_404(client_as, path, status):
    assert client_as("viewer").get(url(*path)).status_code == status


def test_outsiders_get_no_exports(client_as):
    assert client_as("outsider").get(url("export", "registry", "csv")).status_code == 404


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_templates_download(client_as, format):
    response = client_as("viewer").get(url("template", "stakeholders", format))
    assert response.status_code == 200
    assert "civitas-stakeholders-template." + format in response["Content-Disposition"]


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("analyst", 403), ("viewer", 403)])
def test_only_owners_download_the_whole_city(client_as, role, status):
    response = client_as(role).get(url("backup"))
    assert response.status_code == status
    if status == 200:
        assert json.loads(b"".join(response.streaming_content))["format"] == "civitas-city"


def test_the_data_page_links_what_a_role_may_do(client_as):
    owner = client_as("owner").get(url("exports")).content.decode()
    viewer = client_as("viewer").get(url("exports")).content.decode()
    for page in (owner, viewer):
        assert url("export", "registry", "xlsx") in page
        assert url("template", "matrix", "csv") in page
    assert url("backup") in owner and url("backup") not in viewer
    assert url("import") in owner and url("import") not in viewer
    assert "Confidential stakeholders are left out" in viewer
