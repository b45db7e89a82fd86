"""A set of short codes kept in one column, filterable on SQLite and PostgreSQL alike.

Values are stored as "|a|b|" so that `field__has="a"` is a plain LIKE on both databases,
where a JSON list would need JSON containment that SQLite lacks.
"""

from collections.abc import Iterable
from typing import Any

from django.core import exceptions
from django.db import models
from django.db.models import Lookup
from django.db.models.expressions import Combinable

SEPARATOR = "|"


def normalize_set(values: Iterable[str] | str | None) -> list[str]:
    """Return values stripped, without empties or duplicates, in first-seen order."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(SEPARATOR) if SEPARATOR in values else [values]
    seen: dict[str, None] = {}
    for value in values:
        value = str(value).strip()
        if value:
            seen.setdefault(value, None)
    return list(seen)


class CodeSetField(models.TextField):  # type: ignore[type-arg]
    """An unordered set of codes (levels, roles, tags) stored as "|a|b|"."""

    # What django-stubs reads as the attribute's type on model instances.
    _pyi_private_set_type: Iterable[str] | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: list[str]  # type: ignore[assignment]

    def __init__(self, *args: Any, allowed: Iterable[str] | None = None, **kwargs: Any) -> None:
        self.allowed = list(allowed) if allowed is not None else None
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.allowed is not None:
            kwargs["allowed"] = self.allowed
        if kwargs.get("default") is list:
            del kwargs["default"]
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> list[str]:
        return [v for v in (value or "").split(SEPARATOR) if v]

    def to_python(self, value: Any) -> list[str]:
        if value is None or isinstance(value, str):
            return [v for v in (value or "").split(SEPARATOR) if v]
        return normalize_set(value)

    def get_prep_value(self, value: Any) -> str:
        values = normalize_set(value)
        if any(SEPARATOR in v for v in values):
            raise exceptions.ValidationError(f"Values may not contain '{SEPARATOR}'.")
        return f"{SEPARATOR}{SEPARATOR.join(values)}{SEPARATOR}" if values else ""

    def validate(self, value: Any, model_instance: Any) -> None:
        values = normalize_set(value)
        if not values and not self.blank:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")
        if any(SEPARATOR in v for v in values):
            raise exceptions.ValidationError(
                "An entry may not contain the character '%(separator)s'.",
                code="invalid",
                params={"separator": SEPARATOR},
            )
        if self.allowed is not None:
            unknown = [v for v in values if v not in self.allowed]
            if unknown:
                raise exceptions.ValidationError(
                    "Unknown value(s): %(unknown)s. Allowed: %(allowed)s.",
                    code="invalid_choice",
                    params={"unknown": ", ".join(unknown), "allowed": ", ".join(self.allowed)},
                )

    def value_to_string(self, obj: Any) -> str:
        values: list[str] = list(self.value_from_object(obj) or [])  # type: ignore[arg-type]
        return ";".join(values)


@CodeSetField.register_lookup
class Has(Lookup):
    """`field__has="code"`: the set contains this code."""

    lookup_name = "has"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # Escape LIKE wildcards, so that a code such as "a_b" or "50%" matches only itself.
        code = connection.ops.prep_for_like_query(str(self.rhs))
        pattern = f"%{SEPARATOR}{code}{SEPARATOR}%"
        return f"{lhs} {connection.operators['contains'] % '%s'}", (*lhs_params, pattern)
