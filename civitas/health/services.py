"""Writes for health checks: run one and store it, set a city's thresholds."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.concurrency import claim_version
from civitas.core.errors import ValidationError
from civitas.core.permissions import require
from civitas.health.checks import CHECKS, Scope, status_for
from civitas.health.models import THRESHOLD_FIELDS, HealthFinding, HealthRun, HealthThresholds
from civitas.health.selectors import thresholds_of


@transaction.atomic
def health_run(
    *, by: User | None, initiative: Initiative | None = None, city: City | None = None
) -> HealthRun:
    """Run every check on an initiative (or a whole city) and store the findings."""
    if initiative is not None:
        if city is not None and initiative.city_id != city.pk:
            raise ValidationError({"initiative": ["This initiative belongs to another city."]})
        city = initiative.city
    if city is None:
        raise ValidationError({"initiative": ["Say which initiative or city to check."]})
    if by is not None:
        require(by, "health.run_health", city)
    thresholds = thresholds_of(city)
    scope = Scope.of(city, initiative, thresholds)
    run = HealthRun.objects.create(
        city=city,
        initiative=initiative,
        run_at=timezone.now(),
        run_by=by,
        thresholds={**thresholds.as_dict(), "disclosure_lead_days": scope.disclosure_lead_days},
    )
    findings = []
    for position, check in enumerate(CHECKS):
        result = check.run(scope)
        score = None if result.score is None else round(max(0.0, min(100.0, result.score)))
        findings.append(
            HealthFinding(
                run=run,
                check_id=check.id,
                clause=check.clause,
                title=check.title,
                status=status_for(score, thresholds),
                score=score,
                evidence={"figures": result.figures},
                recommendation=result.recommendation,
                position=position,
            )
        )
    HealthFinding.objects.bulk_create(findings)
    scores = [f.score for f in findings if f.score is not None]
    run.overall_score = round(sum(scores) / len(scores)) if scores else None
    run.save(update_fields=["overall_score"])
    return run


@transaction.atomic
def thresholds_update(
    *, city: City, by: User | None, expected_version: int | None = None, **changes: Any
) -> HealthThresholds:
    """Change the cut-offs a city's health checks use."""
    if by is not None:
        require(by, "health.change_thresholds", city)
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(changes) - set(THRESHOLD_FIELDS))
    if unknown:
        raise ValidationError({name: ["There is no such threshold."] for name in unknown})
    thresholds = HealthThresholds.objects.select_for_update().filter(city=city).first()
    if thresholds is None:
        thresholds = HealthThresholds(city=city)
    for name, value in changes.items():
        setattr(thresholds, name, value)
    try:
        thresholds.clean_fields(exclude=["city"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if not errors:
        if not 0 <= thresholds.at_risk_from < thresholds.met_from <= 100:
            errors["at_risk_from"] = [
                "The 'at risk' cut-off must be below the 'met' one, and both 100 at most."
            ]
        for name, low, high in (
            ("dominance_percent", 1, 100),
            ("civic_share_percent", 0, 100),
            ("concentration_limit", 1, 10000),
            ("high_power_from", 1, 5),
        ):
            if not low <= getattr(thresholds, name) <= high:
                errors[name] = [f"Give a number from {low} to {high}."]
        for name in ("answer_days", "activities_per_decision"):
            if getattr(thresholds, name) < 1:
                errors[name] = ["Give a number of at least 1."]
    if errors:
        raise ValidationError(errors)
    if thresholds.pk is not None:
        claim_version(thresholds, expected_version)
    thresholds.save()
    return thresholds
