"""Any file either imports cleanly or is refused with located problems, and never half-written."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from civitas.core.exports import stream_csv
from civitas.core.imports import WHOLE_FILE, read_table
from civitas.stakeholders.imports import categorization_import, matrix_import, stakeholder_import
from civitas.stakeholders.models import Categorization, MatrixItem, Stakeholder
from tests.factories import InitiativeFactory, StakeholderFactory, stakeholder_type
from tests.reports.conftest import xlsx_file

pytestmark = pytest.mark.django_db

COLUMNS = ["name", "type", "kind", "parent", "levels", "sector", "tags", "website", "email",
           "confidential", "id", "notes"]  # fmt: skip
TOKENS = ["", "A", "B", "Lumen Council", "ngo", "Municipality", "spaceship", "unit", "local",
          "local; national", "galactic", "public", "civil society", "x@y.org", "nobody",
          "https://a.example", "yes", "maybe", "=1+1", " ", "1", "-2", "é", "a|b"]  # fmt: skip

cells = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))
headers = st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6, unique=True).map(
    lambda columns: columns if "name" in columns or len(columns) > 3 else ["name", *columns]
)


@st.composite
def files(draw: st.DrawFn) -> bytes:
    """A CSV, XLSX or arbitrary file, mostly shaped like a registry, often flawed."""
    header = draw(headers)
    rows = draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), max_size=8))
    shape = draw(st.sampled_from(["csv", "semicolon", "xlsx", "bytes"]))
    if shape == "bytes":
        return draw(st.binary(max_size=200))
    if shape == "xlsx":
        return xlsx_file(header, *([ILLEGAL_CHARACTERS_RE.sub("", v) for v in row] for row in rows))
    text = "".join(stream_csv(header, rows))
    if shape == "semicolon":
        text = text.replace(",", ";")
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))


def counts(city):
    return (
        Stakeholder.objects.filter(city=city).count(),
        Stakeholder.history.filter(city_id=city.pk).count(),
        Categorization.objects.count(),
        MatrixItem.objects.count(),
    )


def check(result, before, after, table, data):
    if result.ok:
        assert result.created + result.updated + result.unchanged == len(table.rows)
    else:
        assert after == before, "a refused file wrote something"
        last = max([data.count(b"\n") + 1, table.header_line, *(line for line, _ in table.rows)])
        for problem in result.problems:
            assert problem.message
            assert WHOLE_FILE <= problem.line <= last, problem


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=files())
def test_any_registry_file_imports_cleanly_or_is_refused_whole(city, data):
    with transaction.atomic():
        StakeholderFactory(city=city, name="Lumen Council", type=stakeholder_type("municipality"))
        before = counts(city)
        table = read_table(data)
        result = stakeholder_import(city=city, table=table, by=None)
        check(result, before, counts(city), table, data)
        transaction.set_rollback(True)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.lists(
        st.sampled_from(
            [
                "stakeholder",
                "dimension",
                "text",
                "interest",
                "attitude",
                "lfa_roles",
                "key",
                "source",
                "initiative",
            ]
        ),  # fmt: skip
        min_size=1,
        max_size=5,
        unique=True,
    ),
    rows=st.lists(st.lists(cells, min_size=5, max_size=5), max_size=6),
    kind=st.sampled_from(["categorizations", "matrix"]),
)
def test_any_analysis_file_imports_cleanly_or_is_refused_whole(city, header, rows, kind):
    with transaction.atomic():
        StakeholderFactory(city=city, name="Lumen Council", type=stakeholder_type("municipality"))
        initiative = InitiativeFactory(city=city, name="A")
        data = "".join(stream_csv(header, [row[: len(header)] for row in rows])).encode()
        table = read_table(data)
        before = counts(city)
        if kind == "matrix":
            result = matrix_import(city=city, table=table, by=None)
        else:
            result = categorization_import(city=city, table=table, by=None, initiative=initiative)
        check(result, before, counts(city), table, data)
        transaction.set_rollback(True)
