"""The columns of a registry import, how each cell is read, and what a row plans to do."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as FieldError
from django.core.validators import URLValidator

from civitas.catalogue.models import StakeholderType
from civitas.core.vocabulary import Level, Sector
from civitas.stakeholders.imports._common import (
    Column,
    allowed,
    choice_lookup,
    parse_bool,
    parse_choices,
)
from civitas.stakeholders.models import IdentificationReason, StakeholderKind, ValidationStep
from civitas.stakeholders.services import normalize_tags

KIND = "stakeholders"
GENERAL_CONTACT = "General contact"
GENERAL_CONTACT_ROLE = "General e-mail address"

COLUMNS = (
    Column(
        "id",
        "The stakeholder's number in Civitas (as exported), to update or rename it. Leave it "
        "empty for new stakeholders; without it, rows match stakeholders by name.",
    ),
    Column("name", "The stakeholder's name, once per city.", "Lumen Cycling Association", True),
    Column("type", "A catalogue type: its code or its name.", "ngo", True),
    Column(
        "kind",
        "organization, unit, group or person (default: unit for catalogue units, else "
        "organization).",
        "organization",
    ),
    Column(
        "parent",
        "For a unit: the name of the stakeholder it belongs to, in the file or already in "
        "the city.",
    ),
    Column(
        "levels",
        "Where it works, separated by “;”: local, sub_national, national, international "
        "(default: the type's).",
        "local",
    ),
    Column(
        "sector",
        "public, private, civil_society, academia, international or citizens (default: the "
        "type's).",
        "civil_society",
    ),
    Column("description", "What it is and does.", "Volunteers who promote cycling in Lumen."),
    Column("website", "Its web address.", "https://cycling.example.org"),
    Column("tags", "Keywords, separated by “;”.", "mobility; volunteers"),
    Column(
        "email",
        "A general e-mail address, kept as its contact person “General contact”.",
        "info@cycling.example.org",
    ),
    Column(
        "identified_as",
        "Why it is on the list, separated by “;”: interested, affected, influential.",
        "interested",
    ),
    Column(
        "validation_steps",
        "The checks of §3.1 done, separated by “;”: definition, classification, "
        "supplements, literature.",
    ),
    Column("confidential", "yes to show it only to owners and analysts (default: no).", "no"),
    Column(
        "scale",
        "local or supralocal, computed from the levels: written by exports, ignored here.",
        computed=True,
    ),
)
TEMPLATE_COLUMNS = ("name", "type", "kind", "parent", "levels", "sector", "description",
                    "website", "tags", "email")  # fmt: skip

EDITABLE = (
    "name", "type_id", "kind", "parent_id", "levels", "sector", "description", "website",
    "tags", "identified_as", "validation_steps", "confidential",
)  # fmt: skip
# What the check reads of the stored stakeholders (dates and the rest stay in the database).
READ = ("id", "version", "is_placeholder", *EDITABLE)
SETS = frozenset({"levels", "tags", "identified_as", "validation_steps"})
SHOWN_AS = {"type_id": "type", "parent_id": "parent"}

_LEVELS = choice_lookup(Level)
_SECTORS = choice_lookup(
    Sector, ("academia", "academia"), ("research", "academia"), ("civil society", "civil_society")
)
_KINDS = choice_lookup(StakeholderKind)
_REASONS = choice_lookup(IdentificationReason, ("has influence", "influential"))
_STEPS = choice_lookup(ValidationStep)
_url = URLValidator()
# Web addresses of the plainest shape, which Django's URLValidator (used for the rest)
# accepts too: it is thorough but slow, and imported files are mostly such addresses.
_PLAIN_URL = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?(?:[/?#][^\s]*)?",
    re.IGNORECASE | re.ASCII,
)


class BadCell(Exception):
    """A cell's value cannot be used; the message says why."""


# Returned by a parser when the cell leaves the stored value (or the default) in place.
KEEP = object()


def _kind(cell: str) -> Any:
    if not cell.strip():
        return KEEP
    code = _KINDS.get(cell.strip().lower())
    if code is None:
        raise BadCell(f"Unknown kind “{cell.strip()}”. Use one of: {allowed(StakeholderKind)}.")
    return code


def _sector(cell: str) -> Any:
    if not cell.strip():
        return KEEP
    code = _SECTORS.get(cell.strip().lower())
    if code is None:
        raise BadCell(f"Unknown sector “{cell.strip()}”. Use one of: {allowed(Sector)}.")
    return code


def _codes(lookup: dict[str, str], choices: Any, what: str) -> Callable[[str], Any]:
    def parse(cell: str) -> Any:
        codes, unknown = parse_choices(cell, lookup)
        if unknown:
            raise BadCell(
                f"Unknown {what} {', '.join(f'“{value}”' for value in unknown)}. Use "
                f"{allowed(choices)}, separated by “;”."
            )
        return codes

    return parse


def _text(cell: str) -> Any:
    return cell.strip()


def _website(cell: str) -> Any:
    url = cell.strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    if len(url) > 200:
        raise BadCell("The web address is longer than 200 characters.")
    if _PLAIN_URL.fullmatch(url):
        return url
    try:
        _url(url)
    except FieldError as error:
        raise BadCell(f"“{cell.strip()}” is not a web address.") from error
    return url


def _tags(cell: str) -> Any:
    tags = normalize_tags(cell)
    if any("|" in tag for tag in tags):
        raise BadCell("A tag may not contain “|”.")
    return tags


def _confidential(cell: str) -> Any:
    value = parse_bool(cell)
    if value is None:
        raise BadCell(f"Write yes or no, not “{cell.strip()}”.")
    return value


def remembering(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Return a parser that reads each distinct cell once: such columns repeat a few values."""
    seen: dict[str, Any] = {}

    def parse_once(cell: str) -> Any:
        try:
            outcome = seen[cell]
        except KeyError:
            try:
                outcome = parse(cell)
            except BadCell as error:
                outcome = error
            seen[cell] = outcome
        if isinstance(outcome, BadCell):
            raise outcome
        return outcome

    return parse_once


# Columns of short repeated values: each distinct cell is read once per import.
REPEATING = frozenset({"kind", "levels", "sector", "tags", "identified_as", "validation_steps",
                        "confidential"})  # fmt: skip

# Optional columns read the same way on every row: column → (field, parser).
PARSERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "kind": ("kind", _kind),
    "levels": ("levels", _codes(_LEVELS, Level, "level")),
    "sector": ("sector", _sector),
    "description": ("description", _text),
    "website": ("website", _website),
    "tags": ("tags", _tags),
    "identified_as": (
        "identified_as",
        _codes(_REASONS, IdentificationReason, "reason for identification"),
    ),
    "validation_steps": ("validation_steps", _codes(_STEPS, ValidationStep, "validation step")),
    "confidential": ("confidential", _confidential),
}


@dataclass(slots=True)
class PlannedRow:
    """One row of the file once read: what it sets and which stakeholder it updates."""

    line: int
    name: str
    type: StakeholderType
    values: dict[str, Any]
    existing: dict[str, Any] | None
    parent: str | None = None  # the parent's name as written; None: the file has no column
    parent_ref: Any = None  # the parent row (PlannedRow), a stored stakeholder's id, or None
    email: str | None = None
    action: str = ""
    changes: list[str] = field(default_factory=list)
    id: int | None = None
