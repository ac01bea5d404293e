"""Handing an import to the worker, and running it there."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from memorandum.audit import services as audit
from memorandum.catalogue.models import Edition
from memorandum.imports.models import ImportJob, ImportStatus
from memorandum.imports.registry import IMPORTERS
from memorandum.lib.importing import ImportResult
from memorandum.lib.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


@transaction.atomic
def import_start(
    *, request: HttpRequest, kind: str, edition: Edition, file_name: str, content: bytes
) -> ImportJob:
    """Store the upload and queue its check and import; the page polls the job."""
    from memorandum.imports.tasks import run_import

    job = ImportJob.objects.create(
        kind=kind,
        edition=edition,
        user=request.user,
        language=translation.get_language() or "nl",
        file_name=file_name[:255],
        content=content,
    )
    enqueue_on_commit(run_import, job.pk)
    return job


def import_record(
    *,
    kind: str,
    edition: Edition,
    file_name: str,
    result: ImportResult,
    request: HttpRequest | None = None,
    actor=None,
) -> None:
    """The audit entry of an import that went through, the same from a page and from the worker."""
    audit.record(
        audit.Action.IMPORTED,
        request=request,
        actor=actor,
        target=edition,
        what=IMPORTERS[kind].audit_what,
        file=file_name,
        created=result.created,
        updated=result.updated,
    )


def import_run(job_id: int) -> str:
    """Check and apply a stored upload: all or nothing, as in a request.

    A job runs once: a second delivery of the same task finds it no longer queued. The rows
    are checked outside any transaction, so the progress the page shows is committed as it
    goes; the importer then writes everything in one transaction.
    """
    updated = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.CHECKING
    )
    if not updated:
        return "not queued"
    job = ImportJob.objects.select_related("edition", "user").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done_rows=done, total_rows=total)

    importer = IMPORTERS[job.kind]
    try:
        with translation.override(job.language):
            result = importer.run(job, progress)
    except Exception:  # nothing was written (atomic); the person sees that it failed
        logger.exception("import %s failed", job_id)
        _finish(job, ImportStatus.FAILED, None)
        return "failed"
    if result.ok:
        with transaction.atomic():
            import_record(
                kind=job.kind,
                edition=job.edition,
                file_name=job.file_name,
                result=result,
                actor=job.user,
            )
            _finish(job, ImportStatus.DONE, result)
        return "done"
    _finish(job, ImportStatus.REFUSED, result)
    return "refused"


def _finish(job: ImportJob, status: str, result) -> None:
    job.status = status
    job.result_data = result.as_json() if result is not None else None
    job.content = b""  # the file is not kept once it has been run
    job.done_rows = job.total_rows = max(job.total_rows, job.done_rows)
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "result_data", "content", "done_rows", "total_rows", "finished_at"]
    )


def imports_requeue_stuck(*, minutes: int) -> int:
    """Queue again the imports still waiting after ``minutes`` (the queue was unreachable
    when they were stored); a job runs only once however often it is queued."""
    from memorandum.imports.tasks import run_import

    cutoff = timezone.now() - dt.timedelta(minutes=minutes)
    stuck = list(
        ImportJob.objects.filter(status=ImportStatus.QUEUED, created_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in stuck:
        run_import.enqueue(pk)
    return len(stuck)
