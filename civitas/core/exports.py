"""CSV and XLSX writers every export shares: streamed row by row, safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula (and some
also after a leading tab or carriage return), so text from users could run code on the
reader's machine. Every string cell starting with one of these gets a leading quote,
which spreadsheets show as plain text. A string that already starts with quotes before
one of these gets one more, so that an importer can remove exactly one quote and get the
original text back (civitas.core.imports.unquote).
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import chain
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# First characters worth a closer look: the prefixes, and the quote of a guarded value.
_SUSPECT_STARTS = frozenset("=+-@\t\r'")

Row = Sequence[Any]


def safe_cell(value: Any) -> Any:
    """Return the value, with a leading quote if it is a string a spreadsheet would run."""
    if (
        isinstance(value, str)
        and value[:1] in _SUSPECT_STARTS
        and value.lstrip("'").startswith(FORMULA_PREFIXES)
    ):
        return "'" + value
    return value


def stream_csv(header: Row, rows: Iterable[Row]) -> Iterator[str]:
    """Yield CSV text line by line (header first), every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in chain([header], rows):
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        if isinstance(value, datetime) and value.tzinfo is not None:
            # Spreadsheets have no time zones: write the time as UTC, without the zone.
            return value.astimezone(UTC).replace(tzinfo=None)
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return safe_cell(text)


def write_xlsx(
    header: Row,
    rows: Iterable[Row],
    file: IO[bytes] | str,
    *,
    title: str = "Export",
    column_widths: Sequence[int] | None = None,
) -> None:
    """Write rows to an XLSX workbook in constant memory (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    if column_widths:
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(column_widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        values = [_xlsx_value(value) for value in row]
        # A styled cell costs an object per cell: only multi-line text needs one.
        for index, value in enumerate(values):
            if isinstance(value, str) and "\n" in value:
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrapped
                values[index] = cell
        sheet.append(values)
    workbook.save(file)
