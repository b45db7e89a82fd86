"""Report downloads of a city, and its data pages: exports, import templates, imports."""

import io
import tempfile
from collections.abc import Callable
from itertools import chain
from typing import IO, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.cities.selectors import city_for
from civitas.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    error_messages,
)
from civitas.core.exports import stream_csv
from civitas.reports import exports
from civitas.reports.backup import city_backup
from civitas.reports.forms import ImportForm
from civitas.reports.import_templates import (
    TEMPLATE_FORMATS,
    template_csv,
    template_filename,
    template_xlsx,
)
from civitas.reports.jobs import (
    job_confirm,
    job_create,
    job_progress,
    job_refresh,
    job_start,
    jobs_of,
)
from civitas.reports.models import ImportJob
from civitas.reports.progress import describe
from civitas.reports.summary import (
    FORMATS,
    summary_filename,
    summary_text,
    summary_xlsx,
)
from civitas.stakeholders.imports import IMPORTERS, importers_for
from civitas.stakeholders.selectors import summary_rows_streamed

# The most problems a page lists; all of them can be downloaded as CSV.
SHOWN_PROBLEMS = 1_000


@login_required
def summary_export(request: HttpRequest, city_slug: str, format: str) -> HttpResponseBase:
    """Download the Appendix I summary table of a city as csv, xlsx, md or json."""
    if format not in FORMATS:
        raise Http404("No such format.")
    user = cast(User, request.user)  # signed in: login_required
    city = city_for(slug=city_slug, user=user)
    rows = summary_rows_streamed(city=city, user=user)
    export_format = FORMATS[format]
    response: HttpResponseBase
    if format == "xlsx":
        response = _streamed_xlsx(
            lambda file: summary_xlsx(rows, file, city=city), export_format.content_type
        )
    else:
        pieces = summary_text(rows, format, city=city)
        if format == "csv":
            # The byte-order mark lets spreadsheet programs recognize the file as UTF-8.
            pieces = chain(["\ufeff"], pieces)
        response = StreamingHttpResponse(pieces, content_type=export_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{summary_filename(city, format)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Exports, imports and templates


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # signed in: login_required


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _streamed_xlsx(write: Callable[[IO[bytes]], None], content_type: str) -> FileResponse:
    """Write a workbook to a temporary file (openpyxl needs a file) and stream it from there."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it when sent
    write(spool)
    spool.seek(0)
    return FileResponse(spool, content_type=content_type)


@login_required
def data_view(request: HttpRequest, city_slug: str) -> HttpResponse:
    """List what can be downloaded from a city and imported into it."""
    user = _user(request)
    city = city_for(slug=city_slug, user=user)
    return render(
        request,
        "reports/data.html",
        {
            "city": city,
            "kinds": [kind for key, kind in exports.KINDS.items() if key != "summary"],
            "formats": list(exports.FORMATS),
            "importers": importers_for(user, city),
            "all_importers": list(IMPORTERS.values()),
            "template_formats": TEMPLATE_FORMATS,
            "can_back_up": user.has_perm("cities.change_city", city),
            "sees_confidential": user.has_perm("stakeholders.view_confidential", city),
        },
    )


@login_required
def export_download(
    request: HttpRequest, city_slug: str, kind: str, format: str
) -> HttpResponseBase:
    """Download the registry, categorizations, matrix or summary as CSV, XLSX or JSON."""
    if kind not in exports.KINDS or format not in exports.FORMATS:
        raise Http404("No such export.")
    if kind == "summary":
        return summary_export(request, city_slug=city_slug, format=format)
    user = _user(request)
    city = city_for(slug=city_slug, user=user)
    arguments: dict[str, Any] = {"city": city, "user": user}
    if kind == "categorizations" and request.GET.get("initiative", "").isdigit():
        arguments["initiative"] = get_object_or_404(
            Initiative, city=city, pk=int(request.GET["initiative"])
        )
    records = exports.KINDS[kind].records(**arguments)
    export_format = exports.FORMATS[format]
    response: HttpResponseBase
    if format == "xlsx":
        response = _streamed_xlsx(
            lambda file: exports.export_xlsx(kind, records, file), export_format.content_type
        )
    else:
        text = exports.export_text(kind, format, records, city=city)
        if format == "csv":
            # The byte-order mark lets spreadsheet programs recognize the file as UTF-8.
            text = chain(["\ufeff"], text)
        response = StreamingHttpResponse(text, content_type=export_format.content_type)
    return _attachment(response, exports.export_filename(city, kind, format))


@login_required
def template_download(
    request: HttpRequest, city_slug: str, kind: str, format: str
) -> HttpResponseBase:
    """Download the template of an import: header, one example row (and help, in XLSX)."""
    if kind not in IMPORTERS or format not in TEMPLATE_FORMATS:
        raise Http404("No such template.")
    city_for(slug=city_slug, user=_user(request))
    response: HttpResponseBase
    if format == "xlsx":
        buffer = io.BytesIO()
        template_xlsx(kind, buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type=exports.FORMATS["xlsx"].content_type
        )
    else:
        response = HttpResponse(
            "\ufeff" + template_csv(kind), content_type=exports.FORMATS["csv"].content_type
        )
    return _attachment(response, template_filename(kind, format))


@login_required
def backup_download(request: HttpRequest, city_slug: str) -> HttpResponseBase:
    """Download the whole city as one JSON document (owners: it holds personal data)."""
    city = city_for(slug=city_slug, user=_user(request), permission="cities.change_city")
    response = StreamingHttpResponse(city_backup(city), content_type="application/json")
    return _attachment(response, f"{city.slug}-backup.json")


def _import_job(request: HttpRequest, city: City, pk: int) -> ImportJob:
    """Return an import job of the city the user may run, or raise 404 / 403."""
    job = ImportJob.objects.select_related("initiative", "created_by").filter(city=city, pk=pk)
    found = job.first()
    if found is None:
        raise Http404("No such import.")
    found.city = city
    if not all(request.user.has_perm(p, city) for p in IMPORTERS[found.kind].permissions):
        raise PermissionDenied("Your role in this city does not allow this import.")
    return found


@login_required
def import_start(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Upload a file to import; it is checked first and shown as a preview."""
    user = _user(request)
    city = city_for(slug=city_slug, user=user)
    importers = importers_for(user, city)
    if not importers:
        raise PermissionDenied("Your role in this city does not allow imports.")
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        city=city,
        importers=importers,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = job_create(
                city=city,
                kind=form.cleaned_data["kind"],
                by=user,
                file_name=upload.name or "upload",
                data=upload.read(),
                initiative=form.cleaned_data["initiative"],
                sheet=form.cleaned_data["sheet"],
            )
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            for field, messages in error_messages(error).items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            job_start(job)
            return redirect("reports:import_preview", city_slug=city.slug, pk=job.pk)
    return render(
        request,
        "reports/import_start.html",
        {
            "city": city,
            "form": form,
            "importers": importers,
            "template_formats": TEMPLATE_FORMATS,
            "jobs": jobs_of(city),
        },
    )


def _job_page(request: HttpRequest, city: City, job: ImportJob) -> HttpResponse:
    job = job_refresh(job)
    stage, done, total = job_progress(job)
    result = job.result or {}
    problems = result.get("problems", [])
    context = {
        "city": city,
        "job": job,
        "importer": IMPORTERS[job.kind],
        "progress_text": describe(stage, done, total) if stage else "Starting…",
        "percent": done * 100 // total if total else None,
        "result": result,
        "problems": problems[:SHOWN_PROBLEMS],
        "hidden_problems": max(len(problems) - SHOWN_PROBLEMS, 0),
        "preview_columns": result.get("columns", []),
    }
    partial = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "reports/_import_status.html" if partial else "reports/import_job.html",
        context,
    )


@login_required
def import_preview(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show what a checked file would change, and import it once confirmed (POST)."""
    city = city_for(slug=city_slug, user=_user(request))
    job = _import_job(request, city, pk)
    if request.method == "POST":
        try:
            job_confirm(job=job, by=_user(request))
        except ConflictError as error:
            messages.warning(request, str(error))
        return redirect("reports:import_job", city_slug=city.slug, pk=job.pk)
    return _job_page(request, city, job)


@login_required
def import_job_view(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Show how far an import has come, and what it did."""
    city = city_for(slug=city_slug, user=_user(request))
    return _job_page(request, city, _import_job(request, city, pk))


@login_required
def import_problems(request: HttpRequest, city_slug: str, pk: int) -> HttpResponseBase:
    """Download every problem an import found, as CSV."""
    city = city_for(slug=city_slug, user=_user(request))
    job = _import_job(request, city, pk)
    problems = (job.result or {}).get("problems", [])
    rows = ([p.get("line") or "", p.get("column") or "", p["message"]] for p in problems)
    response = StreamingHttpResponse(
        chain(["\ufeff"], stream_csv(["line", "column", "problem"], rows)),
        content_type=exports.FORMATS["csv"].content_type,
    )
    return _attachment(response, f"{city.slug}-import-{job.pk}-problems.csv")
