"""Template filters for bilingual content (loaded as a builtin in every template)."""

from django import template
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from memorandum.lib import i18n
from memorandum.lib.i18n import LocalizedText

register = template.Library()


@register.filter
def tr(value, mode: str = "inline"):
    """Render a content text: in another language it gets ``lang``, and a missing translation
    is marked so a reader knows it exists but not in their language.

    ``{{ rec.title|tr }}`` for a line, ``{{ rec.context|tr:"block" }}`` for paragraphs. On an
    English page the Dutch text only gets ``lang``: the page says it once (``base.html``).
    """
    if value is None:
        return ""
    # Content is typed by people: escape it, paragraphs included.
    text = linebreaks(value, autoescape=True) if mode == "block" else conditional_escape(value)
    if not isinstance(value, LocalizedText) or not value.is_fallback:
        return mark_safe(text)
    tag = "div" if mode == "block" else "span"
    if not value.is_missing_translation:
        return format_html('<{} lang="{}">{}</{}>', tag, value.lang, mark_safe(text), tag)
    return format_html(
        '<{} class="fallback" lang="{}">{} {}</{}>',
        tag,
        value.lang,
        mark_safe(text),
        fallback_note(value),
        tag,
    )


@register.filter
def fallback_note(value):
    """The visible marker of a missing translation ("[NL] Not available in your language…"),
    for a text rendered piece by piece (e.g. the actions list); empty otherwise."""
    if not isinstance(value, LocalizedText) or not value.is_missing_translation:
        return ""
    language = get_language_info(value.lang)["name_translated"]
    if (get_language() or "")[:2] == "fr":
        language = language.lower()  # French writes language names in lower case, Dutch does not
    note = _("Not available in your language; shown in %(language)s.") % {"language": language}
    # The note is in the reader's language, inside an element in the text's language.
    return format_html(
        '<span class="fallback-note" lang="{}">[{}] {}</span>',
        value.wanted,
        value.lang.upper(),
        note,
    )


@register.filter
def lang_attr(value):
    """`` lang="nl"`` for an element holding a text in another language than the page's."""
    if isinstance(value, LocalizedText) and value.is_fallback:
        return format_html(' lang="{}"', value.lang)
    return ""


@register.simple_tag
def page_language_note():
    """On a page in a language the content is not written in (English): say so, once."""
    note = i18n.page_language_note()
    return format_html('<p class="page-language-note">{}</p>', note) if note else ""


@register.simple_tag(takes_context=True)
def edition_menu(context, edition):
    """The edition's menu entries, gathered from the apps: ``[(url, label), …]``.

    An app lists its entries as ``edition_nav = [(url_name, label, permission or None), …]``
    on its AppConfig; each URL takes the edition's slug. Apps stay independent of the
    base template this way.
    """
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    user = context["request"].user
    entries = []
    for config in apps.get_app_configs():
        for url_name, label, permission in getattr(config, "edition_nav", []):
            if permission and not user.has_perm(permission):
                continue
            try:
                entries.append((reverse(url_name, args=[edition.slug]), label))
            except NoReverseMatch:
                continue
    return entries


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each UI language: ``[(code, name, url, is_current), …]``."""
    from django.conf import settings
    from django.urls import translate_url
    from django.utils.translation import get_language

    request = context["request"]
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    full_path = request.get_full_path()
    return [
        (code, name, translate_url(full_path, code), code == current)
        for code, name in settings.LANGUAGES
    ]


@register.filter
def person(value, viewer=None) -> str:
    """``{{ update.author|person:user }}``: a name for members, the organisation for visitors."""
    from memorandum.catalogue.people import public_name

    return public_name(value, viewer)


@register.filter
def duration_words(value):
    """A timedelta in words, in the reader's language ("1 hour", "30 minutes")."""
    from django.utils import timezone
    from django.utils.timesince import timesince

    if not value:
        return ""
    now = timezone.now()
    return timesince(now - value, now)
