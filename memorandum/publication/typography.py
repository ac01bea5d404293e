"""French typography for printed output: typographic apostrophes, and a narrow no-break
space (U+202F) before ; : ! ? and inside « guillemets ».

Applied only to text known to be French (a French content text, the French edition's fixed
wording), never to a Dutch passage shown in a French document. Addresses are left alone:
a colon or question mark with no space before it and none after it (``https://…``, ``?q=``)
is not punctuation.
"""

from __future__ import annotations

import re

from memorandum.lib.i18n import split_languages
from memorandum.publication.notes import NOTE

NNBSP = "\u202f"
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<=\w)&#x27;(?=\w)|(?<=\w)&#39;(?=\w)")
_SPACED = re.compile(r"[ \u00a0](?=[;:!?»])")
_TIGHT = re.compile(r"(?<=[^\s\u00a0\u202f;:!?/])([;!?](?=\s|$|<)|:(?=\s))")
_OPENING = re.compile(r"«[ \u00a0]?")
# Tags and character references pass through untouched ("&amp;" must not become "&amp ;").
_TAG = re.compile(r"(<[^>]*>|&#?\w+;)")


def typeset(text: str) -> str:
    """French typography on plain text (not HTML)."""
    if not text:
        return text
    text = _APOSTROPHE.sub("\u2019", text)
    text = _SPACED.sub(NNBSP, text)
    text = _TIGHT.sub(NNBSP + r"\1", text)
    return _OPENING.sub("«" + NNBSP, text)


def plain_typeset(text: str, lang: str) -> str:
    """A content text for a place that holds neither notes nor language runs (chart
    labels): notes and language marks taken away, French typography on French passages."""
    own = getattr(text, "lang", None) or lang
    return "".join(
        typeset(segment) if segment_lang == "fr" else segment
        for segment, segment_lang in split_languages(NOTE.sub("", str(text)), own)
    )


_LANG = re.compile(r"""\slang=["']?([A-Za-z-]+)""")
_NAME = re.compile(r"<\s*/?\s*([A-Za-z0-9]+)")
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}
_RAW = {"style", "script", "svg"}


def typeset_html(html: str, lang: str = "fr") -> str:
    """French typography on the text of an HTML fragment whose language is ``lang``.

    Elements with a ``lang`` attribute set their own language for what they contain, so a
    Dutch passage in a French document keeps its own punctuation; style, script and SVG
    contents are left alone.
    """
    stack: list[tuple[str, str]] = []
    current, raw = lang, 0
    out = []
    # An escaped apostrophe is text ("l&#x27;avenir"), and Django quotes attributes with ".
    html = html.replace("&#x27;", "'").replace("&#39;", "'")
    for part in _TAG.split(html):
        if part.startswith("&"):
            out.append(part)
            continue
        if not part.startswith("<"):
            out.append(typeset(part) if current.startswith("fr") and not raw else part)
            continue
        out.append(part)
        match = _NAME.match(part)
        if not match or part.startswith("<!") or part.endswith("/>"):
            continue
        name = match.group(1).lower()
        if name in _VOID:
            continue
        if part.startswith("</"):
            while stack:
                opened, current = stack.pop()
                if opened == name:
                    break
            if name in _RAW:
                raw = max(raw - 1, 0)
            current = stack[-1][1] if stack else lang
            continue
        found = _LANG.search(part)
        stack.append((name, found.group(1).lower() if found else current))
        current = stack[-1][1]
        if name in _RAW:
            raw += 1
    return "".join(out)
