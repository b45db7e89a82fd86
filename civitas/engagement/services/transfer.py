"""Moving a stakeholder's engagement records to another one, when the two are merged."""

from dataclasses import dataclass

from django.db.models import QuerySet

from civitas.accounts.models import User
from civitas.core.concurrency import claim_version
from civitas.engagement.models import (
    Contribution,
    Decision,
    Grievance,
    Participation,
    ParticipationStatus,
)
from civitas.engagement.services.common import check, stamp
from civitas.stakeholders.models import Stakeholder

S = ParticipationStatus
# How far a participation went: where both stakeholders were on one activity's list, the
# merged one keeps the furthest (it attended if either did).
PROGRESS = {S.INVITED: 0, S.DECLINED: 1, S.ACCEPTED: 2, S.ABSENT: 3, S.ATTENDED: 4}


@dataclass(frozen=True)
class Transferred:
    participations: int
    contributions: int
    grievances: int
    decisions: int


def engagement_transfer(
    *, source: Stakeholder, target: Stakeholder, by: User | None
) -> Transferred:
    """Move `source`'s invitations, contributions, grievances and decisions to `target`.

    Call it inside the merge's transaction. Where both are on one activity's list, the
    target's participation is kept, taking the source's status if that went further; the
    source's stays on the archived source as a record.
    """
    check(by, "engagement.manage_activity", target)
    kept = {p.activity_id: p for p in Participation.objects.filter(stakeholder=target)}
    participations = 0
    for participation in Participation.objects.filter(stakeholder=source):
        twin = kept.get(participation.activity_id)
        if twin is None:
            participation.stakeholder = target
            _save(participation, by)
            participations += 1
        elif PROGRESS[S(participation.status)] > PROGRESS[S(twin.status)]:
            twin.status = participation.status
            twin.represented_by = twin.represented_by or participation.represented_by
            _save(twin, by)
    contributions = _move(Contribution.objects.filter(stakeholder=source), target, by)
    grievances = _move(Grievance.objects.filter(stakeholder=source), target, by)
    decisions = list(Decision.objects.filter(decision_makers=source))
    for decision in decisions:
        decision.decision_makers.remove(source)
        decision.decision_makers.add(target)
    return Transferred(participations, contributions, grievances, len(decisions))


def _move(
    records: QuerySet[Contribution] | QuerySet[Grievance], target: Stakeholder, by: User | None
) -> int:
    moved = 0
    for record in records:
        record.stakeholder = target
        _save(record, by)
        moved += 1
    return moved


def _save(record: Participation | Contribution | Grievance, by: User | None) -> None:
    # One by one, so that each record's history says who moved it.
    stamp(record, by)
    claim_version(record, None)
    record.save()
