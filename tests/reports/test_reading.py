"""Reading the files people import: CSV, XLSX and JSON into rows with their line numbers."""

import io
import json

import openpyxl
import pytest

from civitas.core.exports import safe_cell, stream_csv, write_xlsx
from civitas.core.imports import WHOLE_FILE, column_letter, read_table, unquote


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"name,type\nLumen Council,municipality\n",
        b"\xef\xbb\xbfname,type\nLumen Council,municipality\n",
        b"name;type\r\nLumen Council;municipality\r\n",
        b"\xef\xbb\xbfname;type\nLumen Council;municipality",
        b"name\ttype\nLumen Council\tmunicipality\n",
    ],
    ids=["comma", "bom-comma", "semicolon-crlf", "bom-semicolon-no-newline", "tab"],
)
def test_csv_with_or_without_bom_and_any_separator_reads_the_same(data):
    table = read_table(data)
    assert table.problems == []
    assert table.columns == ["name", "type"]
    assert table.rows == [(2, ["Lumen Council", "municipality"])]


def test_semicolon_file_keeps_commas_inside_cells():
    table = read_table(b"name;description\nGreen;Trees, parks and water\n")
    assert table.rows == [(2, ["Green", "Trees, parks and water"])]


def test_header_names_are_normalized():
    table = read_table(b" Name ,Power Monetary,identified-as\nx,1,y\n")
    assert table.columns == ["name", "power_monetary", "identified_as"]


def test_line_numbers_follow_the_file_across_quoted_line_breaks_and_blank_lines():
    data = b'name,description\n"A","two\nlines"\n\n,\nB,x\n'
    table = read_table(data)
    assert [line for line, _ in table.rows] == [2, 6]


def test_short_rows_are_padded_and_long_rows_are_a_problem():
    table = read_table(b"name,type\nA\nB,ngo,surprise\n")
    assert table.rows[0] == (2, ["A", ""])
    (problem,) = table.problems
    assert problem.line == 3 and "3 cells" in problem.message


def test_bad_encoding_names_the_line():
    data = "name,type\nCâmara,municipality\n".encode("latin-1")
    table = read_table(data)
    (problem,) = table.problems
    assert problem.line == WHOLE_FILE
    assert "Line 2 is not UTF-8" in problem.message and "CSV UTF-8" in problem.message
    assert table.rows == []


def test_utf16_is_recognized_and_refused_with_advice():
    table = read_table("name,type\n".encode("utf-16"))
    assert "UTF-16" in table.problems[0].message


def test_nul_bytes_are_refused():
    table = read_table(b"name,type\nA\x00,ngo\n")
    assert table.problems[0].line == 2


def test_empty_file_and_header_only():
    assert "empty" in read_table(b"").problems[0].message
    assert "empty" in read_table(b"\xef\xbb\xbf \n").problems[0].message
    table = read_table(b"name,type\n")
    assert table.problems == [] and table.rows == []


def test_repeated_and_unnamed_columns_are_problems():
    table = read_table(b"name,type,name,,x\n1,2,3,4,5\n")
    messages = [str(p) for p in table.problems]
    assert any("appears twice" in m and "columns A and C" in m for m in messages)
    assert any("Column D has no name" in m for m in messages)


def test_formula_guard_of_exports_is_removed_on_import():
    values = ["=1+1", "'=already quoted", "+31 555", "-x", "@sum", "plain", "it's fine", "'"]
    data = "".join(stream_csv(["name"], [[value] for value in values])).encode()
    table = read_table(data)
    assert [cells[0] for _, cells in table.rows] == values
    assert all(unquote(safe_cell(value)) == value for value in values)


def test_xlsx_reads_typed_cells_as_text():
    data = xlsx(("Stakeholders", [["name", "interest", "ok"], ["A", 3, True], ["B", 2.5, None]]))
    table = read_table(data)
    assert table.format == "xlsx" and table.unit == "row"
    assert table.rows == [(2, ["A", "3", "true"]), (3, ["B", "2.5", ""])]


def test_xlsx_written_by_our_exports_reads_back():
    buffer = io.BytesIO()
    write_xlsx(["name", "type"], [["=cmd", "ngo"]], buffer, title="Stakeholders")
    table = read_table(buffer.getvalue())
    assert table.rows == [(2, ["=cmd", "ngo"])]


def test_xlsx_sheet_is_chosen_by_name_then_by_required_columns():
    data = xlsx(("Notes", [["hello"]]), ("Stakeholders", [["name", "type"], ["A", "ngo"]]))
    assert read_table(data, sheet_names=("stakeholders",)).sheet == "Stakeholders"
    data = xlsx(("Notes", [["hello"]]), ("Data", [["name", "type"], ["A", "ngo"]]))
    assert read_table(data, required=("name", "type")).sheet == "Data"


def test_xlsx_wrong_sheet_is_a_problem():
    data = xlsx(("Notes", [["hello"]]), ("Other", [["x"]]))
    problem = read_table(data, required=("name", "type")).problems[0]
    assert "None of the workbook's sheets" in problem.message and "“Notes”" in problem.message
    problem = read_table(data, sheet="Registry").problems[0]
    assert "no sheet named “Registry”" in problem.message


def test_damaged_or_old_excel_files_are_refused():
    assert "not a readable Excel workbook" in read_table(b"PK\x03\x04garbage").problems[0].message
    old = b"\xd0\xcf\x11\xe0" + b"\x00" * 64
    assert ".xls" in read_table(old, filename="old.xls", format="xlsx").problems[0].message


def test_json_rows_as_exported_or_as_a_plain_list():
    document = {"columns": ["name", "levels"], "rows": [{"name": "A", "levels": ["local"]}]}
    table = read_table(json.dumps(document).encode())
    assert table.unit == "item"
    assert table.rows == [(1, ["A", "local"])]
    table = read_table(b'[{"name": "A", "confidential": true, "n": 2}]')
    assert table.rows == [(1, ["A", "true", "2"])]


def test_bad_json_names_the_line_and_items_must_be_objects():
    problem = read_table(b'[\n{"name": }]').problems[0]
    assert problem.line == 2
    table = read_table(b'[{"name": "A"}, 3, {"name": {"x": 1}}]')
    assert [(p.line, p.column) for p in table.problems] == [(2, ""), (3, "name")]


def test_column_letters():
    assert [column_letter(n) for n in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip
