"""HTML renderings of a :class:`~memorandum.publication.document.Document`.

The same body template serves the public page, the static HTML file of the publish
command and the print HTML that WeasyPrint turns into the PDF. Everything is rendered in
the document's language, whatever the visitor's interface language is.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from memorandum.lib.charts import priority_chart_svg, score_scale
from memorandum.publication.document import Document
from memorandum.publication.typography import typeset_html


def _typeset(doc: Document, html: str) -> str:
    """French typography on a French document (passages tagged in another language excepted)."""
    return typeset_html(html, doc.lang) if doc.lang == "fr" else html


STATIC = Path(__file__).resolve().parent / "static" / "publication"
# Heading levels: on a page under a title (h1), sections are h2; in the PDF they are h1.
# Grouped editions go two levels deeper (domain, theme, item, context): h4 and h5.
PAGE_LEVELS = {"h1": 2, "h2": 3, "h3": 4, "h4": 5, "h5": 6}
PRINT_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5}


def chart_svg(doc: Document) -> str:
    if doc.priorities is None or not doc.priorities.has_scores:
        return ""
    description = doc.labels["priorities"] + ". " + doc.labels["chart_note"]
    return priority_chart_svg(doc.priorities.for_chart(doc.lang), doc.labels["score"], description)


def chart_image(doc: Document) -> str:
    """The chart as an ``<img>`` (for WeasyPrint, which draws SVG images with its own renderer)."""
    svg = chart_svg(doc)
    if not svg:
        return ""
    data = base64.b64encode(svg.encode()).decode()
    alt = escape(doc.labels["priorities"] + ". " + doc.labels["chart_note"])
    return f'<img class="chart-image" src="data:image/svg+xml;base64,{data}" alt="{alt}">'


def _scores(doc: Document) -> dict:
    """The priority table's score column: heading with its unit, one text per row."""
    if doc.priorities is None:
        return {}
    scale = score_scale(doc.priorities)
    return {
        "score_heading": scale.label(doc.labels["score"]),
        "priority_rows": [(row, scale.format(row.score)) for row in doc.priorities.rows],
    }


def _context(doc: Document, levels: dict[str, int], *, for_print: bool = False) -> dict:
    labels = doc.labels
    return {
        **_scores(doc),
        "doc": doc,
        "chart_svg": mark_safe(chart_image(doc) if for_print else chart_svg(doc)),
        "item_sections": [
            (
                key,
                getattr(doc, key),
                labels[key],
                labels[f"{key}_intro"],
                doc.item_groups.get(key, []),
            )
            for key in ("recommendations", "commitments")
        ],
        "item_per_page": doc.item_per_page,
        **levels,
    }


def render_body(doc: Document) -> SafeString:
    """The document's sections, for embedding in a page of the site."""
    with translation.override(doc.lang):
        html = render_to_string("publication/_body.html", _context(doc, PAGE_LEVELS))
        return mark_safe(_typeset(doc, html))


def render_standalone(doc: Document) -> str:
    """A self-contained HTML file (styles inline, no site chrome): the ``--format html`` output."""
    with translation.override(doc.lang):
        context = _context(doc, PAGE_LEVELS) | {
            "css": mark_safe((STATIC / "publication.css").read_text())
        }
        return _typeset(doc, render_to_string("publication/standalone.html", context))


def render_print(doc: Document) -> str:
    """The HTML that WeasyPrint lays out as the PDF: cover, contents, sections."""
    with translation.override(doc.lang):
        context = _context(doc, PRINT_LEVELS, for_print=True) | {
            "css": mark_safe((STATIC / "print.css").read_text())
        }
        return _typeset(doc, render_to_string("publication/print.html", context))
