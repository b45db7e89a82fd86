"""Types the API routers of every app share: ids, text, errors and pagination."""

from typing import Annotated, Any, ClassVar

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.params.functions import Path
from pydantic import AfterValidator, ValidationInfo, field_validator

from civitas.accounts.models import User

# The largest id a database integer column holds; larger path ids would crash the query.
MAX_ID = 2**63 - 1


def _without_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


# Text of any length without NUL characters, which PostgreSQL refuses to store.
NoNul = AfterValidator(_without_nul)
Text = Annotated[str, NoNul]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id.")]
CitySlug = Annotated[
    str,
    Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60, description="The city's short name."),
]


def acting_user(request: HttpRequest) -> User:
    """Return the user a token or the session authenticated."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Messages per input field.")


ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: InvalidOut,
}


def _drop_null_from_schema(schema: dict[str, Any], model: type[Any]) -> None:
    nullable: frozenset[str] = getattr(model, "nullable_fields", frozenset())
    for name, prop in schema.get("properties", {}).items():
        any_of = prop.get("anyOf")
        if name in nullable or not any_of or {"type": "null"} not in any_of:
            continue
        rest = [option for option in any_of if option != {"type": "null"}]
        del prop["anyOf"]
        prop.pop("default", None)
        if len(rest) == 1:
            prop.update(rest[0])
        else:
            prop["anyOf"] = rest


class PatchSchema(Schema):
    """A partial update: fields left out keep their value; only `nullable_fields` take null."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    model_config = {"json_schema_extra": _drop_null_from_schema}

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable_fields:
            raise ValueError("This field cannot be empty; leave it out to keep its value.")
        return value

    def changes(self) -> dict[str, Any]:
        """Return the fields the client sent, by name."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class Pages(LimitOffsetPagination):
    """`limit` and `offset` paging with a response of {items, count}."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500, description="How many items to return.")
        offset: int = Field(0, ge=0, le=10**9, description="How many items to skip.")
