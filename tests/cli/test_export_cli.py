"""`civitas export summary`."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from civitas.cities.models import City
from civitas.stakeholders.services import matrix_item_add
from tests.cli import fails, run
from tests.factories import CategorizationFactory, StakeholderFactory, stakeholder_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(city: City) -> list[str]:
    """Three stakeholders of Lumen, one categorized, one with a formula-like name."""
    council = StakeholderFactory(
        city=city, name="Lumen Council", type=stakeholder_type("municipality")
    )
    CategorizationFactory(stakeholder=council, lfa_roles=["active"])
    green = StakeholderFactory(city=city, name="Green | Lumen", type=stakeholder_type("ngo"))
    matrix_item_add(stakeholder=green, dimension="aim", text="Plant 1,000 trees.", by=None)
    StakeholderFactory(city=city, name='=HYPERLINK("http://x")', type=stakeholder_type("citizens"))
    return ["Lumen Council", "Green | Lumen", '=HYPERLINK("http://x")']


def test_csv_to_stdout_has_one_row_per_stakeholder(registry):
    out, _ = run("export", "summary", "--city", "lumen", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "Stakeholder", "Scale and sector", "Aims and challenges",
        "Potential and constraints", "Role and contributions",
    ]  # fmt: skip
    names = [row[0] for row in rows[1:]]
    assert sorted(names) == sorted(["Lumen Council", "Green | Lumen", '\'=HYPERLINK("http://x")'])
    green = next(row for row in rows if row[0] == "Green | Lumen")
    assert green[2].startswith("Aims: ") and "Plant 1,000 trees" in green[2]
    council = next(row for row in rows if row[0] == "Lumen Council")
    assert "Roles: Active" in council[4]


def test_json_to_stdout_parses_with_one_row_per_stakeholder(registry):
    out, _ = run("export", "summary", "--city", "lumen", "--format", "json")
    document = json.loads(out)
    assert document["city"] == {"slug": "lumen", "name": "Lumen"}
    assert sorted(row["name"] for row in document["rows"]) == sorted(registry)
    green = next(row for row in document["rows"] if row["type"] == "ngo")
    assert "Plant 1,000 trees." in green["aims"]


def test_markdown_to_stdout_is_one_table_with_escaped_pipes(registry):
    out, _ = run("export", "summary", "--city", "lumen", "--format", "md")
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == 2 + len(registry)
    assert "| Green \\| Lumen |" in out


def test_xlsx_goes_to_a_file(registry, tmp_path: Path):
    target = tmp_path / "summary.xlsx"
    out, _ = run("export", "summary", "--city", "lumen", "--format", "xlsx", "-o", str(target))
    assert f"Wrote the summary of 3 stakeholders to {target}." in out
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Stakeholder"
    assert sorted(row[0] for row in rows[1:]) == sorted(
        ["Lumen Council", "Green | Lumen", '\'=HYPERLINK("http://x")']
    )
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("format", ["csv", "md", "json"])
def test_text_formats_go_to_a_file_too(registry, tmp_path: Path, format: str):
    target = tmp_path / f"summary.{format}"
    run("export", "summary", "--city", "lumen", "--format", format, "-o", str(target))
    stdout_copy, _ = run("export", "summary", "--city", "lumen", "--format", format)
    assert target.read_bytes().decode("utf-8") == stdout_copy


def test_xlsx_without_a_file_exits_2(registry):
    assert "-o FILE" in fails("export", "summary", "--city", "lumen", "--format", "xlsx")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--city", "atlantis", "--format", "csv"], "No city with the slug 'atlantis'"),
        (["--city", "lumen"], "--format"),
        (["--city", "lumen", "--format", "pdf"], "pdf"),
        (["--format", "csv"], "--city"),
    ],
)
def test_bad_input_exits_2(registry, args, expected):
    assert expected in fails("export", "summary", *args)


def test_an_export_kind_is_required():
    assert "subcommand" in fails("export")


def test_a_missing_folder_exits_2_and_writes_nothing(registry, tmp_path: Path):
    target = tmp_path / "missing" / "summary.csv"
    message = fails("export", "summary", "--city", "lumen", "--format", "csv", "-o", str(target))
    assert "does not exist" in message
    assert not target.parent.exists()


def test_a_failed_export_leaves_the_old_file_untouched(registry, tmp_path: Path, monkeypatch):
    target = tmp_path / "summary.xlsx"
    target.write_bytes(b"previous export")

    def broken(rows, file, *, city):
        file.write(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr("civitas.reports.management.commands.export.summary_xlsx", broken)
    with pytest.raises(RuntimeError):
        run("export", "summary", "--city", "lumen", "--format", "xlsx", "-o", str(target))
    assert target.read_bytes() == b"previous export"
    assert list(tmp_path.iterdir()) == [target]
