"""Security plumbing shared by the whole project: static-file headers and log redaction.

The settings point at these (``WHITENOISE_ADD_HEADERS_FUNCTION``, ``LOGGING``); the
policies themselves are described in ``docs/security.md``.
"""

from __future__ import annotations

import ipaddress
import logging
import re

# A path segment that is a secret: the invitation token of a ballot link or of an impact
# estimate link, the one-time link of an account invitation. Receipts in a query string
# are not secret, but they link a reader to a ballot, so they go too.
SECRET_IN_PATH = re.compile(r"(/survey/ballot/|/impact/estimate/|/accounts/welcome/)[^/\s?#\"']+")
SECRET_IN_QUERY = re.compile(r"([?&]receipt=)[^&\s#\"']+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """The text with every link token and receipt replaced by ``[redacted]``."""
    text = SECRET_IN_PATH.sub(rf"\g<1>{REDACTED}", text)
    return SECRET_IN_QUERY.sub(rf"\g<1>{REDACTED}", text)


class RedactTokensFilter(logging.Filter):
    """Rewrites a log record so that no ballot token reaches a handler.

    Django logs refused and unknown paths (``Forbidden: /nl/survey/ballot/<token>/``), the
    development server logs every request line: the message is formatted once here, redacted,
    and its arguments dropped so no handler can format the original again.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def client_address(request) -> str | None:
    """The address a request comes from, for rate limits and lock-outs.

    With ``PROXY_COUNT`` trusted proxies in front, each appends the address it saw to
    ``X-Forwarded-For``: the client is the entry the outermost proxy appended, counted from
    the right, so nothing a client writes into the header itself can change it. Without a
    proxy, the header is ignored. None when unknown (a request built in code).
    """
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        _warn_short_forwarded_header(len(hops), proxies)
        return _as_address(remote) or remote
    return _as_address(hops[-proxies]) or remote


_short_header_warned = False


def _warn_short_forwarded_header(hops: int, proxies: int) -> None:
    """Say once per process that a request came with fewer forwarded addresses than
    ``PROXY_COUNT`` proxies append: it bypassed the proxies, or the setting is wrong. Such
    requests are counted under the address that connected, so with a wrong setting every
    client shares the proxy's counter (and its lock-out)."""
    global _short_header_warned
    if not _short_header_warned:
        _short_header_warned = True
        logging.getLogger("memorandum.signin").warning(
            "X-Forwarded-For holds %d address(es) where PROXY_COUNT=%d proxies append one each: "
            "such requests are limited under the address that connected. Check PROXY_COUNT.",
            hops,
            proxies,
        )


def _as_address(text: str | None) -> str | None:
    """``text`` as a normalised IP address, or None: the lock-out tables store it in an
    address column, and anything else is not an address."""
    try:
        return str(ipaddress.ip_address(text or ""))
    except ValueError:
        return None


def sign_in_name(request, credentials: dict) -> str | None:
    """The name a sign-in attempt is counted, stored and logged under (django-axes).

    A name that belongs to an account is kept trimmed and in lower case, as sign-in matches
    it, so "Chief" and "chief " share one lock-out counter. Any other text is not kept as
    typed: people type their password into the name field. It becomes ``?`` and a keyed
    digest, so repeated guesses of one unknown name still share a counter (and a lock-out)
    while the tables and the log hold neither the text nor more than 17 characters.
    """
    from django.contrib.auth import get_user_model
    from django.utils.crypto import salted_hmac

    name = (credentials or {}).get("username")
    if not isinstance(name, str):
        return None
    typed = name.strip().lower()
    User = get_user_model()
    longest = User._meta.get_field(User.USERNAME_FIELD).max_length or 150
    if typed and len(typed) <= longest and "\x00" not in typed:
        account = account_name(typed)
        if account is not None:
            # The account's own name, not the typed one: the database's case folding may
            # match names that Python's lower() keeps apart ("ı" and "I" on PostgreSQL),
            # and each spelling must not get a counter of its own.
            return account.lower()
    digest = salted_hmac("memorandum.sign_in_name", typed, algorithm="sha256").hexdigest()
    return "?" + digest[:16]


def account_name(typed: str) -> str | None:
    """The name of the one account whose name matches ``typed`` whatever its case, or None.

    Sign-in (``catalogue.auth``) and the guess counter both ask this, so they always agree
    on which account a typed name means.
    """
    from django.contrib.auth import get_user_model

    User = get_user_model()
    field = User.USERNAME_FIELD
    typed = typed.strip()
    longest = User._meta.get_field(field).max_length or 150
    if not typed or len(typed) > longest or "\x00" in typed:
        # No account has such a name, and the database is not asked: SQLite refuses a LIKE
        # pattern over 50,000 bytes (a 100,000-character name answered the login with 500).
        return None
    names = User._default_manager.filter(**{f"{field}__iexact": typed})
    matches = list(names.values_list(field, flat=True)[:2])
    return matches[0] if len(matches) == 1 else None


def static_file_headers(headers, path: str, url: str) -> None:
    """WhiteNoise hook: static files are never framed or content-sniffed either."""
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
