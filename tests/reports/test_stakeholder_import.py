"""Importing the registry: every row checked, every problem named, all rows written or none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.core.errors import PermissionDeniedError
from civitas.core.imports import read_table
from civitas.stakeholders.imports import stakeholder_import
from civitas.stakeholders.imports.registry import GENERAL_CONTACT
from civitas.stakeholders.models import ContactPerson, Stakeholder
from civitas.stakeholders.selectors import stakeholder_history
from tests.factories import StakeholderFactory, stakeholder_type
from tests.reports.conftest import csv_file, table, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = ("name", "type", "parent", "levels", "sector", "tags", "website", "email")


def registry(city):
    return {s.name: s for s in Stakeholder.objects.filter(city=city).select_related("type")}


def problems(result):
    return [(p.line, p.column) for p in result.problems]


def test_new_stakeholders_get_their_types_defaults(city, analyst):
    result = stakeholder_import(
        city=city,
        table=table(("name", "type"), ("Lumen Council", "municipality"), ("Green", "NGO")),
        by=analyst,
    )
    assert result.ok and result.written
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    council = registry(city)["Lumen Council"]
    municipality = stakeholder_type("municipality")
    assert council.levels == municipality.default_levels
    assert council.sector == municipality.default_sector
    assert council.kind == "organization" and council.version == 1


def test_type_is_found_by_name_ignoring_case(city, analyst):
    name = stakeholder_type("ngo").name.upper()
    result = stakeholder_import(city=city, table=table(("name", "type"), ("A", name)), by=analyst)
    assert result.ok
    assert registry(city)["A"].type.code == "ngo"


def test_all_columns_and_a_parent_defined_later_in_the_file(city, analyst):
    data = csv_file(
        HEADER,
        ("Finance unit", "municipal_finance", "Lumen Council", "local", "", "money; budget",
         "finance.lumen.example", "finance@lumen.example"),
        ("Lumen Council", "municipality", "", "local; national", "Public", "", "", ""),
        separator=";",
    )  # fmt: skip
    result = stakeholder_import(city=city, table=read_table(data), by=analyst)
    assert result.ok, result.problems
    stakeholders = registry(city)
    unit = stakeholders["Finance unit"]
    assert unit.parent == stakeholders["Lumen Council"]
    assert unit.kind == "unit"
    assert unit.tags == ["money", "budget"]
    assert unit.website == "https://finance.lumen.example"
    assert stakeholders["Lumen Council"].levels == ["local", "national"]
    contact = ContactPerson.objects.get(stakeholder=unit)
    assert (contact.name, contact.email) == (GENERAL_CONTACT, "finance@lumen.example")


def test_reimport_updates_by_name_and_counts_unchanged(city, analyst):
    StakeholderFactory(city=city, name="Lumen Council", type=stakeholder_type("municipality"))
    green = StakeholderFactory(city=city, name="Green", type=stakeholder_type("ngo"))
    result = stakeholder_import(
        city=city,
        table=table(
            ("name", "type", "description"),
            ("lumen council", "municipality", ""),
            ("GREEN", "ngo", "Plants trees"),
            ("New one", "ngo", ""),
        ),
        by=analyst,
    )
    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    green.refresh_from_db()
    assert (green.name, green.description, green.version) == ("GREEN", "Plants trees", 2)
    again = stakeholder_import(
        city=city,
        table=table(("name", "type", "description"), ("GREEN", "ngo", "Plants trees")),
        by=analyst,
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_columns_left_out_keep_their_values(city, analyst):
    green = StakeholderFactory(
        city=city, name="Green", type=stakeholder_type("ngo"), levels=["local"], tags=["trees"]
    )
    stakeholder_import(
        city=city, table=table(("name", "type", "sector"), ("Green", "ngo", "private")), by=analyst
    )
    green.refresh_from_db()
    assert (green.levels, green.tags, green.sector) == (["local"], ["trees"], "private")


def test_id_column_renames(city, analyst):
    green = StakeholderFactory(city=city, name="Green", type=stakeholder_type("ngo"))
    result = stakeholder_import(
        city=city,
        table=table(("id", "name", "type"), (green.pk, "Green Lumen", "ngo"), ("", "Other", "ngo")),
        by=analyst,
    )
    assert (result.created, result.updated) == (1, 1)
    assert result.preview[0].changes == ["name"]
    green.refresh_from_db()
    assert green.name == "Green Lumen"


def test_the_history_shows_the_import(city, analyst):
    green = StakeholderFactory(city=city, name="Green", type=stakeholder_type("ngo"))
    stakeholder_import(
        city=city,
        table=table(("name", "type", "description"), ("Green", "ngo", "Trees"), ("New", "ngo", "")),
        by=analyst,
        reason="Imported from list.csv",
    )
    entries = stakeholder_history(green)
    assert entries[0]["who"] == analyst.username
    assert entries[0]["action"] == "changed"
    assert {"field": "description", "old": "", "new": "Trees"} in entries[0]["changes"]
    new = Stakeholder.objects.get(city=city, name="New")
    record = new.history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "Imported from list.csv")
    assert record.history_user == analyst


# Every kind of problem: named with its line and column, and nothing written.


def assert_nothing_written(city, before):
    assert Stakeholder.objects.filter(city=city).count() == before
    assert Stakeholder.history.filter(city_id=city.pk).count() == before


@pytest.mark.parametrize(
    ("rows", "expected", "words"),
    [
        ((("A", "spaceship"),), [(2, "type")], "Unknown type “spaceship”"),
        ((("A", ""),), [(2, "type")], "The type is empty"),
        ((("", "ngo"),), [(2, "name")], "The name is empty"),
        ((("A", "ngo"), ("B", "ngo"), ("a", "ngo")), [(4, "name")], "appears twice"),
        ((("A" * 201, "ngo"),), [(2, "name")], "longer than 200"),
    ],
)
def test_row_problems(city, analyst, rows, expected, words):
    result = stakeholder_import(city=city, table=table(("name", "type"), *rows), by=analyst)
    assert problems(result) == expected
    assert words in result.problems[0].message
    assert_nothing_written(city, 0)


def test_every_problem_of_the_file_is_listed_at_once(city, analyst):
    StakeholderFactory(city=city, name="Existing", type=stakeholder_type("ngo"))
    data = table(
        ("name", "type", "levels", "sector", "kind", "website", "email", "confidential", "colour"),
        ("Good", "ngo", "local", "public", "", "", "", "", ""),
        ("Bad levels", "ngo", "galactic; local", "", "", "", "", "", ""),
        ("Bad sector", "ngo", "", "space", "", "", "", "", ""),
        ("Bad kind", "ngo", "", "", "robot", "", "", "", ""),
        ("Bad web", "ngo", "", "", "", "not a url", "", "", ""),
        ("Bad mail", "ngo", "", "", "", "", "nobody", "", ""),
        ("Bad flag", "ngo", "", "", "", "", "", "maybe", ""),
    )
    result = stakeholder_import(city=city, table=data, by=analyst)
    assert problems(result) == [
        (1, "colour"), (3, "levels"), (4, "sector"), (5, "kind"), (6, "website"),
        (7, "email"), (8, "confidential"),
    ]  # fmt: skip
    assert "Unknown column" in str(result.problems[0])
    assert str(result.problems[1]).startswith("Line 3, column “levels”: Unknown level “galactic”")
    assert_nothing_written(city, 1)


def test_required_columns_missing(city, analyst):
    result = stakeholder_import(
        city=city, table=table(("title", "kind"), ("A", "unit")), by=analyst
    )
    assert "lacks the required columns “name”, “type”" in result.problems[0].message


def test_parent_not_found_and_wrong_parent_type_and_circles(city, analyst):
    council = StakeholderFactory(city=city, name="Council", type=stakeholder_type("municipality"))
    StakeholderFactory(city=city, name="Finance", type=stakeholder_type("municipal_finance"),
                       parent=council)  # fmt: skip
    result = stakeholder_import(
        city=city,
        table=table(
            ("name", "type", "parent"),
            ("Unit A", "municipal_finance", "Nowhere"),
            ("Unit B", "municipal_finance", "Green"),
            ("Green", "ngo", ""),
        ),
        by=analyst,
    )
    assert problems(result) == [(2, "parent"), (3, "parent")]
    assert "No stakeholder named “Nowhere”" in result.problems[0].message
    assert "belongs to a stakeholder of type" in result.problems[1].message
    result = stakeholder_import(
        city=city,
        table=table(("name", "type", "parent"), ("Council", "municipality", "Finance")),
        by=analyst,
    )
    assert problems(result) == [(2, "parent")]
    assert "circle" in result.problems[0].message
    result = stakeholder_import(
        city=city, table=table(("name", "type", "parent"), ("Council", "municipality", "Council")),
        by=analyst,
    )  # fmt: skip
    assert "its own parent" in result.problems[0].message


def test_unknown_or_repeated_ids_and_names_taken_by_others(city, analyst):
    green = StakeholderFactory(city=city, name="Green", type=stakeholder_type("ngo"))
    StakeholderFactory(city=city, name="Blue", type=stakeholder_type("ngo"))
    result = stakeholder_import(
        city=city,
        table=table(
            ("id", "name", "type"),
            ("999999", "X", "ngo"),
            (green.pk, "Blue", "ngo"),
            (green.pk, "Y", "ngo"),
            ("abc", "Z", "ngo"),
        ),
        by=analyst,
    )
    assert problems(result) == [(2, "id"), (4, "id"), (5, "id")]
    result = stakeholder_import(
        city=city, table=table(("id", "name", "type"), (green.pk, "Blue", "ngo")), by=analyst
    )
    assert problems(result) == [(2, "name")]
    assert "already has the name" in result.problems[0].message


def test_bad_encoding_and_wrong_sheet_are_refused_by_the_importer(city, analyst):
    result = stakeholder_import(
        city=city, table=read_table("name,type\nCâmara,ngo\n".encode("latin-1")), by=analyst
    )
    assert "not UTF-8" in str(result.problems[0])
    data = xlsx_file(("a",), (1,), title="Notes")
    two_sheets = read_table(data)  # one sheet: read, but the header lacks name and type
    assert "lacks the required" in str(
        stakeholder_import(city=city, table=two_sheets, by=analyst).problems[0]
    )
    assert_nothing_written(city, 0)


def test_dry_run_counts_without_writing(city, analyst):
    result = stakeholder_import(
        city=city, table=table(("name", "type"), ("A", "ngo")), by=analyst, dry_run=True
    )
    assert (result.created, result.written) == (1, False)
    assert "would be created" in result.summary()
    assert_nothing_written(city, 0)


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_only_owners_and_analysts_may_import(city, user_in, role):
    with pytest.raises(PermissionDeniedError):
        stakeholder_import(city=city, table=table(("name", "type"), ("A", "ngo")), by=user_in(role))


def test_a_change_made_during_the_check_is_seen_before_writing(city, analyst):
    """Someone adds a stakeholder of the same name while the file is checked."""

    def meanwhile(stage, done, total):
        if stage == "checking" and done == total and not Stakeholder.objects.filter(name="A"):
            StakeholderFactory(city=city, name="A", type=stakeholder_type("ngo"))

    result = stakeholder_import(
        city=city,
        table=table(("name", "type", "description"), ("A", "ngo", "x")),
        by=analyst,
        progress=meanwhile,
    )
    assert (result.created, result.updated) == (0, 1)
    assert Stakeholder.objects.get(city=city, name="A").description == "x"


def test_an_edit_made_while_writing_is_refused_not_overwritten(city, analyst, monkeypatch):
    from civitas.core.errors import ConflictError
    from civitas.stakeholders.imports import registry as module

    green = StakeholderFactory(city=city, name="Green", type=stakeholder_type("ngo"))
    original = module._write

    def edited_meanwhile(*args, **kwargs):
        # Someone saves the stakeholder between the last check and the write.
        Stakeholder.objects.filter(pk=green.pk).update(version=5)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "_write", edited_meanwhile)
    with pytest.raises(ConflictError):
        stakeholder_import(
            city=city, table=table(("name", "type", "description"), ("Green", "ngo", "x")),
            by=analyst,
        )  # fmt: skip
    green.refresh_from_db()
    assert green.description == ""


def test_queries_do_not_grow_with_rows(city, analyst):
    def count(rows):
        data = table(("name", "type", "parent"), *rows)
        with CaptureQueriesContext(connection) as queries:
            assert stakeholder_import(city=city, table=data, by=analyst).ok
        return len(queries)

    small = count([(f"S{n}", "ngo", "") for n in range(3)])
    large = count([(f"L{n}", "ngo", "S1") for n in range(300)])
    assert large <= small + 2  # the parent column adds no query per row
