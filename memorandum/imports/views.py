"""The page that follows an import the worker runs."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from memorandum.imports.models import ImportJob
from memorandum.imports.registry import IMPORTERS, again_url, done_url
from memorandum.imports.services import import_record, import_start
from memorandum.lib.importing import ImportResult, needs_worker


@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress, then the counts or the problems; htmx polls it while the worker runs.

    Only the person who uploaded the file sees it (the problems quote the file's contents).
    """
    found = get_object_or_404(
        ImportJob.objects.select_related("edition").defer("content"), pk=pk, user=request.user
    )
    context = {
        "job": found,
        "edition": found.edition,
        "result": found.result,
        "done_url": done_url(found),
        "again_url": again_url(found),
    }
    if request.htmx:
        # 286 tells htmx to stop polling: the import is over.
        status = 200 if found.is_active else 286
        return render(request, "imports/_job_status.html", context, status=status)
    return render(request, "imports/job.html", context)


def start(request: HttpRequest, kind: str, edition, file_name: str, content: bytes) -> HttpResponse:
    """For an import view: hand the upload to the worker and follow it on its page."""
    found = import_start(
        request=request, kind=kind, edition=edition, file_name=file_name, content=content
    )
    return redirect("imports:job", pk=found.pk)


def import_page(
    request: HttpRequest,
    *,
    kind: str,
    edition,
    form,
    run: Callable[[str, bytes], ImportResult],
    template: str,
    columns,
    message: Callable[[ImportResult], str] = ImportResult.summary,
) -> HttpResponse:
    """The page of every import: the form, then the upload checked and imported at once or,
    when it is large, handed to the worker.

    ``run(file_name, content)`` imports the file, all or nothing. When it went through the
    import is recorded in the audit log, ``message`` says what changed and the page follows
    the importer to where its registry entry says; otherwise the page lists the problems.
    """
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        if needs_worker(upload.name, content):
            return start(request, kind, edition, upload.name, content)
        result = run(upload.name, content)
        if result.ok:
            import_record(
                kind=kind, edition=edition, file_name=upload.name, result=result, request=request
            )
            messages.success(request, message(result))
            return redirect(IMPORTERS[kind].done_url, slug=edition.slug)
    context = {"edition": edition, "form": form, "result": result, "columns": columns}
    return render(request, template, context)
