"""`civitas check completeness --city SLUG`, beside Django's own system checks.

This command takes over the name `check`, so it keeps Django's system checks
(`civitas check`, `civitas check --deploy`) and adds the registry's completeness check
as the word `completeness` where Django expects app labels.
"""

import json
from typing import Any

from django.core.management.base import CommandParser
from django.core.management.commands.check import Command as SystemCheckCommand

from civitas.cities.models import City
from civitas.core.cli import CommandErrorsMixin, fail
from civitas.health.cli import check_health
from civitas.stakeholders.models import Stakeholder, ValidationStep
from civitas.stakeholders.selectors import Completeness, completeness_check

COMPLETENESS = "completeness"
HEALTH = "health"


class Command(CommandErrorsMixin, SystemCheckCommand):
    help = (
        "Check a city's stakeholder registry (`check completeness --city SLUG`), its "
        "engagement (`check health --initiative ID [--strict]`), "
        "or run Django's system checks (`check [--deploy] [app_label ...]`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--city", default="", help="With `completeness`: the slug of the city to check."
        )
        parser.add_argument(
            "--format",
            choices=("table", "json"),
            default="table",
            help="With `completeness`: output format, table or json (default: table).",
        )
        parser.add_argument(
            "--initiative", type=int, default=None, help="With `health`: the initiative's id."
        )
        parser.add_argument(
            "--strict", action="store_true", help="With `health`: exit 1 when a check is not met."
        )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        if app_labels and app_labels[0] == HEALTH:
            if len(app_labels) > 1:
                fail(f"Unexpected words after `health`: {' '.join(app_labels[1:])}.")
            check_health(self, options)
            return
        if options["initiative"] is not None or options["strict"]:
            fail("--initiative and --strict go with `civitas check health`.")
        if not app_labels or app_labels[0] != COMPLETENESS:
            if options["city"] or options["format"] != "table":
                fail("--city and --format go with `civitas check completeness`.")
            super().handle(*app_labels, **options)
            return
        if len(app_labels) > 1:
            fail(f"Unexpected words after `completeness`: {' '.join(app_labels[1:])}.")
        if not options["city"]:
            fail("Say which city to check: `civitas check completeness --city SLUG`.")
        city = City.objects.filter(slug=options["city"]).first()
        if city is None:
            fail(f"No city with the slug '{options['city']}'.")
        result = completeness_check(city=city)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        else:
            for line in completeness_lines(city, result):
                self.stdout.write(line)


def _stakeholder(stakeholder: Stakeholder) -> str:
    return f"  - {stakeholder.name} ({stakeholder.type.name})"


def completeness_lines(city: City, result: Completeness) -> list[str]:
    """Return the completeness check as text for a terminal."""
    verdict = "complete" if result.is_complete else "not complete yet"
    lines = [f"{city.name} ({city.slug}): {result.stakeholder_count} stakeholders, {verdict}."]

    def section(title: str, items: list[str]) -> None:
        lines.append("")
        lines.append(f"{title} ({len(items)}):" if items else f"{title}: none.")
        lines.extend(items)

    section(
        "Generic types with no stakeholder yet",
        [f"  - {t.code}: {t.name}" for t in result.missing_types],
    )
    section(
        "Units with no stakeholder yet",
        [f"  - {t.code}: {t.name}" for t in result.missing_units],
    )
    section(
        "Stakeholders not categorized in any initiative",
        [_stakeholder(s) for s in result.uncategorized],
    )
    section(
        "Stakeholders with no analysis-matrix item of the city's own",
        [_stakeholder(s) for s in result.without_own_matrix],
    )
    labels = dict(ValidationStep.choices)
    section(
        "Stakeholders with validation steps still to do",
        [
            f"{_stakeholder(s)}: "
            + ", ".join(step for step in ValidationStep.values if step not in s.validation_steps)
            for s in result.unvalidated
        ],
    )
    lines.append("")
    lines.append("Validation steps done (§3.1):")
    for step, count in result.steps_done.items():
        lines.append(f"  {count:>4} / {result.stakeholder_count}  {labels.get(step, step)}")
    if result.placeholders:
        section(
            "Placeholders still to rename, merge or archive",
            [_stakeholder(s) for s in result.placeholders],
        )
    return lines
