"""Run imports started from the web pages in the background, and report their progress.

An upload becomes an ImportJob holding the file. The job is first checked (a dry run:
counts, the first rows and every problem, shown as a preview) and, once the user
confirms, imported. Each phase runs in a background thread of the server process that
received the request, and writes its progress to the job, which the page polls.

Why a thread and not a subprocess (`civitas import ... --job ID`): the thread shares
the process's settings and database configuration with no command line to rebuild, and
nothing has to reap a child process; the file travels in the job row, so any app server
can show the job. What a thread cannot survive is its process stopping (a restart, a
deployment): the job then stops sending heartbeats, and after STALE_AFTER it is marked
as stopped. That loses nothing: the import writes in one transaction, so a stopped
import has written nothing and can simply be started again. A task queue can take this
over later without changing the pages.

While the import writes (inside its transaction) the job row cannot be updated on
SQLite, whose writers take turns: the page then says how many rows are being written,
and a request served by the same process also sees the live count.
"""

import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.cities.models import City, Initiative
from civitas.core.errors import ConflictError, PermissionDeniedError, ValidationError
from civitas.core.imports import ImportResult, read_table
from civitas.core.permissions import require
from civitas.reports.models import ImportJob, ImportStatus
from civitas.stakeholders.imports import IMPORTERS

# The largest file accepted from the web page.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A running job that has not reported for this long has stopped (its process ended).
STALE_AFTER = timedelta(minutes=10)
# Progress is written to the database at most this often (seconds).
REPORT_EVERY = 0.5

# Progress of jobs running in this process: {job id: (stage, done, total)}.
_LIVE: dict[int, tuple[str, int, int]] = {}


def job_create(
    *,
    city: City,
    kind: str,
    by: User,
    file_name: str,
    data: bytes,
    initiative: Initiative | None = None,
    sheet: str = "",
) -> ImportJob:
    """Store an upload as an import job waiting to be checked."""
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise ValidationError({"kind": [f"Unknown kind of import “{kind}”."]})
    for permission in importer.permissions:
        require(by, permission, city)
    if not data:
        raise ValidationError({"file": ["The file is empty."]})
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": [f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."]}
        )
    if initiative is not None and initiative.city_id != city.pk:
        raise ValidationError({"initiative": ["The initiative belongs to another city."]})
    return ImportJob.objects.create(
        city=city,
        kind=kind,
        initiative=initiative,
        created_by=by,
        file_name=file_name[:255],
        sheet=sheet[:100],
        data=data,
        status=ImportStatus.CHECKING,
        heartbeat_at=timezone.now(),
    )


def job_confirm(*, job: ImportJob, by: User) -> ImportJob:
    """Start importing a checked job."""
    for permission in IMPORTERS[job.kind].permissions:
        require(by, permission, job.city)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING, stage="", done=0, heartbeat_at=timezone.now()
    )
    if not updated:
        raise ConflictError("This import is not waiting for confirmation any more.")
    job.refresh_from_db()
    job_start(job)
    return job


def job_start(job: ImportJob) -> None:
    """Run the job's current phase: in a background thread, or at once if so configured."""
    if not getattr(settings, "CIVITAS_BACKGROUND_IMPORTS", True):
        job_run(job.pk)
        return

    def run() -> None:
        try:
            job_run(job.pk)
        finally:
            connections.close_all()

    # Start only once the job row is committed, so that the thread can read it.
    transaction.on_commit(
        lambda: threading.Thread(target=run, name=f"import-job-{job.pk}", daemon=True).start()
    )


class _Reporter:
    """Pass an importer's progress on to the job, now and then."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        _LIVE[self.job_id] = (stage, done, total)
        now = time.monotonic()
        # Inside the import's transaction the job row cannot be written: on SQLite the
        # transaction holds the only write lock; on PostgreSQL no one would see it yet.
        if now - self.last < REPORT_EVERY or connection.in_atomic_block:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job_id).update(
            stage=stage, done=done, total=total, heartbeat_at=timezone.now()
        )


def job_run(job_id: int) -> None:
    """Check or import a job's file, and record the outcome on the job."""
    job = ImportJob.objects.select_related("city", "initiative", "created_by").get(pk=job_id)
    checking = job.status == ImportStatus.CHECKING
    importer = IMPORTERS[job.kind]
    reporter = _Reporter(job.pk)
    arguments: dict[str, Any] = {}
    if importer.needs_initiative and job.initiative is not None:
        arguments["initiative"] = job.initiative
    try:
        table = read_table(
            bytes(job.data),
            filename=job.file_name,
            sheet=job.sheet,
            sheet_names=importer.sheet_names,
            required=importer.required,
        )
        result: ImportResult = importer.run(
            city=job.city,
            table=table,
            by=job.created_by,
            dry_run=checking,
            reason=f"Imported from {job.file_name}"[:100],
            progress=reporter,
            **arguments,
        )
    except (ConflictError, PermissionDeniedError) as error:
        _finish(job, ImportStatus.FAILED, message=str(error))
        return
    except Exception as error:
        _finish(
            job,
            ImportStatus.FAILED,
            message="The import failed unexpectedly; nothing was written. The site's "
            f"administrators can find the details in the server log ({type(error).__name__}).",
        )
        raise
    finally:
        _LIVE.pop(job.pk, None)
    if not result.ok:
        status = ImportStatus.REFUSED
    elif checking:
        status = ImportStatus.CHECKED
    else:
        status = ImportStatus.DONE
    _finish(job, status, result=result)


def _finish(
    job: ImportJob, status: str, *, result: ImportResult | None = None, message: str = ""
) -> None:
    values: dict[str, Any] = {
        "status": status,
        "message": message,
        "heartbeat_at": timezone.now(),
        "stage": "",
    }
    if result is not None:
        values["result"] = result.as_dict()
        values["done"] = values["total"] = result.total
    if status != ImportStatus.CHECKED:
        values["data"] = b""  # the file is not needed any more
    ImportJob.objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


def job_refresh(job: ImportJob) -> ImportJob:
    """Return the job as it stands, marking it stopped if its process went away."""
    job.refresh_from_db()
    if job.is_running and job.heartbeat_at and timezone.now() - job.heartbeat_at > STALE_AFTER:
        _finish(
            job,
            ImportStatus.FAILED,
            message="The import stopped before it finished (the server was probably "
            "restarted). An import is written whole or not at all: check the registry, and "
            "start the import again if it is not there.",
        )
    return job


def job_progress(job: ImportJob) -> tuple[str, int, int]:
    """Return the job's stage and counts: live ones if it runs in this process."""
    return _LIVE.get(job.pk, (job.stage, job.done, job.total))


def jobs_of(city: City, limit: int = 10) -> list[ImportJob]:
    """Return the city's latest import jobs, without their files."""
    return list(
        ImportJob.objects.filter(city=city)
        .defer("data", "result")
        .select_related("created_by", "initiative")[:limit]
    )
