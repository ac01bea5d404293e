"""File downloads: one way to send a file the browser saves (or shows, for an image)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# The content type of each kind of file the platform sends, by its name's ending.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
    "svg": "image/svg+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download_response(content: bytes | str, filename: str, *, inline: bool = False) -> HttpResponse:
    """``content`` as a file named ``filename``, with the content type its ending names
    (:data:`CONTENT_TYPES`): saved by the browser, or shown in the page when ``inline`` (a
    chart). Django writes the header, so a name with accents or quotes stays a valid header."""
    return HttpResponse(
        content,
        content_type=CONTENT_TYPES[filename.rpartition(".")[2]],
        headers={"Content-Disposition": content_disposition_header(not inline, filename)},
    )
