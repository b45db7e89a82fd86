"""`civitas import <kind> FILE`: take in a spreadsheet or a whole-city backup.

Every row is checked first; if any has a problem, every problem is printed with its line
and column, the command exits with status 2 and nothing is written. (Django loads this
module by name, so the file may be called import.py although `import` is a keyword.)
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from civitas.core.cli import CivitasCommand, fail
from civitas.core.imports import ImportResult, read_table
from civitas.reports.backup import BackupError, city_restore, read_backup
from civitas.reports.management.commands.export import (
    add_city_argument,
    city_by_slug,
    initiative_of,
)
from civitas.reports.progress import TerminalProgress
from civitas.stakeholders.imports import IMPORTERS

# The most problems printed; the rest are counted (fix these and run the import again).
SHOWN_PROBLEMS = 200


class Command(CivitasCommand):
    help = (
        "Import stakeholders, categorizations or analysis-matrix items from a CSV, XLSX or "
        "JSON file into a city, or restore a whole city from its backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = self.add_subcommands(parser)
        for kind, importer in IMPORTERS.items():
            sub = subcommands.add_parser(
                kind,
                help=f"Import {importer.label.lower()}.",
                description=f"Import {importer.label.lower()} from a CSV (UTF-8; comma or "
                "semicolon), XLSX or JSON file. Rows update what the city already has, or add "
                "to it; nothing is deleted. Columns: "
                + ", ".join(column.name for column in importer.documented_columns())
                + ". `civitas template "
                + kind
                + " -o FILE` writes a template.",
            )
            sub.add_argument("file", help="The file to import (CSV, XLSX or JSON).")
            add_city_argument(sub)
            if importer.needs_initiative:
                sub.add_argument(
                    "--initiative",
                    default="",
                    help="The initiative (name or id) the rows are for, unless the file has "
                    "an “initiative” column.",
                )
            sub.add_argument("--sheet", default="", help="The XLSX sheet to read.")
            sub.add_argument(
                "--dry-run",
                action="store_true",
                help="Check the file and say what would change, without writing anything.",
            )
            sub.add_argument("--quiet", action="store_true", help="Do not show progress.")
        city = subcommands.add_parser(
            "city",
            help="Restore a whole city from a backup made by `civitas export city`.",
            description="Create a city from a backup: its initiatives, stakeholders, contact "
            "persons, categorizations, analysis matrix and memberships (of users who exist "
            "here). Everything is written in one transaction, or nothing.",
        )
        city.add_argument("file", help="The backup (JSON).")
        city.add_argument("--slug", default="", help="A new slug (default: the backup's).")
        city.add_argument("--name", default="", help="A new name (default: the backup's).")
        city.add_argument(
            "--without-members", action="store_true", help="Leave out the memberships."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options.get("subcommand")
        if kind in IMPORTERS:
            self.import_table(str(kind), **options)
        else:
            super().handle(*args, **options)

    def import_table(self, kind: str, **options: Any) -> None:
        importer = IMPORTERS[kind]
        city = city_by_slug(options["city"])
        path = Path(options["file"])
        data = read_file(path)
        arguments: dict[str, Any] = {}
        if importer.needs_initiative and options["initiative"]:
            arguments["initiative"] = initiative_of(city, options["initiative"])
        progress = TerminalProgress(self.stderr, quiet=options["quiet"] or options["verbosity"] < 1)
        table = read_table(
            data,
            filename=path.name,
            sheet=options["sheet"],
            sheet_names=importer.sheet_names,
            required=importer.required,
        )
        result = importer.run(
            city=city,
            table=table,
            by=None,
            dry_run=options["dry_run"],
            reason=f"Imported from {path.name}"[:100],
            progress=progress,
            **arguments,
        )
        progress.done()
        if not result.ok:
            fail(problems_message(result, path.name))
        self.stdout.write(result.summary())
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")

    def handle_city(self, **options: Any) -> None:
        path = Path(options["file"])
        try:
            document = read_backup(read_file(path))
            result = city_restore(
                document=document,
                by=None,
                slug=options["slug"],
                name=options["name"],
                include_members=not options["without_members"],
            )
        except BackupError as error:
            shown = "\n".join(f"  {problem}" for problem in error.problems[:SHOWN_PROBLEMS])
            fail(f"{path.name} cannot be restored; nothing was written:\n{shown}")
        self.stdout.write(result.summary())
        for note in result.notes:
            self.stdout.write(note)


def read_file(path: Path) -> bytes:
    """Return a file's bytes (standard input for "-"), or stop with exit status 2."""
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        fail(f"No file {path}.")
    except IsADirectoryError:
        fail(f"{path} is a folder, not a file.")
    except OSError as error:
        fail(f"Cannot read {path}: {error.strerror}.")


def problems_message(result: ImportResult, filename: str) -> str:
    """Return the problems of a refused import, one per line."""
    count = len(result.problems)
    lines = [f"{filename}: {count} problem{'s' if count != 1 else ''} found; nothing was imported."]
    lines.extend(f"  {problem}" for problem in result.problems[:SHOWN_PROBLEMS])
    if count > SHOWN_PROBLEMS:
        lines.append(f"  … and {count - SHOWN_PROBLEMS} more.")
    return "\n".join(lines)
