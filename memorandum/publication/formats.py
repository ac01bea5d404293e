"""One entry point for the three renderers, used by the page, the downloads and the command."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from memorandum.catalogue.models import Edition
from memorandum.publication.document import Document

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(doc: Document, fmt: str) -> bytes:
    """The document as bytes in ``fmt`` ("html", "pdf" or "docx")."""
    # Imported here: WeasyPrint and python-docx are heavy, and each call needs only one.
    if fmt == "html":
        from memorandum.publication.html import render_standalone

        return render_standalone(doc).encode()
    if fmt == "pdf":
        from memorandum.publication.pdf import render_pdf

        return render_pdf(doc)
    if fmt == "docx":
        from memorandum.publication.word import render_docx

        return render_docx(doc)
    raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")


def render_cached(doc: Document, fmt: str) -> bytes:
    """Like :func:`render`, but a PDF or DOCX already made from the same content is reused.

    Laying out a PDF takes seconds; the key is a hash of the document's HTML rendering,
    which changes whenever anything shown in the document changes.
    """
    from memorandum.publication.html import render_standalone

    fingerprint = hashlib.sha256(render_standalone(doc).encode()).hexdigest()
    key = f"publication:{fmt}:{fingerprint}"
    content = cache.get(key)
    if content is None:
        content = render(doc, fmt)
        cache.set(key, content, timeout=24 * 3600)
    return content


def filename(edition: Edition, fmt: str, lang: str) -> str:
    """'memorandum-2024-2028-nl.pdf'."""
    return f"memorandum-{edition.slug}-{lang}.{fmt}"
