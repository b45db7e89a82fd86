"""`civitas catalogue load|list`: load the shipped catalogue, or print its entries."""

from typing import Any

from django.core.management.base import CommandParser

from civitas.catalogue.selectors import catalogue_types
from civitas.catalogue.services import catalogue_load
from civitas.core.cli import CivitasCommand, add_format_argument, table


class Command(CivitasCommand):
    help = "Load the Supplement's catalogue of stakeholder types, or list its entries."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = self.add_subcommands(parser)
        subcommands.add_parser(
            "load",
            help="Load the catalogue shipped with Civitas (safe to run again).",
            description="Load the catalogue shipped with Civitas. Running it again changes "
            "nothing; a newer catalogue updates the old one and keeps every city's own edits.",
        )
        listing = subcommands.add_parser(
            "list",
            help="Print every catalogue entry with its code, name, parent and clause.",
        )
        add_format_argument(listing, ("table", "json"), default="table")

    def handle_load(self, **options: Any) -> None:
        result = catalogue_load()
        for message in result.messages:
            self.stdout.write(message)
        if result.skipped:
            self.stdout.write("Nothing was loaded.")
            return
        summary = (
            f"Catalogue v{result.version}: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged"
        )
        if result.removed_items:
            summary += f", {result.removed_items} default matrix items withdrawn"
        self.stdout.write(summary + ".")

    def handle_list(self, **options: Any) -> None:
        entries = list(catalogue_types())
        if options["format"] == "json":
            self.write_json(
                [
                    {
                        "code": entry.code,
                        "name": entry.name,
                        "kind": entry.kind,
                        "parent": entry.parent.code if entry.parent else None,
                        "clause": entry.clause,
                        "letter": entry.letter,
                        "levels": list(entry.default_levels),
                        "sector": entry.default_sector,
                        "lfa_roles": list(entry.default_lfa_roles),
                        "technology_roles": list(entry.default_technology_roles),
                    }
                    for entry in entries
                ]
            )
            return
        if not entries:
            self.stderr.write("The catalogue is empty: run `civitas catalogue load` first.")
            return
        rows = [
            (entry.code, entry.name, entry.parent.code if entry.parent else "", entry.clause)
            for entry in entries
        ]
        for line in table(("Code", "Name", "Parent", "Clause"), rows):
            self.stdout.write(line)
