"""What the registry, categorization and matrix importers share: columns, values, checks."""

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import TextChoices

from civitas.accounts.models import User
from civitas.cities.models import City
from civitas.core.imports import Problem, Table, column_letter, split_list
from civitas.core.permissions import require

TRUE_WORDS = {"true", "yes", "y", "1", "x", "confidential"}
FALSE_WORDS = {"false", "no", "n", "0", ""}


@dataclass(frozen=True)
class Column:
    """A column an importer reads: what it holds, and an example for the template."""

    name: str
    help: str
    example: str = ""
    required: bool = False
    computed: bool = False  # written by exports for readers; ignored when imported


def check_permissions(by: User | None, city: City, *permissions: str) -> None:
    """Refuse the import unless the user holds every permission on the city."""
    if by is not None:
        for permission in permissions:
            require(by, permission, city)


def check_header(table: Table, columns: Iterable[Column]) -> list[Problem]:
    """Return the problems of a header: required columns missing, unknown columns."""
    columns = list(columns)
    known = {column.name for column in columns}
    problems = list(table.problems)
    line = table.header_line
    missing = [
        column.name for column in columns if column.required and column.name not in table.columns
    ]
    if missing:
        problems.append(
            table.problem(
                line,
                "",
                f"The header lacks the required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(f'“{name}”' for name in missing)}. The first "
                f"{'line' if table.unit == 'line' else 'row'} must name the columns.",
            )
        )
    for position, name in enumerate(table.columns):
        if name and name not in known:
            hint = difflib.get_close_matches(name, sorted(known), n=1)
            suggestion = f" Did you mean “{hint[0]}”?" if hint else ""
            problems.append(
                table.problem(
                    line,
                    name,
                    f"Unknown column (column {column_letter(position)}).{suggestion} Known "
                    f"columns: {', '.join(sorted(known))}. Rename or delete it; nothing is "
                    "imported from a file with unknown columns.",
                )
            )
    return problems


def choice_lookup(choices: type[TextChoices], *aliases: tuple[str, str]) -> dict[str, str]:
    """Map each code and label of a vocabulary (lower case) to its code."""
    lookup: dict[str, str] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        for key in (value, str(label), value.replace("_", " "), value.replace("_", "-")):
            lookup[key.lower()] = value
    for alias, value in aliases:
        lookup[alias.lower()] = value
    return lookup


def parse_choices(cell: str, lookup: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Split a list cell into known codes (first-seen order) and the values not understood."""
    codes: dict[str, None] = {}
    unknown = []
    for value in split_list(cell):
        code = lookup.get(value.lower())
        if code is None:
            unknown.append(value)
        else:
            codes[code] = None
    return list(codes), unknown


def allowed(choices: type[TextChoices]) -> str:
    """Return a vocabulary's codes as a list for a message."""
    return ", ".join(choices.values)


def parse_bool(cell: str) -> bool | None:
    """Read yes/no, true/false, 1/0 or x/empty; None when it is none of these."""
    word = cell.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_int(cell: str, low: int, high: int) -> int | None:
    """Read a whole number within [low, high]; None when it is not one."""
    text = cell.strip().replace("+", "", 1)
    if text.endswith(".0"):
        text = text[:-2]
    try:
        number = int(text)
    except ValueError:
        return None
    return number if low <= number <= high else None
