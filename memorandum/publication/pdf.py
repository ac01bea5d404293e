"""The memorandum as a PDF, laid out by WeasyPrint from the print template."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from weasyprint import HTML

from memorandum.publication.document import Document
from memorandum.publication.html import render_print
from memorandum.publication.pdftags import install

install()


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off for the duration, as it was before afterwards.

    WeasyPrint's layout allocates some 300,000 objects (styles, boxes, their copies) that
    live until the PDF is written: each full pass of the collector walks that growing heap
    and finds almost nothing to free (about 10,000 objects in six passes at 219 items), a
    sixth of the layout time. The few cycles are freed on a later pass once it is back on.
    It is process-wide: PDFs are rendered by the worker and the publish command, not by
    the web server's threads (except with ``TASKS_BACKEND=immediate``, where the request
    that publishes renders too: the pause then lasts that request's few seconds).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def layout(doc: Document):
    """The laid-out WeasyPrint document (pages, bookmarks), before writing the PDF."""
    html = render_print(doc)
    with cycle_collection_paused():
        return HTML(string=html, base_url=None).render()


def render_pdf(doc: Document) -> bytes:
    """A4 PDF with contents, bookmarks, running headers, language and title set.

    Written as PDF/UA-1, which makes WeasyPrint tag the structure (headings, lists,
    tables) for screen readers. The dates in the metadata come from the data, so the
    same data gives the same text.
    """
    with cycle_collection_paused():
        rendered = layout(doc)
        rendered.metadata.lang = doc.language_tag
        # No /ID: pydyf would serialise and compress every object a second time to hash
        # them (0.2 s of 5 at 219 items). PDF/UA-1 does not ask for one, and each stored
        # file is identified by the SHA-256 kept with its version anyway.
        return rendered.write_pdf(pdf_variant="pdf/ua-1")
