"""`civitas check health --initiative ID | --city SLUG --format json|table [--strict]`."""

import json
from typing import Any

from django.core.management.base import CommandError

from civitas.cities.models import City, Initiative
from civitas.core.cli import fail
from civitas.health.models import HealthRun, Status
from civitas.health.selectors import run_as_dict, run_detail
from civitas.health.services import health_run

# Exit status with --strict when at least one check is not met.
NOT_MET_EXIT = 1


def _value(entry: dict[str, Any]) -> str:
    value = entry["value"]
    if isinstance(value, list):
        return f"{len(value)} rows"
    return f"{value}{' ' + entry['unit'] if entry.get('unit') else ''}"


def run_lines(run: HealthRun) -> list[str]:
    """Return a run as a table for a terminal."""
    scope = run.initiative.name if run.initiative else f"{run.city.name} (whole city)"
    overall = "n/a" if run.overall_score is None else run.overall_score
    lines = [f"Engagement health of {scope}: {overall} / 100", ""]
    lines.append(f"{'check':14} {'status':15} {'score':>5}  clause")
    for finding in run.findings.all():
        score = "-" if finding.score is None else str(finding.score)
        lines.append(
            f"{finding.check_id:14} {finding.get_status_display():15} {score:>5}  {finding.clause}"
        )
    for finding in run.findings.all():
        lines.append("")
        lines.append(f"{finding.title} ({finding.get_status_display().lower()})")
        for entry in finding.evidence.get("figures", []):
            lines.append(f"  {entry['label']}: {_value(entry)}")
        lines.append(f"  → {finding.recommendation}")
    return lines


def check_health(command: Any, options: dict[str, Any]) -> None:
    """Run the health check the options name, print it, and exit 1 under --strict if not met."""
    initiative_id, slug = options.get("initiative"), options.get("city") or ""
    if initiative_id is None and not slug:
        fail("Say what to check: `civitas check health --initiative ID` (or --city SLUG).")
    city = initiative = None
    if initiative_id is not None:
        initiative = Initiative.objects.select_related("city").filter(pk=initiative_id).first()
        if initiative is None:
            fail(f"No initiative with the id {initiative_id}.")
        if slug and initiative.city.slug != slug:
            fail(f"Initiative {initiative_id} does not belong to the city '{slug}'.")
    else:
        city = City.objects.filter(slug=slug).first()
        if city is None:
            fail(f"No city with the slug '{slug}'.")
    run = health_run(by=None, initiative=initiative, city=city)
    run = run_detail(city=run.city, pk=run.pk)  # with its findings, read once
    if options["format"] == "json":
        command.stdout.write(json.dumps(run_as_dict(run), indent=2, ensure_ascii=False))
    else:
        for line in run_lines(run):
            command.stdout.write(line)
    if options.get("strict") and any(f.status == Status.NOT_MET for f in run.findings.all()):
        raise CommandError("At least one check is not met.", returncode=NOT_MET_EXIT)
