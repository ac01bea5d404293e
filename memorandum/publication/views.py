"""The memorandum of an edition as a public page, and its PDF and Word downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from memorandum.catalogue.views import edition_for  # unpublished editions 404 for the public
from memorandum.lib.i18n import content_language
from memorandum.publication import formats
from memorandum.publication.document import LANGUAGES, build_document
from memorandum.publication.html import render_body


def memorandum(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    doc = build_document(edition, content_language())
    return render(
        request,
        "publication/memorandum.html",
        {"edition": edition, "doc": doc, "body": render_body(doc)},
    )


def download(request: HttpRequest, slug: str, lang: str, fmt: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    if lang not in LANGUAGES or fmt not in ("pdf", "docx"):
        raise Http404
    content = formats.render_cached(build_document(edition, lang), fmt)
    response = HttpResponse(content, content_type=formats.FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{formats.filename(edition, fmt, lang)}"'
    )
    return response
