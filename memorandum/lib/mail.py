"""What every e-mail of the platform writes the same way: links to its pages, its signature.

An e-mail is read outside the site, so its links carry the public address (``SITE_URL``)
rather than a path; the account invitation, the survey and impact invitations and the
follow-up digests all build them with :func:`absolute_link`.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute_link(name_or_path: str, *args: object, lang: str | None = None) -> str:
    """The full address of a page of the platform, to write in an e-mail.

    ``name_or_path`` is either a path (``"/nl/accounts/me/"``) or a URL name reversed with
    ``args`` (``absolute_link("survey:ballot_token", token)``). A name is reversed in
    ``lang`` when given, else in the active language, so the language prefix of the link
    is the reader's. Arguments with a path are refused: they would be silently dropped.
    """
    if name_or_path.startswith("/"):
        if args:
            raise ValueError("absolute_link takes arguments only with a URL name, not a path.")
        path = name_or_path
    elif lang is None:
        path = reverse(name_or_path, args=args)
    else:
        with translation.override(lang):
            path = reverse(name_or_path, args=args)
    return settings.SITE_URL.rstrip("/") + path


def mail_signature(lang: str) -> str:
    """The federation's signature under an e-mail in ``lang`` (``MAIL_SIGNATURE``).

    A language without a signature of its own (English) gets the Dutch one, as English
    readers get the Dutch content elsewhere.
    """
    return settings.MAIL_SIGNATURE.get(lang) or settings.MAIL_SIGNATURE["nl"]
