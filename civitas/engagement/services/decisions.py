"""Writes for decisions and the answer each contribution gets (§4.2.1, second and sixth values)."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import Initiative
from civitas.core.concurrency import claim_version
from civitas.core.errors import ConflictError, ValidationError
from civitas.engagement.models import (
    CommunicationChannel,
    Contribution,
    Decision,
    Response,
)
from civitas.engagement.services.common import (
    Errors,
    aware,
    check,
    clean_fields,
    raise_if,
    refresh_locked,
    required_text,
    stamp,
)
from civitas.stakeholders.models import Stakeholder

DECISION_FIELDS = {"title", "text", "decided_on", "decided_by", "decision_makers"}


def _validate_decision(
    decision: Decision, decision_makers: Iterable[Stakeholder] | None
) -> list[Stakeholder] | None:
    errors: Errors = {}
    decision.title = (decision.title or "").strip()
    decision.text = (decision.text or "").strip()
    decision.decided_by = (decision.decided_by or "").strip()
    if not decision.title:
        errors["title"] = ["Give the decision a title."]
    if decision.decided_on is None:
        errors["decided_on"] = ["Give the date of the decision."]
    makers = list(decision_makers) if decision_makers is not None else None
    if makers and any(maker.city_id != decision.city_id for maker in makers):
        errors["decision_makers"] = ["Choose stakeholders of this city."]
    clean_fields(decision, errors, exclude=["city", "initiative", "decision_makers"])
    raise_if(errors)
    return makers


@transaction.atomic
def decision_create(
    *,
    initiative: Initiative,
    by: User | None,
    title: str,
    decided_on: date,
    text: str = "",
    decided_by: str = "",
    decision_makers: Iterable[Stakeholder] = (),
) -> Decision:
    """Record a decision taken in an initiative; contributions are then answered within it."""
    check(by, "engagement.decide", initiative)
    decision = Decision(
        city_id=initiative.city_id,
        initiative=initiative,
        title=title,
        text=text,
        decided_on=decided_on,
        decided_by=decided_by,
    )
    makers = _validate_decision(decision, decision_makers)
    stamp(decision, by)
    decision.save()
    if makers:
        decision.decision_makers.set(makers)
    return decision


@transaction.atomic
def decision_update(
    *, decision: Decision, by: User | None, expected_version: int | None, **changes: Any
) -> Decision:
    """Change a decision's title, text, date or decision-makers."""
    check(by, "engagement.decide", decision)
    unknown = set(changes) - DECISION_FIELDS
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    makers_given = "decision_makers" in changes
    makers = changes.pop("decision_makers", None)
    for field, value in changes.items():
        setattr(decision, field, value)
    checked = _validate_decision(decision, makers)
    claim_version(decision, expected_version)
    stamp(decision, by)
    decision.save()
    if makers_given:
        decision.decision_makers.set(checked or [])
    return decision


@transaction.atomic
def decision_publish(*, decision: Decision, by: User | None, published: bool = True) -> Decision:
    """Show a decision on the public accountability page (or take it off again)."""
    check(by, "engagement.decide", decision)
    refresh_locked(decision)
    if published == decision.is_published:
        return decision
    decision.published_at = timezone.now() if published else None
    claim_version(decision, None)
    stamp(decision, by)
    decision.save()
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, by: User | None) -> None:
    """Delete a decision and its answers, unless a participant was already told one."""
    check(by, "engagement.decide", decision)
    if decision.responses.filter(communicated_at__isnull=False).exists():
        raise ValidationError(
            {"__all__": [
                "Participants have already been told answers given in this decision; "
                "it stays on record."
            ]}
        )  # fmt: skip
    stamp(decision, by)
    decision.delete()


@transaction.atomic
def response_set(
    *,
    contribution: Contribution,
    decision: Decision,
    by: User | None,
    outcome: str,
    explanation: str,
    published: bool = False,
    expected_version: int | None = None,
) -> tuple[Response, bool]:
    """Answer a contribution within a decision, or change its answer; one answer each.

    Returns the answer and whether it is new. Changing an existing answer checks
    `expected_version` (None: the system's own change).
    """
    check(by, "engagement.decide", decision)
    errors: Errors = {}
    if contribution.initiative_id != decision.initiative_id:
        errors["decision"] = ["The decision belongs to another initiative than the contribution."]
    explanation = required_text(
        explanation, "explanation", "Explain how the contribution affected the decision.", errors
    )
    response = Response.objects.select_for_update().filter(contribution=contribution).first()
    created = response is None
    if response is None:
        response = Response(contribution=contribution, answered_by=by)
    response.decision = decision
    response.outcome = outcome
    response.explanation = explanation
    response.published = published
    clean_fields(
        response, errors, exclude=["decision", "contribution", "answered_by", "communicated_by"]
    )
    raise_if(errors)
    if not created:
        claim_version(response, expected_version)
    stamp(response, by)
    response.save()
    contribution.response = response
    return response, created


@transaction.atomic
def response_delete(*, response: Response, by: User | None) -> None:
    """Withdraw an answer that its participant has not been told yet."""
    check(by, "engagement.decide", response.decision)
    refresh_locked(response)
    if response.is_communicated:
        raise ValidationError(
            {"__all__": ["The participant has been told this answer; it stays on record."]}
        )
    stamp(response, by)
    response.delete()


@transaction.atomic
def response_record_communication(
    *,
    response: Response,
    by: User | None,
    via: str,
    at: datetime | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Response:
    """Record that the participant was told the answer by letter, phone, in person and so on."""
    check(by, "engagement.decide", response.decision)
    errors: Errors = {}
    if via not in CommunicationChannel.values:
        errors["via"] = [f"Choose one of: {', '.join(CommunicationChannel.values)}."]
    when = aware(at) or timezone.now()
    if when > timezone.now():
        errors["at"] = ["This date is in the future."]
    raise_if(errors)
    refresh_locked(response)
    if expected_version is not None and expected_version != response.version:
        raise ConflictError()
    response.communicated_at = when
    response.communicated_via = via
    response.communicated_note = note.strip()
    response.communicated_by = by
    claim_version(response, None)
    stamp(response, by)
    response.save()
    return response
