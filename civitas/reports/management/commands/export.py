"""`civitas export <kind>`: write a city's data to a file or stdout.

One subcommand per kind of export: `registry`, `categorizations`, `matrix` (CSV, XLSX or
JSON, streamed), `summary` (the Appendix I table, also as Markdown) and `city` (the
whole city as one JSON document, for `civitas import city`).
"""

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import CommandParser

from civitas.cities.models import City, Initiative
from civitas.core.cli import CivitasCommand, add_format_argument, atomic_output, fail
from civitas.engagement.exports import add_export_subcommand as add_contributions_export
from civitas.engagement.exports import run_export_subcommand as run_contributions_export
from civitas.network.cli import add_graph_subcommand, run_graph_subcommand
from civitas.reports import exports
from civitas.reports.backup import city_backup, write_city_backup
from civitas.reports.summary import FORMATS, summary_text, summary_xlsx
from civitas.stakeholders.selectors import summary_rows_streamed


class Counted:
    """Pass items of a stream through, counting them."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.count += 1
            yield item


class Command(CivitasCommand):
    help = "Export a city's data (the command line sees every stakeholder, confidential too)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = self.add_subcommands(parser)
        summary = subcommands.add_parser(
            "summary",
            help="The Appendix I summary table: one row per stakeholder.",
            description="Write the Appendix I summary table of a city: stakeholder, scale and "
            "sector, aims and challenges, potential and constraints, role and contributions.",
        )
        add_city_argument(summary)
        add_format_argument(summary, tuple(FORMATS))
        add_output_argument(summary)
        for kind in ("registry", "categorizations", "matrix"):
            export = exports.KINDS[kind]
            sub = subcommands.add_parser(
                kind,
                help=f"{export.label}: the columns `civitas import` reads back.",
                description=f"Write the {export.label.lower()} of a city: "
                + ", ".join(export.columns)
                + ". Rows are streamed; cells a spreadsheet would run as formulas are "
                "neutralized. Contact persons are never included (use `export city`).",
            )
            add_city_argument(sub)
            add_format_argument(sub, tuple(exports.FORMATS), default="csv")
            add_output_argument(sub)
            if kind == "categorizations":
                sub.add_argument(
                    "--initiative", default="", help="Only this initiative (name or id)."
                )
        city = subcommands.add_parser(
            "city",
            help="The whole city as one JSON document, for `civitas import city`.",
            description="Write a city's backup: initiatives, stakeholders, contact persons "
            "(personal data: keep the file safe), categorizations, analysis matrix and "
            "memberships.",
        )
        city.add_argument("slug", help="The slug of the city.")
        add_output_argument(city)
        add_contributions_export(subcommands)
        add_graph_subcommand(subcommands)

    def handle_summary(self, **options: Any) -> None:
        city = city_by_slug(options["city"])
        format, output = options["format"], options["output"]
        if FORMATS[format].binary and not output:
            fail(f"{format.upper()} is a binary format: give a file to write with -o FILE.")
        counted = Counted(summary_rows_streamed(city=city))
        rows = iter(counted)
        if format == "xlsx":
            with atomic_output(output, binary=True) as file:
                summary_xlsx(rows, file, city=city)
        elif output:
            with atomic_output(output) as file:
                file.writelines(summary_text(rows, format, city=city))
        else:
            for chunk in summary_text(rows, format, city=city):
                self.stdout.write(chunk, ending="")
        if output:
            self.stdout.write(f"Wrote the summary of {counted.count} stakeholders to {output}.")

    def handle_registry(self, **options: Any) -> None:
        self.export_kind("registry", **options)

    def handle_categorizations(self, **options: Any) -> None:
        self.export_kind("categorizations", **options)

    def handle_matrix(self, **options: Any) -> None:
        self.export_kind("matrix", **options)

    def export_kind(self, kind: str, **options: Any) -> None:
        city = city_by_slug(options["city"])
        format, output = options["format"], options["output"]
        if exports.FORMATS[format].binary and not output:
            fail(f"{format.upper()} is a binary format: give a file to write with -o FILE.")
        arguments: dict[str, Any] = {"city": city, "user": None}
        if options.get("initiative"):
            arguments["initiative"] = initiative_of(city, options["initiative"])
        counted = _Counter(exports.KINDS[kind].records(**arguments))
        if format == "xlsx":
            with atomic_output(output, binary=True) as file:
                exports.export_xlsx(kind, counted, file)
        elif output:
            with atomic_output(output) as file:
                file.writelines(exports.export_text(kind, format, counted, city=city))
        else:
            for chunk in exports.export_text(kind, format, counted, city=city):
                self.stdout.write(chunk, ending="")
        if output:
            self.stdout.write(f"Wrote {counted.count} rows of {kind} to {output}.")

    def handle_contributions(self, **options: Any) -> None:
        run_contributions_export(self, **options)

    def handle_graph(self, **options: Any) -> None:
        run_graph_subcommand(self, **options)

    def handle_city(self, **options: Any) -> None:
        city = city_by_slug(options["slug"])
        output = options["output"]
        if output:
            with atomic_output(output) as file:
                write_city_backup(city, file)
            self.stdout.write(f"Wrote the backup of {city.name} to {output}.")
        else:
            for chunk in city_backup(city):
                self.stdout.write(chunk, ending="")


class _Counter:
    """Count the records an export takes, as it takes them."""

    def __init__(self, records: Any) -> None:
        self.records = records
        self.count = 0

    def __iter__(self) -> Any:
        for record in self.records:
            self.count += 1
            yield record


def add_city_argument(parser: CommandParser) -> None:
    """Add the required `--city SLUG`."""
    parser.add_argument("--city", required=True, help="The slug of the city.")


def add_output_argument(parser: CommandParser) -> None:
    """Add `-o/--output FILE` (stdout when left out)."""
    parser.add_argument(
        "-o", "--output", default="", help="File to write (default: standard output)."
    )


def city_by_slug(slug: str) -> City:
    """Return the city with this slug, or stop with exit status 2."""
    city = City.objects.filter(slug=slug).first()
    if city is None:
        fail(f"No city with the slug '{slug}'.")
    return city


def initiative_of(city: City, name_or_id: str) -> Initiative:
    """Return the city's initiative with this name or id, or stop with exit status 2."""
    initiatives = Initiative.objects.filter(city=city)
    found = initiatives.filter(name__iexact=name_or_id.strip()).first()
    if found is None and name_or_id.strip().isdigit():
        found = initiatives.filter(pk=int(name_or_id)).first()
    if found is None:
        names = ", ".join(initiatives.order_by("name").values_list("name", flat=True)) or "none"
        fail(f"{city.name} has no initiative “{name_or_id}”. Its initiatives: {names}.")
    return found
