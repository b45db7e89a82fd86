"""Exports of the registry, categorizations and matrix: formats, round trips, safety, queries."""

import csv
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.cities.demo import demo_build
from civitas.cities.models import City
from civitas.cities.services import city_create, initiative_create
from civitas.core.imports import read_table
from civitas.reports import exports
from civitas.stakeholders.imports import IMPORTERS
from civitas.stakeholders.services import contact_add, matrix_item_add
from tests.factories import (
    CategorizationFactory,
    InitiativeFactory,
    StakeholderFactory,
    stakeholder_type,
)

pytestmark = pytest.mark.django_db

IMPORT_KIND = {"registry": "stakeholders", "categorizations": "categorizations", "matrix": "matrix"}


def export(city: City, kind: str, format: str, user=None) -> bytes:
    records = exports.KINDS[kind].records(city=city, user=user)
    if format == "xlsx":
        buffer = io.BytesIO()
        exports.export_xlsx(kind, records, buffer)
        return buffer.getvalue()
    return "".join(exports.export_text(kind, format, records, city=city)).encode()


def rows_of(data: bytes, format: str) -> list[dict[str, str]]:
    """Return an export's rows as text cells, whatever the format."""
    table = read_table(data, format=format)
    assert table.problems == []
    return [dict(zip(table.columns, cells, strict=True)) for _, cells in table.rows]


def without_ids(data: bytes, format: str) -> bytes:
    """Drop the id column, as one does to import a registry into another city."""
    if format == "json":
        document = json.loads(data)
        document["columns"] = [c for c in document["columns"] if c != "id"]
        for row in document["rows"]:
            del row["id"]
        return json.dumps(document).encode()
    if format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        workbook.active.delete_cols(1)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    rows = list(csv.reader(io.StringIO(data.decode())))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(row[1:] for row in rows)
    return buffer.getvalue().encode()


def load(city: City, kind: str, data: bytes) -> None:
    importer = IMPORTERS[IMPORT_KIND[kind]]
    result = importer.run(city=city, table=read_table(data), by=None)
    assert result.ok, result.problems[:5]
    return result


@pytest.fixture
def aurelia(catalogue):
    return demo_build().city


def test_registry_columns_and_values(city):
    council = StakeholderFactory(
        city=city, name="Council", type=stakeholder_type("municipality"), levels=["local"]
    )
    StakeholderFactory(
        city=city, name="Finance", type=stakeholder_type("municipal_finance"), parent=council,
        tags=["money", "budget"], confidential=True,
    )  # fmt: skip
    (council_row, finance_row) = rows_of(export(city, "registry", "csv"), "csv")
    assert list(council_row) == list(exports.REGISTRY_COLUMNS)
    assert council_row["scale"] == "local" and council_row["parent"] == ""
    assert finance_row["parent"] == "Council"
    assert finance_row["tags"] == "money; budget"
    assert finance_row["confidential"] == "yes"


def test_json_export_keeps_lists_and_booleans(city):
    StakeholderFactory(city=city, name="A", type=stakeholder_type("ngo"), levels=["local"])
    document = json.loads(export(city, "registry", "json"))
    assert document["kind"] == "registry" and document["city"]["slug"] == "lumen"
    (row,) = document["rows"]
    assert row["levels"] == ["local"] and row["confidential"] is False


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_formula_cells_are_neutralized(city, format):
    council = StakeholderFactory(city=city, name="=HYPERLINK(1)", type=stakeholder_type("ngo"),
                                 description="+1 555 0100")  # fmt: skip
    matrix_item_add(stakeholder=council, dimension="aim", text="@SUM(A1)", by=None)
    data = export(city, "registry", format)
    if format == "csv":
        text = data.decode()
        assert "'=HYPERLINK(1)" in text and "'+1 555 0100" in text
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells)
        assert "'=HYPERLINK(1)" in [cell.value for cell in cells]
    matrix = rows_of(export(city, "matrix", format), format)
    assert "@SUM(A1)" in [row["text"] for row in matrix]
    if format == "csv":
        assert b"'@SUM(A1)" in export(city, "matrix", format)
    # And the guard comes off again on import:
    assert rows_of(data, format)[0]["name"] == "=HYPERLINK(1)"


def test_contact_persons_are_never_in_registry_exports(city):
    council = StakeholderFactory(city=city, name="Council", type=stakeholder_type("ngo"))
    contact_add(stakeholder=council, by=None, name="Ana Reis", email="ana@example.org")
    for format in ("csv", "json"):
        assert b"ana@example.org" not in export(city, "registry", format)


def test_confidential_stakeholders_are_left_out_for_viewers(city, user_in):
    secret = StakeholderFactory(
        city=city, name="Secret", type=stakeholder_type("municipality"), confidential=True
    )
    StakeholderFactory(
        city=city, name="Unit", type=stakeholder_type("municipal_finance"), parent=secret
    )
    CategorizationFactory(
        stakeholder=StakeholderFactory(city=city, name="Open", type=stakeholder_type("ngo"))
    )
    viewer, analyst = user_in("viewer"), user_in("analyst")
    seen = rows_of(export(city, "registry", "csv", viewer), "csv")
    assert [(r["name"], r["parent"]) for r in seen] == [("Open", ""), ("Unit", "")]
    assert b"Secret" not in export(city, "registry", "json", viewer)
    rows = rows_of(export(city, "registry", "csv", analyst), "csv")
    assert [(r["name"], r["parent"]) for r in rows] == [
        ("Open", ""),
        ("Secret", ""),
        ("Unit", "Secret"),
    ]
    assert b"Secret" not in export(city, "matrix", "csv", viewer)


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_every_export_imports_back_into_its_city_unchanged(aurelia, format):
    for kind in ("registry", "categorizations", "matrix"):
        result = load(aurelia, kind, export(aurelia, kind, format))
        assert (result.created, result.updated) == (0, 0), kind
        assert result.unchanged == result.total > 0


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_round_trip_into_another_city_gives_the_same_exports(aurelia, format):
    copy = city_create(slug="copy", name="Copy", by=None)
    for initiative in aurelia.initiatives.all():
        initiative_create(city=copy, name=initiative.name, by=None)
    first = {kind: export(aurelia, kind, format) for kind in IMPORT_KIND}
    load(copy, "registry", without_ids(first["registry"], format))
    load(copy, "categorizations", first["categorizations"])
    load(copy, "matrix", first["matrix"])
    again = {kind: export(copy, kind, format) for kind in IMPORT_KIND}

    def comparable(kind, data):
        return rows_of(without_ids(data, format) if kind == "registry" else data, format)

    for kind in IMPORT_KIND:
        assert comparable(kind, again[kind]) == comparable(kind, first[kind]), kind
    assert len(rows_of(first["matrix"], format)) > 100


def test_exports_run_a_constant_number_of_queries(city, user_in):
    initiative = InitiativeFactory(city=city)
    viewer = user_in("viewer")

    def queries(kind):
        with CaptureQueriesContext(connection) as captured:
            export(city, kind, "csv", user=viewer)
        return len(captured)

    def grow(count, start):
        for number in range(start, start + count):
            stakeholder = StakeholderFactory(
                city=city, name=f"S{number}", type=stakeholder_type("ngo")
            )
            CategorizationFactory(stakeholder=stakeholder, initiative=initiative)
            matrix_item_add(stakeholder=stakeholder, dimension="aim", text="x", by=None)

    grow(2, 0)
    queries("registry")  # the viewer's roles are read once, then remembered
    before = {kind: queries(kind) for kind in ("registry", "categorizations", "matrix")}
    grow(40, 2)
    after = {kind: queries(kind) for kind in ("registry", "categorizations", "matrix")}
    assert after == before
