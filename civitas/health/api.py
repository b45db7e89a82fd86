"""API for health checks: the checks, runs (start one, list, read) and the city's thresholds."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from civitas.cities.api import city_of
from civitas.cities.models import Initiative
from civitas.core.errors import ValidationError
from civitas.core.schemas import ERRORS, CitySlug, ErrorOut, ObjectId, acting_user
from civitas.health.checks import CHECKS
from civitas.health.models import HealthRun
from civitas.health.selectors import run_as_dict, run_detail, run_history, thresholds_of
from civitas.health.services import health_run, thresholds_update

router = Router(tags=["health"])

HEALTH = "/cities/{slug}/health"


class CheckOut(Schema):
    id: str
    clause: str
    title: str


class FindingOut(Schema):
    check: str
    clause: str
    title: str
    status: str = Field(description="met, at_risk, not_met or not_applicable.")
    score: int | None = Field(description="0–100; null when the check did not apply.")
    change: int | None = Field(description="Score change since the previous run.")
    evidence: dict[str, Any]
    recommendation: str


class RunOut(Schema):
    id: int
    city: str
    initiative: int | None
    run_at: datetime
    overall_score: int | None
    overall_change: int | None
    thresholds: dict[str, int]
    findings: list[FindingOut]


class RunSummaryOut(Schema):
    id: int
    initiative: int | None = Field(alias="initiative_id")
    run_at: datetime
    overall_score: int | None


class RunIn(Schema):
    initiative: int | None = Field(
        default=None, description="The initiative to check; leave out for the whole city."
    )


class RunFilters(Schema):
    initiative: int | None = Field(default=None, description="Runs of this initiative only.")


class ThresholdsOut(Schema):
    version: int
    met_from: int
    at_risk_from: int
    dominance_percent: int
    concentration_limit: int
    civic_share_percent: int
    answer_days: int
    activities_per_decision: int
    high_power_from: int


class ThresholdsIn(Schema):
    version: int | None = None
    met_from: int | None = None
    at_risk_from: int | None = None
    dominance_percent: int | None = None
    concentration_limit: int | None = None
    civic_share_percent: int | None = None
    answer_days: int | None = None
    activities_per_decision: int | None = None
    high_power_from: int | None = None


def _initiative(city: Any, pk: int | None) -> Initiative | None:
    if pk is None:
        return None
    initiative = Initiative.objects.filter(city=city, pk=pk).first()
    if initiative is None:
        raise ValidationError(
            {"initiative": [f"There is no initiative with the id {pk} in this city."]}
        )
    return initiative


@router.get(HEALTH + "/checks", response={200: list[CheckOut], **ERRORS}, summary="List the checks")
def check_list(request: HttpRequest, slug: CitySlug) -> list[dict[str, str]]:
    """List the checks a health run makes, with the clause each comes from."""
    city_of(request, slug, "health.view_health")
    return [{"id": c.id, "clause": c.clause, "title": c.title} for c in CHECKS]


@router.post(HEALTH + "/runs", response={201: RunOut, **ERRORS}, summary="Run the health check")
def run_add(request: HttpRequest, slug: CitySlug, payload: RunIn) -> Status[dict[str, Any]]:
    """Run every check on an initiative (or the whole city) and store the result."""
    city = city_of(request, slug, "health.view_health")
    initiative = _initiative(city, payload.initiative)
    run = health_run(by=acting_user(request), initiative=initiative, city=city)
    return Status(201, run_as_dict(run_detail(city=city, pk=run.pk)))


@router.get(HEALTH + "/runs", response={200: list[RunSummaryOut], **ERRORS}, summary="List runs")
def run_list(request: HttpRequest, slug: CitySlug, filters: Query[RunFilters]) -> list[HealthRun]:
    """List the stored runs of an initiative (or of the whole city), newest first."""
    city = city_of(request, slug, "health.view_health")
    initiative = _initiative(city, filters.initiative)
    return list(run_history(city=city, initiative=initiative)[:100])


@router.get(HEALTH + "/runs/{run_id}", response={200: RunOut, **ERRORS}, summary="Read a run")
def run_get(request: HttpRequest, slug: CitySlug, run_id: ObjectId) -> dict[str, Any]:
    """Return one run with its findings and the change since the run before it."""
    city = city_of(request, slug, "health.view_health")
    return run_as_dict(run_detail(city=city, pk=run_id))


@router.get(HEALTH + "/thresholds", response={200: ThresholdsOut, **ERRORS}, summary="Thresholds")
def thresholds_get(request: HttpRequest, slug: CitySlug) -> Any:
    """Return the thresholds the city's checks use (the defaults until an owner sets them)."""
    return thresholds_of(city_of(request, slug, "health.view_health"))


@router.patch(
    HEALTH + "/thresholds",
    response={200: ThresholdsOut, 409: ErrorOut, **ERRORS},
    summary="Change thresholds",
)
def thresholds_patch(request: HttpRequest, slug: CitySlug, payload: ThresholdsIn) -> Any:
    """Change some of the city's thresholds (owners)."""
    city = city_of(request, slug, "health.view_health")
    changes = payload.model_dump(exclude_none=True)
    version = changes.pop("version", None)
    return thresholds_update(
        city=city, by=acting_user(request), expected_version=version, **changes
    )
