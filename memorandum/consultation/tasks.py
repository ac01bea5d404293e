"""The consultation app's background jobs. Each carries ids only."""

from __future__ import annotations

from django_tasks import task

from memorandum.consultation import duplicates


@task()
def scan_duplicates(scan_id: int) -> str:
    """Compute the likely duplicates of one scan (see :func:`duplicates.run_scan`)."""
    return duplicates.run_scan(scan_id)
