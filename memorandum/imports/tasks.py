"""The worker's side of background imports."""

from __future__ import annotations

from django_tasks import task

from memorandum.imports.services import import_run


@task()
def run_import(job_id: int) -> str:
    """Check and apply one stored upload (see :func:`memorandum.imports.services.import_run`)."""
    return import_run(job_id)
