"""Readable word-level differences between two texts, as HTML with <del> and <ins>."""

from __future__ import annotations

import difflib
import re
from typing import Any

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

TOKEN = re.compile(r"\s+|[^\s]+")


def diff_html(old: str, new: str) -> SafeString:
    """Mark words removed from ``old`` with <del> and words added in ``new`` with <ins>.

    Whitespace tokens are kept so that line breaks (one action per line) survive; the
    caller shows the result with ``white-space: pre-wrap``.
    """
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))


def has_changes(old: str, new: str) -> bool:
    return (old or "").strip() != (new or "").strip()


def text_diffs(old: Any, new: Any, model: Any = None, lang: str | None = None) -> list[dict]:
    """The changed content texts of two versions, field by field and language by language.

    ``old`` and ``new`` are instances or historical records with the bilingual columns of
    ``model`` (default: ``new``'s model), e.g. a recommendation and its amendment. Rows are
    ``{"label": "Title", "lang": "fr", "diff": <html>}``; ``lang`` limits them to one language.
    """
    from memorandum.lib.bilingual import bilingual_fields

    rows = []
    for field in bilingual_fields(model if model is not None else new):
        for code in [lang] if lang else settings.CONTENT_LANGUAGES:
            before, after = getattr(old, field.column(code)), getattr(new, field.column(code))
            if has_changes(before, after):
                label = capfirst(field.verbose_name)
                rows.append({"label": label, "lang": code, "diff": diff_html(before, after)})
    return rows
