"""Footnotes and language spans in content texts.

A footnote is written ``[^…]`` right after the word the note belongs to; a passage in
another language than its text is written ``[[fr:La Police de proximité]]``.

Any content text (foreword, context, reference …) may carry notes, written inline as
``driekwart van het personeel[^www.politie.be (federale statistieken).]``. The renderers
turn them into real footnotes: CSS ``float: footnote`` in the PDF, Word footnotes in the
DOCX, numbered notes in HTML. Places that cannot hold a note (bookmarks, metadata, chart
labels) use :func:`strip_notes`. Language spans are read by
:mod:`memorandum.lib.i18n` (``split_languages``, ``language_spans_html``): ``lang``
attributes in HTML and PDF and language runs in Word, so a screen reader reads them in
their own language.
"""

from __future__ import annotations

import re

from memorandum.lib.i18n import without_language_marks

NOTE = re.compile(r"\[\^(.+?)\]", re.S)


def split_notes(text: str) -> list[tuple[str, bool]]:
    """The text cut into (segment, is_note) pairs, in order; empty segments left out."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in NOTE.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((match.group(1).strip(), True))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def strip_notes(text: str) -> str:
    """The text without its notes and language marks (for bookmarks, metadata, charts)."""
    return without_language_marks(NOTE.sub("", text))


def has_notes(text: str) -> bool:
    return bool(NOTE.search(text or ""))
