"""The registry, categorization and analysis-matrix pages: who sees what, what a save does."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.accounts.models import User
from civitas.accounts.services import membership_set
from civitas.catalogue.models import DefaultMatrixItem
from civitas.cities.models import City, Initiative
from civitas.stakeholders.models import Categorization, ContactPerson, MatrixItem, Stakeholder
from civitas.stakeholders.services import (
    categorization_set,
    contact_add,
    matrix_default_dismiss,
    matrix_default_edit,
    matrix_item_add,
    stakeholder_archive,
    stakeholder_update,
)
from tests.factories import (
    CategorizationFactory,
    InitiativeFactory,
    StakeholderFactory,
    UserFactory,
    stakeholder_type,
)

pytestmark = pytest.mark.django_db

ALL = ("owner", "analyst", "contributor", "viewer", "outsider", None)
EDITORS = ("owner", "analyst")
MEMBERS = ("owner", "analyst", "contributor", "viewer")


def login_url(next_url: str) -> str:
    return f"{reverse('accounts:login')}?next={next_url}"


def expected_for(role: str | None, allowed: tuple[str, ...]) -> int:
    """Return the status a role gets: allowed 200, other members 403, outsiders 404."""
    if role in allowed:
        return 200
    if role in MEMBERS:
        return 403
    return 404


def text_of(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def ngo(city: City) -> Stakeholder:
    return StakeholderFactory(city=city, name="Green Lumen", type=stakeholder_type("ngo"))


@pytest.fixture
def initiative(city: City) -> Initiative:
    return InitiativeFactory(city=city, name="Smart street lights")


@pytest.fixture
def owner_client(client_as: Callable[[str | None], Client]) -> Client:
    return client_as("owner")


def contributor_for(city: City, stakeholder: Stakeholder) -> Client:
    """Return a client of a contributor who acts for the stakeholder."""
    user = UserFactory()
    membership_set(city=city, user=user, role="contributor", by=None, stakeholder=stakeholder)
    client = Client()
    client.force_login(user)
    return client


# Who may open which page --------------------------------------------------------------


def page_urls(city: City, stakeholder: Stakeholder, initiative: Initiative) -> dict[str, str]:
    contact = contact_add(stakeholder=stakeholder, by=None, name="Ana Costa")
    item = matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Own aim", by=None)
    default = DefaultMatrixItem.objects.filter(type=stakeholder.type).first()
    assert default is not None
    categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)
    other = InitiativeFactory(city=city, name="Open data")
    one = [city.slug, stakeholder.pk]
    return {
        "list": reverse("stakeholders:list", args=[city.slug]),
        "detail": reverse("stakeholders:detail", args=one),
        "completeness": reverse("stakeholders:completeness", args=[city.slug]),
        "summary": reverse("stakeholders:summary", args=[city.slug]),
        "initiative_categorization": reverse(
            "stakeholders:initiative_categorization", args=[city.slug, initiative.pk]
        ),
        "figure2_svg": reverse("stakeholders:figure2_svg", args=[city.slug, initiative.pk]),
        "grid_svg": reverse("stakeholders:grid_svg", args=[city.slug, initiative.pk]),
        "create": reverse("stakeholders:create", args=[city.slug]),
        "start": reverse("stakeholders:start", args=[city.slug]),
        "edit": reverse("stakeholders:edit", args=one),
        "merge": reverse("stakeholders:merge", args=one),
        "delete": reverse("stakeholders:delete", args=one),
        "contact_add": reverse("stakeholders:contact_add", args=one),
        "contact_edit": reverse("stakeholders:contact_edit", args=[*one, contact.pk]),
        "contact_delete": reverse("stakeholders:contact_delete", args=[*one, contact.pk]),
        "categorize": reverse("stakeholders:categorize", args=[*one, other.pk]),
        "categorize_existing": reverse("stakeholders:categorize", args=[*one, initiative.pk]),
        "categorization_delete": reverse(
            "stakeholders:categorization_delete", args=[*one, initiative.pk]
        ),
        "matrix_add": reverse("stakeholders:matrix_add", args=one),
        "matrix_item_edit": reverse("stakeholders:matrix_item_edit", args=[*one, item.pk]),
        "matrix_item_delete": reverse("stakeholders:matrix_item_delete", args=[*one, item.pk]),
        "matrix_default_edit": reverse("stakeholders:matrix_default_edit", args=[*one, default.pk]),
        "matrix_default_dismiss": reverse(
            "stakeholders:matrix_default_dismiss", args=[*one, default.pk]
        ),
        "matrix_default_restore": reverse(
            "stakeholders:matrix_default_restore", args=[*one, default.pk]
        ),
    }


READ_PAGES = (
    "list",
    "detail",
    "completeness",
    "summary",
    "initiative_categorization",
    "figure2_svg",
    "grid_svg",
)
EDIT_PAGES = (
    "create",
    "start",
    "edit",
    "merge",
    "contact_add",
    "contact_edit",
    "contact_delete",
    "categorize",
    "categorize_existing",
    "categorization_delete",
)
MATRIX_PAGES = (
    "matrix_add",
    "matrix_item_edit",
    "matrix_item_delete",
    "matrix_default_edit",
    "matrix_default_dismiss",
    "matrix_default_restore",
)


@pytest.mark.parametrize("role", ALL)
def test_every_page_answers_each_role(
    role: str | None, city: City, ngo: Stakeholder, initiative: Initiative, client_as: Any
) -> None:
    urls = page_urls(city, ngo, initiative)
    client = client_as(role)
    for page in (*READ_PAGES, *EDIT_PAGES, *MATRIX_PAGES, "delete"):
        url = urls[page]
        response = client.get(url)
        if role is None:
            assert response.status_code == 302, page
            assert response.url == login_url(url), page
            continue
        if page in READ_PAGES:
            expected = expected_for(role, MEMBERS)
        elif page == "delete":
            # The stakeholder has records: editors are sent back with an explanation.
            expected = {200: 302}.get(expected_for(role, EDITORS), expected_for(role, EDITORS))
        else:
            expected = expected_for(role, EDITORS)
        assert response.status_code == expected, (page, role, response.status_code)


def test_a_contributor_may_change_the_matrix_of_their_own_stakeholder_only(
    city: City, ngo: Stakeholder, initiative: Initiative
) -> None:
    urls = page_urls(city, ngo, initiative)
    own = contributor_for(city, ngo)
    other = contributor_for(city, StakeholderFactory(city=city, name="Elsewhere"))
    for page in MATRIX_PAGES:
        assert own.get(urls[page]).status_code == 200, page
        assert other.get(urls[page]).status_code == 403, page
    for page in ("edit", "contact_add", "categorize"):
        assert own.get(urls[page]).status_code == 403, page
    response = own.post(urls["matrix_add"], {"dimension": "challenge", "text": "Few volunteers"})
    assert response.status_code == 302
    assert ngo.matrix_items.filter(text="Few volunteers").exists()
    detail = text_of(own.get(urls["detail"]))
    assert "Add to challenges" in detail
    assert reverse("stakeholders:edit", args=[city.slug, ngo.pk]) not in detail


@pytest.mark.parametrize("role", ("contributor", "viewer"))
def test_confidential_stakeholders_are_hidden_from_contributors_and_viewers(
    role: str, city: City, client_as: Any
) -> None:
    secret = StakeholderFactory(city=city, name="Quiet Investor", confidential=True)
    StakeholderFactory(city=city, name="Open Forum")
    client = client_as(role)
    listing = text_of(client.get(reverse("stakeholders:list", args=[city.slug])))
    assert "Open Forum" in listing
    assert "Quiet Investor" not in listing
    assert (
        client.get(reverse("stakeholders:detail", args=[city.slug, secret.pk])).status_code == 404
    )
    assert "Quiet Investor" not in text_of(
        client.get(reverse("stakeholders:summary", args=[city.slug]))
    )


@pytest.mark.parametrize("role", EDITORS)
def test_owners_and_analysts_see_confidential_stakeholders(
    role: str, city: City, client_as: Any
) -> None:
    secret = StakeholderFactory(city=city, name="Quiet Investor", confidential=True)
    client = client_as(role)
    assert "Quiet Investor" in text_of(client.get(reverse("stakeholders:list", args=[city.slug])))
    response = client.get(reverse("stakeholders:detail", args=[city.slug, secret.pk]))
    assert response.status_code == 200
    assert "confidential" in text_of(response)


def test_a_stakeholder_of_another_city_is_not_found(
    city: City, owner: User, owner_client: Client
) -> None:
    elsewhere = StakeholderFactory(name="Foreign Body")
    url = reverse("stakeholders:detail", args=[city.slug, elsewhere.pk])
    assert owner_client.get(url).status_code == 404
    url = reverse("stakeholders:edit", args=[city.slug, elsewhere.pk])
    assert owner_client.post(url, {"name": "Taken over"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Foreign Body"


def test_posts_are_refused_to_viewers_and_change_nothing(
    city: City, ngo: Stakeholder, initiative: Initiative, client_as: Any
) -> None:
    client = client_as("viewer")
    one = [city.slug, ngo.pk]
    posts = [
        (reverse("stakeholders:create", args=[city.slug]), {"name": "X", "type": "ngo"}),
        (reverse("stakeholders:edit", args=one), {"name": "Renamed"}),
        (reverse("stakeholders:archive", args=one), {"archived": "1"}),
        (reverse("stakeholders:delete", args=one), {"confirmed": "yes"}),
        (reverse("stakeholders:start", args=[city.slug]), {}),
        (reverse("stakeholders:matrix_add", args=one), {"dimension": "aim", "text": "x"}),
        (
            reverse("stakeholders:categorize", args=[*one, initiative.pk]),
            {"power_monetary": 1, "power_administrative": 1, "interest": 1, "attitude": 0},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    ngo.refresh_from_db()
    assert ngo.name == "Green Lumen"
    assert ngo.archived_at is None
    assert Stakeholder.objects.filter(city=city).count() == 1
    assert not MatrixItem.objects.exists()
    assert not Categorization.objects.exists()
    initiative_url = reverse(
        "stakeholders:initiative_categorization", args=[city.slug, initiative.pk]
    )
    client.post(initiative_url, {"stakeholders": [ngo.pk]})
    assert not Categorization.objects.exists()


def test_anonymous_posts_go_to_the_login_page(city: City, ngo: Stakeholder) -> None:
    url = reverse("stakeholders:archive", args=[city.slug, ngo.pk])
    response = Client().post(url)
    assert response.url == login_url(url)
    ngo.refresh_from_db()
    assert ngo.archived_at is None


# The registry list ------------------------------------------------------------------------


def names_in(response: Any) -> list[str]:
    """Return the stakeholder names of the registry table, in order."""
    body = text_of(response)
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in body else ""
    return re.findall(r'<a href="/cities/[^"]+/stakeholders/\d+/">([^<]+)</a>', table)


def test_the_registry_filters_by_search_type_sector_level_tag_and_role(
    city: City, owner_client: Client, initiative: Initiative
) -> None:
    municipality = StakeholderFactory(
        city=city, name="City Hall", type=stakeholder_type("municipality")
    )
    unit_type = stakeholder_type("municipality").units.first()
    StakeholderFactory(city=city, name="Mobility Office", type=unit_type, parent=municipality)
    StakeholderFactory(
        city=city,
        name="Riverside Residents",
        type=stakeholder_type("citizens"),
        tags="river; parks",
    )
    StakeholderFactory(
        city=city,
        name="Ministry of Energy",
        type=stakeholder_type("national_regional_government"),
        levels=["national"],
        description="Sets the energy policy",
    )
    opponent = StakeholderFactory(
        city=city, name="Car Club", type=stakeholder_type("ngo"), levels=["local"]
    )
    categorization_set(
        stakeholder=opponent, initiative=initiative, by=None, lfa_roles=["potential_opponent"]
    )
    url = reverse("stakeholders:list", args=[city.slug])

    def names(**params: Any) -> list[str]:
        return names_in(owner_client.get(url, params))

    assert names(q="energy") == ["Ministry of Energy"]
    assert names(q="RIVER") == ["Riverside Residents"]
    assert names(type="municipality") == ["City Hall", "Mobility Office"]
    assert names(sector="citizens") == ["Riverside Residents"]
    assert names(level="national") == ["Ministry of Energy"]
    assert names(tag="parks") == ["Riverside Residents"]
    assert names(lfa_role="potential_opponent") == ["Car Club"]
    assert names(lfa_role="potential_opponent", initiative=initiative.pk) == ["Car Club"]
    other = InitiativeFactory(city=city, name="Other")
    assert names(lfa_role="potential_opponent", initiative=other.pk) == []
    assert names(sector="private") == []
    page = text_of(owner_client.get(url, {"sector": "private"}))
    assert "No stakeholder matches these filters" in page


def test_the_registry_offers_the_vocabulary_catalogue_and_tags_as_choices(
    city: City, owner_client: Client
) -> None:
    StakeholderFactory(city=city, name="Riverside Residents", tags="river; parks")
    body = text_of(owner_client.get(reverse("stakeholders:list", args=[city.slug])))
    assert '<option value="parks">parks</option>' in body
    assert '<optgroup label="Municipal units (Table 1)">' in body
    assert "(and its units)" in body
    assert '<option value="potential_opponent">Affected: potential opponent</option>' in body


def test_the_registry_sorts_by_each_column(city: City, owner_client: Client) -> None:
    StakeholderFactory(city=city, name="Beta", type=stakeholder_type("ngo"), sector="public")
    StakeholderFactory(
        city=city, name="Alpha", type=stakeholder_type("citizens"), sector="citizens"
    )
    gamma = StakeholderFactory(
        city=city, name="Gamma", type=stakeholder_type("municipality"), sector="civil_society"
    )
    stakeholder_update(stakeholder=gamma, by=None, expected_version=None, description="new")
    url = reverse("stakeholders:list", args=[city.slug])
    assert names_in(owner_client.get(url)) == ["Alpha", "Beta", "Gamma"]
    assert names_in(owner_client.get(url, {"sort": "-name"})) == ["Gamma", "Beta", "Alpha"]
    assert names_in(owner_client.get(url, {"sort": "type"})) == ["Gamma", "Beta", "Alpha"]
    assert names_in(owner_client.get(url, {"sort": "sector"})) == ["Alpha", "Gamma", "Beta"]
    assert names_in(owner_client.get(url, {"sort": "-updated"}))[0] == "Gamma"
    assert names_in(owner_client.get(url, {"sort": "nonsense"})) == ["Alpha", "Beta", "Gamma"]
    body = text_of(owner_client.get(url, {"sort": "name"}))
    assert "?sort=-name" in body  # the active column's link reverses the order
    assert 'aria-sort="ascending"' in body


def test_the_registry_pages_by_fifty(city: City, owner_client: Client) -> None:
    for number in range(51):
        StakeholderFactory(city=city, name=f"Stakeholder {number:02d}")
    url = reverse("stakeholders:list", args=[city.slug])
    first = owner_client.get(url)
    assert len(names_in(first)) == 50
    assert "?page=2" in text_of(first)
    second = owner_client.get(url, {"page": 2})
    assert names_in(second) == ["Stakeholder 50"]
    assert names_in(owner_client.get(url, {"page": "999"})) == ["Stakeholder 50"]


def test_the_registry_shows_badges_and_hides_archived_unless_asked(
    city: City, owner_client: Client
) -> None:
    StakeholderFactory(city=city, name="Placeholder One", is_placeholder=True)
    StakeholderFactory(
        city=city,
        name="Checked Forum",
        validation_steps=["definition", "classification", "supplements", "literature"],
    )
    gone = StakeholderFactory(city=city, name="Old Partner")
    stakeholder_archive(stakeholder=gone, by=None)
    url = reverse("stakeholders:list", args=[city.slug])
    body = text_of(owner_client.get(url))
    assert "Old Partner" not in body
    assert "badge-warning" in body and ">placeholder<" in body
    assert ">validated<" in body
    archived = owner_client.get(url, {"archived": "on"})
    assert names_in(archived) == ["Old Partner"]
    assert names_in(owner_client.get(url, {"placeholders": "on"})) == ["Placeholder One"]


def test_an_empty_registry_points_to_the_supplement_and_the_form(
    city: City, owner_client: Client
) -> None:
    body = text_of(owner_client.get(reverse("stakeholders:list", args=[city.slug])))
    assert "The registry is empty" in body
    assert reverse("stakeholders:start", args=[city.slug]) in body
    assert reverse("stakeholders:create", args=[city.slug]) in body


def test_htmx_gets_only_the_results_and_a_plain_request_the_page(
    city: City, ngo: Stakeholder, owner_client: Client
) -> None:
    url = reverse("stakeholders:list", args=[city.slug])
    fragment = owner_client.get(url, {"q": "green"}, headers={"HX-Request": "true"})
    assert "<html" not in text_of(fragment)
    assert names_in(fragment) == ["Green Lumen"]
    assert 'hx-swap-oob="true"' in text_of(fragment)
    assert "HX-Request" in fragment["Vary"]
    page = owner_client.get(url, {"q": "green"})
    assert "<html" in text_of(page)
    assert 'hx-get="' in text_of(page)
    restore = owner_client.get(
        url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in text_of(restore)


def _populate(city: City, count: int, initiatives: list[Initiative]) -> None:
    parent = StakeholderFactory(
        city=city, name=f"Municipality {count}", type=stakeholder_type("municipality")
    )
    unit_type = stakeholder_type("municipality").units.first()
    for number in range(count):
        stakeholder = StakeholderFactory(
            city=city,
            name=f"Org {count}-{number}",
            type=unit_type if number % 3 == 0 else stakeholder_type("ngo"),
            parent=parent if number % 3 == 0 else None,
            tags=f"tag{number % 4}; shared",
            confidential=number % 5 == 0,
        )
        for initiative in initiatives:
            categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)
        matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Own aim", by=None)


def _queries(client: Client, url: str, params: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"lfa_role": "active", "tag": "shared", "sort": "-type"}],
    ids=["plain", "filtered"],
)
def test_the_registry_keeps_a_flat_query_count(
    city: City, owner_client: Client, django_assert_max_num_queries: Any, params: dict
) -> None:
    initiatives = [InitiativeFactory(city=city), InitiativeFactory(city=city)]
    url = reverse("stakeholders:list", args=[city.slug])
    _populate(city, 5, initiatives)
    few = _queries(owner_client, url, params)
    _populate(city, 50, initiatives)
    with django_assert_max_num_queries(few):
        response = owner_client.get(url, params)
    assert len(names_in(response)) == 50


def test_the_stakeholder_page_keeps_a_flat_query_count(
    city: City, owner_client: Client, django_assert_max_num_queries: Any
) -> None:
    stakeholder = StakeholderFactory(
        city=city, name="Busy Partner", type=stakeholder_type("municipality")
    )
    url = reverse("stakeholders:detail", args=[city.slug, stakeholder.pk])
    unit_type = stakeholder_type("municipality").units.first()
    defaults = list(DefaultMatrixItem.objects.filter(type=stakeholder.type))

    def grow(count: int, offset: int) -> None:
        for number in range(offset, offset + count):
            StakeholderFactory(city=city, name=f"Unit {number}", type=unit_type, parent=stakeholder)
            initiative = InitiativeFactory(city=city, name=f"Initiative {number}")
            categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)
            contact_add(stakeholder=stakeholder, by=None, name=f"Contact {number}")
            matrix_item_add(stakeholder=stakeholder, dimension="aim", text=f"Aim {number}", by=None)
            stakeholder_update(
                stakeholder=stakeholder, by=None, expected_version=None, description=f"v{number}"
            )
        matrix_default_edit(
            stakeholder=stakeholder, default=defaults[offset], text=f"Edited {offset}", by=None
        )

    grow(2, 0)
    few = _queries(owner_client, url)
    grow(20, 2)
    with django_assert_max_num_queries(few):
        owner_client.get(url)


def test_the_summary_keeps_a_flat_query_count(
    city: City, owner_client: Client, django_assert_max_num_queries: Any
) -> None:
    initiatives = [InitiativeFactory(city=city)]
    url = reverse("stakeholders:summary", args=[city.slug])
    _populate(city, 5, initiatives)
    few = _queries(owner_client, url)
    _populate(city, 50, initiatives)
    with django_assert_max_num_queries(few):
        owner_client.get(url)


def test_the_initiative_page_keeps_a_flat_query_count(
    city: City, owner_client: Client, initiative: Initiative, django_assert_max_num_queries: Any
) -> None:
    url = reverse("stakeholders:initiative_categorization", args=[city.slug, initiative.pk])
    _populate(city, 5, [initiative])
    few = _queries(owner_client, url)
    _populate(city, 50, [initiative])
    with django_assert_max_num_queries(few):
        owner_client.get(url)


# Create and edit --------------------------------------------------------------------------


def test_an_analyst_adds_a_stakeholder(city: City, client_as: Any) -> None:
    client = client_as("analyst")
    response = client.post(
        reverse("stakeholders:create", args=[city.slug]),
        {
            "name": "  Lumen Cycling Union ",
            "type": "ngo",
            "levels": ["local", "sub_national"],
            "sector": "civil_society",
            "description": "Cycling advocacy",
            "website": "https://cycling.example.org",
            "tags": "mobility; Cycling;mobility",
            "identified_as": ["interested", "influential"],
            "validation_steps": ["definition"],
            "confidential": "on",
        },
    )
    stakeholder = Stakeholder.objects.get(city=city, name="Lumen Cycling Union")
    assert response.status_code == 302
    assert response.url == reverse("stakeholders:detail", args=[city.slug, stakeholder.pk])
    assert stakeholder.type.code == "ngo"
    assert stakeholder.levels == ["local", "sub_national"]
    assert stakeholder.tags == ["mobility", "cycling"]
    assert stakeholder.identified_as == ["interested", "influential"]
    assert stakeholder.validation_steps == ["definition"]
    assert stakeholder.confidential is True
    assert stakeholder.history.first().history_user.pk == response.wsgi_request.user.pk


def test_a_new_stakeholder_takes_levels_sector_and_kind_from_its_type(
    city: City, owner_client: Client
) -> None:
    municipality = StakeholderFactory(
        city=city, name="City Hall", type=stakeholder_type("municipality")
    )
    unit_type = stakeholder_type("municipality").units.first()
    owner_client.post(
        reverse("stakeholders:create", args=[city.slug]),
        {"name": "Planning Office", "type": unit_type.code, "parent": municipality.pk},
    )
    unit = Stakeholder.objects.get(name="Planning Office")
    assert unit.kind == "unit"
    assert unit.parent == municipality
    assert unit.levels == unit_type.default_levels
    assert unit.sector == unit_type.default_sector


def test_the_create_form_groups_types_and_takes_one_from_the_query_string(
    city: City, owner_client: Client
) -> None:
    body = text_of(
        owner_client.get(
            reverse("stakeholders:create", args=[city.slug]), {"type": "academia_research"}
        )
    )
    assert '<optgroup label="Generic types (§3.1)">' in body
    assert '<optgroup label="National units (Table 2)">' in body
    assert re.search(r'<option value="academia_research"[^>]*selected', body)
    for step in ("Derived from the definition", "Checked against the literature"):
        assert step in body


def test_bad_input_shows_field_errors_and_writes_nothing(city: City, owner_client: Client) -> None:
    StakeholderFactory(city=city, name="Green Lumen")
    url = reverse("stakeholders:create", args=[city.slug])
    response = owner_client.post(
        url, {"name": "", "type": "no-such-type", "website": "not a url", "levels": ["moon"]}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "type", "website", "levels"}
    duplicate = owner_client.post(url, {"name": "green lumen", "type": "ngo"})
    assert duplicate.context["form"].errors["name"] == [
        "Another stakeholder of this city already has this name."
    ]
    assert "Another stakeholder of this city already has this name." in text_of(duplicate)
    assert Stakeholder.objects.filter(city=city).count() == 1


def test_a_service_error_lands_on_its_field(city: City, owner_client: Client) -> None:
    ministry = StakeholderFactory(
        city=city, name="Ministry", type=stakeholder_type("national_regional_government")
    )
    unit_type = stakeholder_type("municipality").units.first()
    response = owner_client.post(
        reverse("stakeholders:create", args=[city.slug]),
        {"name": "Misplaced Office", "type": unit_type.code, "parent": ministry.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Stakeholder.objects.filter(name="Misplaced Office").exists()


def edit_data(stakeholder: Stakeholder, **changes: Any) -> dict[str, Any]:
    data = {
        "name": stakeholder.name,
        "type": stakeholder.type.code,
        "kind": stakeholder.kind,
        "levels": stakeholder.levels,
        "sector": stakeholder.sector,
        "description": stakeholder.description,
        "tags": "; ".join(stakeholder.tags),
        "version": stakeholder.version,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_an_owner_renames_a_placeholder(city: City, owner_client: Client) -> None:
    placeholder = StakeholderFactory(
        city=city, name="Non-governmental organizations", is_placeholder=True
    )
    url = reverse("stakeholders:edit", args=[city.slug, placeholder.pk])
    form_page = text_of(owner_client.get(url))
    assert f'name="version" value="{placeholder.version}"' in form_page
    assert "This is a placeholder" in form_page
    response = owner_client.post(url, edit_data(placeholder, name="Lumen Green Network"))
    assert response.status_code == 302
    placeholder.refresh_from_db()
    assert placeholder.name == "Lumen Green Network"
    assert placeholder.is_placeholder is False
    assert placeholder.version == 2


def test_a_stale_edit_is_refused_and_keeps_the_input(
    city: City, ngo: Stakeholder, owner_client: Client
) -> None:
    url = reverse("stakeholders:edit", args=[city.slug, ngo.pk])
    stale = edit_data(ngo, description="My careful description")
    stakeholder_update(stakeholder=ngo, by=None, expected_version=1, description="Theirs")
    response = owner_client.post(url, stale)
    assert response.status_code == 200
    body = text_of(response)
    assert "Someone else changed this record after you opened it" in body
    assert "My careful description" in body
    ngo.refresh_from_db()
    assert ngo.description == "Theirs"


def test_an_edit_without_version_is_refused(
    city: City, ngo: Stakeholder, owner_client: Client
) -> None:
    url = reverse("stakeholders:edit", args=[city.slug, ngo.pk])
    response = owner_client.post(url, edit_data(ngo, version="", name="Renamed"))
    assert response.status_code == 200
    ngo.refresh_from_db()
    assert ngo.name == "Green Lumen"


# Archive, delete, merge, start -------------------------------------------------------------


def test_archive_and_bring_back(city: City, ngo: Stakeholder, owner_client: Client) -> None:
    url = reverse("stakeholders:archive", args=[city.slug, ngo.pk])
    assert owner_client.get(url).status_code == 405
    owner_client.post(url, {"archived": "1"})
    ngo.refresh_from_db()
    assert ngo.archived_at is not None
    detail = text_of(owner_client.get(reverse("stakeholders:detail", args=[city.slug, ngo.pk])))
    assert "Bring back from the archive" in detail
    owner_client.post(url, {"archived": "0"})
    ngo.refresh_from_db()
    assert ngo.archived_at is None


def test_archiving_a_parent_with_active_units_explains_why_not(
    city: City, owner_client: Client
) -> None:
    parent = StakeholderFactory(city=city, name="City Hall", type=stakeholder_type("municipality"))
    unit_type = stakeholder_type("municipality").units.first()
    StakeholderFactory(city=city, name="Unit", type=unit_type, parent=parent)
    response = owner_client.post(
        reverse("stakeholders:archive", args=[city.slug, parent.pk]), follow=True
    )
    assert "Archive or move this stakeholder&#x27;s units first." in text_of(response)
    parent.refresh_from_db()
    assert parent.archived_at is None


def test_delete_is_offered_and_done_only_without_records(
    city: City, ngo: Stakeholder, owner_client: Client, initiative: Initiative
) -> None:
    detail_url = reverse("stakeholders:detail", args=[city.slug, ngo.pk])
    delete_url = reverse("stakeholders:delete", args=[city.slug, ngo.pk])
    assert delete_url in text_of(owner_client.get(detail_url))
    confirm = owner_client.post(delete_url)  # no confirmation yet: ask for it
    assert confirm.status_code == 200
    assert "Delete “Green Lumen”?" in text_of(confirm)
    assert Stakeholder.objects.filter(pk=ngo.pk).exists()

    kept = StakeholderFactory(city=city, name="Has Records")
    categorization_set(stakeholder=kept, initiative=initiative, by=None)
    kept_detail = text_of(
        owner_client.get(reverse("stakeholders:detail", args=[city.slug, kept.pk]))
    )
    assert reverse("stakeholders:delete", args=[city.slug, kept.pk]) not in kept_detail
    assert "archive it instead" in kept_detail
    refused = owner_client.post(
        reverse("stakeholders:delete", args=[city.slug, kept.pk]), {"confirmed": "yes"}
    )
    assert refused.status_code == 302
    assert Stakeholder.objects.filter(pk=kept.pk).exists()

    done = owner_client.post(delete_url, {"confirmed": "yes"})
    assert done.url == reverse("stakeholders:list", args=[city.slug])
    assert not Stakeholder.objects.filter(pk=ngo.pk).exists()


def test_merge_moves_records_and_archives_the_source(
    city: City, owner_client: Client, initiative: Initiative
) -> None:
    source = StakeholderFactory(city=city, name="Green Lumen (placeholder)", is_placeholder=True)
    target = StakeholderFactory(city=city, name="Green Lumen Network")
    categorization_set(stakeholder=source, initiative=initiative, by=None)
    contact_add(stakeholder=source, by=None, name="Ana Costa")
    url = reverse("stakeholders:merge", args=[city.slug, source.pk])
    page = text_of(owner_client.get(url))
    assert "What happens" in page and "data-confirm=" in page
    assert f'<option value="{source.pk}"' not in page
    response = owner_client.post(url, {"target": target.pk})
    assert response.url == reverse("stakeholders:detail", args=[city.slug, target.pk])
    source.refresh_from_db()
    assert source.archived_at is not None
    assert target.categorizations.filter(initiative=initiative).exists()
    assert target.contacts.filter(name="Ana Costa").exists()
    refused = owner_client.post(url, {"target": source.pk})
    assert "target" in refused.context["form"].errors


def test_start_from_the_supplement_creates_placeholders_once(
    city: City, owner_client: Client
) -> None:
    url = reverse("stakeholders:start", args=[city.slug])
    page = text_of(owner_client.get(url))
    assert "Also add the municipal units" in page
    response = owner_client.post(url, follow=True)
    assert "12 placeholders created" in text_of(response)
    assert response.redirect_chain[-1][0].endswith("?placeholders=on")
    assert len(names_in(response)) == 12
    again = owner_client.post(url, {"include_units": "on"}, follow=True)
    assert "18 placeholders created" in text_of(again)
    assert Stakeholder.objects.filter(city=city, is_placeholder=True).count() == 30
    nothing = owner_client.post(url, {"include_units": "on"}, follow=True)
    assert "Nothing to add" in text_of(nothing)
    assert Stakeholder.objects.filter(city=city).count() == 30


# The stakeholder page ----------------------------------------------------------------------


def test_the_stakeholder_page_shows_facts_and_where_matrix_items_come_from(
    city: City, owner_client: Client, initiative: Initiative
) -> None:
    stakeholder = StakeholderFactory(
        city=city,
        name="City Hall",
        type=stakeholder_type("municipality"),
        tags="energy",
        identified_as=["influential"],
    )
    defaults = list(DefaultMatrixItem.objects.filter(type=stakeholder.type).order_by("pk"))
    matrix_default_edit(stakeholder=stakeholder, default=defaults[0], text="Our words", by=None)
    matrix_default_dismiss(stakeholder=stakeholder, default=defaults[1], by=None)
    matrix_item_add(stakeholder=stakeholder, dimension="constraint", text="Short of staff", by=None)
    CategorizationFactory(stakeholder=stakeholder, initiative=initiative)
    body = text_of(
        owner_client.get(reverse("stakeholders:detail", args=[city.slug, stakeholder.pk]))
    )
    assert reverse("catalogue:detail", args=["municipality"]) in body
    assert stakeholder.type.clause in body
    assert "Has influence" in body
    assert ">default<" in body and ">edited<" in body and ">city's own<" in body
    assert "Our words" in body and "Short of staff" in body
    assert defaults[2].text in body
    restore = reverse(
        "stakeholders:matrix_default_restore", args=[city.slug, stakeholder.pk, defaults[1].pk]
    )
    assert "Removed catalogue defaults (1)" in body and restore in body
    assert initiative.name in body and "Manage closely" in body
    assert (
        reverse("stakeholders:categorize", args=[city.slug, stakeholder.pk, initiative.pk]) in body
    )


def test_the_page_offers_to_categorize_in_initiatives_without_one(
    city: City, ngo: Stakeholder, owner_client: Client, initiative: Initiative
) -> None:
    done = InitiativeFactory(city=city, name="Done already")
    categorization_set(stakeholder=ngo, initiative=done, by=None)
    url = reverse("stakeholders:detail", args=[city.slug, ngo.pk])
    body = text_of(owner_client.get(url))
    select = body.split('name="categorize_in"', 1)[1].split("</select>", 1)[0]
    assert initiative.name in select
    assert "Done already" not in select
    response = owner_client.get(url, {"categorize_in": initiative.pk})
    assert response.url == reverse(
        "stakeholders:categorize", args=[city.slug, ngo.pk, initiative.pk]
    )


def test_the_change_history_says_who_changed_what(
    city: City, ngo: Stakeholder, client_as: Any
) -> None:
    analyst_client = client_as("analyst")
    analyst = analyst_client.get("/").wsgi_request.user
    url = reverse("stakeholders:edit", args=[city.slug, ngo.pk])
    analyst_client.post(url, edit_data(ngo, description="Runs repair cafés"))
    body = text_of(analyst_client.get(reverse("stakeholders:detail", args=[city.slug, ngo.pk])))
    history = body.split('id="history"', 1)[1]
    assert analyst.username in history
    assert "description" in history and "Runs repair cafés" in history and "→" in history


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_sees_contacts_but_only_editors_change_them(
    role: str, city: City, ngo: Stakeholder, client_as: Any
) -> None:
    contact_add(stakeholder=ngo, by=None, name="Ana Costa", email="ana@example.org")
    body = text_of(client_as(role).get(reverse("stakeholders:detail", args=[city.slug, ngo.pk])))
    assert "ana@example.org" in body
    edit = reverse("stakeholders:contact_add", args=[city.slug, ngo.pk])
    assert (edit in body) == (role in EDITORS)


def test_contacts_are_added_edited_and_removed(
    city: City, ngo: Stakeholder, owner_client: Client
) -> None:
    add = reverse("stakeholders:contact_add", args=[city.slug, ngo.pk])
    bad = owner_client.post(add, {"name": "", "email": "not-an-email"})
    assert set(bad.context["form"].errors) == {"name", "email"}
    assert not ContactPerson.objects.exists()
    owner_client.post(add, {"name": "Ana Costa", "role": "Chair", "email": "ana@example.org"})
    contact = ContactPerson.objects.get()
    edit = reverse("stakeholders:contact_edit", args=[city.slug, ngo.pk, contact.pk])
    assert 'value="Ana Costa"' in text_of(owner_client.get(edit))
    owner_client.post(edit, {"name": "Ana Costa", "role": "Treasurer", "phone": "+351 1"})
    contact.refresh_from_db()
    assert (contact.role, contact.phone, contact.email) == ("Treasurer", "+351 1", "")
    delete = reverse("stakeholders:contact_delete", args=[city.slug, ngo.pk, contact.pk])
    assert "Remove Ana Costa" in text_of(owner_client.post(delete))
    assert ContactPerson.objects.exists()
    owner_client.post(delete, {"confirmed": "yes"})
    assert not ContactPerson.objects.exists()


# The analysis matrix ------------------------------------------------------------------------


def test_matrix_items_are_added_edited_and_removed(
    city: City, ngo: Stakeholder, owner_client: Client
) -> None:
    add = reverse("stakeholders:matrix_add", args=[city.slug, ngo.pk])
    empty = owner_client.post(add, {"dimension": "aim", "text": "   "})
    assert "text" in empty.context["form"].errors
    wrong = owner_client.post(add, {"dimension": "wishes", "text": "More"})
    assert "dimension" in wrong.context["form"].errors
    assert not MatrixItem.objects.exists()
    response = owner_client.post(add, {"dimension": "aim", "text": "Cleaner river"})
    assert response.url.endswith("#matrix")
    item = MatrixItem.objects.get()
    edit = reverse("stakeholders:matrix_item_edit", args=[city.slug, ngo.pk, item.pk])
    owner_client.post(edit, {"text": "A cleaner river", "version": item.version})
    item.refresh_from_db()
    assert item.text == "A cleaner river"
    stale = owner_client.post(edit, {"text": "Stale words", "version": 1})
    assert "Someone else changed this record" in text_of(stale)
    assert "Stale words" in text_of(stale)
    item.refresh_from_db()
    assert item.text == "A cleaner river"
    delete = reverse("stakeholders:matrix_item_delete", args=[city.slug, ngo.pk, item.pk])
    owner_client.post(delete, {"confirmed": "yes"})
    assert not MatrixItem.objects.exists()


def test_catalogue_defaults_are_reworded_dismissed_and_restored(
    city: City, ngo: Stakeholder, owner_client: Client
) -> None:
    default = DefaultMatrixItem.objects.filter(type=ngo.type).first()
    one = [city.slug, ngo.pk, default.pk]
    edit = reverse("stakeholders:matrix_default_edit", args=one)
    assert default.text in text_of(owner_client.get(edit))
    owner_client.post(edit, {"text": "In Lumen: the river"})
    override = MatrixItem.objects.get(replaces=default)
    assert override.text == "In Lumen: the river" and not override.dismissed
    restore = reverse("stakeholders:matrix_default_restore", args=one)
    asked = owner_client.post(restore)  # dropping the city's wording asks first
    assert "Restore the catalogue" in text_of(asked)
    assert MatrixItem.objects.filter(replaces=default).exists()
    owner_client.post(restore, {"confirmed": "yes"})
    assert not MatrixItem.objects.filter(replaces=default).exists()
    dismiss = reverse("stakeholders:matrix_default_dismiss", args=one)
    owner_client.post(dismiss, {"confirmed": "yes"})
    assert MatrixItem.objects.get(replaces=default).dismissed
    owner_client.post(restore)  # a dismissed default comes back without a question
    assert not MatrixItem.objects.filter(replaces=default).exists()
    other_type_default = DefaultMatrixItem.objects.exclude(type=ngo.type).first()
    url = reverse(
        "stakeholders:matrix_default_edit", args=[city.slug, ngo.pk, other_type_default.pk]
    )
    assert owner_client.get(url).status_code == 404


# Categorization ----------------------------------------------------------------------------


def categorization_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "lfa_roles": ["active", "potential_opponent"],
        "technology_roles": ["ssc_enabler"],
        "power_monetary": 1,
        "power_administrative": 4,
        "interest": 2,
        "attitude": -1,
        "rationale": "Holds the permits",
    }
    data.update(changes)
    return data


def test_a_new_categorization_starts_from_the_type_defaults(
    city: City, owner_client: Client, initiative: Initiative
) -> None:
    stakeholder = StakeholderFactory(
        city=city, name="City Hall", type=stakeholder_type("municipality")
    )
    url = reverse("stakeholders:categorize", args=[city.slug, stakeholder.pk, initiative.pk])
    form = owner_client.get(url).context["form"]
    kind = stakeholder.type
    assert form.initial["lfa_roles"] == kind.default_lfa_roles
    assert form.initial["power_administrative"] == kind.default_power_administrative
    assert form.initial["attitude"] == kind.default_attitude
    response = owner_client.post(url, categorization_data())
    assert response.url == reverse("stakeholders:detail", args=[city.slug, stakeholder.pk])
    categorization = Categorization.objects.get(stakeholder=stakeholder, initiative=initiative)
    assert categorization.lfa_roles == ["active", "potential_opponent"]
    assert (categorization.power, categorization.quadrant) == (4, "keep_satisfied")
    assert categorization.rationale == "Holds the permits"


def test_a_categorization_is_edited_with_its_version_and_stale_saves_are_refused(
    city: City, ngo: Stakeholder, owner_client: Client, initiative: Initiative
) -> None:
    categorization = categorization_set(stakeholder=ngo, initiative=initiative, by=None)
    url = reverse("stakeholders:categorize", args=[city.slug, ngo.pk, initiative.pk])
    page = text_of(owner_client.get(url))
    assert f'name="version" value="{categorization.version}"' in page
    owner_client.post(url, categorization_data(interest=5, version=categorization.version))
    categorization.refresh_from_db()
    assert categorization.interest == 5
    stale = owner_client.post(url, categorization_data(interest=0, version=1))
    assert "Someone else changed this record" in text_of(stale)
    missing = owner_client.post(url, categorization_data(interest=0))
    assert "Someone else categorized this stakeholder" in text_of(missing)
    categorization.refresh_from_db()
    assert categorization.interest == 5


def test_out_of_range_scores_are_refused(
    city: City, ngo: Stakeholder, owner_client: Client, initiative: Initiative
) -> None:
    url = reverse("stakeholders:categorize", args=[city.slug, ngo.pk, initiative.pk])
    response = owner_client.post(
        url, categorization_data(power_monetary=7, attitude=3, lfa_roles=["boss"])
    )
    assert set(response.context["form"].errors) == {"power_monetary", "attitude", "lfa_roles"}
    assert not Categorization.objects.exists()


def test_a_categorization_is_removed_after_confirmation(
    city: City, ngo: Stakeholder, owner_client: Client, initiative: Initiative
) -> None:
    categorization_set(stakeholder=ngo, initiative=initiative, by=None)
    url = reverse("stakeholders:categorization_delete", args=[city.slug, ngo.pk, initiative.pk])
    back = reverse("stakeholders:initiative_categorization", args=[city.slug, initiative.pk])
    assert "Remove the categorization" in text_of(owner_client.post(url, {"next": back}))
    assert Categorization.objects.exists()
    response = owner_client.post(url, {"confirmed": "yes", "next": back})
    assert response.url == back
    assert not Categorization.objects.exists()
    assert owner_client.post(url, {"confirmed": "yes"}).status_code == 404


def test_the_initiative_page_adds_stakeholders_with_defaults_and_draws_the_figures(
    city: City, owner_client: Client, initiative: Initiative
) -> None:
    hall = StakeholderFactory(city=city, name="City Hall", type=stakeholder_type("municipality"))
    residents = StakeholderFactory(
        city=city, name="Residents <&>", type=stakeholder_type("citizens")
    )
    url = reverse("stakeholders:initiative_categorization", args=[city.slug, initiative.pk])
    page = owner_client.get(url)
    assert set(page.context["form"].fields["stakeholders"].queryset) == {hall, residents}
    bad = owner_client.post(url, {"stakeholders": [999999]})
    assert "stakeholders" in bad.context["form"].errors
    assert not Categorization.objects.exists()
    response = owner_client.post(url, {"stakeholders": [hall.pk, residents.pk]}, follow=True)
    assert "2 stakeholders added" in text_of(response)
    categorization = Categorization.objects.get(stakeholder=hall)
    assert categorization.lfa_roles == hall.type.default_lfa_roles
    body = text_of(response)
    assert body.count("<svg") == 2
    assert "Residents &lt;&amp;&gt;" in body
    assert "<&>" not in body
    assert 'id="categorization-table"' in body
    assert reverse("stakeholders:figure2_svg", args=[city.slug, initiative.pk]) in body
    assert list(response.context["form"].fields["stakeholders"].queryset) == []


def test_the_initiative_add_form_is_all_or_nothing(
    city: City, owner_client: Client, initiative: Initiative, monkeypatch: Any
) -> None:
    from civitas.core.errors import ValidationError
    from civitas.stakeholders.views import categorization as views

    first = StakeholderFactory(city=city, name="First")
    second = StakeholderFactory(city=city, name="Second")
    real = views.categorization_set

    def failing(*, stakeholder: Stakeholder, **kwargs: Any) -> Categorization:
        if stakeholder.pk == second.pk:
            raise ValidationError({"initiative": ["Refused."]})
        return real(stakeholder=stakeholder, **kwargs)

    monkeypatch.setattr(views, "categorization_set", failing)
    url = reverse("stakeholders:initiative_categorization", args=[city.slug, initiative.pk])
    response = owner_client.post(url, {"stakeholders": [first.pk, second.pk]})
    assert response.status_code == 200
    assert "Refused." in text_of(response)
    assert not Categorization.objects.exists()


@pytest.mark.parametrize("kind", ["figure2_svg", "grid_svg"])
def test_the_figures_are_served_as_svg(
    kind: str, city: City, ngo: Stakeholder, client_as: Any, initiative: Initiative
) -> None:
    categorization_set(stakeholder=ngo, initiative=initiative, by=None)
    secret = StakeholderFactory(city=city, name="Quiet Investor", confidential=True)
    categorization_set(stakeholder=secret, initiative=initiative, by=None)
    url = reverse(f"stakeholders:{kind}", args=[city.slug, initiative.pk])
    response = client_as("viewer").get(url)
    assert response["Content-Type"].startswith("image/svg+xml")
    body = text_of(response)
    assert body.startswith("<svg") and "Green Lumen" in body
    assert "Quiet Investor" not in body
    assert "Quiet Investor" in text_of(client_as("analyst").get(url))
    other_city = InitiativeFactory(name="Elsewhere")
    foreign = reverse(f"stakeholders:{kind}", args=[city.slug, other_city.pk])
    assert client_as("owner").get(foreign).status_code == 404


# Completeness and summary ----------------------------------------------------------------


def test_the_completeness_page_lists_what_is_missing(city: City, owner_client: Client) -> None:
    StakeholderFactory(city=city, name="Placeholder NGO", is_placeholder=True)
    body = text_of(owner_client.get(reverse("stakeholders:completeness", args=[city.slug])))
    create = reverse("stakeholders:create", args=[city.slug])
    assert f"{create}?type=municipality" in body
    assert reverse("catalogue:detail", args=["municipality"]) in body
    assert f"{create}?type=ngo" not in body
    assert "Municipal and national units without a stakeholder (18)" in body
    assert "Placeholder NGO" in body.split('id="placeholders-heading"', 1)[1]
    assert "Placeholder NGO" in body.split('id="uncategorized-heading"', 1)[1]
    assert "0 of 1" in body
    assert "message-success" not in body


def test_the_completeness_page_turns_green_when_nothing_is_missing(
    city: City, owner_client: Client, initiative: Initiative
) -> None:
    from civitas.catalogue.selectors import generic_types

    steps = ["definition", "classification", "supplements", "literature"]
    for stakeholder_kind in generic_types():
        stakeholder = StakeholderFactory(
            city=city, name=stakeholder_kind.name, type=stakeholder_kind, validation_steps=steps
        )
        categorization_set(stakeholder=stakeholder, initiative=initiative, by=None)
        matrix_item_add(stakeholder=stakeholder, dimension="aim", text="Own aim", by=None)
    body = text_of(owner_client.get(reverse("stakeholders:completeness", args=[city.slug])))
    assert "message-success" in body and "Complete." in body


def test_the_summary_shows_the_appendix_columns_and_downloads(
    city: City, owner_client: Client, initiative: Initiative
) -> None:
    hall = StakeholderFactory(city=city, name="City Hall", type=stakeholder_type("municipality"))
    categorization_set(stakeholder=hall, initiative=initiative, by=None)
    matrix_item_add(stakeholder=hall, dimension="contribution", text="Leads the roll-out", by=None)
    body = text_of(owner_client.get(reverse("stakeholders:summary", args=[city.slug])))
    for column in (
        "Stakeholder",
        "Scale and sector",
        "Aims and challenges",
        "Potential and constraints",
        "Role and contributions",
    ):
        assert f'<th scope="col">{column}</th>' in body
    assert "City Hall" in body and "Leads the roll-out" in body and "Local, public" in body
    assert "LFA: Active" in body
    for export in ("csv", "xlsx", "md", "json"):
        assert reverse("reports:summary_export", args=[city.slug, export]) in body
