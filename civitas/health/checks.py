"""The health checks of engagement against §4.2 (pitfalls, principles) and §4.2.1 (core values).

Each check is one function taking a Scope and returning a Result: a score from 0 to 100
(None when there is nothing to judge), figures with references to the records behind
them, and a recommendation. Figures come from database aggregation (Count, Exists,
values().annotate()); Python only combines the few numbers the database returns, or
walks rows grouped per stakeholder or per activity, never the contributions themselves.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from civitas.cities.models import City, Initiative
from civitas.core.vocabulary import LfaRole, MatrixDimension, Sector
from civitas.engagement.models import (
    CONSULTATIVE_KINDS,
    DIGITAL_CHANNELS,
    OPEN_GRIEVANCE_STATUSES,
    Activity,
    ActivityStatus,
    Channel,
    Contribution,
    Decision,
    Grievance,
    Outcome,
    Participation,
    ParticipationStatus,
    Response,
    Review,
    ReviewSchedule,
    Stance,
)
from civitas.engagement.services import settings_of
from civitas.health.models import HealthThresholds, Status
from civitas.stakeholders.models import Categorization, MatrixItem, Stakeholder

# How many records a figure lists for drill-down; the total is always given.
SHOWN_RECORDS = 50
# The levels §4.2 names in its first principle.
LEVELS_ASKED = ("local", "sub_national", "national")
AFFECTED_ROLES = (LfaRole.POTENTIAL_SUPPORTER, LfaRole.POTENTIAL_OPPONENT)
ACCEPTED_OUTCOMES = (Outcome.ACCEPTED, Outcome.PARTLY_ACCEPTED)
NON_DIGITAL_CHANNELS = tuple(c for c in Channel.values if c not in DIGITAL_CHANNELS)
CIVIC_SECTORS = (Sector.CITIZENS, Sector.CIVIL_SOCIETY)
# The counts over contributions the checks share: those the database counts per author...
GROUP_COUNTS = ("total", "answered", "in_time", "waiting", "told", "accepted")
# ...and those added up from the authors' sector and power.
FIGURE_NAMES = (
    *GROUP_COUNTS,
    "civic",
    "from_stakeholders",
    "private",
    "high",
    "accepted_high",
    "accepted_private",
)

STAKEHOLDER = "stakeholders.stakeholder"
ACTIVITY = "engagement.activity"
CONTRIBUTION = "engagement.contribution"
GRIEVANCE = "engagement.grievance"
DECISION = "engagement.decision"
INITIATIVE = "cities.initiative"


@dataclass
class Scope:
    """What a run looks at: a city, or one of its initiatives, with the thresholds to apply."""

    city: City
    initiative: Initiative | None
    thresholds: HealthThresholds
    today: date
    disclosure_lead_days: int
    _figures: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)
    _per_author: list[tuple[int, int]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    @classmethod
    def of(cls, city: City, initiative: Initiative | None, thresholds: HealthThresholds) -> "Scope":
        return cls(
            city=city,
            initiative=initiative,
            thresholds=thresholds,
            today=timezone.localdate(),
            disclosure_lead_days=settings_of(city).disclosure_lead_days,
        )

    def narrow(self, queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
        """Filter a queryset to the initiative if set, else to the city (through `prefix`).

        An initiative belongs to one city (health_run checks it), so its records need no
        city filter; leaving it out lets the database answer from an index alone.
        """
        if self.initiative is not None:
            return queryset.filter(**{f"{prefix}initiative": self.initiative})
        return queryset.filter(**{f"{prefix}city": self.city})

    def activities(self) -> QuerySet[Activity]:
        return self.narrow(Activity.objects.all())

    def participations(self) -> QuerySet[Participation]:
        return self.narrow(Participation.objects.all(), "activity__")

    def contributions(self) -> QuerySet[Contribution]:
        return self.narrow(Contribution.objects.all())

    def decisions(self) -> QuerySet[Decision]:
        return self.narrow(Decision.objects.all())

    def responses(self) -> QuerySet[Response]:
        return self.narrow(Response.objects.all(), "contribution__")

    def grievances(self) -> QuerySet[Grievance]:
        return self.narrow(Grievance.objects.all())

    def categorizations(self) -> QuerySet[Categorization]:
        queryset = Categorization.objects.filter(
            initiative__city=self.city, stakeholder__archived_at__isnull=True
        )
        if self.initiative is not None:
            queryset = queryset.filter(initiative=self.initiative)
        return queryset

    def stakeholders(self) -> QuerySet[Stakeholder]:
        return Stakeholder.objects.filter(city=self.city, archived_at__isnull=True)

    def high_power_q(self) -> Q:
        """Return the condition on a categorization that marks a high-power stakeholder."""
        limit = self.thresholds.high_power_from
        return Q(power_monetary__gte=limit) | Q(power_administrative__gte=limit)

    def contribution_figures(self) -> dict[str, int]:
        """Return every count over contributions the checks need, kept per run.

        One query counts the contributions and their answers per author and initiative;
        Python then adds up those groups (one per stakeholder and initiative at most, never
        one per contribution) by the author's sector and power. Grouping spares the
        database a sector or power lookup for each contribution.
        """
        if self._figures is None:
            self._figures, self._per_author = self._count_contributions()
        return self._figures

    def contributions_per_author(self) -> list[tuple[int, int]]:
        """Return (stakeholder id, contributions) pairs, the most contributions first."""
        self.contribution_figures()
        return self._per_author

    def _count_contributions(self) -> tuple[dict[str, int], list[tuple[int, int]]]:
        days = self.thresholds.answer_days
        waiting_since = timezone.now() - timedelta(days=days)
        groups = (
            self.contributions()
            .order_by()
            .values("initiative", "stakeholder")
            .annotate(
                total=Count("pk"),
                answered=Count("response"),
                in_time=Count(
                    "pk",
                    # The null test first spares the date arithmetic on unanswered rows.
                    filter=Q(response__answered_at__isnull=False)
                    & Q(WithinDays(F("response__answered_at"), F("submitted_at"), days)),
                ),
                waiting=Count(
                    "pk", filter=Q(response__isnull=True, submitted_at__lt=waiting_since)
                ),
                told=Count("pk", filter=Q(response__communicated_at__isnull=False)),
                accepted=Count("pk", filter=Q(response__outcome__in=ACCEPTED_OUTCOMES)),
            )
        )
        sector_of = dict(Stakeholder.objects.filter(city=self.city).values_list("pk", "sector"))
        powerful = set(
            self.categorizations()
            .filter(self.high_power_q())
            .values_list("stakeholder", "initiative")
        )
        figures = dict.fromkeys(FIGURE_NAMES, 0)
        per_author: dict[int, int] = {}
        for group in cast(Iterable[Mapping[str, Any]], groups):
            author, total, accepted = group["stakeholder"], group["total"], group["accepted"]
            for name in GROUP_COUNTS:
                figures[name] += group[name]
            if author is None or sector_of.get(author) in CIVIC_SECTORS:
                figures["civic"] += total
            if author is None:
                continue
            figures["from_stakeholders"] += total
            per_author[author] = per_author.get(author, 0) + total
            if sector_of.get(author) == Sector.PRIVATE:
                figures["private"] += total
                figures["accepted_private"] += accepted
            if (author, group["initiative"]) in powerful:
                figures["high"] += total
                figures["accepted_high"] += accepted
        ranked = sorted(per_author.items(), key=lambda pair: (-pair[1], pair[0]))
        return figures, ranked


class WithinDays(Func):
    """True when `end` falls at most `days` whole days after `start`, exact to the microsecond.

    On PostgreSQL, plain interval arithmetic. On SQLite, where Django's date arithmetic calls
    back into Python for every row and strftime() shifting is slow, the test is done on
    integer seconds: with d = whole seconds from start to end minus the limit, the real
    excess is d plus the difference of the fractions, which lies in (-1, 1). So the end is
    in time when d < 0, or d = 0 and its fraction is no larger than the start's; that is,
    when 2*d + (fraction of end > fraction of start) <= 0. Date-times are stored as UTC text
    "YYYY-MM-DD HH:MM:SS[.ffffff]", so the fractions compare as strings.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, end: Any, start: Any, days: int) -> None:
        super().__init__(end, start)
        self.days = int(days)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, Any]:
        end, start = self.source_expressions
        end_sql, end_params = compiler.compile(end)
        deadline = ExpressionWrapper(start + Value(timedelta(days=self.days)), DateTimeField())
        deadline_sql, deadline_params = compiler.compile(deadline)
        return f"({end_sql} <= {deadline_sql})", (*end_params, *deadline_params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        # unixepoch() came with SQLite 3.38; strftime('%s') gives the same, more slowly.
        seconds = (
            "unixepoch({})"
            if connection.Database.sqlite_version_info >= (3, 38)
            else "CAST(strftime('%%s', {}) AS INTEGER)"
        )
        sql = (
            f"(2 * ({seconds.format(end_sql)} - {seconds.format(start_sql)} - %s)"
            f" + (substr({end_sql}, 20) > substr({start_sql}, 20)) <= 0)"
        )
        return sql, (*end_params, *start_params, self.days * 86_400, *end_params, *start_params)


@dataclass
class Result:
    score: float | None
    figures: list[dict[str, Any]] = field(default_factory=list)
    recommendation: str = ""


@dataclass(frozen=True)
class Check:
    id: str
    clause: str
    title: str
    run: Callable[[Scope], Result]


def status_for(score: float | None, thresholds: HealthThresholds) -> str:
    """Return the status a score earns under the city's cut-offs."""
    if score is None:
        return Status.NOT_APPLICABLE
    if score >= thresholds.met_from:
        return Status.MET
    if score >= thresholds.at_risk_from:
        return Status.AT_RISK
    return Status.NOT_MET


def percent(part: int | float, whole: int | float) -> float:
    return 100.0 * part / whole if whole else 0.0


def mean(parts: list[float]) -> float | None:
    return sum(parts) / len(parts) if parts else None


def clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def records(
    model: str, queryset: QuerySet[Any], label: str = "name", total: int | None = None
) -> dict[str, Any]:
    """Return a drill-down reference: the model, the total and the first records' ids and labels.

    Give `total` when it is already known, to spare counting the records again.
    """
    rows = list(queryset.order_by("pk").values_list("pk", label)[:SHOWN_RECORDS])
    if total is None:
        total = len(rows) if len(rows) < SHOWN_RECORDS else queryset.count()
    return {
        "model": model,
        "total": total,
        "items": [{"id": pk, "label": str(text)} for pk, text in rows],
    }


def figure(
    label: str, value: Any, unit: str = "", refs: dict[str, Any] | None = None
) -> dict[str, Any]:
    entry: dict[str, Any] = {"label": label, "value": value}
    if unit:
        entry["unit"] = unit
    if refs is not None:
        entry["records"] = refs
    return entry


def advice(weak: list[str], good: str) -> str:
    return " ".join(weak) if weak else good


# §4.2 first principle -------------------------------------------------------------------


def diversity(scope: Scope) -> Result:
    """Count catalogue types and levels among the stakeholders invited and those who took part."""
    invited = scope.participations()
    level_counts = {
        f"{group}_{level}": Count(
            "stakeholder", distinct=True, filter=Q(stakeholder__levels__has=level) & condition
        )
        for level in LEVELS_ASKED
        for group, condition in (
            ("invited", Q()),
            ("attended", Q(status=ParticipationStatus.ATTENDED)),
        )
    }
    counts = invited.aggregate(
        invited=Count("stakeholder", distinct=True),
        invited_types=Count("stakeholder__type", distinct=True),
        attended_types=Count(
            "stakeholder__type", distinct=True, filter=Q(status=ParticipationStatus.ATTENDED)
        ),
        **level_counts,
    )
    if not counts["invited"]:
        return Result(None, [figure("Stakeholders invited", 0)], "Invite stakeholders first.")
    registry_types = scope.stakeholders().values("type").distinct().count()
    invited_levels = [lv for lv in LEVELS_ASKED if counts[f"invited_{lv}"]]
    attended_levels = [lv for lv in LEVELS_ASKED if counts[f"attended_{lv}"]]
    parts = [
        percent(len(invited_levels), len(LEVELS_ASKED)),
        percent(len(attended_levels), len(LEVELS_ASKED)),
        percent(counts["invited_types"], registry_types),
        percent(counts["attended_types"], registry_types),
    ]
    invited_types = invited.values("stakeholder__type")
    missing_levels = [lv for lv in LEVELS_ASKED if lv not in attended_levels]
    figures = [
        figure("Stakeholders invited", counts["invited"]),
        figure("Levels among those invited", ", ".join(invited_levels) or "none"),
        figure("Levels among those who took part", ", ".join(attended_levels) or "none"),
        figure("Catalogue types in the registry", registry_types),
        figure("Catalogue types invited", counts["invited_types"]),
        figure("Catalogue types that took part", counts["attended_types"]),
        figure(
            "Stakeholders of types never invited",
            registry_types - counts["invited_types"],
            refs=records(STAKEHOLDER, scope.stakeholders().exclude(type__in=invited_types)),
        ),
    ]
    weak = []
    if missing_levels:
        weak.append(
            "Bring in stakeholders at the "
            + ", ".join(lv.replace("_", "-") for lv in missing_levels)
            + " level: none of them took part."
        )
    if counts["invited_types"] < registry_types:
        weak.append("Invite stakeholders of the types listed, who were never invited.")
    return Result(
        clamp(sum(parts) / len(parts)),
        figures,
        advice(weak, "Keep inviting a wide range of stakeholders at every level."),
    )


# §4.2 third pitfall, §4.2.1 fifth value -------------------------------------------------


def exclusion(scope: Scope) -> Result:
    """Find stakeholders left out: never invited, affected but not engaged, citizens' share."""
    t = scope.thresholds
    parts: list[float] = []
    figures: list[dict[str, Any]] = []
    weak: list[str] = []
    invited_anywhere = scope.participations().filter(stakeholder=OuterRef("pk"))
    if scope.initiative is not None:
        identified = (
            scope.stakeholders().filter(categorizations__initiative=scope.initiative).distinct()
        )
    else:
        identified = scope.stakeholders()
    never_invited = identified.exclude(Exists(invited_anywhere))
    identified_count = identified.count()
    if identified_count:
        never = records(STAKEHOLDER, never_invited)
        parts.append(100 - percent(never["total"], identified_count))
        figures.append(figure("Stakeholders identified", identified_count))
        figures.append(figure("Identified but never invited", never["total"], refs=never))
        if never["total"]:
            weak.append("Invite the identified stakeholders who were never asked.")

    affected_q = Q(lfa_roles__has=AFFECTED_ROLES[0]) | Q(lfa_roles__has=AFFECTED_ROLES[1])
    affected = scope.categorizations().filter(affected_q)
    affected_count = affected.count()
    if affected_count:
        if scope.initiative is not None:
            # One initiative: who attended and who spoke are two sets, each read once.
            engaged_ids = Participation.objects.filter(
                activity__initiative=scope.initiative, status=ParticipationStatus.ATTENDED
            ).values("stakeholder")
            contributed_ids = Contribution.objects.filter(
                initiative=scope.initiative, stakeholder__isnull=False
            ).values("stakeholder")
            left_out = affected.exclude(stakeholder__in=engaged_ids).exclude(
                stakeholder__in=contributed_ids
            )
        else:
            engaged = Participation.objects.filter(
                activity__initiative=OuterRef("initiative"),
                stakeholder=OuterRef("stakeholder"),
                status=ParticipationStatus.ATTENDED,
            )
            contributed = Contribution.objects.filter(
                initiative=OuterRef("initiative"), stakeholder=OuterRef("stakeholder")
            )
            left_out = affected.exclude(Exists(engaged)).exclude(Exists(contributed))
        left_out_count = left_out.count()
        refs = records(
            STAKEHOLDER,
            scope.stakeholders().filter(pk__in=left_out.values("stakeholder")),
            # One categorization per stakeholder and initiative: the same number.
            total=left_out_count if scope.initiative is not None else None,
        )
        parts.append(100 - percent(left_out_count, affected_count))
        figures.append(figure("Affected stakeholders (categorized)", affected_count))
        figures.append(figure("Affected but never engaged", refs["total"], refs=refs))
        if refs["total"]:
            weak.append("Seek out the affected stakeholders who have not taken part yet.")

    shares = scope.contribution_figures()
    if shares["total"]:
        civic_share = percent(shares["civic"], shares["total"])
        parts.append(clamp(percent(civic_share, t.civic_share_percent)))
        figures.append(
            figure("Contributions from citizens and civil society", round(civic_share, 1), "%")
        )
        figures.append(figure("Share they should bring at least", t.civic_share_percent, "%"))
        if civic_share < t.civic_share_percent:
            weak.append(
                "Reach citizens and civil-society groups: their share of what is said is low."
            )

    citizens_invited = Participation.objects.filter(
        activity=OuterRef("pk"), stakeholder__sector=Sector.CITIZENS
    )
    offline = Q()
    for channel in NON_DIGITAL_CHANNELS:
        offline |= Q(channels__has=channel)
    for_citizens = (
        scope.activities()
        .annotate(citizens_invited=Exists(citizens_invited))
        .filter(Q(is_public=True) | Q(citizens_invited=True))
    )
    citizen_count = for_citizens.count()
    if citizen_count:
        digital_only = for_citizens.exclude(offline)
        refs = records(ACTIVITY, digital_only, "title")
        parts.append(100 - percent(refs["total"], citizen_count))
        figures.append(figure("Activities open to citizens", citizen_count))
        figures.append(figure("Of which only online (§5.10)", refs["total"], refs=refs))
        if refs["total"]:
            weak.append("Offer a way to take part in person, by phone or by post, not only online.")
    return Result(
        mean(parts),
        figures,
        advice(weak, "Keep seeking out those who are affected and those who are easily missed."),
    )


# §4.2 first pitfall ---------------------------------------------------------------------


def power_balance(scope: Scope) -> Result:
    """Measure how much of what is said, and accepted, comes from the powerful and the private sector."""
    t = scope.thresholds
    counts = scope.contribution_figures()
    if not counts["total"]:
        return Result(None, [figure("Contributions", 0)], "Record contributions first.")
    per_stakeholder = scope.contributions_per_author()
    from_stakeholders = counts["from_stakeholders"]
    concentration = round(
        sum((n * 10000 / from_stakeholders) * n / from_stakeholders for _, n in per_stakeholder)
        if from_stakeholders
        else 0
    )
    top_share = percent(per_stakeholder[0][1], counts["total"]) if per_stakeholder else 0.0
    shares = {
        "high_power": percent(counts["high"], counts["total"]),
        "private": percent(counts["private"], counts["total"]),
        "top_stakeholder": top_share,
        "accepted_high_power": percent(counts["accepted_high"], counts["accepted"]),
        "accepted_private": percent(counts["accepted_private"], counts["accepted"]),
    }
    largest = max(shares.values())
    limit = t.dominance_percent
    share_score = 100 if largest <= limit else 100 * (1 - (largest - limit) / (100 - limit or 1))
    climit = t.concentration_limit
    concentration_score = (
        100
        if concentration <= climit
        else 100 * (1 - (concentration - climit) / (10000 - climit or 1))
    )
    dominant = [name for name, share in shares.items() if share > limit]
    top_ids = [pk for pk, _ in per_stakeholder[:10]]
    counts_of = dict(per_stakeholder[:10])
    top_refs = records(STAKEHOLDER, Stakeholder.objects.filter(pk__in=top_ids))
    for item in top_refs["items"]:
        item["label"] += f" ({counts_of[item['id']]} contributions)"
    top_refs["items"].sort(key=lambda item: -counts_of[item["id"]])
    high_refs = records(
        STAKEHOLDER,
        scope.stakeholders().filter(
            pk__in=scope.categorizations().filter(scope.high_power_q()).values("stakeholder")
        ),
    )
    figures = [
        figure("Contributions", counts["total"]),
        figure("From high-power stakeholders", round(shares["high_power"], 1), "%", high_refs),
        figure("From the private sector", round(shares["private"], 1), "%"),
        figure("Accepted contributions", counts["accepted"]),
        figure(
            "Accepted ones from high-power stakeholders",
            round(shares["accepted_high_power"], 1),
            "%",
        ),
        figure("Accepted ones from the private sector", round(shares["accepted_private"], 1), "%"),
        figure("Largest share of one stakeholder", round(top_share, 1), "%", top_refs),
        figure("Concentration index (0–10,000)", concentration),
        figure("Concentration limit", climit),
        figure("Dominance threshold", limit, "%"),
        figure("Dominance found in", ", ".join(d.replace("_", " ") for d in dominant) or "none"),
    ]
    weak = []
    if dominant:
        weak.append(
            "A few voices outweigh the others: give more room to less powerful groups, "
            "for instance separate sessions for citizens and civil society."
        )
    if concentration > climit:
        weak.append("Most contributions come from a few stakeholders: invite others to speak.")
    return Result(
        clamp((share_score + concentration_score) / 2),
        figures,
        advice(weak, "The balance between interests holds; keep watching it."),
    )


# §4.2 second principle, §4.2.1 fourth value ---------------------------------------------


def prior_access(scope: Scope) -> Result:
    """Count activities whose information was shared late or not at all."""
    lead = timedelta(days=scope.disclosure_lead_days)
    rows = list(
        scope.activities()
        .annotate(first_shared=Min("disclosures__shared_on"))
        .values_list("pk", "title", "starts_at", "first_shared")
    )
    if not rows:
        return Result(None, [figure("Activities", 0)], "Plan activities first.")
    missing = [(pk, title) for pk, title, _, first in rows if first is None]
    late = [
        (pk, title)
        for pk, title, starts, first in rows
        if first is not None and first > timezone.localtime(starts).date() - lead
    ]

    def refs(pairs: list[tuple[int, str]]) -> dict[str, Any]:
        return {
            "model": ACTIVITY,
            "total": len(pairs),
            "items": [{"id": pk, "label": title} for pk, title in pairs[:SHOWN_RECORDS]],
        }

    in_time = len(rows) - len(missing) - len(late)
    figures = [
        figure("Activities", len(rows)),
        figure("Information shared in time", in_time),
        figure("Nothing shared", len(missing), refs=refs(missing)),
        figure("Shared late", len(late), refs=refs(late)),
        figure("Days before the start it is due", scope.disclosure_lead_days),
    ]
    weak = []
    if missing or late:
        weak.append(
            f"Share the documents at least {scope.disclosure_lead_days} days before each "
            "activity, so that people come prepared."
        )
    return Result(
        percent(in_time, len(rows)),
        figures,
        advice(weak, "Participants get the information in time."),
    )


# §4.2 third principle -------------------------------------------------------------------


def consensus_building(scope: Scope) -> Result:
    """Check that activities put a question and record an outcome; follow stances over time."""
    activities = scope.activities().filter(kind__in=CONSULTATIVE_KINDS)
    counts = activities.aggregate(
        total=Count("pk"),
        with_question=Count("pk", filter=~Q(question="")),
        closed=Count("pk", filter=Q(status=ActivityStatus.CLOSED)),
        closed_with_outcome=Count("pk", filter=Q(status=ActivityStatus.CLOSED) & ~Q(outcome="")),
    )
    if not counts["total"]:
        return Result(None, [figure("Consultative activities", 0)], "Plan consultations first.")
    parts = [percent(counts["with_question"], counts["total"])]
    if counts["closed"]:
        parts.append(percent(counts["closed_with_outcome"], counts["closed"]))
    # Grouped by activity alone, so the database reads one index in order; the few
    # activities' titles and start times come from a second, small query.
    per_activity = (
        scope.contributions()
        .values("activity")
        .annotate(
            total=Count("pk"),
            support=Count("pk", filter=Q(stance=Stance.SUPPORT)),
            oppose=Count("pk", filter=Q(stance=Stance.OPPOSE)),
        )
        .order_by("activity")
    )
    counted: dict[int, dict[str, Any]] = {row["activity"]: dict(row) for row in per_activity}
    heard_in = Activity.objects.filter(pk__in=counted).order_by("starts_at", "pk")
    stances = [
        counted[pk] | {"activity__title": title}
        for pk, title in heard_in.values_list("pk", "title")
    ]
    movement = [
        {
            "activity": row["activity__title"],
            "support": round(percent(row["support"], row["total"]), 1),
            "oppose": round(percent(row["oppose"], row["total"]), 1),
        }
        for row in stances[:SHOWN_RECORDS]
    ]
    figures = [
        figure("Consultative activities", counts["total"]),
        figure(
            "Without a stated question",
            counts["total"] - counts["with_question"],
            refs=records(ACTIVITY, activities.filter(question=""), "title"),
        ),
        figure("Closed", counts["closed"]),
        figure(
            "Closed without a recorded outcome",
            counts["closed"] - counts["closed_with_outcome"],
            refs=records(
                ACTIVITY, activities.filter(status=ActivityStatus.CLOSED, outcome=""), "title"
            ),
        ),
    ]
    if len(stances) >= 2:
        first, last = movement[0], movement[-1]
        figures.append(
            figure(
                "Support from the first to the last activity",
                f"{first['support']} % → {last['support']} %",
            )
        )
    figures.append(figure("Stances per activity", movement))
    weak = []
    if counts["with_question"] < counts["total"]:
        weak.append("State the question put to participants for every consultation.")
    if counts["closed_with_outcome"] < counts["closed"]:
        weak.append("Record what came out of each activity when closing it.")
    return Result(
        mean(parts), figures, advice(weak, "Consultations aim at agreement and record it.")
    )


# §4.2 fourth principle ------------------------------------------------------------------


def grievance_mechanism(scope: Scope) -> Result:
    """Check the grievance mechanism came before the first consultation, and no grievance is overdue."""
    established = settings_of(scope.city).grievance_established_on
    first_start = scope.activities().aggregate(first=Min("starts_at"))["first"]
    first_day = timezone.localtime(first_start).date() if first_start else None
    if established is None:
        mechanism = 0.0 if first_day else 50.0
    elif first_day is None or established <= first_day:
        mechanism = 100.0
    else:
        mechanism = 50.0
    parts = [mechanism]
    grievances = scope.grievances()
    overdue_q = Q(status__in=OPEN_GRIEVANCE_STATUSES, due_on__lt=scope.today)
    counts = grievances.aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue_q))
    if counts["total"]:
        parts.append(100 - percent(counts["overdue"], counts["total"]))
    figures = [
        figure(
            "Grievance mechanism set up on",
            established.isoformat() if established else "not set up",
        ),
        figure("First activity starts on", first_day.isoformat() if first_day else "none yet"),
        figure("Grievances", counts["total"]),
        figure(
            "Overdue (still open after the due date)",
            counts["overdue"],
            refs=records(GRIEVANCE, grievances.filter(overdue_q), "subject"),
        ),
    ]
    weak = []
    if established is None:
        weak.append(
            "Set up a grievance mechanism (who handles it, how to lodge one) before consulting."
        )
    elif mechanism < 100:
        weak.append(
            "The grievance mechanism came after consultation began; announce it at every activity."
        )
    if counts["overdue"]:
        weak.append("Answer the overdue grievances.")
    return Result(
        mean(parts), figures, advice(weak, "Grievances can be lodged and are handled on time.")
    )


# §4.2.1 second value --------------------------------------------------------------------


def every_contribution_heard(scope: Scope) -> Result:
    """Count contributions with an answer, and those waiting longer than the target."""
    days = scope.thresholds.answer_days
    contributions = scope.contributions()
    counts = scope.contribution_figures()
    if not counts["total"]:
        return Result(None, [figure("Contributions", 0)], "Record contributions first.")
    figures = [
        figure("Contributions", counts["total"]),
        figure("Answered", round(percent(counts["answered"], counts["total"]), 1), "%"),
        figure(
            "Without an answer",
            counts["total"] - counts["answered"],
            refs=records(
                CONTRIBUTION,
                # NOT EXISTS rather than an outer join, so that PostgreSQL stops at the
                # first records in id order instead of joining every contribution.
                contributions.exclude(Exists(Response.objects.filter(contribution=OuterRef("pk")))),
                "activity__title",
                total=counts["total"] - counts["answered"],
            ),
        ),
        figure(f"Answered within {days} days", counts["in_time"]),
        figure(f"Waiting more than {days} days", counts["waiting"]),
    ]
    weak = []
    if counts["answered"] < counts["total"]:
        weak.append("Answer every contribution in a decision, even to say it is out of scope.")
    return Result(
        percent(counts["answered"], counts["total"]),
        figures,
        advice(weak, "Every contribution gets an answer."),
    )


# §4.2.1 sixth value ---------------------------------------------------------------------


def feedback_to_participants(scope: Scope) -> Result:
    """Count answers whose author was told."""
    shared = scope.contribution_figures()
    # Each contribution has one answer at most: answered contributions count the answers.
    counts = {"total": shared["answered"], "told": shared["told"]}
    if not counts["total"]:
        return Result(None, [figure("Answers", 0)], "Answer contributions first.")
    untold = scope.contributions().filter(
        response__isnull=False, response__communicated_at__isnull=True
    )
    figures = [
        figure("Answers", counts["total"]),
        figure("Told to their author", round(percent(counts["told"], counts["total"]), 1), "%"),
        figure(
            "Not told yet",
            counts["total"] - counts["told"],
            refs=records(
                CONTRIBUTION, untold, "activity__title", total=counts["total"] - counts["told"]
            ),
        ),
    ]
    weak = []
    if counts["told"] < counts["total"]:
        weak.append(
            "Tell each participant how their input affected the decision (e-mail, letter or meeting)."
        )
    return Result(
        percent(counts["told"], counts["total"]),
        figures,
        advice(weak, "Participants hear what became of what they said."),
    )


# §4.2.1 third value ---------------------------------------------------------------------


def needs_recognized(scope: Scope) -> Result:
    """Count participants and decision-makers whose aims and challenges the city recorded."""
    took_part = scope.participations().filter(
        stakeholder=OuterRef("pk"), status=ParticipationStatus.ATTENDED
    )
    decided = scope.decisions().filter(decision_makers=OuterRef("pk"))
    needs = MatrixItem.objects.filter(
        stakeholder=OuterRef("pk"),
        dimension__in=[MatrixDimension.AIM, MatrixDimension.CHALLENGE],
        dismissed=False,
    ).exclude(text="")
    people = (
        scope.stakeholders()
        .annotate(took_part=Exists(took_part), decided=Exists(decided), needs=Exists(needs))
        .filter(Q(took_part=True) | Q(decided=True))
    )
    counts = people.aggregate(
        total=Count("pk"),
        recorded=Count("pk", filter=Q(needs=True)),
        deciders=Count("pk", filter=Q(decided=True)),
        deciders_recorded=Count("pk", filter=Q(decided=True, needs=True)),
    )
    if not counts["total"]:
        return Result(
            None, [figure("Participants and decision-makers", 0)], "Record attendance first."
        )
    figures = [
        figure("Participants and decision-makers", counts["total"]),
        figure("With their aims or challenges recorded", counts["recorded"]),
        figure("Decision-makers", counts["deciders"]),
        figure("Decision-makers with needs recorded", counts["deciders_recorded"]),
        figure(
            "Needs not recorded",
            counts["total"] - counts["recorded"],
            refs=records(STAKEHOLDER, people.filter(needs=False)),
        ),
    ]
    weak = []
    if counts["recorded"] < counts["total"]:
        weak.append(
            "Write down the aims and challenges of each participant, decision-makers included, "
            "in their analysis matrix."
        )
    return Result(
        percent(counts["recorded"], counts["total"]),
        figures,
        advice(weak, "The needs of those taking part are on record."),
    )


# §4.2.1 first value ---------------------------------------------------------------------


def stand_on_every_decision(scope: Scope) -> Result:
    """Count affected stakeholders invited to at least one activity of the initiative."""
    affected_q = Q(lfa_roles__has=AFFECTED_ROLES[0]) | Q(lfa_roles__has=AFFECTED_ROLES[1])
    invited = Participation.objects.filter(
        activity__initiative=OuterRef("initiative"), stakeholder=OuterRef("stakeholder")
    )
    affected = scope.categorizations().filter(affected_q).annotate(was_invited=Exists(invited))
    counts = affected.aggregate(total=Count("pk"), invited=Count("pk", filter=Q(was_invited=True)))
    if not counts["total"]:
        return Result(
            None,
            [figure("Affected stakeholders", 0)],
            "Categorize who the initiative affects (potential supporters and opponents).",
        )
    not_invited = scope.stakeholders().filter(
        pk__in=affected.filter(was_invited=False).values("stakeholder")
    )
    figures = [
        figure("Affected stakeholders", counts["total"]),
        figure("Invited to at least one activity", counts["invited"]),
        figure(
            "Never invited",
            counts["total"] - counts["invited"],
            refs=records(STAKEHOLDER, not_invited),
        ),
    ]
    weak = []
    if counts["invited"] < counts["total"]:
        weak.append("Invite every affected stakeholder to at least one activity before deciding.")
    return Result(
        percent(counts["invited"], counts["total"]),
        figures,
        advice(weak, "Everyone affected has had a say."),
    )


# §4.2 second pitfall --------------------------------------------------------------------


def bureaucracy(scope: Scope) -> Result:
    """Check reviews keep to schedule, answers come in time, and activities lead to decisions."""
    t = scope.thresholds
    parts: list[float] = []
    figures: list[dict[str, Any]] = []
    weak: list[str] = []
    schedules = scope.narrow(ReviewSchedule.objects.all())
    reviews = scope.narrow(Review.objects.all()).filter(was_due_on__isnull=False)
    review_counts = reviews.aggregate(
        total=Count("pk"), on_time=Count("pk", filter=Q(held_on__lte=F("was_due_on")))
    )
    schedule_counts = schedules.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(next_due_on__lt=scope.today))
    )
    activity_count = scope.activities().count()
    if schedule_counts["total"]:
        due = review_counts["total"] + schedule_counts["total"]
        kept = review_counts["on_time"] + schedule_counts["total"] - schedule_counts["overdue"]
        parts.append(percent(kept, due))
        figures.append(
            figure(
                "Reviews held on schedule",
                f"{review_counts['on_time']} of {review_counts['total']}",
            )
        )
        figures.append(
            figure(
                "Reviews overdue now",
                schedule_counts["overdue"],
                refs=records(
                    INITIATIVE,
                    Initiative.objects.filter(
                        pk__in=schedules.filter(next_due_on__lt=scope.today).values("initiative")
                    ),
                ),
            )
        )
        if kept < due:
            weak.append("Hold the process reviews when they fall due.")
    elif activity_count:
        parts.append(0.0)
        figures.append(figure("Review schedule", "none"))
        weak.append("Plan regular reviews of the engagement process.")
    shared = scope.contribution_figures()
    answer_counts = {"total": shared["answered"], "in_time": shared["in_time"]}
    if answer_counts["total"]:
        parts.append(percent(answer_counts["in_time"], answer_counts["total"]))
        figures.append(
            figure(
                f"Answers given within {t.answer_days} days",
                round(percent(answer_counts["in_time"], answer_counts["total"]), 1),
                "%",
            )
        )
        if answer_counts["in_time"] < answer_counts["total"]:
            weak.append("Shorten the time from a contribution to its answer.")
    decision_count = scope.decisions().count()
    if activity_count:
        limit = t.activities_per_decision
        if decision_count:
            ratio = activity_count / decision_count
            parts.append(100.0 if ratio <= limit else 100.0 * limit / ratio)
        elif activity_count > limit:
            ratio = float(activity_count)
            parts.append(0.0)
        else:
            ratio = float(activity_count)
        figures.append(figure("Activities", activity_count))
        figures.append(figure("Decisions", decision_count))
        figures.append(figure("Activities per decision", round(ratio, 1)))
        figures.append(figure("Most activities per decision expected", limit))
        if ratio > limit:
            weak.append("Bring consultations to a decision rather than adding more meetings.")
    return Result(
        mean(parts), figures, advice(weak, "The process stays light and is reviewed on time.")
    )


CHECKS: tuple[Check, ...] = (
    Check("diversity", "§4.2 first principle", "Diversity of stakeholders and levels", diversity),
    Check(
        "exclusion",
        "§4.2 third pitfall; §4.2.1 fifth value",
        "No one left out",
        exclusion,
    ),
    Check("power_balance", "§4.2 first pitfall", "Balance of power", power_balance),
    Check(
        "prior_access",
        "§4.2 second principle; §4.2.1 fourth value",
        "Information shared before consulting",
        prior_access,
    ),
    Check("consensus", "§4.2 third principle", "Consensus building", consensus_building),
    Check(
        "grievance", "§4.2 fourth principle", "Grievance mechanism in place", grievance_mechanism
    ),
    Check("heard", "§4.2.1 second value", "Every contribution heard", every_contribution_heard),
    Check("feedback", "§4.2.1 sixth value", "Feedback to participants", feedback_to_participants),
    Check("needs", "§4.2.1 third value", "Needs recognized", needs_recognized),
    Check("stand", "§4.2.1 first value", "A stand on every decision", stand_on_every_decision),
    Check("bureaucracy", "§4.2 second pitfall", "No bureaucracy", bureaucracy),
)

CHECKS_BY_ID = {check.id: check for check in CHECKS}
