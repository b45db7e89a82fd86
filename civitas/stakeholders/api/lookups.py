"""Look-ups the registry's API handlers share: a visible stakeholder, a type, a parent."""

from django.http import Http404, HttpRequest

from civitas.catalogue.models import StakeholderType
from civitas.cities.api import city_of
from civitas.cities.models import City
from civitas.core.errors import ValidationError
from civitas.core.schemas import ErrorOut, acting_user
from civitas.stakeholders.models import Stakeholder

CONFLICT: dict[int, type[ErrorOut]] = {409: ErrorOut}
STAKEHOLDER = "/{slug}/stakeholders/{stakeholder_id}"


def visible(request: HttpRequest, stakeholder: Stakeholder) -> Stakeholder:
    """Hide a confidential stakeholder from roles that may not see it (404, not 403)."""
    if not acting_user(request).has_perm("stakeholders.view_stakeholder", stakeholder):
        raise Http404("No such stakeholder.")
    return stakeholder


def stakeholder_of(request: HttpRequest, slug: str, stakeholder_id: int) -> Stakeholder:
    """Return a stakeholder of a city of the caller's that the caller may see, or raise 404."""
    city = city_of(request, slug)
    stakeholder = Stakeholder.objects.select_related("type", "parent", "city").get(
        city=city, pk=stakeholder_id
    )
    return visible(request, stakeholder)


def type_named(code: str, errors: dict[str, list[str]]) -> StakeholderType | None:
    """Return the catalogue type with this code, or note the error under "type"."""
    stakeholder_type = StakeholderType.objects.select_related("parent").filter(code=code).first()
    if stakeholder_type is None:
        errors["type"] = [f"There is no stakeholder type with the code “{code}” in the catalogue."]
    return stakeholder_type


def parent_in(
    request: HttpRequest, city: City, pk: int, errors: dict[str, list[str]]
) -> Stakeholder | None:
    """Return the city's stakeholder with this id the caller may see, or note the error."""
    parent = Stakeholder.objects.select_related("type").filter(city=city, pk=pk).first()
    if parent is None or not acting_user(request).has_perm("stakeholders.view_stakeholder", parent):
        errors["parent"] = [f"There is no stakeholder with the id {pk} in this city."]
        return None
    return parent


def raise_if(errors: dict[str, list[str]]) -> None:
    """Raise the collected input errors, if any."""
    if errors:
        raise ValidationError(errors)
