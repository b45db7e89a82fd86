"""`civitas template <kind> -o FILE`: write a template to fill in for `civitas import`."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from civitas.core.cli import CivitasCommand, atomic_output, fail
from civitas.reports.import_templates import TEMPLATE_FORMATS, template_csv, template_xlsx
from civitas.stakeholders.imports import IMPORTERS


class Command(CivitasCommand):
    help = "Write a template (header and one example row) for `civitas import`."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = self.add_subcommands(parser)
        for kind, importer in IMPORTERS.items():
            sub = subcommands.add_parser(
                kind,
                help=f"A template for {importer.label.lower()}.",
                description=f"Write a template for importing {importer.label.lower()}: the "
                "columns, and one example row to replace with your own.",
            )
            sub.add_argument(
                "-o", "--output", required=True, help="The file to write (.csv or .xlsx)."
            )
            sub.add_argument(
                "--format",
                choices=TEMPLATE_FORMATS,
                default="",
                help="csv or xlsx (default: from the file's extension, else csv).",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = str(options["subcommand"])
        if kind not in IMPORTERS:
            fail(f"Unknown kind '{kind}'.")
        output = options["output"]
        format = options["format"] or Path(output).suffix.lower().lstrip(".")
        if format not in TEMPLATE_FORMATS:
            format = "csv"
        if format == "xlsx":
            with atomic_output(output, binary=True) as file:
                template_xlsx(kind, file)
        else:
            with atomic_output(output) as file:
                file.write(template_csv(kind))
        self.stdout.write(f"Wrote the {kind} template ({format.upper()}) to {output}.")
