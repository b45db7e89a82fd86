"""Pages for cities, their members and their SSC initiatives."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from civitas.accounts.models import Membership, Role, User
from civitas.accounts.services import membership_remove, membership_set
from civitas.cities.forms import (
    CityCreateForm,
    CityForm,
    InitiativeEditForm,
    InitiativeForm,
    MemberAddForm,
    MemberRoleForm,
)
from civitas.cities.models import City, Initiative
from civitas.cities.selectors import city_for, city_list_for, initiative_list
from civitas.cities.services import (
    city_create,
    city_update,
    initiative_archive,
    initiative_create,
    initiative_update,
)
from civitas.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    error_messages,
)
from civitas.core.forms import add_service_errors
from civitas.core.permissions import role_in
from civitas.stakeholders.selectors import stakeholder_list

PAGE_SIZE = 50
DASHBOARD_INITIATIVES = 10
ROLE_ORDER = {role: position for position, role in enumerate(Role.values)}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page(request: HttpRequest, items: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def _initiative(city: City, pk: int) -> Initiative:
    initiative = initiative_list(city=city, include_archived=True).filter(pk=pk).first()
    if initiative is None:
        raise Http404("No such initiative in this city.")
    return initiative


# ---- Cities ---------------------------------------------------------------------------


@login_required
def city_list(request: HttpRequest) -> HttpResponse:
    """List the cities the user is a member of, with their counts."""
    user = _user(request)
    page = _page(request, city_list_for(user=user))
    return render(
        request,
        "cities/city_list.html",
        {"page_obj": page, "cities": page.object_list, "can_add": user.has_perm("cities.add_city")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def city_create_view(request: HttpRequest) -> HttpResponse:
    """Create a city; its creator becomes its owner."""
    user = _user(request)
    if not user.has_perm("cities.add_city"):
        raise PermissionDenied("Your account may not create cities.")
    form = CityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            city = city_create(
                slug=data["slug"] or slugify(data["name"])[:60],
                name=data["name"],
                by=user,
                country=data["country"],
                population=data["population"],
                development_context=data["development_context"],
                description=data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{city.name} is created, and you are its owner.")
            return redirect("cities:detail", city.slug)
    return render(request, "cities/city_form.html", {"form": form, "creating": True})


@login_required
def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a city's dashboard: its facts, counts and initiatives, and where to go next."""
    user = _user(request)
    city = city_for(slug=slug, user=user)
    initiatives = initiative_list(city=city)
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "role": role_in(user, city),
            "initiatives": initiatives[:DASHBOARD_INITIATIVES],
            "initiative_count": initiatives.count(),
            "stakeholder_count": stakeholder_list(city=city, user=user).count(),
            "can_change_city": user.has_perm("cities.change_city", city),
            "can_add_initiative": user.has_perm("cities.add_initiative", city),
            "can_add_stakeholder": user.has_perm("stakeholders.add_stakeholder", city),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def city_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Let an owner change the city's facts."""
    user = _user(request)
    city = city_for(slug=slug, user=user, permission="cities.change_city")
    initial = {
        "name": city.name,
        "country": city.country,
        "population": city.population,
        "development_context": city.development_context,
        "description": city.description,
    }
    form = CityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            city_update(city=city, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            city.refresh_from_db()
        else:
            messages.success(request, "The city's details are saved.")
            return redirect("cities:detail", city.slug)
    return render(request, "cities/city_form.html", {"form": form, "city": city})


# ---- Members --------------------------------------------------------------------------


def _members(city: City) -> list[Membership]:
    memberships = Membership.objects.filter(city=city).select_related("user", "stakeholder")
    return sorted(memberships, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.user.username))


@login_required
@require_http_methods(["GET", "POST"])
def city_members(request: HttpRequest, slug: str) -> HttpResponse:
    """List a city's members; owners add members or change a member's role and stakeholder."""
    user = _user(request)
    permission = "cities.manage_members" if request.method == "POST" else "cities.view_city"
    city = city_for(slug=slug, user=user, permission=permission)
    can_manage = user.has_perm("cities.manage_members", city)
    form = None
    if can_manage:
        stakeholders = (
            stakeholder_list(city=city, user=user).select_related(None).only("id", "name")
        )
        form = MemberAddForm(request.POST or None, stakeholders=stakeholders)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            person = User.objects.filter(username__iexact=data["username"].strip()).first()
            if person is None:
                form.add_error(
                    "username",
                    "No account has this user name. Check the spelling, or ask the "
                    "administrator to create the account first.",
                )
            else:
                try:
                    membership_set(
                        city=city,
                        user=person,
                        role=data["role"],
                        stakeholder=data["stakeholder"],
                        by=user,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        f"{person.get_username()} is now {Role(data['role']).label.lower()} "
                        f"of {city.name}.",
                    )
                    return redirect("cities:members", city.slug)
    return render(
        request,
        "cities/members.html",
        {
            "city": city,
            "members": _members(city),
            "form": form,
            "can_manage": can_manage,
            "roles": Role.choices,
            "owner_count": Membership.objects.filter(city=city, role=Role.OWNER).count(),
        },
    )


@login_required
@require_POST
def member_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change one member's role, keeping the stakeholder a contributor acts for."""
    user = _user(request)
    city = city_for(slug=slug, user=user, permission="cities.manage_members")
    membership = get_object_or_404(Membership.objects.select_related("user"), city=city, pk=pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("role", []):
            messages.error(request, f"Role not changed: {message}")
        return redirect("cities:members", city.slug)
    role = form.cleaned_data["role"]
    try:
        membership_set(
            city=city,
            user=membership.user,
            role=role,
            stakeholder=membership.stakeholder if role == Role.CONTRIBUTOR else None,
            by=user,
        )
    except ValidationError as error:
        for field_messages in error_messages(error).values():
            for message in field_messages:
                messages.error(
                    request,
                    f"The role of {membership.user.get_username()} was not changed. {message}",
                )
    else:
        messages.success(
            request, f"{membership.user.get_username()} is now {Role(role).label.lower()}."
        )
    return redirect("cities:members", city.slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a member from the city, after confirmation; the last owner cannot leave."""
    user = _user(request)
    city = city_for(slug=slug, user=user, permission="cities.manage_members")
    membership = get_object_or_404(Membership.objects.select_related("user"), city=city, pk=pk)
    name = membership.user.get_username()
    if _confirmed(request):
        try:
            membership_remove(membership=membership, by=user)
        except ValidationError as error:
            for field_messages in error_messages(error).values():
                for message in field_messages:
                    messages.error(request, f"{name} was not removed. {message}")
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, f"{name} is no longer a member of {city.name}.")
            if membership.user_id == user.pk:
                return redirect("cities:list")
        return redirect("cities:members", city.slug)
    leaving_self = membership.user_id == user.pk
    return render(
        request,
        "cities/member_remove.html",
        {
            "city": city,
            "membership": membership,
            "question": "Leave this city?" if leaving_self else f"Remove {name} from {city.name}?",
            "details": (
                "You will no longer see this city."
                if leaving_self
                else f"{name} will no longer see the city. Their account and what they wrote stay."
            ),
            "action_url": reverse("cities:member_remove", args=[city.slug, membership.pk]),
            "cancel_url": reverse("cities:members", args=[city.slug]),
            "button_label": "Leave" if leaving_self else "Remove",
        },
    )


# ---- Initiatives ----------------------------------------------------------------------


@login_required
def initiative_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List a city's initiatives, with archived ones on request."""
    user = _user(request)
    city = city_for(slug=slug, user=user, permission="cities.view_initiative")
    show_archived = request.GET.get("archived") == "1"
    page = _page(request, initiative_list(city=city, include_archived=show_archived))
    return render(
        request,
        "cities/initiative_list.html",
        {
            "city": city,
            "page_obj": page,
            "initiatives": page.object_list,
            "show_archived": show_archived,
            "can_add": user.has_perm("cities.add_initiative", city),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Create an initiative of the city."""
    user = _user(request)
    city = city_for(slug=slug, user=user, permission="cities.add_initiative")
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_create(city=city, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The initiative “{initiative.name}” is created.")
            return redirect("cities:initiative_detail", city.slug, initiative.pk)
    return render(request, "cities/initiative_form.html", {"city": city, "form": form})


@login_required
def initiative_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show an initiative's facts and where its categorization is."""
    user = _user(request)
    city = city_for(slug=slug, user=user, permission="cities.view_initiative")
    initiative = _initiative(city, pk)
    return render(
        request,
        "cities/initiative_detail.html",
        {
            "city": city,
            "initiative": initiative,
            "can_change": user.has_perm("cities.change_initiative", initiative),
            "can_archive": user.has_perm("cities.archive_initiative", initiative),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Edit an initiative; a save from a stale copy is refused and the input kept."""
    user = _user(request)
    city = city_for(slug=slug, user=user, permission="cities.change_initiative")
    initiative = _initiative(city, pk)
    initial = {
        "name": initiative.name,
        "status": initiative.status,
        "start_date": initiative.start_date,
        "end_date": initiative.end_date,
        "description": initiative.description,
        "version": initiative.version,
    }
    form = InitiativeEditForm(request.POST or None, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        expected_version = changes.pop("version")
        try:
            initiative_update(
                initiative=initiative, by=user, expected_version=expected_version, **changes
            )
        except ConflictError as error:
            form.add_error(None, str(error))
            conflict = True
            initiative = _initiative(city, pk)
        except ValidationError as error:
            add_service_errors(form, error)
            initiative = _initiative(city, pk)
        else:
            messages.success(request, "The initiative is saved.")
            return redirect("cities:initiative_detail", city.slug, initiative.pk)
    return render(
        request,
        "cities/initiative_form.html",
        {"city": city, "form": form, "initiative": initiative, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_archive_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Archive an initiative, or bring it back, after confirmation."""
    user = _user(request)
    city = city_for(slug=slug, user=user, permission="cities.archive_initiative")
    initiative = _initiative(city, pk)
    requested = request.POST.get("archived") if request.method == "POST" else None
    archive = initiative.archived_at is None if requested not in {"0", "1"} else requested == "1"
    if _confirmed(request):
        try:
            initiative_archive(initiative=initiative, by=user, archived=archive)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        if archive:
            messages.success(
                request,
                f"“{initiative.name}” is archived. Its categorizations stay; "
                "find it under “Show archived”.",
            )
        else:
            messages.success(request, f"“{initiative.name}” is back among the initiatives.")
        return redirect("cities:initiative_detail", city.slug, initiative.pk)
    return render(
        request,
        "cities/initiative_archive.html",
        {
            "city": city,
            "initiative": initiative,
            "question": (
                f"Archive the initiative “{initiative.name}”?"
                if archive
                else f"Bring the initiative “{initiative.name}” back?"
            ),
            "details": (
                "It leaves the list of initiatives; its categorizations are kept and it can "
                "be brought back at any time."
                if archive
                else "It returns to the list of initiatives."
            ),
            "action_url": reverse("cities:initiative_archive", args=[city.slug, initiative.pk]),
            "cancel_url": reverse("cities:initiative_detail", args=[city.slug, initiative.pk]),
            "button_label": "Archive" if archive else "Bring back",
            "hidden": [("archived", "1" if archive else "0")],
        },
    )
