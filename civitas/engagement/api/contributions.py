"""API for contributions, decisions, the answer to each contribution, e-mails and exports."""

import tempfile
from typing import Any, Literal

from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from civitas.core.errors import ValidationError
from civitas.core.permissions import require
from civitas.core.schemas import ERRORS, CitySlug, ObjectId, Pages, acting_user
from civitas.engagement.api.lookups import (
    CONFLICT,
    activity_in,
    contribution_of,
    decision_of,
    engagement_city,
    initiative_in,
    stakeholder_in,
)
from civitas.engagement.exports import (
    FORMATS,
    contributions_csv,
    contributions_xlsx,
    export_filename,
)
from civitas.engagement.models import Contribution, Decision, Response
from civitas.engagement.schemas import (
    AnswerIn,
    AnswerOut,
    CommunicatedIn,
    ContributionFilters,
    ContributionIn,
    ContributionOut,
    ContributionPatch,
    DecisionDetailOut,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    NotifyOut,
    PublishIn,
)
from civitas.engagement.selectors import (
    contribution_detail,
    contribution_list,
    decision_detail,
    decision_list,
)
from civitas.engagement.services import (
    NotifyResult,
    contribution_create,
    contribution_delete,
    contribution_update,
    decision_create,
    decision_delete,
    decision_notify,
    decision_publish,
    decision_update,
    response_delete,
    response_notify,
    response_record_communication,
    response_set,
)

router = Router(tags=["engagement"])

CONTRIBUTION = "/cities/{slug}/contributions/{contribution_id}"
DECISION = "/cities/{slug}/decisions/{decision_id}"


def base_url(request: HttpRequest) -> str:
    """Return the site's address as the caller reached it, for links in e-mails."""
    return request.build_absolute_uri("/")


def _contribution_out(request: HttpRequest, contribution: Contribution) -> Contribution:
    return contribution_detail(
        city=contribution.city, pk=contribution.pk, user=acting_user(request)
    )


@router.get(
    "/cities/{slug}/contributions",
    response={200: list[ContributionOut], **ERRORS},
    summary="List contributions",
)
@paginate(Pages)
def contribution_index(
    request: HttpRequest, slug: CitySlug, filters: Query[ContributionFilters]
) -> Any:
    """List contributions with their answers, newest first."""
    city = engagement_city(request, slug)
    user = acting_user(request)
    return contribution_list(
        city=city,
        user=user,
        initiative=initiative_in(city, filters.initiative, "initiative")
        if filters.initiative
        else None,
        activity=activity_in(city, filters.activity, "activity") if filters.activity else None,
        stakeholder=stakeholder_in(request, city, filters.stakeholder, "stakeholder")
        if filters.stakeholder
        else None,
        stance=filters.stance or "",
        topic=filters.topic,
        answered=filters.answered,
        from_citizens=filters.from_citizens,
    )


@router.post(
    "/cities/{slug}/contributions",
    response={200: ContributionOut, 201: ContributionOut, **ERRORS},
    summary="Record a contribution",
)
def contribution_add(
    request: HttpRequest, slug: CitySlug, payload: ContributionIn
) -> Status[Contribution]:
    """Record a contribution (201); sending a submission token again returns the first (200).

    Owners and analysts enter any stakeholder's or a citizen's; contributors send their
    own stakeholder's to an open activity.
    """
    city = engagement_city(request, slug)
    activity = activity_in(city, payload.activity_id)
    stakeholder = (
        stakeholder_in(request, city, payload.stakeholder_id) if payload.stakeholder_id else None
    )
    values = payload.model_dump(exclude={"activity_id", "stakeholder_id"})
    values["submission_token"] = values["submission_token"] or ""
    values["channel"] = values["channel"] or ""
    contribution, created = contribution_create(
        activity=activity, stakeholder=stakeholder, by=acting_user(request), **values
    )
    return Status(201 if created else 200, _contribution_out(request, contribution))


@router.get(CONTRIBUTION, response={200: ContributionOut, **ERRORS}, summary="Get a contribution")
def contribution_get(
    request: HttpRequest, slug: CitySlug, contribution_id: ObjectId
) -> Contribution:
    """Return a contribution with its answer."""
    return _contribution_out(request, contribution_of(request, slug, contribution_id))


@router.patch(
    CONTRIBUTION,
    response={200: ContributionOut, **CONFLICT, **ERRORS},
    summary="Correct a contribution",
)
def contribution_change(
    request: HttpRequest, slug: CitySlug, contribution_id: ObjectId, payload: ContributionPatch
) -> Contribution:
    """Correct a contribution not yet answered; send the version you read (409 when stale)."""
    contribution = contribution_of(request, slug, contribution_id)
    changes = payload.changes()
    version = changes.pop("version")
    if "stakeholder_id" in changes:
        stakeholder_id = changes.pop("stakeholder_id")
        changes["stakeholder"] = (
            stakeholder_in(request, contribution.city, stakeholder_id) if stakeholder_id else None
        )
    contribution_update(
        contribution=contribution, by=acting_user(request), expected_version=version, **changes
    )
    return _contribution_out(request, contribution)


@router.delete(CONTRIBUTION, response={204: None, **ERRORS}, summary="Delete a contribution")
def contribution_remove(
    request: HttpRequest, slug: CitySlug, contribution_id: ObjectId
) -> Status[None]:
    """Delete a contribution entered by mistake; answered ones stay on record."""
    contribution = contribution_of(request, slug, contribution_id)
    contribution_delete(contribution=contribution, by=acting_user(request))
    return Status(204, None)


# The answer to a contribution


def _answer_of(request: HttpRequest, slug: str, contribution_id: int) -> Response:
    contribution = contribution_of(request, slug, contribution_id)
    return Response.objects.select_related(
        "decision__initiative__city", "contribution__activity"
    ).get(contribution=contribution)


@router.put(
    f"{CONTRIBUTION}/answer",
    response={200: AnswerOut, 201: AnswerOut, **CONFLICT, **ERRORS},
    summary="Answer a contribution",
)
def answer_put(
    request: HttpRequest, slug: CitySlug, contribution_id: ObjectId, payload: AnswerIn
) -> Status[Response]:
    """Answer a contribution within a decision (201), or change its answer (200).

    Changing an answer requires the version you read; a stale one is refused (409).
    """
    contribution = contribution_of(request, slug, contribution_id)
    decision = Decision.objects.filter(city=contribution.city, pk=payload.decision_id).first()
    if decision is None:
        raise ValidationError(
            {"decision_id": [f"There is no decision with the id {payload.decision_id} here."]}
        )
    user = acting_user(request)
    require(user, "engagement.decide", decision)
    if payload.version is None and Response.objects.filter(contribution=contribution).exists():
        raise ValidationError(
            {"version": ["This contribution is already answered: send the version you read."]}
        )
    response, created = response_set(
        contribution=contribution,
        decision=decision,
        by=user,
        outcome=payload.outcome,
        explanation=payload.explanation,
        published=payload.published,
        expected_version=payload.version,
    )
    return Status(201 if created else 200, response)


@router.delete(
    f"{CONTRIBUTION}/answer", response={204: None, **ERRORS}, summary="Withdraw an answer"
)
def answer_delete(request: HttpRequest, slug: CitySlug, contribution_id: ObjectId) -> Status[None]:
    """Withdraw an answer that the participant has not been told yet."""
    response_delete(response=_answer_of(request, slug, contribution_id), by=acting_user(request))
    return Status(204, None)


@router.post(
    f"{CONTRIBUTION}/answer/communicated",
    response={200: AnswerOut, **CONFLICT, **ERRORS},
    summary="Record that the participant was told",
)
def answer_told(
    request: HttpRequest, slug: CitySlug, contribution_id: ObjectId, payload: CommunicatedIn
) -> Response:
    """Record that the participant was told the answer by letter, phone, in person ..."""
    return response_record_communication(
        response=_answer_of(request, slug, contribution_id),
        by=acting_user(request),
        via=payload.via,
        at=payload.at,
        note=payload.note,
        expected_version=payload.version,
    )


@router.post(
    f"{CONTRIBUTION}/answer/notify",
    response={200: AnswerOut, **ERRORS},
    summary="E-mail the answer",
)
def answer_mail(request: HttpRequest, slug: CitySlug, contribution_id: ObjectId) -> Response:
    """E-mail the answer to the participant, with the link to read it online."""
    response = _answer_of(request, slug, contribution_id)
    response_notify(response=response, base_url=base_url(request), by=acting_user(request))
    response.refresh_from_db()
    return response


# Exports


@router.get(
    "/cities/{slug}/exports/contributions",
    response={200: None, **ERRORS},
    summary="Export contributions with their answers",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file.",
                "content": {ctype: {} for ctype in FORMATS.values()},
            }
        }
    },
)
def contribution_export(
    request: HttpRequest,
    slug: CitySlug,
    format: Query[Literal["csv", "xlsx"]] = "csv",
    initiative: Query[int | None] = None,
) -> HttpResponseBase:
    """Download every contribution you may see with its answer, as CSV or XLSX."""
    city = engagement_city(request, slug)
    user = acting_user(request)
    chosen = initiative_in(city, initiative, "initiative") if initiative else None
    filename = export_filename(city, format)
    if format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            contributions_csv(city=city, user=user, initiative=chosen),
            content_type=FORMATS["csv"],
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    contributions_xlsx(spool, city=city, user=user, initiative=chosen)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=FORMATS["xlsx"])


# Decisions


@router.get(
    "/cities/{slug}/decisions",
    response={200: list[DecisionOut], **ERRORS},
    summary="List decisions",
)
@paginate(Pages)
def decision_index(
    request: HttpRequest,
    slug: CitySlug,
    initiative: Query[int | None] = None,
    published: Query[bool | None] = None,
) -> Any:
    """List decisions, newest first, with how many answers they gave and have told."""
    city = engagement_city(request, slug)
    chosen = initiative_in(city, initiative, "initiative") if initiative else None
    return decision_list(city=city, initiative=chosen, published=published)


def _makers(request: HttpRequest, decision_city: Any, ids: list[int]) -> list[Any]:
    return [stakeholder_in(request, decision_city, pk, "decision_maker_ids") for pk in ids]


@router.post(
    "/cities/{slug}/decisions",
    response={201: DecisionDetailOut, **ERRORS},
    summary="Record a decision",
)
def decision_add(request: HttpRequest, slug: CitySlug, payload: DecisionIn) -> Status[Decision]:
    """Record a decision of an initiative (owners and analysts)."""
    city = engagement_city(request, slug)
    user = acting_user(request)
    require(user, "engagement.decide", city)
    decision = decision_create(
        initiative=initiative_in(city, payload.initiative_id),
        by=user,
        title=payload.title,
        decided_on=payload.decided_on,
        text=payload.text,
        decided_by=payload.decided_by,
        decision_makers=_makers(request, city, payload.decision_maker_ids),
    )
    return Status(201, decision_detail(city=city, pk=decision.pk, user=user))


@router.get(DECISION, response={200: DecisionDetailOut, **ERRORS}, summary="Get a decision")
def decision_get(request: HttpRequest, slug: CitySlug, decision_id: ObjectId) -> Decision:
    """Return a decision with the answers it gave."""
    city = engagement_city(request, slug)
    return decision_detail(city=city, pk=decision_id, user=acting_user(request))


@router.patch(
    DECISION, response={200: DecisionDetailOut, **CONFLICT, **ERRORS}, summary="Change a decision"
)
def decision_change(
    request: HttpRequest, slug: CitySlug, decision_id: ObjectId, payload: DecisionPatch
) -> Decision:
    """Change a decision; send the version you read (409 when stale)."""
    decision = decision_of(request, slug, decision_id)
    user = acting_user(request)
    changes = payload.changes()
    version = changes.pop("version")
    if "decision_maker_ids" in changes:
        changes["decision_makers"] = _makers(
            request, decision.city, changes.pop("decision_maker_ids")
        )
    decision_update(decision=decision, by=user, expected_version=version, **changes)
    return decision_detail(city=decision.city, pk=decision.pk, user=user)


@router.delete(DECISION, response={204: None, **ERRORS}, summary="Delete a decision")
def decision_remove(request: HttpRequest, slug: CitySlug, decision_id: ObjectId) -> Status[None]:
    """Delete a decision and its answers, unless a participant was told one."""
    decision_delete(decision=decision_of(request, slug, decision_id), by=acting_user(request))
    return Status(204, None)


@router.post(
    f"{DECISION}/publish", response={200: DecisionDetailOut, **ERRORS}, summary="Publish a decision"
)
def decision_show(
    request: HttpRequest, slug: CitySlug, decision_id: ObjectId, payload: PublishIn
) -> Decision:
    """Show a decision on the public accountability page, or take it off with false."""
    decision = decision_of(request, slug, decision_id)
    user = acting_user(request)
    decision_publish(decision=decision, by=user, published=payload.published)
    return decision_detail(city=decision.city, pk=decision.pk, user=user)


def notify_out(result: NotifyResult) -> dict[str, Any]:
    """Return what sending a decision's answers did, by contribution id."""
    return {
        "sent": [response.contribution_id for response in result.sent],
        "already_told": [response.contribution_id for response in result.already_told],
        "without_email": [response.contribution_id for response in result.without_email],
        "failed": [
            {"contribution_id": response.contribution_id, "error": error}
            for response, error in result.failed
        ],
    }


@router.post(
    f"{DECISION}/notify", response={200: NotifyOut, **ERRORS}, summary="E-mail a decision's answers"
)
def decision_mail(request: HttpRequest, slug: CitySlug, decision_id: ObjectId) -> dict[str, Any]:
    """E-mail every answer of the decision not yet told; list those without an address."""
    decision = decision_of(request, slug, decision_id)
    result = decision_notify(decision=decision, base_url=base_url(request), by=acting_user(request))
    return notify_out(result)
