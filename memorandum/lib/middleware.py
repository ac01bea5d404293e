"""Requests refused at the edge, before any view (or database query) sees them.

- A body larger than :data:`MAX_REQUEST_BYTES` (the largest attachment plus the form around
  it) is answered 413 without being read: a 200 MB "import" costs nothing.
- A path or query string with a control character (``%00`` …) is answered 400: PostgreSQL
  refuses NUL in any text it compares, so such a value must never reach a query.
- In the back office, a query value that is a number no database integer holds is answered
  400: the admin filters its lists by any field named in the address (``?zone=12``) and hands
  the value to the database unchecked (SQLite raises ``OverflowError``: a 500).
- A write that found the embedded SQLite database busy for longer than its timeout
  (``database is locked``) is answered 503 with ``Retry-After`` (:func:`busy`, from the
  site's 500 handler): trying again shortly works.
- :func:`bad_request` is the 400 page for what Django itself refuses while reading a form
  (more than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` of fields, too many fields or files): a page
  in the reader's language that says why, not a bare "Bad Request".
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from memorandum.lib.text import CONTROL_CHARACTERS
from memorandum.lib.validation import HUGE_NUMBER

MB = 1024 * 1024
MAX_REQUEST_BYTES = 12 * MB  # attachments are at most 10 MB
BUSY_RETRY_AFTER = 5  # seconds


def refused(request: HttpRequest, heading: str, message: str, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):  # the JSON API answers errors as RFC 9457 problems
        body = {"type": "about:blank", "title": heading, "status": status, "detail": message}
        return JsonResponse(
            body,
            status=status,
            content_type="application/problem+json",
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "error.html",
        {"heading": heading, "message": message, "status": status, "refused": True},
        status=status,
    )


def _has_control_characters(request: HttpRequest) -> bool:
    if CONTROL_CHARACTERS.search(request.path):
        return True
    return any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values)
        for key, values in request.GET.lists()
    )


def _has_huge_admin_lookup(request: HttpRequest) -> bool:
    if not request.path.startswith("/admin/"):
        return False
    # The search box ("q") is text: a long number is a fine thing to search for.
    return any(
        HUGE_NUMBER.fullmatch(v)
        for key, values in request.GET.lists()
        if key != "q"
        for v in values
    )


class RequestLimitsMiddleware:
    """Refuses oversized bodies and control characters in addresses (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_REQUEST_BYTES:
            return refused(
                request,
                _("The upload is too large"),
                _("You sent %(size)s; at most %(limit)s can be sent at once.")
                % {"size": filesizeformat(length), "limit": filesizeformat(MAX_REQUEST_BYTES)},
                413,
            )
        if _has_control_characters(request):
            return refused(
                request,
                _("This address cannot be read"),
                _(
                    "The address contains a control character (such as NUL). "
                    "Check the link you followed or the text you typed."
                ),
                400,
            )
        if _has_huge_admin_lookup(request):
            return refused(
                request,
                _("This address cannot be read"),
                _("The address contains a number too large to be an identifier."),
                400,
            )
        return self.get_response(request)


def database_busy(exception: BaseException | None) -> bool:
    """Is this SQLite's "database is locked": a write that waited for the write lock
    longer than its timeout (``OPTIONS["timeout"]``)?"""
    return isinstance(exception, OperationalError) and "database is locked" in str(exception)


def busy(request: HttpRequest) -> HttpResponse:
    """The 503 answer, with ``Retry-After``, to a request that found the database busy: the
    transaction that waited was rolled back, and sending it again shortly works (the site's
    500 handler answers it, wherever the error was raised: view or middleware)."""
    response = refused(
        request,
        _("The site is busy"),
        _(
            "Many changes are being saved at this moment and yours could not be saved in "
            "time. Send it again in a few seconds."
        ),
        503,
    )
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page, saying which limit a form went over when that is the reason."""
    if isinstance(exception, RequestDataTooBig):
        message = _("The form sent is larger than %(limit)s; send less at once.") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    elif isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message = _("The form sent has too many fields or files.")
    else:
        message = _("The request could not be understood.")
    return refused(request, _("The request was refused"), message, 400)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 answer under ``/api/``: an RFC 9457 problem, as every other error there (the
    site's own 500 page, ``memorandum.views.server_error``, hands API requests to this)."""
    return refused(
        request,
        _("Server error"),
        _("Something went wrong on our side; the error was logged. Try again later."),
        500,
    )
