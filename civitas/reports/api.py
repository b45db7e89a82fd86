"""API for imports and exports: spreadsheets in and out, templates, whole-city backups."""

import io
import tempfile
from itertools import chain
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from civitas.cities.api import city_of
from civitas.cities.models import Initiative
from civitas.core.errors import ValidationError
from civitas.core.imports import read_table
from civitas.core.schemas import ERRORS, CitySlug, ErrorOut, acting_user
from civitas.reports import exports
from civitas.reports.backup import BackupError, city_backup, city_restore, read_backup
from civitas.reports.import_templates import template_csv, template_filename, template_xlsx
from civitas.reports.jobs import MAX_UPLOAD_BYTES
from civitas.reports.schemas import (
    ExportFormat,
    ExportKind,
    ImportKind,
    ImportRefusedOut,
    ImportResultOut,
    RestoreOut,
    TemplateFormat,
)
from civitas.reports.summary import summary_filename, summary_json
from civitas.stakeholders.imports import IMPORTERS
from civitas.stakeholders.selectors import summary_rows_streamed

router = Router()

DOWNLOAD = {
    "responses": {
        "200": {
            "description": "The file.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    }
}


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/cities/{slug}/exports/{kind}",
    response=ERRORS,
    summary="Export registry, categorizations, matrix or summary",
    openapi_extra=DOWNLOAD,
)
def export_file(
    request: HttpRequest,
    slug: CitySlug,
    kind: ExportKind,
    format: ExportFormat = "csv",
    initiative: int | None = None,
) -> HttpResponseBase:
    """Download a city's data as CSV, XLSX or JSON, streamed; confidential stakeholders only
    for owners and analysts, contact persons never (see the whole-city backup)."""
    user = acting_user(request)
    city = city_of(request, slug)
    filename = exports.export_filename(city, kind, format)
    if kind == "summary" and format == "json":
        rows = summary_rows_streamed(city=city, user=user)
        response: HttpResponseBase = StreamingHttpResponse(
            summary_json(rows, city=city), content_type="application/json"
        )
        return _attachment(response, summary_filename(city, "json"))
    arguments: dict[str, Any] = {"city": city, "user": user}
    if kind == "categorizations" and initiative is not None:
        found = Initiative.objects.filter(city=city, pk=initiative).first()
        if found is None:
            raise ValidationError(
                {"initiative": [f"There is no initiative with the id {initiative}."]}
            )
        arguments["initiative"] = found
    records = exports.KINDS[kind].records(**arguments)
    if format == "xlsx":
        spool = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
        exports.export_xlsx(kind, records, spool)
        spool.seek(0)
        response = FileResponse(spool, content_type=exports.FORMATS["xlsx"].content_type)
    else:
        text = exports.export_text(kind, format, records, city=city)
        response = StreamingHttpResponse(
            chain(["\ufeff"], text) if format == "csv" else text,
            content_type=exports.FORMATS[format].content_type,
        )
    return _attachment(response, filename)


@router.get(
    "/cities/{slug}/templates/{kind}",
    response=ERRORS,
    summary="Download an import template",
    openapi_extra=DOWNLOAD,
)
def template_file(
    request: HttpRequest, slug: CitySlug, kind: ImportKind, format: TemplateFormat = "csv"
) -> HttpResponseBase:
    """Download the template of an import: the header and one example row."""
    city_of(request, slug)
    if format == "xlsx":
        buffer = io.BytesIO()
        template_xlsx(kind, buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type=exports.FORMATS["xlsx"].content_type
        )
    else:
        response = HttpResponse(
            template_csv(kind), content_type=exports.FORMATS["csv"].content_type
        )
    return _attachment(response, template_filename(kind, format))


@router.post(
    "/cities/{slug}/imports/{kind}",
    response={200: ImportResultOut, **ERRORS, 409: ErrorOut, 422: ImportRefusedOut},
    summary="Import a spreadsheet",
)
def import_file(
    request: HttpRequest,
    slug: CitySlug,
    kind: ImportKind,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    initiative: Form[int | None] = None,
    sheet: Form[str] = "",
) -> Any:
    """Import stakeholders, categorizations or matrix items from CSV, XLSX or JSON.

    Every row is checked first. If any has a problem, the answer is 422 with every problem
    (line and column) and nothing is written; otherwise all rows are written at once.
    `dry_run` only checks and counts.
    """
    user = acting_user(request)
    city = city_of(request, slug)
    importer = IMPORTERS[kind]
    arguments: dict[str, Any] = {}
    if initiative is not None:
        found = Initiative.objects.filter(city=city, pk=initiative).first()
        if found is None:
            raise ValidationError(
                {"initiative": [f"There is no initiative with the id {initiative}."]}
            )
        arguments["initiative"] = found
    if (file.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": ["The file is larger than 50 MB."]})
    table = read_table(
        file.read(),
        filename=file.name or "",
        sheet=sheet,
        sheet_names=importer.sheet_names,
        required=importer.required,
    )
    result = importer.run(
        city=city,
        table=table,
        by=user,
        dry_run=dry_run,
        reason=f"Imported from {file.name or 'an upload'} (API)"[:100],
        **arguments,
    )
    if not result.ok:
        data = result.as_dict()
        return Status(
            422,
            {
                "detail": f"{len(result.problems)} problem(s) found; nothing was imported.",
                "errors": {"file": [problem["text"] for problem in data["problems"]]},
                "problems": data["problems"],
            },
        )
    return result.as_dict()


@router.get(
    "/cities/{slug}/backup",
    response=ERRORS,
    summary="Download a whole-city backup",
    openapi_extra=DOWNLOAD,
)
def backup_file(request: HttpRequest, slug: CitySlug) -> HttpResponseBase:
    """Download the whole city as one JSON document (owners only: it holds personal data)."""
    city = city_of(request, slug, "cities.change_city")
    response = StreamingHttpResponse(city_backup(city), content_type="application/json")
    return _attachment(response, f"{city.slug}-backup.json")


@router.post(
    "/city-backups",
    response={201: RestoreOut, **ERRORS, 409: ErrorOut, 422: ImportRefusedOut},
    summary="Restore a city from a backup",
)
def backup_restore(
    request: HttpRequest,
    file: File[UploadedFile],
    slug: Form[str] = "",
    name: Form[str] = "",
) -> Any:
    """Create a city from a backup made by `civitas export city`; you become its owner."""
    try:
        result = city_restore(
            document=read_backup(file.read()), by=acting_user(request), slug=slug, name=name
        )
    except BackupError as error:
        problems = [problem.as_dict() for problem in error.problems]
        return Status(
            422,
            {
                "detail": "The backup cannot be restored; nothing was written.",
                "errors": {"file": [problem["text"] for problem in problems]},
                "problems": problems,
            },
        )
    return Status(
        201,
        {
            "slug": result.city.slug,
            "name": result.city.name,
            "counts": result.counts,
            "notes": result.notes,
        },
    )
