"""Reads for health checks: thresholds, the latest and previous runs, and run history."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from civitas.cities.models import City, Initiative
from civitas.health.models import HealthFinding, HealthRun, HealthThresholds


def thresholds_of(city: City) -> HealthThresholds:
    """Return the city's thresholds; a city that never set them gets the defaults, unsaved."""
    found = HealthThresholds.objects.filter(city=city).first()
    return found if found is not None else HealthThresholds(city=city)


def run_history(*, city: City, initiative: Initiative | None = None) -> QuerySet[HealthRun]:
    """Return the runs of an initiative (or of the whole city when None), newest first."""
    return (
        HealthRun.objects.filter(city=city, initiative=initiative)
        .select_related("run_by", "initiative")
        .order_by("-run_at", "-id")
    )


def _with_findings(runs: QuerySet[HealthRun]) -> QuerySet[HealthRun]:
    return runs.prefetch_related(
        Prefetch("findings", queryset=HealthFinding.objects.order_by("position", "id"))
    )


def latest_run(*, city: City, initiative: Initiative | None = None) -> HealthRun | None:
    """Return the newest run with its findings."""
    return _with_findings(run_history(city=city, initiative=initiative)).first()


def run_detail(*, city: City, pk: int) -> HealthRun:
    """Return one run of the city with its findings, or raise HealthRun.DoesNotExist."""
    return _with_findings(
        HealthRun.objects.filter(city=city).select_related("run_by", "initiative", "city")
    ).get(pk=pk)


def previous_run(run: HealthRun) -> HealthRun | None:
    """Return the run of the same scope just before this one, with its findings."""
    earlier = (
        run_history(city=run.city, initiative=run.initiative)
        .filter(run_at__lte=run.run_at)
        .exclude(pk=run.pk)
        .exclude(run_at=run.run_at, id__gt=run.pk)
    )
    return _with_findings(earlier).first()


@dataclass(frozen=True)
class Trend:
    """How a score moved since the previous run (None: no earlier run or not comparable)."""

    overall: int | None
    per_check: dict[str, int | None]


def trend(run: HealthRun, previous: HealthRun | None) -> Trend:
    """Return the change of the overall score and of each check's score since `previous`."""
    if previous is None:
        return Trend(None, {f.check_id: None for f in run.findings.all()})
    before = {f.check_id: f.score for f in previous.findings.all()}
    per_check: dict[str, int | None] = {}
    for finding in run.findings.all():
        old = before.get(finding.check_id)
        per_check[finding.check_id] = (
            None if old is None or finding.score is None else finding.score - old
        )
    overall = (
        None
        if run.overall_score is None or previous.overall_score is None
        else run.overall_score - previous.overall_score
    )
    return Trend(overall, per_check)


def run_as_dict(run: HealthRun) -> dict[str, Any]:
    """Return a stored run as plain data, with the change since the run before (JSON of
    the CLI and the API)."""
    change = trend(run, previous_run(run))
    return {
        "id": run.pk,
        "city": run.city.slug,
        "initiative": run.initiative_id,
        "run_at": run.run_at.isoformat(),
        "overall_score": run.overall_score,
        "overall_change": change.overall,
        "thresholds": run.thresholds,
        "findings": [
            {
                "check": f.check_id,
                "clause": f.clause,
                "title": f.title,
                "status": f.status,
                "score": f.score,
                "change": change.per_check.get(f.check_id),
                "evidence": f.evidence,
                "recommendation": f.recommendation,
            }
            for f in run.findings.all()
        ],
    }
