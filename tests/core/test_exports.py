"""The shared CSV and XLSX writers: formula-safe, streamed."""

import csv
import io
from datetime import UTC, datetime
from itertools import count, islice

import openpyxl
import pytest

from civitas.core.exports import safe_cell, stream_csv, write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("-2", "'-2"),
        ("+31 555 0100", "'+31 555 0100"),
        ("\tX", "'\tX"),
        ("\rX", "'\rX"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (-2, -2),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_safe_cell_neutralizes_only_strings_a_spreadsheet_would_run(value, expected):
    assert safe_cell(value) == expected


def test_stream_csv_yields_safe_lines_that_parse_back():
    lines = list(stream_csv(["Name", "Note"], [["=1+1", "ok, fine"], ["@SUM", '"quoted"']]))
    assert len(lines) == 3
    assert all(line.endswith("\r\n") for line in lines)
    rows = list(csv.reader(io.StringIO("".join(lines))))
    assert rows == [["Name", "Note"], ["'=1+1", "ok, fine"], ["'@SUM", '"quoted"']]


def test_stream_csv_reads_rows_lazily():
    endless = ([n, f"row {n}"] for n in count())
    first = list(islice(stream_csv(["n", "label"], endless), 3))
    assert first == ["n,label\r\n", "0,row 0\r\n", "1,row 1\r\n"]


def test_write_xlsx_writes_safe_cells_from_a_generator():
    buffer = io.BytesIO()
    rows = ([f"=cmd|' /C calc'!A{n}", n, "-2", "line\x00with\x07control"] for n in range(1, 201))
    write_xlsx(["Text", "Number", "Negative", "Control"], rows, buffer, title="Test")
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet.title == "Test"
    assert sheet.max_row == 201
    assert sheet["A1"].value == "Text" and sheet["A1"].font.bold
    assert sheet["A2"].value == "'=cmd|' /C calc'!A1"
    assert sheet["B2"].value == 1
    assert sheet["C2"].value == "'-2"
    assert sheet["D2"].value == "linewithcontrol"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_write_xlsx_writes_aware_datetimes_as_utc():
    buffer = io.BytesIO()
    moment = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    write_xlsx(["When"], [[moment]], buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A2"].value == datetime(2025, 3, 1, 12, 30)  # noqa: DTZ001
