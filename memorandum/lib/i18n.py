"""Content texts held in Dutch and French, with a visible fallback.

A model keeps one column per content language (``title_nl``, ``title_fr``). The
:class:`TranslatedField` descriptor returns the text in the active language, or in the
other content language when that one is empty, as a :class:`LocalizedText` that knows
which language it really is in, so templates can mark the fallback instead of hiding it.
"""

from __future__ import annotations

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
        return bool(self) and self.lang != self.wanted


def content_language(lang: str | None = None) -> str:
    """The content language to show for a UI language (English readers get Dutch first)."""
    lang = (lang or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return lang if lang in settings.CONTENT_LANGUAGES else settings.CONTENT_LANGUAGES[0]


def localized(obj: object, base: str, lang: str | None = None) -> LocalizedText:
    """Return ``obj.<base>_<lang>``, falling back to the other content languages in order."""
    wanted_ui = (lang or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    first = content_language(wanted_ui)
    order = [first] + [code for code in settings.CONTENT_LANGUAGES if code != first]
    for code in order:
        value = getattr(obj, f"{base}_{code}", "") or ""
        if value.strip():
            return LocalizedText(printable(value), code, wanted_ui)
    return LocalizedText("", first, wanted_ui)


class TranslatedField:
    """Descriptor: ``title = TranslatedField("title")`` reads ``title_nl``/``title_fr``."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type | None = None):
        if obj is None:
            return self
        return localized(obj, self.base)


def missing_translations(obj: object, bases: list[str]) -> list[tuple[str, str]]:
    """List (field, language) pairs where one content language has text and another not."""
    missing = []
    for base in bases:
        values = {
            code: (getattr(obj, f"{base}_{code}", "") or "").strip()
            for code in settings.CONTENT_LANGUAGES
        }
        if any(values.values()):
            missing += [(base, code) for code, value in values.items() if not value]
    return missing
