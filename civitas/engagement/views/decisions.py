"""Staff pages of decisions: the contributions considered, one answer each, and telling."""

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from civitas.core.errors import ValidationError
from civitas.core.forms import add_service_errors
from civitas.engagement.forms import CommunicationForm, DecisionForm, ResponseForm
from civitas.engagement.models import Decision, Response
from civitas.engagement.selectors import contribution_list, decision_detail
from civitas.engagement.services import (
    decision_create,
    decision_notify,
    decision_publish,
    decision_update,
    response_record_communication,
    response_set,
)
from civitas.engagement.views._common import (
    city_view,
    engagement_city,
    found,
    initiative_of,
    posted,
    require,
    save_edit,
    signed_in,
)

DECIDE = "engagement.decide"


def _decision(request: HttpRequest, city_slug: str, pk: int) -> Decision:
    city = engagement_city(request, city_slug)
    decision = found(decision_detail, city=city, pk=pk, user=signed_in(request))
    decision.city = city
    return decision


def _url(decision: Decision) -> str:
    return reverse("engagement:decision_detail", args=[decision.city.slug, decision.pk])


@city_view
def decision_create_view(request: HttpRequest, city_slug: str, initiative_pk: int) -> HttpResponse:
    """Record a decision of an initiative."""
    city = engagement_city(request, city_slug)
    initiative = initiative_of(city, initiative_pk)
    require(request, DECIDE, city)
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values.pop("version")
        try:
            decision = decision_create(
                initiative=initiative,
                by=request.user,  # type: ignore[arg-type]
                **values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The decision was recorded. Now answer the contributions.")
            decision.city = city
            return redirect(_url(decision))
    return render(
        request,
        "engagement/decision_form.html",
        {"city": city, "initiative": initiative, "form": form},
    )


@city_view
def decision_edit_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Edit a decision."""
    decision = _decision(request, city_slug, pk)
    require(request, DECIDE, decision)
    initial = {name: getattr(decision, name) for name in DecisionForm.base_fields}
    form = DecisionForm(posted(request), initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_edit(request, form, partial(decision_update, decision=decision), "decision")
    ):
        return redirect(_url(decision))
    return render(
        request,
        "engagement/decision_form.html",
        {
            "city": decision.city,
            "initiative": decision.initiative,
            "form": form,
            "decision": decision,
        },
    )


@city_view
def decision_detail_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show a decision with its answers, and a form to answer each open contribution."""
    decision = _decision(request, city_slug, pk)
    city = decision.city
    can_decide = request.user.has_perm(DECIDE, decision)
    open_contributions = (
        contribution_list(
            city=city, user=signed_in(request), initiative=decision.initiative, answered=False
        )
        if can_decide
        else []
    )
    answer_forms = [
        (
            contribution,
            ResponseForm(initial={"contribution": contribution.pk}, prefix=f"c{contribution.pk}"),
        )
        for contribution in open_contributions
    ]
    return render(
        request,
        "engagement/decision_detail.html",
        {
            "city": city,
            "decision": decision,
            "initiative": decision.initiative,
            "responses": decision.responses.all(),
            "answer_forms": answer_forms,
            "communication_form": CommunicationForm(),
            "can_decide": can_decide,
            "sees_personal": request.user.has_perm("engagement.view_personal_data", city),
        },
    )


@require_POST
@city_view
def decision_answer_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Answer one contribution within the decision."""
    decision = _decision(request, city_slug, pk)
    require(request, DECIDE, decision)
    prefix = request.POST.get("prefix", "")
    form = ResponseForm(request.POST, prefix=prefix or None)
    if not form.is_valid():
        messages.error(request, "Choose an outcome and write the explanation.")
        return redirect(_url(decision) + "#answers")
    contribution = (
        contribution_list(city=decision.city, user=signed_in(request))
        .filter(pk=form.cleaned_data["contribution"])
        .first()
    )
    if contribution is None:
        raise Http404("No such contribution.")
    try:
        response_set(
            contribution=contribution,
            decision=decision,
            by=request.user,  # type: ignore[arg-type]
            outcome=form.cleaned_data["outcome"],
            explanation=form.cleaned_data["explanation"],
            published=form.cleaned_data["published"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The answer was saved.")
    return redirect(_url(decision) + "#answers")


@require_POST
@city_view
def decision_publish_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Publish the decision on the public accountability page (or withdraw it)."""
    decision = _decision(request, city_slug, pk)
    published = request.POST.get("published", "yes") == "yes"
    try:
        decision_publish(decision=decision, by=request.user, published=published)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "The decision is on the public page." if published else "The decision was withdrawn.",
        )
    return redirect(_url(decision))


@require_POST
@city_view
def decision_notify_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """E-mail every answer of the decision not yet told."""
    decision = _decision(request, city_slug, pk)
    result = decision_notify(
        decision=decision,
        base_url=request.build_absolute_uri("/"),
        by=request.user,  # type: ignore[arg-type]
    )
    messages.success(request, f"{len(result.sent)} answer(s) sent by e-mail.")
    if result.without_email:
        messages.warning(
            request,
            f"{len(result.without_email)} participant(s) left no e-mail address: tell them "
            "another way and record how.",
        )
    if result.failed:
        messages.error(request, f"{len(result.failed)} e-mail(s) could not be sent; try again.")
    return redirect(_url(decision) + "#answers")


@require_POST
@city_view
def response_communicated_view(
    request: HttpRequest, city_slug: str, pk: int, response_pk: int
) -> HttpResponse:
    """Record that a participant was told the answer by letter, phone or in person."""
    decision = _decision(request, city_slug, pk)
    response = Response.objects.filter(decision=decision, pk=response_pk).first()
    if response is None:
        raise Http404("No such answer.")
    response.decision = decision
    form = CommunicationForm(request.POST)
    if form.is_valid():
        try:
            response_record_communication(
                response=response,
                by=request.user,  # type: ignore[arg-type]
                via=form.cleaned_data["via"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Recorded how the participant was told.")
    return redirect(_url(decision) + "#answers")
