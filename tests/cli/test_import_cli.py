"""`civitas import`, `civitas template` and the data exports of `civitas export`."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from civitas.cities.demo import demo_build
from civitas.cities.models import City
from civitas.stakeholders.models import Categorization, MatrixItem, Stakeholder
from tests.cli import fails, run
from tests.factories import InitiativeFactory, StakeholderFactory, stakeholder_type

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return str(path)


def test_import_stakeholders_then_again_unchanged(city, tmp_path):
    path = write(tmp_path, "list.csv", 'name;type;levels\nLumen Council;municipality;local\n'
                                       'Green;ngo;"local; national"\n')  # fmt: skip
    out, _ = run("import", "stakeholders", path, "--city", "lumen")
    assert out.strip() == "2 lines read: 2 created, 0 updated, 0 unchanged."
    assert Stakeholder.objects.get(name="Green").levels == ["local", "national"]
    assert Stakeholder.objects.get(name="Green").history.get().history_change_reason == (
        "Imported from list.csv"
    )
    out, _ = run("import", "stakeholders", path, "--city", "lumen")
    assert "0 created, 0 updated, 2 unchanged" in out


def test_dry_run_writes_nothing(city, tmp_path):
    path = write(tmp_path, "list.csv", "name,type\nA,ngo\n")
    out, _ = run("import", "stakeholders", path, "--city", "lumen", "--dry-run")
    assert "1 would be created" in out and "Dry run" in out
    assert not Stakeholder.objects.exists()


def test_every_problem_is_printed_and_the_exit_status_is_2(city, tmp_path):
    path = write(
        tmp_path, "list.csv",
        "name,type,parent,colour\nA,spaceship,,\n,ngo,,\nB,ngo,Nowhere,\nB,ngo,,\n",
    )  # fmt: skip
    message = fails("import", "stakeholders", path, "--city", "lumen")
    assert "list.csv: 4 problems found; nothing was imported." in message
    assert "Line 1, column “colour”: Unknown column" in message
    assert "Line 2, column “type”: Unknown type “spaceship”" in message
    assert "Line 3, column “name”: The name is empty." in message
    assert "Line 5, column “name”: “B” appears twice in the file (also line 4)" in message
    assert not Stakeholder.objects.exists()


def test_bad_encoding_and_wrong_sheet_exit_2(city, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("name,type\nCâmara,municipality\n".encode("latin-1"))
    assert "Line 2 is not UTF-8" in fails("import", "stakeholders", str(path), "--city", "lumen")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.create_sheet("Other").append(["x"])
    workbook.save(tmp_path / "book.xlsx")
    message = fails("import", "stakeholders", str(tmp_path / "book.xlsx"), "--city", "lumen")
    assert "None of the workbook's sheets" in message
    message = fails(
        "import", "stakeholders", str(tmp_path / "book.xlsx"), "--city", "lumen", "--sheet", "X"
    )
    assert "no sheet named “X”" in message


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["stakeholders", "missing.csv", "--city", "lumen"], "No file"),
        (["stakeholders", "list.csv", "--city", "atlantis"], "No city with the slug 'atlantis'"),
        (["stakeholders", "list.csv"], "--city"),
        (["categorizations", "list.csv", "--city", "lumen", "--initiative", "Moon"],
         "has no initiative “Moon”"),
        (["planets", "list.csv"], "invalid choice"),
    ],
)  # fmt: skip
def test_bad_command_lines_exit_2(city, tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "list.csv", "name,type\nA,ngo\n")
    assert expected in fails("import", *args)


def test_a_large_import_shows_progress(city, tmp_path):
    rows = "".join(f"Stakeholder {n},ngo\n" for n in range(6000))
    path = write(tmp_path, "big.csv", "name,type\n" + rows)
    out, err = run("import", "stakeholders", path, "--city", "lumen")
    assert "6000 created" in out
    assert "Checking rows: 0 of 6,000 (0%)" in err
    assert "Writing rows: 6,000 of 6,000 (100%)" in err
    assert Stakeholder.objects.filter(city=city).count() == 6000
    _, quiet = run("import", "stakeholders", path, "--city", "lumen", "--quiet")
    assert quiet == ""


def test_import_categorizations_for_an_initiative_and_matrix_items(city, tmp_path):
    StakeholderFactory(city=city, name="Lumen Council", type=stakeholder_type("municipality"))
    InitiativeFactory(city=city, name="Smart mobility")
    path = write(tmp_path, "c.csv", "stakeholder,interest\nLumen Council,5\n")
    out, _ = run("import", "categorizations", path, "--city", "lumen", "--initiative",
                 "smart mobility")  # fmt: skip
    assert "1 created" in out
    assert Categorization.objects.get().interest == 5
    path = write(tmp_path, "m.csv", "stakeholder,dimension,text\nLumen Council,aim,Cut emissions\n")
    out, _ = run("import", "matrix", path, "--city", "lumen")
    assert "1 created" in out and MatrixItem.objects.get().text == "Cut emissions"


@pytest.mark.parametrize("kind", ["stakeholders", "categorizations", "matrix"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_templates_hold_a_header_and_an_example_that_imports(city, tmp_path, kind, extension):
    target = tmp_path / f"template.{extension}"
    out, _ = run("template", kind, "-o", str(target))
    assert f"Wrote the {kind} template ({extension.upper()})" in out
    if extension == "csv":
        rows = list(csv.reader(io.StringIO(target.read_text())))
    else:
        workbook = openpyxl.load_workbook(target)
        assert workbook.sheetnames[1] == "Columns"
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert len(rows) == 2 and rows[0][0] in ("name", "initiative", "stakeholder")
    if kind != "stakeholders":
        StakeholderFactory(city=city, name="Lumen Council", type=stakeholder_type("municipality"))
        InitiativeFactory(city=city, name="Smart mobility")
    out, _ = run("import", kind, str(target), "--city", "lumen")
    assert "1 created" in out


def test_export_data_to_stdout_and_files(city, tmp_path):
    StakeholderFactory(city=city, name="=Council", type=stakeholder_type("municipality"))
    out, _ = run("export", "registry", "--city", "lumen")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["id", "name", "type"] and rows[1][1] == "'=Council"
    out, _ = run("export", "matrix", "--city", "lumen", "--format", "json")
    assert json.loads(out)["kind"] == "matrix"
    target = tmp_path / "registry.xlsx"
    out, _ = run("export", "registry", "--city", "lumen", "--format", "xlsx", "-o", str(target))
    assert f"Wrote 1 rows of registry to {target}." in out
    assert "-o FILE" in fails("export", "registry", "--city", "lumen", "--format", "xlsx")


def test_export_and_import_a_whole_city(catalogue, tmp_path):
    demo_build()
    target = tmp_path / "aurelia.json"
    out, _ = run("export", "city", "aurelia", "-o", str(target))
    assert f"Wrote the backup of Aurelia to {target}." in out
    out, _ = run("import", "city", str(target), "--slug", "aurelia-2", "--name", "Aurelia II")
    assert out.startswith("Restored Aurelia II (aurelia-2): 4 initiatives, ")
    copy = tmp_path / "copy.json"
    run("export", "city", "aurelia-2", "-o", str(copy))
    first, second = json.loads(target.read_text()), json.loads(copy.read_text())
    for document in (first, second):
        del document["exported_at"], document["city"]["slug"], document["city"]["name"]
    assert first == second
    message = fails("import", "city", str(target))
    assert "A city with the slug “aurelia” exists already" in message
    assert City.objects.count() == 2
