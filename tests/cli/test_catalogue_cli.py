"""`civitas catalogue load|list`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from civitas.catalogue.models import CatalogueRelease, StakeholderType, TypeKind
from tests.cli import fails, run

pytestmark = pytest.mark.django_db

GENERIC_CODES = [
    "municipality",
    "national_regional_government",
    "city_services_company",
    "utility_provider",
    "ict_company",
    "ngo",
    "international_organization",
    "industry_association",
    "academia_research",
    "citizens",
    "urban_planners",
    "standards_body",
]


def empty_catalogue() -> None:
    """Remove the catalogue (units first: they protect their parents)."""
    StakeholderType.objects.exclude(parent=None).delete()
    StakeholderType.objects.all().delete()
    CatalogueRelease.objects.all().delete()


def test_load_again_changes_nothing_and_says_so():
    out, _ = run("catalogue", "load")
    total = StakeholderType.objects.count()
    assert out.strip() == f"Catalogue v1: 0 created, 0 updated, {total} unchanged."


def test_load_into_an_empty_database_creates_everything():
    empty_catalogue()
    out, _ = run("catalogue", "load")
    assert "Catalogue v1: 30 created, 0 updated, 0 unchanged." in out
    assert StakeholderType.objects.filter(kind=TypeKind.GENERIC).count() == 12


def test_load_of_an_older_catalogue_says_it_was_skipped():
    from civitas.catalogue import services

    newer = services.shipped_catalogue()
    newer["version"] = 2
    services.catalogue_load(data=newer)
    out, _ = run("catalogue", "load")
    assert "v1 is older and was not loaded" in out
    assert "Nothing was loaded." in out


def test_list_json_has_the_twelve_generic_codes_and_units_with_parents():
    out, _ = run("catalogue", "list", "--format", "json")
    entries = json.loads(out)
    generic = [e["code"] for e in entries if e["kind"] == "generic"]
    assert generic == GENERIC_CODES
    assert all(e["parent"] is None for e in entries if e["kind"] == "generic")
    municipal = [e for e in entries if e["kind"] == "municipal_unit"]
    national = [e for e in entries if e["kind"] == "national_unit"]
    assert len(municipal) == 10 and {e["parent"] for e in municipal} == {"municipality"}
    assert len(national) == 8
    assert {e["parent"] for e in national} == {"national_regional_government"}
    first = entries[0]
    assert set(first) == {
        "code", "name", "kind", "parent", "clause", "letter", "levels", "sector",
        "lfa_roles", "technology_roles",
    }  # fmt: skip
    assert first["letter"] == "a" and first["clause"].startswith("§3.1")
    assert "active" in first["lfa_roles"]


def test_list_table_shows_code_name_parent_and_clause_aligned():
    out, _ = run("catalogue", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["Code", "Name", "Parent", "Clause"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert len(lines) == 2 + StakeholderType.objects.count()
    unit = next(line for line in lines if line.startswith("municipal_cert "))
    name_column = lines[0].index("Name")
    parent_column = lines[0].index("Parent")
    assert unit[name_column:].startswith("CERT/CSIRT unit")
    assert unit[parent_column:].startswith("municipality ")


def test_list_of_an_empty_catalogue_tells_how_to_load_it():
    empty_catalogue()
    out, err = run("catalogue", "list")
    assert out == ""
    assert "civitas catalogue load" in err
    assert json.loads(run("catalogue", "list", "--format", "json")[0]) == []


def test_unknown_format_and_missing_subcommand_exit_2():
    assert "xml" in fails("catalogue", "list", "--format", "xml")
    assert "subcommand" in fails("catalogue")
    assert "nonsense" in fails("catalogue", "nonsense")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh data directory with a migrated database, as after installing Civitas."""
    directory = tmp_path_factory.mktemp("civitas-data")
    result = civitas(directory, "migrate", "--skip-checks", "-v", "0")
    assert result.returncode == 0, result.stderr
    return directory


def civitas(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `civitas` command against a data directory."""
    executable = Path(sys.executable).parent / "civitas"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civitas.settings.test",
        "CIVITAS_DATA_DIR": str(data_dir),
    }
    environment.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603
        [str(executable), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_the_civitas_entry_point_lists_the_catalogue_as_json(data_dir):
    loaded = civitas(data_dir, "catalogue", "load")
    assert loaded.returncode == 0, loaded.stderr
    listed = civitas(data_dir, "catalogue", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    codes = [entry["code"] for entry in json.loads(listed.stdout)]
    assert codes[:12] == GENERIC_CODES and len(codes) == 30


def test_the_civitas_entry_point_exits_2_for_an_unknown_city(data_dir):
    result = civitas(data_dir, "check", "completeness", "--city", "atlantis")
    assert result.returncode == 2
    assert "atlantis" in result.stderr
    assert result.stdout == ""
