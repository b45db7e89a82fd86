"""`civitas export <kind>`: write a city's data to a file or stdout.

One subcommand per kind of export; `summary` is the Appendix I table.
"""

from typing import Any

from django.core.management.base import CommandParser

from civitas.cities.models import City
from civitas.core.cli import CivitasCommand, add_format_argument, atomic_output, fail
from civitas.reports.summary import FORMATS, summary_text, summary_xlsx
from civitas.stakeholders.selectors import summary_rows


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

    def handle_summary(self, **options: Any) -> None:
        city = city_by_slug(options["city"])
        format, output = options["format"], options["output"]
        if FORMATS[format].binary and not output:
            fail(f"{format.upper()} is a binary format: give a file to write with -o FILE.")
        rows = summary_rows(city=city)
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
            self.stdout.write(f"Wrote the summary of {len(rows)} stakeholders to {output}.")


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
