"""What every e-mail of the platform writes the same way: links to its pages, its signature.

An e-mail is read outside the site, so its links carry the public address (``SITE_URL``)
rather than a path; the account invitation, the survey and impact invitations and the
follow-up digests all build them with :func:`absolute_link`.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute_link(name: str, *args: object, lang: str | None = None) -> str:
    """The full address of a page of the platform, to write in an e-mail: the URL ``name``
    reversed with ``args`` (``absolute_link("survey:ballot_token", token)``), in ``lang``
    when given, else in the active language, so the language prefix is the reader's."""
    with translation.override(lang or translation.get_language()):
        return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def mail_signature(lang: str) -> str:
    """The federation's signature under an e-mail in ``lang`` (``MAIL_SIGNATURE``).

    A language without a signature of its own (English) gets the Dutch one, as English
    readers get the Dutch content elsewhere.
    """
    return settings.MAIL_SIGNATURE.get(lang) or settings.MAIL_SIGNATURE["nl"]
