"""Importing relationships: every row checked first, all written or none, problems by line."""

import io

import pytest
from openpyxl import Workbook

from civitas.core.errors import PermissionDeniedError
from civitas.core.imports import read_table
from civitas.network.imports import relationship_import
from civitas.network.models import NetworkCache, Relationship
from civitas.network.services import relationship_create
from civitas.stakeholders.services import stakeholder_archive
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(city, add):
    return {
        "council": add("Lumen Council", "municipality"),
        "waste": add("Lumen Waste", "city_services_company"),
        "friends": add("Friends of Lumen", "ngo"),
    }


def run(city, text: str, **kwargs):
    return relationship_import(city=city, table=read_table(text.encode()), by=None, **kwargs)


def test_a_good_file_is_written_with_history(city, people) -> None:
    NetworkCache.objects.create(city=city, audience="all", fingerprint="stale")
    result = run(
        city,
        "source,target,kind,strength,description\n"
        "Lumen Council,Lumen Waste,evaluates,3,Quarterly KPIs\n"
        "friends of lumen,LUMEN COUNCIL,Informs or communicates with,,\n"
        "Lumen Waste,Lumen Council,contracts,2,Collection contract\n",
    )
    assert result.ok and result.written and result.created == 3
    stored = {(r.source.name, r.kind, r.target.name): r for r in Relationship.objects.all()}
    evaluates = stored[("Lumen Council", "evaluates", "Lumen Waste")]
    assert evaluates.strength == 3 and evaluates.description == "Quarterly KPIs"
    assert stored[("Friends of Lumen", "informs", "Lumen Council")].strength == 2
    assert ("Lumen Waste", "provides_service", "Lumen Council") in stored
    assert Relationship.history.filter(history_type="+").count() == 3
    assert not NetworkCache.objects.exists()


def test_one_bad_row_writes_nothing_and_every_problem_names_its_line(city, people) -> None:
    stakeholder_archive(stakeholder=people["friends"], by=None)
    result = run(
        city,
        "source,target,kind,strength\n"
        "Lumen Council,Lumen Waste,evaluates,3\n"
        "Lumen Counsil,Lumen Waste,funds,2\n"
        "Lumen Council,Lumen Council,funds,2\n"
        "Lumen Council,Lumen Waste,likes,2\n"
        "Lumen Council,Lumen Waste,funds,9\n"
        "Friends of Lumen,Lumen Council,informs,1\n"
        "Lumen Council,Lumen Waste,evaluates,1\n",
    )
    assert not result.ok and not result.written
    assert not Relationship.objects.exists()
    found = {(problem.line, problem.column) for problem in result.problems}
    assert found == {(3, "source"), (4, "target"), (5, "kind"), (6, "strength"), (7, "source"),
                     (8, "")}  # fmt: skip
    texts = [str(problem) for problem in result.problems]
    assert any("Did you mean “Lumen Council”?" in text for text in texts)
    assert any("archived" in text for text in texts)
    assert any("already on line 2" in text for text in texts)


def test_missing_and_unknown_columns_are_refused(city, people) -> None:
    result = run(city, "source,target,colour\nLumen Council,Lumen Waste,red\n")
    messages = " ".join(str(problem) for problem in result.problems)
    assert "kind" in messages and "colour" in messages
    assert not Relationship.objects.exists()


def test_rows_update_what_is_there_and_a_dry_run_writes_nothing(city, people) -> None:
    relationship = relationship_create(
        source=people["council"], target=people["waste"], kind="evaluates", by=None
    )
    text = (
        "source,target,kind,strength,description\n"
        "Lumen Council,Lumen Waste,evaluates,3,Monthly\n"
        "Lumen Waste,Lumen Council,provides_service,,\n"
    )
    preview = run(city, text, dry_run=True)
    assert preview.ok and not preview.written and (preview.created, preview.updated) == (1, 1)
    assert Relationship.objects.count() == 1
    run(city, text)
    relationship.refresh_from_db()
    assert (relationship.strength, relationship.description, relationship.version) == (
        3,
        "Monthly",
        2,
    )
    assert Relationship.objects.count() == 2
    again = run(city, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_mutual_row_matches_the_relationship_recorded_the_other_way(city, people) -> None:
    relationship_create(
        source=people["council"], target=people["friends"], kind="collaborates", by=None
    )
    result = run(
        city, "source,target,kind,strength\nFriends of Lumen,Lumen Council,collaborates,3\n"
    )
    assert result.ok and result.updated == 1 and Relationship.objects.count() == 1


def test_initiatives_directions_and_dates(city, people) -> None:
    InitiativeFactory(city=city, name="Smart water")
    result = run(
        city,
        "source,target,kind,direction,initiative,start_date,end_date\n"
        "Lumen Council,Lumen Waste,coordinates,both ways,smart water,2024-01-01,2025-12-31\n"
        "Lumen Council,Friends of Lumen,informs,one way,Nowhere,2024-01-01,2023-01-01\n",
    )
    assert {(p.line, p.column) for p in result.problems} == {(3, "initiative"), (3, "end_date")}
    fixed = run(
        city,
        "source,target,kind,direction,initiative,start_date,end_date\n"
        "Lumen Council,Lumen Waste,coordinates,both ways,smart water,2024-01-01,2025-12-31\n",
    )
    stored = Relationship.objects.get()
    assert fixed.ok and stored.direction == "mutual" and stored.initiative.name == "Smart water"
    assert str(stored.end_date) == "2025-12-31"


def test_xlsx_files_are_read_too(city, people) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Relationships"
    sheet.append(["Source", "Target", "Kind", "Strength", "Description"])
    sheet.append(["Lumen Council", "Lumen Waste", "funds", 2, "Grant"])
    sheet.append(["Nobody", "Lumen Waste", "funds", 2, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), filename="relationships.xlsx")
    result = relationship_import(city=city, table=table, by=None)
    assert [(p.line, p.column, p.unit) for p in result.problems] == [(3, "source", "row")]
    assert "Row 3" in str(result.problems[0])


def test_only_editors_may_import(city, people, user_in) -> None:
    with pytest.raises(PermissionDeniedError):
        relationship_import(
            city=city,
            table=read_table(b"source,target,kind\nLumen Council,Lumen Waste,funds\n"),
            by=user_in("contributor"),
        )
    result = relationship_import(
        city=city,
        table=read_table(b"source,target,kind\nLumen Council,Lumen Waste,funds\n"),
        by=user_in("analyst"),
    )
    assert result.written
    assert Relationship.history.get().history_user is not None
