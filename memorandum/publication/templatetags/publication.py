"""Filters for the document templates: content texts with a visible language marker."""

from django import template
from django.template.defaultfilters import linebreaks
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from memorandum.lib.i18n import LocalizedText

register = template.Library()


@register.filter
def doc_text(value, mode: str = "inline"):
    """A content text; one shown in the other language gets ``lang`` and a "[NL]" marker.

    The document explains the marker once (see ``labels.fallback_notes``), so the marker
    stays short and the same in HTML, PDF and Word.
    """
    if value is None:
        return ""
    text = linebreaks(value) if mode == "block" else conditional_escape(value)
    if not isinstance(value, LocalizedText) or not value.is_fallback:
        return mark_safe(text)
    marker = format_html('<span class="marker">[{}]</span> ', value.lang.upper())
    if mode == "block":
        # The marker opens the first paragraph instead of standing on a line of its own.
        text = text.replace("<p>", f"<p>{marker}", 1)
        return format_html('<div class="fallback" lang="{}">{}</div>', value.lang, mark_safe(text))
    return format_html('<span class="fallback" lang="{}">{}{}</span>', value.lang, marker, mark_safe(text))
