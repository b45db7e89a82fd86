"""Shapes of the import and export API."""

from typing import Literal

from ninja import Field, Schema

ImportKind = Literal["stakeholders", "categorizations", "matrix"]
ExportKind = Literal["registry", "categorizations", "matrix", "summary"]
ExportFormat = Literal["csv", "xlsx", "json"]
TemplateFormat = Literal["csv", "xlsx"]


class ProblemOut(Schema):
    line: int | None = Field(
        description="The line (CSV), row (XLSX) or item (JSON); null: the file."
    )
    column: str | None = Field(description="The column's name, or null.")
    message: str
    text: str = Field(description="The problem as one sentence, with its place.")


class PreviewRowOut(Schema):
    line: int
    action: Literal["create", "update", "unchanged"]
    label: str
    changes: list[str]


class ImportResultOut(Schema):
    kind: ImportKind
    total: int = Field(description="Rows read from the file.")
    created: int
    updated: int
    unchanged: int
    written: bool = Field(description="False for a dry run: nothing was written.")
    preview: list[PreviewRowOut] = Field(description="What happens to the first rows.")


class ImportRefusedOut(Schema):
    detail: str
    errors: dict[str, list[str]]
    problems: list[ProblemOut] = Field(default=[], description="Every problem of the file.")


class RestoreOut(Schema):
    slug: str
    name: str
    counts: dict[str, int]
    notes: list[str]
