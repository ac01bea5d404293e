"""One entry point for the three renderers, used by the worker that renders a version and by the command."""

from __future__ import annotations

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
