"""Tell participants the answer to their contribution by e-mail (§4.2.1, sixth value).

Mail goes through Django's mail framework: the console by default, SMTP when configured.
Each answer is sent in its own transaction under a row lock, so that two runs at the same
time never send the same answer twice, and a failed delivery leaves it pending.
"""

import logging
import os
import smtplib
import textwrap
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from civitas.accounts.models import User
from civitas.core.concurrency import claim_version
from civitas.core.errors import ValidationError
from civitas.engagement.models import CommunicationChannel, Decision, Response
from civitas.engagement.services.common import check, stamp

logger = logging.getLogger(__name__)

# Used until the public pages are mounted under their URL names.
FALLBACK_PATHS = {
    "engagement:public_contribution": "/public/contributions/{code}/",
    "engagement:public_grievance": "/public/grievances/{code}/",
}
QUOTE_LENGTH = 600


def _link(base_url: str, url_name: str, code: str) -> str:
    try:
        path = reverse(url_name, kwargs={"code": code})
    except NoReverseMatch:
        path = FALLBACK_PATHS[url_name].format(code=code)
    return base_url.rstrip("/") + path


def tracking_link(base_url: str, code: str) -> str:
    """Return the address where a participant reads the answer to their contribution."""
    return _link(base_url, "engagement:public_contribution", code)


def grievance_tracking_link(base_url: str, code: str) -> str:
    """Return the address where a complainant follows their grievance."""
    return _link(base_url, "engagement:public_grievance", code)


def default_base_url() -> str:
    """Return the site's address for links in e-mails sent outside a request.

    It comes from the CIVITAS_BASE_URL setting, or else the environment variable.
    """
    configured = getattr(settings, "CIVITAS_BASE_URL", "") or os.environ.get("CIVITAS_BASE_URL")
    return str(configured or "http://127.0.0.1:8000")


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_LENGTH:
        text = text[: QUOTE_LENGTH - 1].rstrip() + "…"
    return textwrap.indent(textwrap.fill(text, width=72), "  > ")


def answer_email(response: Response, base_url: str) -> EmailMessage:
    """Return the e-mail telling a participant how their contribution affected a decision."""
    contribution = response.contribution
    decision = response.decision
    initiative = decision.initiative
    city = initiative.city
    greeting = f"Dear {contribution.author_name}," if contribution.author_name else "Hello,"
    submitted = timezone.localtime(contribution.submitted_at).date().isoformat()
    lines = [
        greeting,
        "",
        f"On {submitted} you sent this contribution to “{contribution.activity.title}”, "
        f"part of {city.name}'s initiative “{initiative.name}”:",
        "",
        _quote(contribution.text),
        "",
        f"On {decision.decided_on.isoformat()} the city decided: {decision.title}.",
        "",
        f"Our answer to your contribution: {response.get_outcome_display()}.",
        "",
        response.explanation,
        "",
        "You can read this answer again at any time here:",
        tracking_link(base_url, contribution.tracking_code),
        "",
        f"Thank you for taking part.\n{city.name}",
    ]
    return EmailMessage(
        subject=f"{city.name}: the answer to your contribution on {initiative.name}",
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contribution.author_email],
    )


def _response_for_mail(pk: int) -> Response | None:
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related(
            "contribution__activity", "decision__initiative__city", "contribution__stakeholder"
        )
        .filter(pk=pk, communicated_at__isnull=True)
        .first()
    )


def _send_one(
    response_id: int, base_url: str, by: User | None, connection: BaseEmailBackend | None
) -> bool:
    """Send one pending answer and mark it told; return False when someone else already did."""
    with transaction.atomic():
        response = _response_for_mail(response_id)
        if response is None:
            return False
        message = answer_email(response, base_url)
        message.connection = connection
        message.send(fail_silently=False)
        response.communicated_at = timezone.now()
        response.communicated_via = CommunicationChannel.EMAIL
        response.communicated_by = by
        response.communicated_note = f"Sent to {response.contribution.author_email}."
        claim_version(response, None)
        stamp(response, by)
        response.save()
        return True


@dataclass
class NotifyResult:
    """What sending a decision's answers did."""

    sent: list[Response] = field(default_factory=list)
    already_told: list[Response] = field(default_factory=list)
    without_email: list[Response] = field(default_factory=list)
    failed: list[tuple[Response, str]] = field(default_factory=list)


def response_notify(*, response: Response, base_url: str, by: User | None) -> bool:
    """E-mail one answer to its participant; return False if they had already been told."""
    check(by, "engagement.decide", response.decision)
    if not response.contribution.author_email:
        raise ValidationError(
            {"__all__": [
                "There is no e-mail address for this contribution: tell the participant "
                "another way and record how."
            ]}
        )  # fmt: skip
    return _send_one(response.pk, base_url, by, None)


def decision_notify(*, decision: Decision, base_url: str, by: User | None) -> NotifyResult:
    """E-mail every answer of a decision not yet told; list those that need another way."""
    check(by, "engagement.decide", decision)
    result = NotifyResult()
    responses = list(decision.responses.select_related("contribution").order_by("pk"))
    pending = []
    for response in responses:
        if response.communicated_at is not None:
            result.already_told.append(response)
        elif not response.contribution.author_email:
            result.without_email.append(response)
        else:
            pending.append(response)
    if not pending:
        return result
    with get_connection() as connection:
        for response in pending:
            try:
                sent = _send_one(response.pk, base_url, by, connection)
            except (smtplib.SMTPException, OSError) as error:
                logger.warning("Could not send the answer %s: %s", response.pk, error)
                result.failed.append((response, str(error) or error.__class__.__name__))
                continue
            (result.sent if sent else result.already_told).append(response)
    return result
