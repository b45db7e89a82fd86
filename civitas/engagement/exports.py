"""Contributions with their answers as CSV or XLSX, streamed and safe to open in a spreadsheet."""

from collections.abc import Iterator
from typing import IO, Any

from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.exports import stream_csv, write_xlsx
from civitas.engagement.models import Contribution
from civitas.engagement.selectors import contribution_list

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER = [
    "Id", "Submitted", "Initiative", "Activity", "From", "Sector", "Channel", "Stance",
    "Topics", "Contribution", "Answer", "Explanation", "Decision", "Decided on",
    "Answered", "Told on", "Told via",
]  # fmt: skip
PERSONAL_HEADER = ["Author", "Author e-mail"]
COLUMN_WIDTHS = (8, 18, 28, 28, 28, 16, 12, 12, 20, 60, 16, 60, 32, 12, 18, 18, 12)


def export_filename(city: City, format: str) -> str:
    """Return the file name a city's contributions are saved under."""
    return f"{city.slug}-contributions.{format}"


def _local(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def contribution_rows(
    contributions: "Any", *, personal: bool, chunk_size: int = 2000
) -> Iterator[list[Any]]:
    """Yield one row per contribution with its answer, reading the rows in chunks."""
    contribution: Contribution
    for contribution in contributions.iterator(chunk_size=chunk_size):
        stakeholder = contribution.stakeholder
        response = getattr(contribution, "response", None)
        decision = response.decision if response is not None else None
        row = [
            contribution.pk,
            _local(contribution.submitted_at),
            contribution.initiative.name,
            contribution.activity.title,
            stakeholder.name if stakeholder else "Citizen",
            stakeholder.get_sector_display() if stakeholder else "Citizens",
            contribution.get_channel_display(),
            contribution.get_stance_display(),
            "; ".join(contribution.topics),
            contribution.text,
            response.get_outcome_display() if response else "",
            response.explanation if response else "",
            decision.title if decision else "",
            decision.decided_on if decision else None,
            _local(response.answered_at) if response else None,
            _local(response.communicated_at) if response else None,
            response.get_communicated_via_display()
            if response and response.communicated_via
            else "",
        ]
        if personal:
            row += [contribution.author_name, contribution.author_email]
        yield row


def _export(
    city: City, user: User | None, initiative: Initiative | None
) -> tuple[list[str], Iterator[list[Any]]]:
    personal = user is None or user.has_perm("engagement.view_personal_data", city)
    contributions = contribution_list(city=city, user=user, initiative=initiative).order_by(
        "submitted_at", "pk"
    )
    header = HEADER + (PERSONAL_HEADER if personal else [])
    return header, contribution_rows(contributions, personal=personal)


def contributions_csv(
    *, city: City, user: User | None = None, initiative: Initiative | None = None
) -> Iterator[str]:
    """Yield the contributions and their answers as CSV lines (header first)."""
    header, rows = _export(city, user, initiative)
    return stream_csv(header, rows)


def contributions_xlsx(
    file: IO[bytes] | str,
    *,
    city: City,
    user: User | None = None,
    initiative: Initiative | None = None,
) -> None:
    """Write the contributions and their answers to an XLSX workbook in constant memory."""
    header, rows = _export(city, user, initiative)
    write_xlsx(header, rows, file, title="Contributions", column_widths=COLUMN_WIDTHS)


# `civitas export contributions`, wired into the export command of the reports app.


def add_export_subcommand(subcommands: Any) -> None:
    """Add the `contributions` subcommand to `civitas export`."""
    from civitas.core.cli import add_format_argument

    parser = subcommands.add_parser(
        "contributions",
        help="Contributions with their answers (CSV or XLSX).",
        description="Write every contribution of a city with its answer: activity, who sent "
        "it, stance, topics, text, the answer and its explanation, the decision, and when "
        "the participant was told. Includes authors' names and e-mail addresses (personal "
        "data: keep the file safe). Rows are streamed; formula-like cells are neutralized.",
    )
    parser.add_argument("--city", required=True, help="The slug of the city.")
    parser.add_argument("--initiative", default="", help="Only this initiative (name or id).")
    add_format_argument(parser, tuple(FORMATS), default="csv")
    parser.add_argument(
        "-o", "--output", default="", help="File to write (default: standard output)."
    )


def run_export_subcommand(command: Any, **options: Any) -> None:
    """Write a city's contributions as `civitas export contributions` was asked to."""
    from civitas.core.cli import atomic_output, fail

    city = City.objects.filter(slug=options["city"]).first()
    if city is None:
        fail(f"No city with the slug '{options['city']}'.")
    initiative = None
    if wanted := options["initiative"].strip():
        initiatives = Initiative.objects.filter(city=city)
        initiative = initiatives.filter(name__iexact=wanted).first()
        if initiative is None and wanted.isdigit():
            initiative = initiatives.filter(pk=int(wanted)).first()
        if initiative is None:
            fail(f"{city.name} has no initiative “{wanted}”.")
    format, output = options["format"], options["output"]
    if format == "xlsx":
        if not output:
            fail("XLSX is a binary format: give a file to write with -o FILE.")
        with atomic_output(output, binary=True) as file:
            contributions_xlsx(file, city=city, initiative=initiative)
    elif output:
        with atomic_output(output) as file:
            file.writelines(contributions_csv(city=city, initiative=initiative))
    else:
        for chunk in contributions_csv(city=city, initiative=initiative):
            command.stdout.write(chunk, ending="")
    if output:
        command.stdout.write(f"Wrote the contributions of {city.name} to {output}.")
