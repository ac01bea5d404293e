"""What each kind of import runs in the worker, and where the person goes afterwards.

The importers are imported when a job runs, not when this module loads: the apps that
hand a job to the worker import this app, not the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from memorandum.imports.models import ImportJob, ImportKind
from memorandum.lib.importing import ImportResult, Progress


def _catalogue(job: ImportJob, progress: Progress) -> ImportResult:
    from memorandum.catalogue.exchange import import_file

    return import_file(job.edition, job.file_name, bytes(job.content), progress=progress)


def _follow_up(job: ImportJob, progress: Progress) -> ImportResult:
    from memorandum.roadmap.exchange import import_xlsx

    return import_xlsx(job.edition, bytes(job.content), job.user, progress=progress)


def _proposals(job: ImportJob, progress: Progress) -> ImportResult:
    from memorandum.consultation.importer import import_proposals

    return import_proposals(job.edition, bytes(job.content), by=job.user, progress=progress)


@dataclass(frozen=True)
class Importer:
    run: Callable[[ImportJob, Progress], ImportResult]
    audit_what: str
    done_url: str  # a URL name that takes the edition's slug
    again_url: str


IMPORTERS: dict[str, Importer] = {
    ImportKind.CATALOGUE: Importer(
        _catalogue, "catalogue", "catalogue:catalogue", "catalogue:import"
    ),
    ImportKind.FOLLOW_UP: Importer(_follow_up, "follow_up", "roadmap:dashboard", "roadmap:import"),
    ImportKind.PROPOSALS: Importer(
        _proposals, "proposals", "consultation:proposals", "consultation:import"
    ),
}


def done_url(job: ImportJob) -> str:
    return reverse(IMPORTERS[job.kind].done_url, args=[job.edition.slug])


def again_url(job: ImportJob) -> str:
    return reverse(IMPORTERS[job.kind].again_url, args=[job.edition.slug])
