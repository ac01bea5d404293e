"""File downloads: one way to send a file the browser saves (or shows, for an image)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def download_response(
    content: bytes | str, content_type: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    """``content`` as a file named ``filename``: saved by the browser, or shown in the page
    when ``inline`` (a chart). Django writes the header, so a name with accents or quotes
    stays a valid header."""
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(not inline, filename)},
    )
