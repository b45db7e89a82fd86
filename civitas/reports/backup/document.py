"""The backup document: its sections, writing it, and restoring a city from it in one go."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from civitas.accounts.models import Membership, Role, User
from civitas.catalogue.services import loaded_version
from civitas.cities.models import City
from civitas.core.bulk import (
    HistoryStamp,
    garbage_collection_paused,
)
from civitas.core.errors import ConflictError, PermissionDeniedError, ValidationError
from civitas.core.imports import Problem
from civitas.core.permissions import forget_roles

FORMAT = "civitas-city"
VERSION = 1
RESTORED = "Restored from a backup"
CITY_FIELDS = ("name", "country", "population", "development_context", "description")

Item = dict[str, Any]


class BackupError(Exception):
    """The document cannot be loaded; `problems` says everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class LoadContext:
    """What sections loaded so far, for the sections after them to refer to by name."""

    city: City
    stamp: HistoryStamp
    problems: list[Problem] = field(default_factory=list)
    stakeholders: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (id, type)
    initiatives: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    include_members: bool = True

    def problem(self, section: str, number: int, column: str, message: str) -> None:
        self.problems.append(Problem(number, column, f"{message} (section “{section}”)", "item"))


@dataclass(frozen=True)
class Section:
    """A kind of record in the backup: how to dump it, and how to check and load it."""

    name: str
    dump: Callable[[City], Iterator[Item]]
    load: Callable[[list[Item], LoadContext], None]


SECTIONS: list[Section] = []


def register_section(section: Section, *, after: str | None = None) -> None:
    """Add a section (loaded after `after`, or last): the way later issues join the backup."""
    names = [existing.name for existing in SECTIONS]
    if section.name in names:
        SECTIONS[names.index(section.name)] = section
        return
    position = names.index(after) + 1 if after in names else len(SECTIONS)
    SECTIONS.insert(position, section)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# Dumping


def city_backup(city: City) -> Iterator[str]:
    """Yield the city's backup as a JSON document, piece by piece."""
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "catalogue_version": loaded_version(),
        "city": {"slug": city.slug, **{name: getattr(city, name) for name in CITY_FIELDS}},
    }
    yield json.dumps(head, indent=1, ensure_ascii=False)[:-2]
    for section in SECTIONS:
        yield f',\n "{section.name}": ['
        first = True
        for item in section.dump(city):
            yield ("\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=False)
            first = False
        yield "\n ]"
    yield "\n}\n"


def write_city_backup(city: City, file: IO[str]) -> None:
    """Write the city's backup to a text file."""
    file.writelines(city_backup(city))


# Loading


@dataclass
class RestoreResult:
    """What restoring a backup created."""

    city: City
    counts: dict[str, int]
    notes: list[str]

    def summary(self) -> str:
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"Restored {self.city.name} ({self.city.slug}): {parts}."


def read_backup(data: bytes | str) -> dict[str, Any]:
    """Parse a backup document, or raise BackupError saying why it cannot be one."""
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", 0)
        raise BackupError([Problem(line, "", f"The file is not valid JSON ({error}).")]) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(
            [Problem(0, "", "This is not a Civitas city backup (made by `civitas export city`).")]
        )
    if document.get("version") != VERSION:
        raise BackupError(
            [Problem(0, "", f"Backup version {document.get('version')} cannot be read here.")]
        )
    return document


def city_restore(
    *,
    document: dict[str, Any],
    by: User | None,
    slug: str = "",
    name: str = "",
    include_members: bool = True,
) -> RestoreResult:
    """Create a city from a backup document, in one transaction; raise BackupError if bad."""
    if by is not None and not by.has_perm("cities.add_city"):
        raise PermissionDeniedError("You do not have permission to create a city.")
    known = {section.name for section in SECTIONS}
    unknown = [
        key
        for key in document
        if key not in known and key not in {"format", "version", "exported_at",
                                            "catalogue_version", "city"}
    ]  # fmt: skip
    problems = [
        Problem(0, key, "This section is unknown to this version of Civitas.") for key in unknown
    ]
    source = document.get("city")
    if not isinstance(source, dict):
        problems.append(Problem(0, "city", "The backup names no city."))
        raise BackupError(problems)
    values = {key: source.get(key) for key in CITY_FIELDS if source.get(key) is not None}
    if name:
        values["name"] = name
    city = City(slug=(slug or str(source.get("slug", ""))).strip().lower(), **values)
    if City.objects.filter(slug=city.slug).exists():
        problems.append(
            Problem(
                0, "slug", f"A city with the slug “{city.slug}” exists already: choose another."
            )
        )
    try:
        city.full_clean(exclude=["slug"] if problems else None)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            problems.extend(Problem(0, f"city.{field_name}", message) for message in messages)
    if problems:
        raise BackupError(problems)
    try:
        with garbage_collection_paused(), transaction.atomic():
            city.save()
            if by is not None:
                Membership.objects.get_or_create(user=by, city=city, defaults={"role": Role.OWNER})
            context = LoadContext(
                city=city,
                stamp=HistoryStamp(
                    user_id=by.pk if by else None, date=timezone.now(), reason=RESTORED
                ),
                include_members=include_members,
            )
            for section in SECTIONS:
                items = document.get(section.name, [])
                if not isinstance(items, list):
                    context.problem(section.name, 0, "", "The section must be a list.")
                    continue
                section.load([item for item in items if isinstance(item, dict)], context)
                for number, item in enumerate(items, start=1):
                    if not isinstance(item, dict):
                        context.problem(section.name, number, "", "Each item must be an object.")
                if context.problems:
                    break
            if context.problems:
                raise BackupError(context.problems)
    except IntegrityError as error:
        raise ConflictError(f"The backup could not be restored: {error}.") from error
    if by is not None:
        forget_roles(by)
    return RestoreResult(city, context.counts, context.notes)
