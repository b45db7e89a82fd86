"""Contact persons of a stakeholder: personal data, shown to members of the city only."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from civitas.core.errors import ValidationError
from civitas.core.forms import add_service_errors
from civitas.stakeholders.forms import ContactForm
from civitas.stakeholders.models import ContactPerson, Stakeholder
from civitas.stakeholders.services import contact_add, contact_remove, contact_update
from civitas.stakeholders.views._common import (
    city_view,
    confirm_page,
    get_city,
    get_stakeholder,
    is_confirmed,
    posted,
)

CHANGE = "stakeholders.change_stakeholder"


def _contact(stakeholder: Stakeholder, contact_pk: int) -> ContactPerson:
    contact = ContactPerson.objects.filter(stakeholder=stakeholder, pk=contact_pk).first()
    if contact is None:
        raise Http404("No such contact person.")
    contact.stakeholder = stakeholder
    return contact


def _detail_url(stakeholder: Stakeholder) -> str:
    return (
        reverse("stakeholders:detail", args=[stakeholder.city.slug, stakeholder.pk]) + "#contacts"
    )


@city_view
def contact_add_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Add a contact person to a stakeholder."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE)
    form = ContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_add(
                stakeholder=stakeholder,
                by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name} was added as a contact.")
            return redirect(_detail_url(stakeholder))
    return render(
        request,
        "stakeholders/contact_form.html",
        {"city": city, "stakeholder": stakeholder, "form": form},
    )


@city_view
def contact_edit_view(
    request: HttpRequest, city_slug: str, pk: int, contact_pk: int
) -> HttpResponse:
    """Change a contact person's details."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE)
    contact = _contact(stakeholder, contact_pk)
    initial = {"name": contact.name, "role": contact.role, "email": contact.email}
    initial["phone"] = contact.phone
    form = ContactForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact_update(contact=contact, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name}'s details were saved.")
            return redirect(_detail_url(stakeholder))
    return render(
        request,
        "stakeholders/contact_form.html",
        {"city": city, "stakeholder": stakeholder, "form": form, "contact": contact},
    )


@city_view
def contact_delete_view(
    request: HttpRequest, city_slug: str, pk: int, contact_pk: int
) -> HttpResponse:
    """Remove a contact person, after confirmation."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE)
    contact = _contact(stakeholder, contact_pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            city=city,
            stakeholder=stakeholder,
            question=f"Remove {contact.name} from the contacts of “{stakeholder.name}”?",
            details="Their name and contact details are removed from this stakeholder.",
            cancel_url=_detail_url(stakeholder),
            button_label="Remove",
        )
    contact_remove(contact=contact, by=request.user)  # type: ignore[arg-type]
    messages.success(request, f"{contact.name} was removed from the contacts.")
    return redirect(_detail_url(stakeholder))
