"""The Appendix I summary: its renderings, and the download for members of the city."""

import csv
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.cities.models import City
from civitas.reports.summary import (
    summary_csv,
    summary_json,
    summary_markdown,
    summary_table,
    summary_xlsx,
)
from civitas.stakeholders.selectors import summary_rows
from civitas.stakeholders.services import matrix_default_dismiss, matrix_item_add
from tests.factories import CategorizationFactory, StakeholderFactory, stakeholder_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def green(city: City):
    """An NGO of Lumen with its own items, a dismissed default and a categorization."""
    stakeholder = StakeholderFactory(
        city=city, name="Green | Lumen", type=stakeholder_type("ngo"), levels=["local"]
    )
    matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Plant trees.", by=None)
    matrix_item_add(
        stakeholder=stakeholder, dimension="challenge", text="=Few <volunteers>", by=None
    )
    for default in stakeholder_type("ngo").matrix.filter(dimension="challenge"):
        matrix_default_dismiss(stakeholder=stakeholder, default=default, by=None)
    CategorizationFactory(
        stakeholder=stakeholder,
        lfa_roles=["beneficiary", "potential_opponent"],
        technology_roles=["ssc_enabler"],
    )
    return stakeholder


def test_plain_cells_join_items_with_semicolons_under_labels(city, green):
    (row,) = summary_table(summary_rows(city=city))
    name, scale, aims, potential, roles = row
    assert (name, scale) == ("Green | Lumen", "Local, civil society")
    aims_line, challenges_line = aims.split("\n")
    assert aims_line.startswith("Aims: ") and aims_line.endswith("; Plant trees")
    assert challenges_line == "Challenges: =Few <volunteers>"
    assert potential.startswith("Potential: ") and "\nConstraints: " in potential
    assert roles.startswith(
        "Roles: Beneficiary; Affected: potential opponent\nTechnology roles: Enabler of the SSC\n"
        "Contributions: "
    )


def test_csv_has_the_five_columns_and_neutralizes_formulas(city, green):
    StakeholderFactory(city=city, name="@Lumen Youth", type=stakeholder_type("citizens"))
    rows = list(csv.reader(io.StringIO("".join(summary_csv(summary_rows(city=city))))))
    assert rows[0] == [
        "Stakeholder", "Scale and sector", "Aims and challenges",
        "Potential and constraints", "Role and contributions",
    ]  # fmt: skip
    assert sorted(row[0] for row in rows[1:]) == ["'@Lumen Youth", "Green | Lumen"]


def test_markdown_escapes_pipes_and_markup_and_breaks_lines(city, green):
    text = "".join(summary_markdown(summary_rows(city=city), city=city))
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == 3
    row = table[2]
    assert row.startswith("| Green \\| Lumen | Local, civil society | **Aims:**<br>• ")
    assert "• Plant trees.<br>**Challenges:**<br>• =Few &lt;volunteers&gt; |" in row
    assert row.count(" | ") == 4


def test_json_keeps_lists_and_role_codes(city, green):
    document = json.loads("".join(summary_json(summary_rows(city=city), city=city)))
    (row,) = document["rows"]
    assert row["name"] == "Green | Lumen" and row["type"] == "ngo"
    assert row["scale"] == "local" and row["sector"] == "civil_society"
    assert row["aims"][-1] == "Plant trees."
    assert row["challenges"] == ["=Few <volunteers>"]
    assert row["lfa_roles"] == ["beneficiary", "potential_opponent"]
    assert row["technology_roles"] == ["ssc_enabler"]
    assert document["columns"][0] == "Stakeholder"


def test_xlsx_has_one_row_per_stakeholder(city, green):
    buffer = io.BytesIO()
    summary_xlsx(summary_rows(city=city), buffer, city=city)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Green | Lumen"
    assert "Challenges: =Few <volunteers>" in rows[1][2]


# The download: /cities/<slug>/summary.<format>


def url(city: City, format: str) -> str:
    return reverse("reports:summary_export", kwargs={"city_slug": city.slug, "format": format})


@pytest.mark.parametrize("role", ["owner", "analyst", "contributor", "viewer"])
@pytest.mark.parametrize(
    ("format", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("md", "text/markdown; charset=utf-8"),
        ("json", "application/json"),
    ],
)
def test_members_download_every_format(client_as, city, green, role, format, content_type):
    response = client_as(role).get(url(city, format))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="lumen-summary.{format}"'


def test_csv_streams_with_a_byte_order_mark(client_as, city, green):
    response = client_as("viewer").get(url(city, "csv"))
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffStakeholder,")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert [row[0] for row in rows[1:]] == ["Green | Lumen"]


def json_of(response):
    assert response.streaming  # row by row, not built in memory
    return json.loads(b"".join(response.streaming_content))


def test_xlsx_and_json_downloads_parse_back(client_as, city, green):
    client = client_as("analyst")
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(url(city, "xlsx")).streaming_content))
    )
    assert workbook.active.max_row == 2
    assert len(json_of(client.get(url(city, "json")))["rows"]) == 1


def test_viewers_do_not_get_confidential_stakeholders(client_as, city, green):
    StakeholderFactory(city=city, name="Secret Fund", confidential=True)
    viewer_rows = json_of(client_as("viewer").get(url(city, "json")))["rows"]
    analyst_rows = json_of(client_as("analyst").get(url(city, "json")))["rows"]
    assert [r["name"] for r in viewer_rows] == ["Green | Lumen"]
    assert sorted(r["name"] for r in analyst_rows) == ["Green | Lumen", "Secret Fund"]


def test_outsiders_get_404_and_anonymous_visitors_are_sent_to_sign_in(client_as, city, green):
    assert client_as("outsider").get(url(city, "csv")).status_code == 404
    response = client_as(None).get(url(city, "csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("format", ["pdf", "xls", "CSV", "exe"])
def test_unknown_formats_are_404(client_as, city, format):
    assert client_as("owner").get(url(city, format)).status_code == 404


def test_an_unknown_city_is_404(client_as, city):
    response = client_as("owner").get(
        reverse("reports:summary_export", kwargs={"city_slug": "atlantis", "format": "csv"})
    )
    assert response.status_code == 404


def add_stakeholders(city: City, count: int) -> None:
    for n in range(count):
        stakeholder = StakeholderFactory(city=city, type=stakeholder_type("ngo"))
        matrix_item_add(stakeholder=stakeholder, dimension="aim", text=f"Aim {n}", by=None)
        CategorizationFactory(stakeholder=stakeholder)


def download(client: Client, city: City, format: str) -> None:
    response = client.get(url(city, format))
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize("format", ["csv", "xlsx", "md", "json"])
def test_query_count_stays_flat_as_stakeholders_grow(
    client_as, city, django_assert_max_num_queries, format
):
    client = client_as("analyst")
    add_stakeholders(city, 2)
    with CaptureQueriesContext(connection) as few:
        download(client, city, format)
    add_stakeholders(city, 20)
    with django_assert_max_num_queries(len(few)):
        download(client, city, format)


def test_json_comes_row_by_row_and_reads_as_one_document(city, green):
    StakeholderFactory(city=city, name="Second", type=stakeholder_type("ngo"))
    pieces = list(summary_json(summary_rows(city=city), city=city))
    assert len(pieces) == 4  # the head, a piece per row, the end
    document = json.loads("".join(pieces))
    assert document["city"] == {"slug": city.slug, "name": city.name}
    assert [row["name"] for row in document["rows"]] == ["Green | Lumen", "Second"]
    assert "".join(pieces).endswith("\n  ]\n}\n")


def test_json_of_a_city_without_stakeholders(city):
    document = json.loads("".join(summary_json(summary_rows(city=city), city=city)))
    assert document["rows"] == [] and document["columns"]
