"""Readable word-level differences between two texts, as HTML with <del> and <ins>."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
