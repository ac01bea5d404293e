"""The memorandum as a PDF, laid out by WeasyPrint from the print template."""

from __future__ import annotations

from weasyprint import HTML

from memorandum.publication.document import Document
from memorandum.publication.html import render_print
from memorandum.publication.pdftags import install

install()


def layout(doc: Document):
    """The laid-out WeasyPrint document (pages, bookmarks), before writing the PDF."""
    return HTML(string=render_print(doc), base_url=None).render()


def render_pdf(doc: Document) -> bytes:
    """A4 PDF with contents, bookmarks, running headers, language and title set.

    Written as PDF/UA-1, which makes WeasyPrint tag the structure (headings, lists,
    tables) for screen readers. The dates in the metadata come from the data, so the
    same data gives the same text.
    """
    rendered = layout(doc)
    rendered.metadata.lang = doc.language_tag
    return rendered.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=doc.slug.encode())
