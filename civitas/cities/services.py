"""Writes for cities and initiatives."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from civitas.accounts.models import Membership, Role, User
from civitas.cities.models import City, Initiative
from civitas.core.concurrency import claim_version
from civitas.core.errors import ValidationError
from civitas.core.permissions import forget_roles, require

# Paths under /cities/ that a city slug must not take.
RESERVED_SLUGS = {"new"}

CITY_FIELDS = {"name", "country", "population", "development_context", "description"}
INITIATIVE_FIELDS = {"name", "description", "status", "start_date", "end_date"}


def _apply(instance: Any, changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({field: ["This field cannot be changed here."] for field in unknown})
    for field, value in changes.items():
        setattr(instance, field, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def city_create(
    *,
    slug: str,
    name: str,
    by: User | None,
    country: str = "",
    population: int | None = None,
    development_context: str = "",
    description: str = "",
) -> City:
    """Create a city; its creator becomes its owner."""
    if by is not None:
        require(by, "cities.add_city")
    city = City(
        slug=slug.strip().lower(),
        name=name.strip(),
        country=country.strip().upper(),
        population=population,
        description=description,
    )
    if development_context:
        city.development_context = development_context
    if city.slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": [f"“{city.slug}” is reserved for the site's own pages. Choose another one."]}
        )
    city.full_clean()
    city.save()
    if by is not None:
        Membership.objects.create(user=by, city=city, role=Role.OWNER)
        forget_roles(by)
    return city


@transaction.atomic
def city_update(*, city: City, by: User, **changes: Any) -> City:
    """Change a city's name, country, population, context or description."""
    require(by, "cities.change_city", city)
    if "country" in changes and changes["country"]:
        changes["country"] = str(changes["country"]).strip().upper()
    _apply(city, changes, CITY_FIELDS)
    city.full_clean()
    city.save()
    return city


@transaction.atomic
def initiative_create(
    *,
    city: City,
    name: str,
    by: User | None,
    description: str = "",
    status: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> Initiative:
    """Create an SSC initiative of a city."""
    if by is not None:
        require(by, "cities.add_initiative", city)
    initiative = Initiative(
        city=city,
        name=name.strip(),
        description=description,
        start_date=start_date,
        end_date=end_date,
    )
    if status:
        initiative.status = status
    _validate_initiative(initiative)
    initiative.save()
    return initiative


@transaction.atomic
def initiative_update(
    *, initiative: Initiative, by: User | None, expected_version: int | None, **changes: Any
) -> Initiative:
    """Change an initiative, refusing the save if someone else changed it meanwhile."""
    if by is not None:
        require(by, "cities.change_initiative", initiative)
    _apply(initiative, changes, INITIATIVE_FIELDS)
    _validate_initiative(initiative)
    claim_version(initiative, expected_version)
    initiative.save()
    return initiative


@transaction.atomic
def initiative_archive(
    *, initiative: Initiative, by: User | None, archived: bool = True
) -> Initiative:
    """Archive an initiative (or bring it back); its records stay."""
    if by is not None:
        require(by, "cities.archive_initiative", initiative)
    initiative.archived_at = timezone.now() if archived else None
    initiative.save(update_fields=["archived_at", "updated_at"])
    return initiative


def _validate_initiative(initiative: Initiative) -> None:
    if (
        initiative.start_date
        and initiative.end_date
        and initiative.start_date > initiative.end_date
    ):
        raise ValidationError({"end_date": ["The end date must not come before the start date."]})
    # Checked here so that the error names the field; the constraint alone names none.
    if (
        initiative.name
        and Initiative.objects.filter(city_id=initiative.city_id, name=initiative.name)
        .exclude(pk=initiative.pk)
        .exists()
    ):
        raise ValidationError({"name": ["This city already has an initiative with this name."]})
    initiative.full_clean()
