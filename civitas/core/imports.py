"""Read spreadsheets people bring (CSV, XLSX, JSON) into rows of text with their line numbers.

Every importer shares this reader, so that a file is read the same way everywhere and
every problem names its line (CSV), row (XLSX) or item (JSON) and its column. Reading
never raises on bad input: it returns the problems, and the importer refuses the file.

- CSV: UTF-8 with or without a byte-order mark; the separator (comma, semicolon or tab)
  is taken from the header line.
- XLSX: read with openpyxl in read-only mode; the sheet is the one named, else the one
  named after what is imported, else the first that has the required columns.
- JSON: a list of objects, or an object holding one under "rows" (what our exports write).

Cells our exports protected against formula injection (a leading quote before "=", "+",
"-", "@", tab or carriage return) lose that quote again, so an export imports unchanged.
"""

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from civitas.core.bulk import garbage_collection_paused
from civitas.core.exports import FORMULA_PREFIXES

# Whole-file problems carry this line number: they are not about one line.
WHOLE_FILE = 0

FORMATS = ("csv", "xlsx", "json")
SEPARATORS = (",", ";", "\t")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_NAME_SPACES = re.compile(r"[\s\-]+")

# Each value in a list cell ("local; national") is split on this.
LIST_SEPARATOR = ";"

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """Ignore progress (the default when nobody watches)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an imported file: where it is, and what to do about it."""

    line: int  # WHOLE_FILE (0) when the problem is not about one line
    column: str  # the column's name in the header, or "" when not about one column
    message: str
    unit: str = "line"  # how the file counts its rows: "line", "row" or "item"

    def __str__(self) -> str:
        place = []
        if self.line != WHOLE_FILE:
            place.append(f"{self.unit.capitalize()} {self.line}")
        if self.column:
            place.append(f"column “{self.column}”" if place else f"Column “{self.column}”")
        return f"{', '.join(place)}: {self.message}" if place else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line or None,
            "column": self.column or None,
            "message": self.message,
            "text": str(self),
        }


@dataclass
class Table:
    """The rows of an imported file: a header of column names and text cells per row."""

    columns: list[str]
    rows: list[tuple[int, list[str]]]  # (line, one cell per column)
    format: str
    unit: str = "line"
    sheet: str = ""
    problems: list[Problem] = field(default_factory=list)
    header_line: int = 1

    def problem(self, line: int, column: str, message: str) -> Problem:
        """Return a problem located in this table."""
        return Problem(line, column, message, self.unit)

    def index(self, column: str) -> int | None:
        """Return the position of a column, or None when the file does not have it."""
        try:
            return self.columns.index(column)
        except ValueError:
            return None


def column_key(name: Any) -> str:
    """Return a header cell as a column name: trimmed, lower case, spaces as underscores."""
    text = "" if name is None else str(name)
    return _NAME_SPACES.sub("_", text.replace("\ufeff", "").strip().lower())


def unquote(cell: str) -> str:
    """Undo the quote an export put before a cell a spreadsheet would run as a formula."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def split_list(cell: str) -> list[str]:
    """Split a list cell ("a; b") into its trimmed, non-empty values."""
    return [value.strip() for value in cell.split(LIST_SEPARATOR) if value.strip()]


def detect_format(data: bytes, filename: str = "") -> str:
    """Return "csv", "xlsx" or "json" from the file's first bytes (its name only breaks ties)."""
    if data.startswith(_XLSX_MAGIC):
        return "xlsx"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return "json"
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return "csv"


def read_table(
    data: bytes,
    *,
    filename: str = "",
    format: str = "",
    sheet: str = "",
    sheet_names: Sequence[str] = (),
    required: Sequence[str] = (),
) -> Table:
    """Read a file into a Table; whatever makes it unreadable is in `table.problems`.

    `sheet` names the XLSX sheet to read; without it, a sheet named like one of
    `sheet_names` is taken, else the first whose header has the `required` columns.
    """
    format = format or detect_format(data, filename)
    if format not in FORMATS:
        return _unreadable(
            format, f"Unknown file format “{format}”. Use {', '.join(FORMATS[:-1])} or JSON."
        )
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        return _unreadable(format, "The file is empty.")
    with garbage_collection_paused():
        if format == "xlsx":
            return _read_xlsx(data, sheet=sheet, sheet_names=sheet_names, required=required)
        if format == "json":
            return _read_json(data)
        return _read_csv(data)


def _unreadable(format: str, message: str, line: int = WHOLE_FILE, unit: str = "line") -> Table:
    return Table([], [], format, unit=unit, problems=[Problem(line, "", message, unit)])


def _with_header(table: Table, header: Sequence[Any]) -> Table:
    """Set the table's columns from a header row, noting empty and repeated names."""
    columns = [column_key(name) for name in header]
    while columns and not columns[-1]:
        columns.pop()
    seen: dict[str, int] = {}
    for position, name in enumerate(columns):
        letter = column_letter(position)
        if not name:
            table.problems.append(
                table.problem(
                    table.header_line,
                    "",
                    f"Column {letter} has no name in the header. Name it or delete the column.",
                )
            )
        elif name in seen:
            table.problems.append(
                table.problem(
                    table.header_line,
                    name,
                    f"The column appears twice (columns {column_letter(seen[name])} and "
                    f"{letter}). Keep one of them.",
                )
            )
        else:
            seen[name] = position
    table.columns = columns
    return table


def _add_row(table: Table, line: int, cells: list[Any], convert: Callable[[Any], str]) -> None:
    width = len(table.columns)
    texts = [convert(cell) for cell in cells]
    if len(texts) > width:
        extra = texts[width:]
        if any(text.strip() for text in extra):
            table.problems.append(
                table.problem(
                    line,
                    "",
                    f"This {table.unit} has {len(texts)} cells but the header names only "
                    f"{width} columns. Name the extra columns or delete their cells.",
                )
            )
        texts = texts[:width]
    elif len(texts) < width:
        texts.extend([""] * (width - len(texts)))
    if not any(texts):
        return  # blank rows in a spreadsheet carry nothing
    table.rows.append((line, texts))


def column_letter(position: int) -> str:
    """Return a spreadsheet column letter for a 0-based position (0 → A, 26 → AA)."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# CSV


def _decode(data: bytes) -> tuple[str | None, str]:
    """Return the text of UTF-8 bytes (without a byte-order mark), or None and why not."""
    if data.startswith(_UTF16_BOMS):
        return None, (
            "The file is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8” and upload "
            "it again."
        )
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, (
            f"Line {line} is not UTF-8 text (the byte 0x{data[error.start]:02X} cannot be read). "
            "Save the file as “CSV UTF-8” and upload it again."
        )


def _separator(first_line: str) -> str:
    """Return the separator that splits the header into the most columns (comma on a tie)."""
    best, best_count = ",", 0
    for separator in SEPARATORS:
        count = len(next(csv.reader([first_line], delimiter=separator), []))
        if count > best_count:
            best, best_count = separator, count
    return best


def _read_csv(data: bytes) -> Table:
    text, why = _decode(data)
    if text is None:
        return _unreadable("csv", why)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return _unreadable(
            "csv", "The file holds a NUL character: it is not a text file.", line=line
        )
    table = Table([], [], "csv")
    buffer = io.StringIO(text, newline="")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(buffer, delimiter=_separator(first_line), strict=False)
    start = 1
    try:
        # The header is the first line with something in it.
        header = next((cells for cells in reader if any(cell.strip() for cell in cells)), None)
        if header is None:
            return _unreadable("csv", "The file has no header line.")
        table.header_line = reader.line_num
        _with_header(table, header)
        width = len(table.columns)
        # Only a cell that starts with a quote can carry an export's formula guard.
        guarded = "'" in text
        rows = table.rows
        start = reader.line_num + 1
        for cells in reader:
            if guarded:
                cells = [unquote(cell) if cell[:1] == "'" else cell for cell in cells]
            if len(cells) != width:
                _add_row(table, start, cells, str)
            elif any(cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        table.problems.append(
            table.problem(start, "", f"The line cannot be read as CSV ({error}).")
        )
    return table


# XLSX


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return unquote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _header_of(worksheet: Any) -> tuple[int, list[Any]]:
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if any(cell is not None and str(cell).strip() for cell in row):
            return number, list(row)
    return 0, []


def _read_xlsx(
    data: bytes, *, sheet: str, sheet_names: Sequence[str], required: Sequence[str]
) -> Table:
    if data.startswith(_XLS_MAGIC):
        return _unreadable(
            "xlsx",
            "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as "
            "“CSV UTF-8” and upload it again.",
            unit="row",
        )
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        return _unreadable(
            "xlsx",
            f"The file is not a readable Excel workbook (.xlsx): {error or 'damaged file'}.",
            unit="row",
        )
    try:
        names = list(workbook.sheetnames)
        chosen, why = _choose_sheet(workbook, names, sheet, sheet_names, required)
        if not chosen:
            return _unreadable("xlsx", why, unit="row")
        worksheet = workbook[chosen]
        table = Table([], [], "xlsx", unit="row", sheet=chosen)
        header_row, header = _header_of(worksheet)
        if not header_row:
            return _unreadable("xlsx", f"The sheet “{chosen}” is empty.", unit="row")
        table.header_line = header_row
        _with_header(table, header)
        rows = worksheet.iter_rows(min_row=header_row + 1, values_only=True)
        for number, cells in enumerate(rows, start=header_row + 1):
            _add_row(table, number, list(cells), _cell_text)
        for line, texts in table.rows:
            if any("\x00" in text for text in texts):
                table.problems.append(
                    table.problem(line, "", "A cell holds a NUL character; remove it.")
                )
        return table
    finally:
        workbook.close()


def _choose_sheet(
    workbook: Any,
    names: list[str],
    sheet: str,
    sheet_names: Sequence[str],
    required: Sequence[str],
) -> tuple[str, str]:
    """Return the name of the sheet to read and "", or "" and why no sheet fits."""
    listed = ", ".join(f"“{name}”" for name in names)
    if sheet:
        for name in names:
            if name.strip().lower() == sheet.strip().lower():
                return name, ""
        return "", f"The workbook has no sheet named “{sheet}”. Its sheets: {listed}."
    wanted = {name.lower() for name in sheet_names}
    for name in names:
        if name.strip().lower() in wanted:
            return name, ""
    if len(names) == 1:
        return names[0], ""
    for name in names:
        _, header = _header_of(workbook[name])
        if set(required) <= {column_key(cell) for cell in header}:
            return name, ""
    return "", (
        f"None of the workbook's sheets ({listed}) has the columns "
        f"{', '.join(required)} in its first row. Put the data on the first sheet, or name "
        "the sheet to read."
    )


# JSON


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(_json_text(item) for item in value)
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise TypeError(type(value).__name__)


def _read_json(data: bytes) -> Table:
    text, why = _decode(data)
    if text is None:
        return _unreadable("json", why.replace("“CSV UTF-8”", "UTF-8"))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return _unreadable("json", f"The file is not valid JSON: {error.msg}.", line=error.lineno)
    items = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(items, list):
        return _unreadable(
            "json", "The JSON file must hold a list of objects, or an object with “rows”."
        )
    table = Table([], [], "json", unit="item", header_line=WHOLE_FILE)
    header: dict[str, None] = {}
    declared = document.get("columns") if isinstance(document, dict) else None
    if isinstance(declared, list) and all(isinstance(name, str) for name in declared):
        header.update(dict.fromkeys(declared))
    for item in items:
        if isinstance(item, dict):
            header.update(dict.fromkeys(str(key) for key in item))
    _with_header(table, list(header))
    keys = list(header)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            table.problems.append(table.problem(number, "", "Each item must be a JSON object."))
            continue
        cells: list[str] = []
        for key, column in zip(keys, table.columns, strict=True):
            try:
                cell = _json_text(item.get(key))
            except TypeError:
                table.problems.append(
                    table.problem(number, column, "Give text, a number or a list of texts here.")
                )
                cell = ""
            if "\x00" in cell:
                table.problems.append(table.problem(number, column, "The value holds NUL."))
            cells.append(cell)
        if any(cells):
            table.rows.append((number, cells))
    return table


# What an import did (or would do)

# How many rows a preview shows.
PREVIEW_ROWS = 20


@dataclass
class PreviewRow:
    """One row of a preview: what the import does with it."""

    line: int
    action: str  # "create", "update" or "unchanged"
    label: str
    changes: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "action": self.action,
            "label": self.label,
            "changes": self.changes,
            "cells": self.cells,
        }


@dataclass
class ImportResult:
    """The outcome of an import: counts, the problems that refused it, a preview."""

    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    written: bool = False
    unit: str = "line"

    @property
    def ok(self) -> bool:
        return not self.problems

    def add_preview(self, line: int, action: str, label: str, **details: Any) -> None:
        """Note what happens to a row, keeping the first few rows for the preview."""
        if action == "create":
            self.created += 1
        elif action == "update":
            self.updated += 1
        else:
            self.unchanged += 1
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append(PreviewRow(line, action, label, **details))

    def sort_problems(self) -> None:
        """Put the problems in file order (a row's own problems keep their order)."""
        self.problems.sort(key=lambda problem: problem.line)

    def summary(self) -> str:
        """Say in one sentence what the import did, or would do."""
        verb = "" if self.written else "would be "
        return (
            f"{self.total} {self.unit}{'s' if self.total != 1 else ''} read: "
            f"{self.created} {verb}created, {self.updated} {verb}updated, "
            f"{self.unchanged} unchanged."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "written": self.written,
            "problems": [problem.as_dict() for problem in self.problems],
            "preview": [row.as_dict() for row in self.preview],
            "columns": self.columns,
        }
