"""Types and references every engagement API shape shares."""

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from civitas.core.schemas import MAX_ID, NoNul

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul]
ShortText = Annotated[str, StringConstraints(max_length=200), NoNul]
LongText = Annotated[str, StringConstraints(max_length=20_000), NoNul]
Email = Annotated[str, StringConstraints(max_length=254), NoNul]
Url = Annotated[str, StringConstraints(max_length=500), NoNul]
Topic = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^|]+$"), NoNul]
Topics = Annotated[list[Topic], Field(max_length=12)]
SubmissionToken = Annotated[
    str,
    Field(
        pattern=r"^[-A-Za-z0-9_]{8,64}$",
        description="Made up by your form or client for each submission, e.g. a UUID: "
        "sending the same token again returns the first submission instead of a second one.",
    ),
]
Version = Annotated[
    int,
    Field(ge=1, le=2**31 - 2, description="The version you read; a stale one is refused (409)."),
]
Days = Annotated[int, Field(ge=0, le=365)]


def may_see_personal_data(obj: Any, context: Any) -> bool:
    """Tell whether the caller may see names, addresses and tracking codes on `obj`."""
    return bool(context["request"].auth.has_perm("engagement.view_personal_data", obj))


class Ref(Schema):
    id: int
    name: str


class ActivityRef(Schema):
    id: int
    title: str


class UserRef(Schema):
    id: int
    username: str


class VersionIn(Schema):
    version: Version | None = Field(None, description="The version you read, if you have it.")
