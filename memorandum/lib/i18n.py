"""The one localising helper: a content text in the reader's language, or a marked fallback.

A model keeps one column per content language (``title_nl``, ``title_fr``; declared with
:class:`memorandum.lib.bilingual.BilingualField`). :func:`localized` returns the text in
the wanted language, or in the other content language when that one is empty, as a
:class:`LocalizedText` that knows which language it really is in. Renderers never choose
a column themselves: HTML templates use the ``tr`` filter (``memorandum/templatetags/
content.py``), which sets ``lang`` and marks a missing translation; the publication and
DOCX read ``.lang`` and ``.is_fallback`` to tag the passage.

Language tags, one way for every renderer: :func:`language_tag` (``nl-BE``) for a
document or passage, :func:`split_languages` and :func:`language_spans_html` for the
``[[fr:…]]`` passages a content text may hold, :func:`set_docx_language` for Word runs and
styles.

English readers: the content has no English at all, so for them a Dutch text is not a
missing translation but the content language of the page. It still carries its ``lang``,
but :attr:`LocalizedText.is_missing_translation` is false, so pages say it once (see
:func:`page_language_note`) instead of marking every passage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.conf import settings
from django.utils import translation

from memorandum.lib.text import printable


class LocalizedText(str):
    """A string that remembers its language and whether it stands in for a missing one."""

    lang: str
    wanted: str

    def __new__(cls, value: str, lang: str, wanted: str) -> LocalizedText:
        obj = super().__new__(cls, value)
        obj.lang = lang
        obj.wanted = wanted
        return obj

    def __reduce__(self):
        # Keep language and fallback through copy/deepcopy/pickle (e.g. setUpTestData).
        return (LocalizedText, (str(self), self.lang, self.wanted))

    @property
    def is_fallback(self) -> bool:
        """The text is in another language than the reader's (tag it with ``lang``)."""
        return bool(self) and self.lang != self.wanted

    @property
    def is_missing_translation(self) -> bool:
        """A fallback the reader should be told about: the text exists in other content
        languages but not in theirs (a French page showing Dutch, not an English page)."""
        return self.is_fallback and self.wanted in settings.CONTENT_LANGUAGES


def content_language(lang: str | None = None) -> str:
    """The content language to show for a UI language (English readers get Dutch first)."""
    lang = (lang or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return lang if lang in settings.CONTENT_LANGUAGES else settings.CONTENT_LANGUAGES[0]


def stored_texts(obj: object, base: str) -> dict[str, str]:
    """``{"nl": obj.<base>_nl, "fr": obj.<base>_fr}`` as stored: no fallback, empty strings
    for missing ones (a snapshot, an export, the values a fallback is chosen from)."""
    return {code: getattr(obj, f"{base}_{code}", "") or "" for code in settings.CONTENT_LANGUAGES}


def localized(obj: object, base: str, lang: str | None = None) -> LocalizedText:
    """Return ``obj.<base>_<lang>``, falling back to the other content languages in order."""
    return localize_values(stored_texts(obj, base), lang)


def localize_values(
    values: Mapping[str, str | None] | None, lang: str | None = None
) -> LocalizedText:
    """The same for ``{"nl": …, "fr": …}`` (a snapshot, a JSON contract): the text in ``lang``
    (default: the reader's language), else the first other content language that has one."""
    values = values or {}
    wanted_ui = (lang or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    first = content_language(wanted_ui)
    order = [first] + [code for code in settings.CONTENT_LANGUAGES if code != first]
    for code in order:
        value = values.get(code) or ""
        if value.strip():
            return LocalizedText(printable(value), code, wanted_ui)
    return LocalizedText("", first, wanted_ui)


def page_language_note(lang: str | None = None) -> str:
    """For a UI language that content is not written in: one note saying what is shown."""
    wanted = (lang or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if wanted in settings.CONTENT_LANGUAGES:
        return ""
    with translation.override(wanted):
        shown = translation.get_language_info(content_language(wanted))["name_translated"]
        return translation.gettext(
            "The memorandum is written in Dutch and French; its texts are shown here in %(language)s."
        ) % {"language": shown}


# Language tags ----------------------------------------------------------------------------
# One way to say which language a passage is in, for every renderer: BCP 47 tags for
# documents (PDF /Lang, DOCX w:lang, the HTML lang of a whole memorandum), and the
# ``[[fr:…]]`` mark a content text uses for a passage in another language than its own.

LANGUAGE_TAGS = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB", "de": "de-BE"}
LANGUAGE_SPAN = re.compile(r"\[\[([a-z]{2}):(.+?)\]\]", re.S)


def language_tag(lang: str) -> str:
    """The BCP 47 tag a document or passage in ``lang`` is proofed and read out with."""
    return LANGUAGE_TAGS.get(lang, lang)


def split_languages(text: str, lang: str) -> list[tuple[str, str]]:
    """The text cut at its ``[[fr:…]]`` marks into (segment, language) pairs; ``lang`` is
    the text's own language."""
    parts: list[tuple[str, str]] = []
    position = 0
    for match in LANGUAGE_SPAN.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], lang))
        parts.append((match.group(2), match.group(1)))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], lang))
    return parts


def language_spans_html(html: str) -> str:
    """Escaped HTML with each ``[[fr:…]]`` mark as ``<span lang="fr">…</span>``."""
    return LANGUAGE_SPAN.sub(r'<span lang="\1">\2</span>', html)


def without_language_marks(text: str) -> str:
    """The text with its ``[[fr:…]]`` marks taken away, their passages kept."""
    return LANGUAGE_SPAN.sub(r"\2", text)


def set_docx_language(element, lang: str) -> None:
    """Mark a python-docx run (``run._r``) or style (``style.element``) as written in
    ``lang`` (``w:lang``), so Word proofs it and a screen reader reads it in that language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = language_tag(lang)
    language = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        language.set(qn(attribute), tag)
    element.get_or_add_rPr().append(language)


def marked(text: object) -> str:
    """A content text for a renderer without markup (a DOCX run, a select option, a cell):
    ``"[NL] text"`` for a missing translation, the text itself otherwise."""
    if isinstance(text, LocalizedText) and text.is_missing_translation:
        return f"[{text.lang.upper()}] {text}"
    return str(text)


def add_docx_text(paragraph, text: object, *, marker_color=None) -> None:
    """Add a content text to a python-docx paragraph: in another language than the
    document's, its run carries that language (``w:lang``, for spelling and screen readers)
    and a missing translation gets the bold "[NL]" marker first."""
    if isinstance(text, LocalizedText) and text.is_missing_translation:
        marker = paragraph.add_run(f"[{text.lang.upper()}] ")
        marker.bold = True
        if marker_color is not None:
            marker.font.color.rgb = marker_color
    run = paragraph.add_run(str(text))
    if isinstance(text, LocalizedText) and text.is_fallback:
        set_docx_language(run._r, text.lang)
