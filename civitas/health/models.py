"""Stored health-check runs, their findings, and each city's thresholds (§4.2, §4.2.1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from civitas.core.models import VersionedModel


class Status(models.TextChoices):
    MET = "met", "Met"
    AT_RISK = "at_risk", "At risk"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# Defaults of HealthThresholds, each with the reason it was chosen.
# A score of 80 or more means the practice is in place with only minor gaps.
DEFAULT_MET_FROM = 80
# Below 50 more than half of what the Supplement asks for is missing.
DEFAULT_AT_RISK_FROM = 50
# When one group brings more than 40 % of what is said, others are outweighed (§4.2 first pitfall).
DEFAULT_DOMINANCE_PERCENT = 40
# A Herfindahl–Hirschman index above 2,500 (0–10,000 scale) is the usual "highly
# concentrated" mark: a few stakeholders account for most contributions.
DEFAULT_CONCENTRATION_LIMIT = 2500
# Citizens and civil society should bring at least a fifth of contributions (§4.2 third pitfall).
DEFAULT_CIVIC_SHARE_PERCENT = 20
# A month is the usual time a public body gives itself to answer a letter (§4.2.1 second value).
DEFAULT_ANSWER_DAYS = 30
# More than four activities per decision suggests consultation without conclusion (§4.2 second
# pitfall: a process that turns bureaucratic and labour intensive).
DEFAULT_ACTIVITIES_PER_DECISION = 4
# Power of 3 or more on the 0–5 scales is "high" on the power–interest grid (GRID_THRESHOLD).
DEFAULT_HIGH_POWER_FROM = 3


class HealthThresholds(VersionedModel):
    """The cut-offs a city's health checks use; unsaved defaults when never set."""

    city = models.OneToOneField(
        "cities.City", on_delete=models.CASCADE, related_name="health_thresholds"
    )
    met_from = models.PositiveSmallIntegerField(
        default=DEFAULT_MET_FROM, help_text="A check with at least this score is met."
    )
    at_risk_from = models.PositiveSmallIntegerField(
        default=DEFAULT_AT_RISK_FROM,
        help_text="A check with at least this score (and below the one above) is at risk.",
    )
    dominance_percent = models.PositiveSmallIntegerField(
        default=DEFAULT_DOMINANCE_PERCENT,
        help_text="Share of contributions above which one group or stakeholder dominates.",
    )
    concentration_limit = models.PositiveSmallIntegerField(
        default=DEFAULT_CONCENTRATION_LIMIT,
        help_text="Concentration index (0 to 10,000) above which few stakeholders dominate.",
    )
    civic_share_percent = models.PositiveSmallIntegerField(
        default=DEFAULT_CIVIC_SHARE_PERCENT,
        help_text="Share of contributions citizens and civil society should bring at least.",
    )
    answer_days = models.PositiveSmallIntegerField(
        default=DEFAULT_ANSWER_DAYS,
        help_text="Days within which a contribution should be answered.",
    )
    activities_per_decision = models.PositiveSmallIntegerField(
        default=DEFAULT_ACTIVITIES_PER_DECISION,
        help_text="Activities per decision above which the process turns bureaucratic.",
    )
    high_power_from = models.PositiveSmallIntegerField(
        default=DEFAULT_HIGH_POWER_FROM,
        help_text="Power (0 to 5, money or administration) from which a stakeholder counts "
        "as powerful.",
    )

    class Meta:
        verbose_name = "health thresholds"
        verbose_name_plural = "health thresholds"
        constraints = [
            models.CheckConstraint(
                condition=Q(met_from__lte=100) & Q(at_risk_from__lt=models.F("met_from")),
                name="health_thresholds_cut_offs_ordered",
            ),
            models.CheckConstraint(
                condition=Q(dominance_percent__gte=1, dominance_percent__lte=100)
                & Q(civic_share_percent__lte=100)
                & Q(concentration_limit__gte=1, concentration_limit__lte=10000)
                & Q(answer_days__gte=1)
                & Q(activities_per_decision__gte=1)
                & Q(high_power_from__gte=1, high_power_from__lte=5),
                name="health_thresholds_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Health thresholds of {self.city}"

    def as_dict(self) -> dict[str, int]:
        """Return the thresholds as stored with a run."""
        return {name: getattr(self, name) for name in THRESHOLD_FIELDS}


THRESHOLD_FIELDS = (
    "met_from",
    "at_risk_from",
    "dominance_percent",
    "concentration_limit",
    "civic_share_percent",
    "answer_days",
    "activities_per_decision",
    "high_power_from",
)


class HealthRun(models.Model):
    """One health check of a city's engagement, or of one initiative's."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="health_runs")
    initiative = models.ForeignKey(
        "cities.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="health_runs",
        help_text="Empty when the whole city was checked.",
    )
    run_at = models.DateTimeField(default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overall_score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Mean score (0–100) of the checks that applied."
    )
    thresholds = models.JSONField(default=dict, help_text="The thresholds this run used.")

    class Meta:
        ordering = ["-run_at", "-id"]
        indexes = [models.Index(fields=["city", "initiative", "run_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | Q(overall_score__lte=100),
                name="health_run_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        scope = self.initiative or self.city
        return f"Health check of {scope} at {self.run_at:%Y-%m-%d %H:%M}"


class HealthFinding(models.Model):
    """What one check found in a run: status, score, evidence and what to do."""

    run = models.ForeignKey(HealthRun, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField(max_length=40)
    clause = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="0–100; empty when the check did not apply."
    )
    evidence = models.JSONField(default=dict)
    recommendation = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["run", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "check_id"], name="health_finding_one_per_check"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="health_finding_score_0_100",
            ),
            models.CheckConstraint(
                condition=Q(status="not_applicable", score__isnull=True)
                | (~Q(status="not_applicable") & Q(score__isnull=False)),
                name="health_finding_score_unless_not_applicable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.get_status_display()}"
