"""Filters for the document templates: content texts with a visible language marker."""

from django import template
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe

from memorandum.lib.i18n import LocalizedText, language_spans_html
from memorandum.publication.notes import NOTE, strip_notes

register = template.Library()

# A footnote: in the PDF, CSS ``float: footnote`` moves it to the foot of the page; on screen
# it is numbered by a CSS counter and shown as a small aside after its call.
NOTE_HTML = r'<span class="footnote" role="note">\1</span>'


@register.filter
def doc_text(value, mode: str = "inline"):
    """A content text; one shown in the other language gets ``lang`` and a "[NL]" marker.

    The document explains the marker once (see ``labels.fallback_notes``), so the marker
    stays short and the same in HTML, PDF and Word.
    """
    if value is None:
        return ""
    # Content is typed by people: escape it, paragraphs included.
    text = linebreaks(value, autoescape=True) if mode == "block" else conditional_escape(value)
    text = language_spans_html(NOTE.sub(NOTE_HTML, str(text)))
    if not isinstance(value, LocalizedText) or not value.is_fallback:
        return mark_safe(text)
    marker = format_html('<span class="marker">[{}]</span> ', value.lang.upper())
    if mode == "block":
        # The marker opens the first paragraph instead of standing on a line of its own.
        text = text.replace("<p>", f"<p>{marker}", 1)
        return format_html('<div class="fallback" lang="{}">{}</div>', value.lang, mark_safe(text))
    return format_html(
        '<span class="fallback" lang="{}">{}{}</span>', value.lang, marker, mark_safe(text)
    )


@register.filter
def plain(value) -> str:
    """A content text without its notes and language marks (contents, bookmarks)."""
    return strip_notes(str(value or ""))


@register.filter
def items_of(doc, key: str):
    """The document's recommendations or commitments, by section key."""
    return getattr(doc, key, [])


@register.filter
def get(mapping, key: str):
    return mapping.get(key, []) if mapping else []


@register.inclusion_tag("publication/_downloads.html", takes_context=True)
def memorandum_downloads(context, edition, current: str = ""):
    """The PDF and Word buttons (NL and FR) of the latest *published* version of the memorandum.

    Usable on any edition page: ``{% load publication %}{% memorandum_downloads edition %}``.
    ``current`` is the language whose PDF is highlighted (the page's document language).
    Nothing is offered before the first version is published; while the latest version's
    files are being rendered, the buttons say so.
    """
    from memorandum.lib.i18n import content_language
    from memorandum.publication.models import PublicationFile
    from memorandum.publication.services import latest_version

    current = current or content_language()
    version = latest_version(edition)
    files = (
        list(PublicationFile.objects.filter(version=version).defer("content"))
        if version is not None
        else []
    )
    downloads = [
        {
            "url": f.get_absolute_url(),
            "fmt": f.fmt,
            "lang": f.lang,
            "filename": f.filename,
            "primary": f.fmt == "pdf" and f.lang == current,
        }
        for fmt in ("pdf", "docx")
        for lang in ("nl", "fr")
        for f in files
        if f.fmt == fmt and f.lang == lang
    ]
    return {"downloads": downloads, "edition": edition, "version": version}
