"""Helpers for import tests: files from rows, and the importers run as a user would."""

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest

from civitas.core.imports import Table, read_table


def csv_file(header: Sequence[str], *rows: Sequence[Any], separator: str = ",") -> bytes:
    """Return a CSV file of these rows, quoted where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def xlsx_file(header: Sequence[str], *rows: Sequence[Any], title: str = "Sheet") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(header: Sequence[str], *rows: Sequence[Any]) -> Table:
    return read_table(csv_file(header, *rows))


@pytest.fixture
def analyst(user_in: Any) -> Any:
    return user_in("analyst")
