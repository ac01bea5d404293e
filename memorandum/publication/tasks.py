"""Background jobs of the publication app (run by the worker, see docs/deploy.md)."""

from __future__ import annotations

from django_tasks import task


@task()
def render_version(version_id: int) -> int:
    """Render the PDF, Word and HTML files of a publication version (NL and FR) that are
    still missing; a version whose files all exist is left as it is."""
    from memorandum.publication.models import PublicationVersion
    from memorandum.publication.services import version_render

    version = PublicationVersion.objects.filter(pk=version_id).first()
    if version is None:
        return 0
    return version_render(version)
