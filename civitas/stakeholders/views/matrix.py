"""The analysis matrix of a stakeholder (§4.1 a): own items, and edits of catalogue defaults."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from civitas.catalogue.models import DefaultMatrixItem
from civitas.core.errors import ConflictError, ValidationError
from civitas.core.forms import add_service_errors
from civitas.core.vocabulary import MatrixDimension
from civitas.stakeholders.forms import MatrixItemForm, MatrixTextForm
from civitas.stakeholders.models import MatrixItem, Stakeholder
from civitas.stakeholders.services import (
    matrix_default_dismiss,
    matrix_default_edit,
    matrix_default_restore,
    matrix_item_add,
    matrix_item_remove,
    matrix_item_update,
)
from civitas.stakeholders.views._common import (
    city_view,
    confirm_page,
    get_city,
    get_stakeholder,
    is_confirmed,
    posted,
)

CHANGE_MATRIX = "stakeholders.change_matrix"


def _matrix_url(stakeholder: Stakeholder) -> str:
    return reverse("stakeholders:detail", args=[stakeholder.city.slug, stakeholder.pk]) + "#matrix"


def _item(stakeholder: Stakeholder, item_pk: int) -> MatrixItem:
    item = (
        MatrixItem.objects.select_related("replaces")
        .filter(stakeholder=stakeholder, pk=item_pk, dismissed=False)
        .first()
    )
    if item is None:
        raise Http404("No such matrix item.")
    item.stakeholder = stakeholder
    return item


def _default(stakeholder: Stakeholder, default_pk: int) -> DefaultMatrixItem:
    default = DefaultMatrixItem.objects.filter(pk=default_pk, type_id=stakeholder.type_id).first()
    if default is None:
        raise Http404("No such catalogue default for this stakeholder's type.")
    return default


def _render_form(
    request: HttpRequest, stakeholder: Stakeholder, form: object, **context: object
) -> HttpResponse:
    return render(
        request,
        "stakeholders/matrix_item_form.html",
        {"city": stakeholder.city, "stakeholder": stakeholder, "form": form, **context},
    )


@city_view
def matrix_add_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Add one of the city's own items to a dimension of the matrix."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE_MATRIX)
    if request.method == "POST":
        form = MatrixItemForm(request.POST)
        if form.is_valid():
            try:
                matrix_item_add(
                    stakeholder=stakeholder,
                    dimension=form.cleaned_data["dimension"],
                    text=form.cleaned_data["text"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                label = MatrixDimension(form.cleaned_data["dimension"]).label
                messages.success(request, f"The item was added under {label}.")
                return redirect(_matrix_url(stakeholder))
    else:
        form = MatrixItemForm(initial={"dimension": request.GET.get("dimension", "")})
    return _render_form(request, stakeholder, form, heading="Add a matrix item")


@city_view
def matrix_item_edit_view(
    request: HttpRequest, city_slug: str, pk: int, item_pk: int
) -> HttpResponse:
    """Reword one of the city's items (or its edit of a default)."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE_MATRIX)
    item = _item(stakeholder, item_pk)
    form = MatrixTextForm(posted(request), initial={"text": item.text, "version": item.version})
    form.fields["version"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            matrix_item_update(
                item=item,
                text=form.cleaned_data["text"],
                by=request.user,  # type: ignore[arg-type]
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The matrix item was saved.")
            return redirect(_matrix_url(stakeholder))
    return _render_form(
        request,
        stakeholder,
        form,
        heading="Edit a matrix item",
        dimension=MatrixDimension(item.dimension).label,
        default=item.replaces,
    )


@city_view
def matrix_item_delete_view(
    request: HttpRequest, city_slug: str, pk: int, item_pk: int
) -> HttpResponse:
    """Remove one of the city's items, after confirmation."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE_MATRIX)
    item = _item(stakeholder, item_pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            city=city,
            stakeholder=stakeholder,
            question="Remove this matrix item?",
            details=f"“{item.text}”"
            + (" The catalogue default it reworded applies again." if item.replaces_id else ""),
            cancel_url=_matrix_url(stakeholder),
            button_label="Remove",
        )
    matrix_item_remove(item=item, by=request.user)  # type: ignore[arg-type]
    messages.success(request, "The matrix item was removed.")
    return redirect(_matrix_url(stakeholder))


@city_view
def matrix_default_edit_view(
    request: HttpRequest, city_slug: str, pk: int, default_pk: int
) -> HttpResponse:
    """Reword a catalogue default for this stakeholder only."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE_MATRIX)
    default = _default(stakeholder, default_pk)
    override = MatrixItem.objects.filter(stakeholder=stakeholder, replaces=default).first()
    current = override.text if override and not override.dismissed else default.text
    form = MatrixTextForm(posted(request), initial={"text": current})
    if request.method == "POST" and form.is_valid():
        try:
            matrix_default_edit(
                stakeholder=stakeholder,
                default=default,
                text=form.cleaned_data["text"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your wording now replaces the catalogue default.")
            return redirect(_matrix_url(stakeholder))
    return _render_form(
        request,
        stakeholder,
        form,
        heading="Reword a catalogue default",
        dimension=MatrixDimension(default.dimension).label,
        default=default,
    )


@city_view
def matrix_default_dismiss_view(
    request: HttpRequest, city_slug: str, pk: int, default_pk: int
) -> HttpResponse:
    """Stop a catalogue default from applying to this stakeholder, after confirmation."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE_MATRIX)
    default = _default(stakeholder, default_pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            city=city,
            stakeholder=stakeholder,
            question="Remove this catalogue default from the matrix?",
            details=f"“{default.text}” You can restore it later.",
            cancel_url=_matrix_url(stakeholder),
            button_label="Remove",
        )
    matrix_default_dismiss(stakeholder=stakeholder, default=default, by=request.user)  # type: ignore[arg-type]
    messages.success(request, "The catalogue default was removed from this stakeholder's matrix.")
    return redirect(_matrix_url(stakeholder))


@city_view
def matrix_default_restore_view(
    request: HttpRequest, city_slug: str, pk: int, default_pk: int
) -> HttpResponse:
    """Let a catalogue default apply again, dropping the city's edit or removal."""
    city = get_city(request, city_slug)
    stakeholder = get_stakeholder(request, city, pk, CHANGE_MATRIX)
    default = _default(stakeholder, default_pk)
    override = MatrixItem.objects.filter(stakeholder=stakeholder, replaces=default).first()
    loses_wording = override is not None and not override.dismissed
    if request.method != "POST" or (loses_wording and not is_confirmed(request)):
        return confirm_page(
            request,
            city=city,
            stakeholder=stakeholder,
            question="Restore the catalogue's wording?",
            details=(
                f"Your wording “{override.text}” is replaced by the catalogue's: “{default.text}”"
                if loses_wording and override is not None
                else f"“{default.text}” applies to this stakeholder again."
            ),
            cancel_url=_matrix_url(stakeholder),
            button_label="Restore",
            danger=loses_wording,
        )
    matrix_default_restore(stakeholder=stakeholder, default=default, by=request.user)  # type: ignore[arg-type]
    messages.success(request, "The catalogue default applies again.")
    return redirect(_matrix_url(stakeholder))
