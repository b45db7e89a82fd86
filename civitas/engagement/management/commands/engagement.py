"""`civitas engagement <subcommand>`: activities, contributions, decisions, e-mails of answers,
grievances, reviews and settings from the command line.

Commands act as the system operator (no user), like every `civitas` data command.
"""

import argparse
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from django.core.management.base import CommandParser
from django.db.models import Model
from django.utils import timezone

from civitas.cities.models import City, Initiative
from civitas.core.cli import CivitasCommand, add_format_argument, fail, table
from civitas.engagement.models import (
    Activity,
    ActivityStatus,
    Channel,
    Decision,
    Grievance,
    GrievanceAction,
    GrievanceStatus,
)
from civitas.engagement.selectors import (
    activity_list,
    contribution_list,
    decision_list,
    grievance_list,
    review_schedule_list,
)
from civitas.engagement.services import (
    activity_close,
    activity_open,
    decision_notify,
    default_base_url,
    engagement_settings_update,
    grievance_act,
    review_record,
    settings_of,
)

M = TypeVar("M", bound=Model)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD).") from error


def _switch(value: str) -> bool:
    if value.lower() in {"on", "yes", "true", "1"}:
        return True
    if value.lower() in {"off", "no", "false", "0"}:
        return False
    raise argparse.ArgumentTypeError(f"'{value}' is not on or off.")


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number.") from error
    if number < 1:
        raise argparse.ArgumentTypeError("Give a number of 1 or more.")
    return number


def _record(model: type[M], pk: int, label: str) -> M:
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        fail(f"No {label} with the id {pk}.")
    return found


def _city(slug: str) -> City:
    city = City.objects.filter(slug=slug).first()
    if city is None:
        fail(f"No city with the slug '{slug}'.")
    return city


def _initiative(city: City, pk: int | None) -> Initiative | None:
    if pk is None:
        return None
    initiative = Initiative.objects.filter(city=city, pk=pk).first()
    if initiative is None:
        fail(f"No initiative with the id {pk} in {city.name}.")
    return initiative


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value.isoformat())


class Command(CivitasCommand):
    help = "Engagement (§4.2): activities, contributions, answers, grievances and reviews."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = self.add_subcommands(parser)

        activities = sub.add_parser("activities", help="List a city's activities.")
        self._city_filters(activities)
        activities.add_argument("--status", choices=ActivityStatus.values, default="")

        for name, verb in (("open", "Open a planned"), ("close", "Close an open")):
            action = sub.add_parser(f"activity-{name}", help=f"{verb} activity.")
            action.add_argument("--id", type=int, required=True, help="The activity's id.")
            if name == "close":
                action.add_argument("--outcome", default=None, help="What came out of it.")

        contributions = sub.add_parser(
            "contributions", help="List contributions with their answers."
        )
        self._city_filters(contributions)
        contributions.add_argument(
            "--unanswered", action="store_true", help="Only those without an answer."
        )

        decisions = sub.add_parser("decisions", help="List decisions and their answers told.")
        self._city_filters(decisions)

        notify = sub.add_parser(
            "notify",
            help="E-mail a decision's answers not yet told.",
            description="E-mail each participant of a decision the answer to their "
            "contribution, with the link to read it online. Answers already told are left "
            "alone; contributions without an e-mail address are listed to be told another way.",
        )
        notify.add_argument("--decision", type=int, required=True, help="The decision's id.")
        notify.add_argument(
            "--base-url",
            default="",
            help="The site's address for the links (default: the CIVITAS_BASE_URL setting).",
        )
        notify.add_argument("--dry-run", action="store_true", help="Only list what would be sent.")

        grievances = sub.add_parser("grievances", help="List grievances.")
        self._city_filters(grievances)
        grievances.add_argument("--status", choices=GrievanceStatus.values, default="")
        grievances.add_argument(
            "--overdue", action="store_true", help="Only those past their due date."
        )

        grievance = sub.add_parser("grievance", help="Move a grievance on.")
        grievance.add_argument("--id", type=int, required=True, help="The grievance's id.")
        grievance.add_argument("--action", choices=GrievanceAction.values, required=True)
        grievance.add_argument(
            "--note",
            default="",
            help="How it was resolved, the reasons for rejecting it, or why it is appealed.",
        )

        reviews = sub.add_parser("reviews", help="List review schedules.")
        reviews.add_argument("--city", default="", help="Only this city (slug).")
        reviews.add_argument("--overdue", action="store_true", help="Only reviews past due.")
        add_format_argument(reviews, ("table", "json"), default="table")

        review = sub.add_parser("review", help="Record a review of an initiative's engagement.")
        review.add_argument("--initiative", type=int, required=True, help="The initiative's id.")
        review.add_argument("--findings", required=True, help="What the review found.")
        review.add_argument("--changes", default="", help="What was changed as a result.")
        review.add_argument("--held-on", type=_day, default=None, help="YYYY-MM-DD (today).")

        settings = sub.add_parser("settings", help="Show or change a city's engagement settings.")
        settings.add_argument("--city", required=True, help="The slug of the city.")
        settings.add_argument("--disclosure-days", type=int, default=None)
        settings.add_argument("--public-page", type=_switch, default=None, help="on or off")
        settings.add_argument("--grievance-established-on", type=_day, default=None)
        settings.add_argument(
            "--grievance-channels",
            default=None,
            help="Comma-separated: " + ", ".join(Channel.values) + ".",
        )
        settings.add_argument("--grievance-days", type=_positive, default=None)
        settings.add_argument("--grievance-handler", default=None)
        add_format_argument(settings, ("table", "json"), default="table")

    def _city_filters(self, parser: CommandParser) -> None:
        parser.add_argument("--city", required=True, help="The slug of the city.")
        parser.add_argument("--initiative", type=int, default=None, help="Only this initiative.")
        add_format_argument(parser, ("table", "json"), default="table")

    def _output(self, format: str, header: list[str], rows: list[list[Any]]) -> None:
        if format == "json":
            keys = [column.lower().replace(" ", "_") for column in header]
            self.write_json([dict(zip(keys, row, strict=True)) for row in rows])
            return
        for line in table(header, rows):
            self.stdout.write(line)

    # Lists

    def handle_activities(self, **options: Any) -> None:
        city = _city(options["city"])
        activities: Iterable[Any] = activity_list(
            city=city,
            initiative=_initiative(city, options["initiative"]),
            status=options["status"],
        )
        rows = [
            [
                activity.pk, _date(activity.starts_at), activity.status, activity.kind,
                activity.title, activity.initiative.name, activity.invited_count,
                activity.attended_count, activity.contribution_count, activity.disclosure_state,
            ]
            for activity in activities
        ]  # fmt: skip
        header = [
            "Id", "Starts", "Status", "Kind", "Title", "Initiative", "Invited", "Attended",
            "Contributions", "Disclosure",
        ]  # fmt: skip
        self._output(options["format"], header, rows)

    def handle_activity_open(self, **options: Any) -> None:
        activity = activity_open(activity=_record(Activity, options["id"], "activity"), by=None)
        self.stdout.write(f"Opened “{activity.title}”.")

    def handle_activity_close(self, **options: Any) -> None:
        activity = activity_close(
            activity=_record(Activity, options["id"], "activity"),
            by=None,
            outcome=options["outcome"],
        )
        self.stdout.write(f"Closed “{activity.title}”.")

    def handle_contributions(self, **options: Any) -> None:
        city = _city(options["city"])
        contributions = contribution_list(
            city=city,
            initiative=_initiative(city, options["initiative"]),
            answered=False if options["unanswered"] else None,
        )
        rows = []
        for contribution in contributions:
            response = getattr(contribution, "response", None)
            rows.append([
                contribution.pk, _date(contribution.submitted_at), contribution.activity.title,
                contribution.stakeholder.name if contribution.stakeholder else "Citizen",
                contribution.stance, response.outcome if response else "",
                _date(response.communicated_at) if response else "",
            ])  # fmt: skip
        header = ["Id", "Submitted", "Activity", "From", "Stance", "Answer", "Told"]
        self._output(options["format"], header, rows)

    def handle_decisions(self, **options: Any) -> None:
        city = _city(options["city"])
        decisions: Iterable[Any] = decision_list(
            city=city, initiative=_initiative(city, options["initiative"])
        )
        rows = [
            [
                decision.pk, _date(decision.decided_on), decision.title, decision.initiative.name,
                decision.response_count, decision.communicated_count,
                "yes" if decision.is_published else "no",
            ]
            for decision in decisions
        ]  # fmt: skip
        header = ["Id", "Decided", "Title", "Initiative", "Answers", "Told", "Published"]
        self._output(options["format"], header, rows)

    def handle_grievances(self, **options: Any) -> None:
        city = _city(options["city"])
        grievances = grievance_list(
            city=city,
            status=options["status"],
            overdue=options["overdue"],
            initiative=_initiative(city, options["initiative"]),
        )
        today = timezone.localdate()
        rows = [
            [
                grievance.pk, _date(grievance.received_at), grievance.status, _date(grievance.due_on),
                "overdue" if grievance.is_overdue(today) else "", grievance.subject,
            ]
            for grievance in grievances
        ]  # fmt: skip
        self._output(
            options["format"], ["Id", "Received", "Status", "Due", "Late", "Subject"], rows
        )

    def handle_reviews(self, **options: Any) -> None:
        city = _city(options["city"]) if options["city"] else None
        schedules: Iterable[Any] = review_schedule_list(city=city, overdue=options["overdue"])
        today = timezone.localdate()
        rows = [
            [
                schedule.city.slug, schedule.initiative.name, schedule.cadence_days,
                _date(schedule.next_due_on), "overdue" if schedule.next_due_on < today else "",
                _date(schedule.last_review_on),
            ]
            for schedule in schedules
        ]  # fmt: skip
        header = ["City", "Initiative", "Every days", "Next due", "Late", "Last review"]
        self._output(options["format"], header, rows)

    # Changes

    def handle_notify(self, **options: Any) -> None:
        decision = _record(Decision, options["decision"], "decision")
        base_url = options["base_url"] or default_base_url()
        if options["dry_run"]:
            pending = decision.responses.filter(communicated_at__isnull=True).select_related(
                "contribution"
            )
            with_address = [r for r in pending if r.contribution.author_email]
            self.stdout.write(
                f"Would e-mail {len(with_address)} answer(s) of “{decision.title}”; "
                f"{len(pending) - len(with_address)} have no e-mail address."
            )
            return
        result = decision_notify(decision=decision, base_url=base_url, by=None)
        self.stdout.write(
            f"E-mailed {len(result.sent)} answer(s) of “{decision.title}”; "
            f"{len(result.already_told)} already told."
        )
        for response in result.without_email:
            self.stdout.write(
                f"  No e-mail address for contribution {response.contribution_id}: tell the "
                "participant another way and record how."
            )
        for response, error in result.failed:
            self.stderr.write(f"  Could not send contribution {response.contribution_id}: {error}")
        if result.failed:
            fail(f"{len(result.failed)} e-mail(s) could not be sent; run the command again later.")

    def handle_grievance(self, **options: Any) -> None:
        grievance = grievance_act(
            grievance=_record(Grievance, options["id"], "grievance"),
            action=options["action"],
            by=None,
            note=options["note"],
        )
        self.stdout.write(
            f"Grievance {grievance.pk} is now {grievance.get_status_display().lower()}; "
            f"due on {grievance.due_on.isoformat()}."
        )

    def handle_review(self, **options: Any) -> None:
        initiative = _record(Initiative, options["initiative"], "initiative")
        review = review_record(
            initiative=initiative,
            by=None,
            findings=options["findings"],
            changes_made=options["changes"],
            held_on=options["held_on"],
        )
        schedule = getattr(initiative, "review_schedule", None)
        self.stdout.write(f"Recorded the review of {initiative.name} on {review.held_on}.")
        if schedule is not None:
            schedule.refresh_from_db()
            self.stdout.write(f"Next review due on {schedule.next_due_on.isoformat()}.")

    def handle_settings(self, **options: Any) -> None:
        city = _city(options["city"])
        names = {
            "disclosure_days": "disclosure_lead_days",
            "public_page": "public_page",
            "grievance_established_on": "grievance_established_on",
            "grievance_channels": "grievance_channels",
            "grievance_days": "grievance_response_days",
            "grievance_handler": "grievance_handler",
        }
        changes = {field: options[option] for option, field in names.items()}
        changes = {field: value for field, value in changes.items() if value is not None}
        if "grievance_channels" in changes:
            changes["grievance_channels"] = [
                part.strip() for part in changes["grievance_channels"].split(",") if part.strip()
            ]
        city_settings = (
            engagement_settings_update(city=city, by=None, **changes)
            if changes
            else settings_of(city)
        )
        values = {
            "disclosure_lead_days": city_settings.disclosure_lead_days,
            "public_page": city_settings.public_page,
            "grievance_established_on": city_settings.grievance_established_on,
            "grievance_channels": list(city_settings.grievance_channels),
            "grievance_response_days": city_settings.grievance_response_days,
            "grievance_handler": city_settings.grievance_handler,
        }
        if options["format"] == "json":
            self.write_json(values)
            return
        for name, value in values.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            self.stdout.write(f"{name.replace('_', ' ')}: {'' if shown is None else shown}")
