"""Templates people fill in for an import: the header, one example row, and what each column means."""

from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from civitas.core.exports import safe_cell, stream_csv
from civitas.stakeholders.imports import IMPORTERS

TEMPLATE_FORMATS = ("csv", "xlsx")


def template_filename(kind: str, format: str) -> str:
    """Return the name a template is saved under."""
    return f"civitas-{kind}-template.{format}"


def template_csv(kind: str) -> str:
    """Return a kind's CSV template: the header and one example row."""
    header, example = IMPORTERS[kind].template()
    return "".join(stream_csv(header, [example]))


def template_xlsx(kind: str, file: IO[bytes] | str) -> None:
    """Write a kind's XLSX template: a data sheet (header and example) and a sheet of help."""
    importer = IMPORTERS[kind]
    header, example = importer.template()
    workbook = Workbook()
    data = workbook.active
    data.title = importer.sheet_names[0].capitalize()
    data.append(header)
    data.append([safe_cell(value) for value in example])
    bold = Font(bold=True)
    for cell in data[1]:
        cell.font = bold
    for column in data.columns:
        data.column_dimensions[column[0].column_letter].width = 24
    data.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("Columns")
    help_sheet.append(["Column", "Required", "What to write"])
    for cell in help_sheet[1]:
        cell.font = bold
    for column in importer.documented_columns():
        help_sheet.append([column.name, "yes" if column.required else "", safe_cell(column.help)])
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 90
    for row in help_sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(file)
