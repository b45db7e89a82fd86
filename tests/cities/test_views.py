"""Pages for cities, members and initiatives: who may, who may not, and what they see."""

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.accounts.models import Membership, Role, User
from civitas.cities.models import City, Initiative
from tests.factories import (
    CategorizationFactory,
    CityFactory,
    InitiativeFactory,
    StakeholderFactory,
    UserFactory,
    member,
)

ClientAs = Callable[[str | None], Client]
ALL_ROLES = ["owner", "analyst", "contributor", "viewer"]

pytestmark = pytest.mark.django_db


def login_url(next_url: str) -> str:
    return f"{reverse('accounts:login')}?next={next_url}"


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(captured) <= 10, [q["sql"] for q in captured.captured_queries]
    return len(captured)


def assert_denied(response, *, status: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    if status == 403:
        assert b"You are not allowed to do this" in response.content
        assert b"Your role in this city does not allow this." in response.content
    else:
        assert b"We could not find this page" in response.content


# ---- My cities --------------------------------------------------------------------------


def test_city_list_sends_anonymous_visitors_to_log_in(client: Client) -> None:
    url = reverse("cities:list")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == login_url(url)


def test_city_list_shows_my_cities_with_their_counts(city: City, owner: User) -> None:
    StakeholderFactory(city=city)
    StakeholderFactory(city=city)
    InitiativeFactory(city=city)
    CityFactory(name="Elsewhere", slug="elsewhere")
    client = Client()
    client.force_login(owner)
    response = client.get(reverse("cities:list"))
    assert response.status_code == 200
    assert [c.name for c in response.context["cities"]] == ["Lumen"]
    listed = response.context["cities"][0]
    assert (listed.stakeholder_count, listed.initiative_count) == (2, 1)
    assert b"Elsewhere" not in response.content
    assert reverse("cities:detail", args=["lumen"]).encode() in response.content


def test_city_list_without_cities_invites_to_create_one(db: None) -> None:
    client = Client()
    client.force_login(UserFactory())
    response = client.get(reverse("cities:list"))
    assert response.status_code == 200
    assert b"You are not a member of any city yet" in response.content
    assert reverse("cities:create").encode() in response.content


def test_city_list_query_count_stays_flat(db: None, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    client = Client()
    client.force_login(user)
    for _ in range(3):
        CityFactory(owner=user)
    few = queries_for(client, reverse("cities:list"))
    for _ in range(27):
        city = CityFactory(owner=user)
        InitiativeFactory(city=city)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("cities:list"))
    assert len(response.context["cities"]) == 30


# ---- Creating a city ----------------------------------------------------------------------


def test_city_create_sends_anonymous_visitors_to_log_in(client: Client) -> None:
    url = reverse("cities:create")
    assert client.post(url, {"name": "X"}).url == login_url(url)
    assert not City.objects.filter(name="X").exists()


def test_city_create_makes_the_creator_owner_and_opens_the_city(db: None) -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("cities:create")).status_code == 200
    response = client.post(
        reverse("cities:create"),
        {
            "name": "Porto Novo",
            "slug": "",
            "country": "bj",
            "population": "264320",
            "development_context": "developing",
            "description": "Smart lighting first.",
        },
    )
    city = City.objects.get(slug="porto-novo")
    assert response.status_code == 302
    assert response.url == reverse("cities:detail", args=["porto-novo"])
    assert (city.name, city.country, city.population) == ("Porto Novo", "BJ", 264320)
    assert Membership.objects.get(city=city, user=user).role == Role.OWNER
    page = client.get(response.url)
    assert b"Porto Novo is created" in page.content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "country": "PT"}, "name", "This field is required."),
        ({"name": "Faro", "country": "P1"}, "country", "Enter the two-letter country code"),
        ({"name": "Faro", "population": "-5"}, "population", "greater than or equal to 0"),
        ({"name": "Faro", "slug": "new"}, "slug", "reserved"),
        ({"name": "Faro", "slug": "lumen"}, "slug", "already exists"),
    ],
)
def test_city_create_shows_field_errors_and_writes_nothing(
    city: City, data: dict[str, str], field: str, message: str
) -> None:
    client = Client()
    client.force_login(UserFactory())
    before = City.objects.count()
    response = client.post(reverse("cities:create"), {"development_context": "developed", **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert City.objects.count() == before
    assert b'aria-invalid="true"' in response.content
    assert f'id="id_{field}_error"'.encode() in response.content


# ---- City dashboard -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_city_detail_is_open_to_every_member(client_as: ClientAs, city: City, role: str) -> None:
    InitiativeFactory(city=city, name="Smart lighting")
    StakeholderFactory(city=city)
    response = client_as(role).get(reverse("cities:detail", args=[city.slug]))
    assert response.status_code == 200
    assert response.context["stakeholder_count"] == 1
    assert response.context["initiative_count"] == 1
    assert b"Smart lighting" in response.content
    assert reverse("stakeholders:list", args=[city.slug]).encode() in response.content
    assert reverse("stakeholders:completeness", args=[city.slug]).encode() in response.content
    assert reverse("stakeholders:summary", args=[city.slug]).encode() in response.content
    start = reverse("stakeholders:start", args=[city.slug]).encode()
    assert (start in response.content) == (role in {"owner", "analyst"})
    edit = reverse("cities:edit", args=[city.slug]).encode()
    assert (edit in response.content) == (role == "owner")


def test_city_detail_sends_anonymous_visitors_to_log_in(client_as: ClientAs, city: City) -> None:
    url = reverse("cities:detail", args=[city.slug])
    assert client_as(None).get(url).url == login_url(url)


def test_city_detail_hides_the_city_from_outsiders(client_as: ClientAs, city: City) -> None:
    assert_denied(client_as("outsider").get(reverse("cities:detail", args=[city.slug])), status=404)


def test_unknown_city_gives_the_not_found_page(client_as: ClientAs) -> None:
    assert_denied(client_as("viewer").get(reverse("cities:detail", args=["nowhere"])), status=404)


# ---- Editing a city -----------------------------------------------------------------------


def test_city_edit_saves_the_owners_changes(client_as: ClientAs, city: City) -> None:
    client = client_as("owner")
    url = reverse("cities:edit", args=[city.slug])
    assert client.get(url).context["form"].initial["name"] == "Lumen"
    response = client.post(
        url,
        {
            "name": "Lumen City",
            "country": "ke",
            "population": "1000",
            "development_context": "least_developed",
            "description": "New text",
        },
    )
    assert response.url == reverse("cities:detail", args=[city.slug])
    city.refresh_from_db()
    assert (city.name, city.country, city.population) == ("Lumen City", "KE", 1000)
    assert city.development_context == "least_developed"


@pytest.mark.parametrize("role", ["analyst", "contributor", "viewer"])
def test_city_edit_is_refused_to_other_roles(client_as: ClientAs, city: City, role: str) -> None:
    client = client_as(role)
    url = reverse("cities:edit", args=[city.slug])
    assert_denied(client.get(url), status=403)
    assert_denied(client.post(url, {"name": "Taken over"}), status=403)
    city.refresh_from_db()
    assert city.name == "Lumen"


def test_city_edit_access_for_anonymous_and_outsiders(client_as: ClientAs, city: City) -> None:
    url = reverse("cities:edit", args=[city.slug])
    assert client_as(None).get(url).url == login_url(url)
    assert_denied(client_as("outsider").get(url), status=404)


def test_city_edit_shows_field_errors_and_keeps_the_city(client_as: ClientAs, city: City) -> None:
    response = client_as("owner").post(
        reverse("cities:edit", args=[city.slug]),
        {"name": "", "country": "Portugal", "development_context": "nonsense"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "country", "development_context"}
    city.refresh_from_db()
    assert (city.name, city.country) == ("Lumen", "PT")


# ---- Members -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_members_are_listed_to_every_member(client_as: ClientAs, city: City, role: str) -> None:
    response = client_as(role).get(reverse("cities:members", args=[city.slug]))
    assert response.status_code == 200
    assert b"olivia" in response.content
    assert (response.context["form"] is not None) == (role == "owner")
    assert (b"Add a member" in response.content) == (role == "owner")


def test_members_access_for_anonymous_and_outsiders(client_as: ClientAs, city: City) -> None:
    url = reverse("cities:members", args=[city.slug])
    assert client_as(None).get(url).url == login_url(url)
    assert_denied(client_as("outsider").get(url), status=404)


def test_owner_adds_a_contributor_acting_for_a_stakeholder(client_as: ClientAs, city: City) -> None:
    stakeholder = StakeholderFactory(city=city, name="Lumen Water")
    newcomer = UserFactory(username="nadia")
    response = client_as("owner").post(
        reverse("cities:members", args=[city.slug]),
        {"username": "Nadia", "role": "contributor", "stakeholder": stakeholder.pk},
    )
    assert response.url == reverse("cities:members", args=[city.slug])
    membership = Membership.objects.get(city=city, user=newcomer)
    assert (membership.role, membership.stakeholder) == ("contributor", stakeholder)


@pytest.mark.parametrize("role", ["analyst", "contributor", "viewer"])
def test_only_owners_add_members(client_as: ClientAs, city: City, role: str) -> None:
    newcomer = UserFactory()
    response = client_as(role).post(
        reverse("cities:members", args=[city.slug]),
        {"username": newcomer.username, "role": "owner"},
    )
    assert_denied(response, status=403)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_adding_an_unknown_user_names_the_field(client_as: ClientAs, city: City) -> None:
    client = client_as("owner")
    before = Membership.objects.count()
    response = client.post(
        reverse("cities:members", args=[city.slug]), {"username": "ghost", "role": "viewer"}
    )
    assert response.status_code == 200
    assert "No account has this user name" in response.context["form"].errors["username"][0]
    assert Membership.objects.count() == before


def test_adding_a_stakeholder_of_another_city_is_refused(client_as: ClientAs, city: City) -> None:
    foreign = StakeholderFactory(city=CityFactory())
    newcomer = UserFactory()
    response = client_as("owner").post(
        reverse("cities:members", args=[city.slug]),
        {"username": newcomer.username, "role": "contributor", "stakeholder": foreign.pk},
    )
    assert response.status_code == 200
    assert "stakeholder" in response.context["form"].errors
    assert not Membership.objects.filter(user=newcomer).exists()


def test_owner_changes_a_role(client_as: ClientAs, city: City, user_in) -> None:  # type: ignore[no-untyped-def]
    viewer = user_in("viewer")
    membership = Membership.objects.get(city=city, user=viewer)
    response = client_as("owner").post(
        reverse("cities:member_change", args=[city.slug, membership.pk]), {"role": "analyst"}
    )
    assert response.url == reverse("cities:members", args=[city.slug])
    membership.refresh_from_db()
    assert membership.role == "analyst"


def test_a_viewer_cannot_change_roles(client_as: ClientAs, city: City, owner: User) -> None:
    membership = Membership.objects.get(city=city, user=owner)
    response = client_as("viewer").post(
        reverse("cities:member_change", args=[city.slug, membership.pk]), {"role": "viewer"}
    )
    assert_denied(response, status=403)
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_the_last_owner_cannot_step_down(city: City, owner: User) -> None:
    client = Client()
    client.force_login(owner)
    membership = Membership.objects.get(city=city, user=owner)
    response = client.post(
        reverse("cities:member_change", args=[city.slug, membership.pk]),
        {"role": "viewer"},
        follow=True,
    )
    assert b"A city needs at least one owner" in response.content
    assert b'role="alert"' in response.content
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_removing_a_member_asks_first_then_removes(
    client_as: ClientAs, city: City, user_in
) -> None:  # type: ignore[no-untyped-def]
    analyst = user_in("analyst")
    membership = Membership.objects.get(city=city, user=analyst)
    client = client_as("owner")
    url = reverse("cities:member_remove", args=[city.slug, membership.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f"Remove {analyst.username} from Lumen?".encode() in page.content
    assert client.post(url).status_code == 200  # no confirmation: the question again
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url, {"confirmed": "yes"})
    assert response.url == reverse("cities:members", args=[city.slug])
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_last_owner_is_refused_clearly(city: City, owner: User) -> None:
    client = Client()
    client.force_login(owner)
    membership = Membership.objects.get(city=city, user=owner)
    response = client.post(
        reverse("cities:member_remove", args=[city.slug, membership.pk]),
        {"confirmed": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert b"was not removed" in response.content
    assert b"A city needs at least one owner" in response.content
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("role", ["analyst", "contributor", "viewer"])
def test_only_owners_remove_members(
    client_as: ClientAs, city: City, owner: User, role: str
) -> None:
    membership = Membership.objects.get(city=city, user=owner)
    response = client_as(role).post(
        reverse("cities:member_remove", args=[city.slug, membership.pk]), {"confirmed": "yes"}
    )
    assert_denied(response, status=403)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_city_is_not_found(client_as: ClientAs, city: City) -> None:
    other = Membership.objects.get(city=CityFactory())
    response = client_as("owner").post(
        reverse("cities:member_remove", args=[city.slug, other.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


# ---- Initiatives: list -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_initiative_list_is_open_to_every_member(
    client_as: ClientAs, city: City, role: str
) -> None:
    initiative = InitiativeFactory(city=city, name="Open data portal")
    CategorizationFactory(stakeholder=StakeholderFactory(city=city), initiative=initiative)
    response = client_as(role).get(reverse("cities:initiative_list", args=[city.slug]))
    assert response.status_code == 200
    assert [i.categorized_count for i in response.context["initiatives"]] == [1]
    assert b"Open data portal" in response.content
    new = reverse("cities:initiative_create", args=[city.slug]).encode()
    assert (new in response.content) == (role in {"owner", "analyst"})


def test_initiative_list_access_for_anonymous_and_outsiders(
    client_as: ClientAs, city: City
) -> None:
    url = reverse("cities:initiative_list", args=[city.slug])
    assert client_as(None).get(url).url == login_url(url)
    assert_denied(client_as("outsider").get(url), status=404)


def test_initiative_list_shows_archived_ones_on_request(client_as: ClientAs, city: City) -> None:
    InitiativeFactory(city=city, name="Current")
    old = InitiativeFactory(city=city, name="Finished long ago")
    old.archived_at = old.created_at
    old.save()
    client = client_as("viewer")
    url = reverse("cities:initiative_list", args=[city.slug])
    assert [i.name for i in client.get(url).context["initiatives"]] == ["Current"]
    shown = client.get(url, {"archived": "1"})
    assert [i.name for i in shown.context["initiatives"]] == ["Current", "Finished long ago"]
    assert b"Hide archived" in shown.content


def test_initiative_list_without_initiatives_invites_to_create(
    client_as: ClientAs, city: City
) -> None:
    response = client_as("analyst").get(reverse("cities:initiative_list", args=[city.slug]))
    assert b"No initiatives yet" in response.content
    assert reverse("cities:initiative_create", args=[city.slug]).encode() in response.content


def test_initiative_list_query_count_stays_flat(
    client_as: ClientAs,
    city: City,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_as("viewer")
    url = reverse("cities:initiative_list", args=[city.slug])
    stakeholder = StakeholderFactory(city=city)
    for _ in range(3):
        CategorizationFactory(stakeholder=stakeholder, initiative=InitiativeFactory(city=city))
    few = queries_for(client, url)
    for _ in range(27):
        CategorizationFactory(stakeholder=stakeholder, initiative=InitiativeFactory(city=city))
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["initiatives"]) == 30
    assert {i.categorized_count for i in response.context["initiatives"]} == {1}


def test_initiative_list_paginates_and_keeps_the_filter(client_as: ClientAs, city: City) -> None:
    for number in range(55):
        InitiativeFactory(city=city, name=f"Initiative {number:02d}")
    client = client_as("viewer")
    url = reverse("cities:initiative_list", args=[city.slug])
    first = client.get(url, {"archived": "1"})
    assert len(first.context["initiatives"]) == 50
    assert b"?archived=1&amp;page=2" in first.content
    second = client.get(url, {"archived": "1", "page": "2"})
    assert len(second.context["initiatives"]) == 5


# ---- Initiatives: create --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "analyst"])
def test_initiative_create_by_owners_and_analysts(
    client_as: ClientAs, city: City, role: str
) -> None:
    client = client_as(role)
    url = reverse("cities:initiative_create", args=[city.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Smart street lighting",
            "status": "active",
            "start_date": "2025-01-01",
            "end_date": "2026-06-30",
            "description": "LED and sensors.",
        },
    )
    initiative = Initiative.objects.get(city=city, name="Smart street lighting")
    assert response.url == reverse("cities:initiative_detail", args=[city.slug, initiative.pk])
    assert (initiative.status, initiative.end_date) == ("active", date(2026, 6, 30))


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_initiative_create_is_refused_to_other_roles(
    client_as: ClientAs, city: City, role: str
) -> None:
    client = client_as(role)
    url = reverse("cities:initiative_create", args=[city.slug])
    assert_denied(client.get(url), status=403)
    assert_denied(client.post(url, {"name": "Sneaky", "status": "planned"}), status=403)
    assert not Initiative.objects.filter(name="Sneaky").exists()


def test_initiative_create_access_for_anonymous_and_outsiders(
    client_as: ClientAs, city: City
) -> None:
    url = reverse("cities:initiative_create", args=[city.slug])
    assert client_as(None).get(url).url == login_url(url)
    assert_denied(client_as("outsider").post(url, {"name": "X", "status": "planned"}), status=404)
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "Lighting", "start_date": "2025-05-01", "end_date": "2025-01-01"},
            "end_date",
            "must not come before the start date",
        ),
        ({"name": "Existing"}, "name", "already has an initiative with this name"),
        ({"name": "Lighting", "start_date": "31/31/2025"}, "start_date", "Enter a valid date"),
        ({"name": "", "status": "planned"}, "name", "This field is required"),
        ({"name": "Lighting", "status": "dreaming"}, "status", "Select a valid choice"),
    ],
)
def test_initiative_create_shows_field_errors_and_writes_nothing(
    client_as: ClientAs, city: City, data: dict[str, str], field: str, message: str
) -> None:
    InitiativeFactory(city=city, name="Existing")
    response = client_as("analyst").post(
        reverse("cities:initiative_create", args=[city.slug]), {"status": "planned", **data}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Initiative.objects.filter(city=city).count() == 1
    assert f'id="id_{field}_error"'.encode() in response.content


# ---- Initiatives: detail ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_initiative_detail_is_open_to_every_member(
    client_as: ClientAs, city: City, role: str
) -> None:
    initiative = InitiativeFactory(city=city, name="Smart water", description="Leak detection.")
    response = client_as(role).get(
        reverse("cities:initiative_detail", args=[city.slug, initiative.pk])
    )
    assert response.status_code == 200
    assert b"Leak detection." in response.content
    categorization = reverse(
        "stakeholders:initiative_categorization", args=[city.slug, initiative.pk]
    )
    assert categorization.encode() in response.content
    edit = reverse("cities:initiative_edit", args=[city.slug, initiative.pk]).encode()
    assert (edit in response.content) == (role in {"owner", "analyst"})
    archive = reverse("cities:initiative_archive", args=[city.slug, initiative.pk]).encode()
    assert (archive in response.content) == (role == "owner")


def test_initiative_detail_access_for_anonymous_and_outsiders(
    client_as: ClientAs, city: City
) -> None:
    initiative = InitiativeFactory(city=city)
    url = reverse("cities:initiative_detail", args=[city.slug, initiative.pk])
    assert client_as(None).get(url).url == login_url(url)
    assert_denied(client_as("outsider").get(url), status=404)


def test_an_initiative_of_another_city_is_not_found(client_as: ClientAs, city: City) -> None:
    foreign = InitiativeFactory(city=CityFactory())
    response = client_as("owner").get(
        reverse("cities:initiative_detail", args=[city.slug, foreign.pk])
    )
    assert_denied(response, status=404)


# ---- Initiatives: edit ------------------------------------------------------------------------


def edit_data(initiative: Initiative, **changes: str) -> dict[str, str]:
    return {
        "name": initiative.name,
        "status": initiative.status,
        "start_date": "",
        "end_date": "",
        "description": initiative.description,
        "version": str(initiative.version),
        **changes,
    }


@pytest.mark.parametrize("role", ["owner", "analyst"])
def test_initiative_edit_saves_and_bumps_the_version(
    client_as: ClientAs, city: City, role: str
) -> None:
    initiative = InitiativeFactory(city=city, name="Lighting")
    client = client_as(role)
    url = reverse("cities:initiative_edit", args=[city.slug, initiative.pk])
    form = client.get(url).context["form"]
    assert form.initial["version"] == 1
    response = client.post(url, edit_data(initiative, name="Smart lighting", status="active"))
    assert response.url == reverse("cities:initiative_detail", args=[city.slug, initiative.pk])
    initiative.refresh_from_db()
    assert (initiative.name, initiative.status, initiative.version) == (
        "Smart lighting",
        "active",
        2,
    )


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_initiative_edit_is_refused_to_other_roles(
    client_as: ClientAs, city: City, role: str
) -> None:
    initiative = InitiativeFactory(city=city, name="Lighting")
    url = reverse("cities:initiative_edit", args=[city.slug, initiative.pk])
    client = client_as(role)
    assert_denied(client.get(url), status=403)
    assert_denied(client.post(url, edit_data(initiative, name="Changed")), status=403)
    initiative.refresh_from_db()
    assert initiative.name == "Lighting"


def test_initiative_edit_access_for_anonymous_and_outsiders(
    client_as: ClientAs, city: City
) -> None:
    initiative = InitiativeFactory(city=city)
    url = reverse("cities:initiative_edit", args=[city.slug, initiative.pk])
    assert client_as(None).get(url).url == login_url(url)
    assert_denied(client_as("outsider").get(url), status=404)


def test_a_stale_edit_is_refused_and_keeps_the_input(client_as: ClientAs, city: City) -> None:
    initiative = InitiativeFactory(city=city, name="Lighting")
    url = reverse("cities:initiative_edit", args=[city.slug, initiative.pk])
    first, second = client_as("owner"), client_as("analyst")
    stale = edit_data(initiative)  # both opened the form at version 1
    assert first.post(url, {**stale, "name": "Street lighting"}).status_code == 302
    response = second.post(url, {**stale, "name": "Public lighting", "description": "Mine"})
    assert response.status_code == 409
    assert b"Someone else changed this record after you opened it." in response.content
    assert b'value="Public lighting"' in response.content
    assert b"Mine</textarea>" in response.content
    assert b"What is saved now" in response.content
    initiative.refresh_from_db()
    assert (initiative.name, initiative.version) == ("Street lighting", 2)


def test_initiative_edit_shows_field_errors_and_writes_nothing(
    client_as: ClientAs, city: City
) -> None:
    initiative = InitiativeFactory(city=city, name="Lighting")
    response = client_as("owner").post(
        reverse("cities:initiative_edit", args=[city.slug, initiative.pk]),
        edit_data(initiative, start_date="2025-05-01", end_date="2025-01-01"),
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    initiative.refresh_from_db()
    assert (initiative.start_date, initiative.version) == (None, 1)


# ---- Initiatives: archive ---------------------------------------------------------------------


def test_initiative_archive_asks_then_archives_and_restores(
    client_as: ClientAs, city: City
) -> None:
    initiative = InitiativeFactory(city=city, name="Lighting")
    client = client_as("owner")
    url = reverse("cities:initiative_archive", args=[city.slug, initiative.pk])
    page = client.get(url)
    assert b"Archive the initiative \xe2\x80\x9cLighting\xe2\x80\x9d?" in page.content
    assert client.post(url, {"archived": "1"}).status_code == 200  # not confirmed yet
    initiative.refresh_from_db()
    assert initiative.archived_at is None
    response = client.post(url, {"archived": "1", "confirmed": "yes"})
    assert response.url == reverse("cities:initiative_detail", args=[city.slug, initiative.pk])
    initiative.refresh_from_db()
    assert initiative.archived_at is not None
    client.post(url, {"archived": "0", "confirmed": "yes"})
    initiative.refresh_from_db()
    assert initiative.archived_at is None


@pytest.mark.parametrize("role", ["analyst", "contributor", "viewer"])
def test_initiative_archive_is_for_owners_only(client_as: ClientAs, city: City, role: str) -> None:
    initiative = InitiativeFactory(city=city)
    url = reverse("cities:initiative_archive", args=[city.slug, initiative.pk])
    assert_denied(client_as(role).post(url, {"archived": "1", "confirmed": "yes"}), status=403)
    initiative.refresh_from_db()
    assert initiative.archived_at is None


def test_initiative_archive_access_for_anonymous_and_outsiders(
    client_as: ClientAs, city: City
) -> None:
    initiative = InitiativeFactory(city=city)
    url = reverse("cities:initiative_archive", args=[city.slug, initiative.pk])
    assert client_as(None).post(url, {"confirmed": "yes"}).url == login_url(url)
    assert_denied(client_as("outsider").post(url, {"confirmed": "yes"}), status=404)
    initiative.refresh_from_db()
    assert initiative.archived_at is None


# ---- Error pages -----------------------------------------------------------------------------


def test_the_server_error_page_renders_without_a_request() -> None:
    html = render_to_string("errors/500.html")
    assert "Something went wrong on our side" in html
    assert "Log out" not in html


def test_members_page_lists_roles_as_badges(client_as: ClientAs, city: City) -> None:
    member(city, "analyst", username="ana")
    response = client_as("viewer").get(reverse("cities:members", args=[city.slug]))
    assert b'<span class="badge badge-analyst">Analyst</span>' in response.content
