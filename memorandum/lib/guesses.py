"""A limit on guessing secrets that live in URLs: invitation tokens and ballot receipts.

Sign-in has django-axes; these URLs have no account to lock, so each client address may
miss at most ``GUESS_LIMIT`` times per ``GUESS_WINDOW_SECONDS`` before every further try
answers 429 with a page that says why and for how long. The counters live in Django's
cache (Redis when ``REDIS_URL`` is set, so every app server sees the same count).
Right answers never count: a zone opening its own link a hundred times is not refused.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from memorandum.lib.security import client_address

log = logging.getLogger("memorandum.signin")


def _key(request: HttpRequest, scope: str) -> str:
    return f"guesses:{scope}:{client_address(request) or 'unknown'}"


def is_blocked(request: HttpRequest, scope: str) -> bool:
    """Has this address used up its misses for ``scope`` in the current window?"""
    return (cache.get(_key(request, scope)) or 0) >= settings.GUESS_LIMIT


def record_miss(request: HttpRequest, scope: str) -> None:
    """Count one wrong guess; the window starts with the first miss."""
    key = _key(request, scope)
    cache.add(key, 0, timeout=settings.GUESS_WINDOW_SECONDS)
    try:
        misses = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.GUESS_WINDOW_SECONDS)
        misses = 1
    if misses == settings.GUESS_LIMIT:
        log.warning(
            "Too many wrong %s guesses from %s: refused for %d s.",
            scope,
            client_address(request),
            settings.GUESS_WINDOW_SECONDS,
        )


def too_many_guesses(request: HttpRequest) -> HttpResponse:
    """The 429 page: what happened and when to try again."""
    minutes = max(1, round(settings.GUESS_WINDOW_SECONDS / 60))
    response = render(request, "too_many_requests.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(settings.GUESS_WINDOW_SECONDS)
    return response


def limit_guesses(scope: str) -> Callable:
    """Decorate a view whose 404 means "wrong secret": count misses, answer 429 past the limit."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if is_blocked(request, scope):
                return too_many_guesses(request)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                record_miss(request, scope)
                raise
            if response.status_code == 404:
                record_miss(request, scope)
            return response

        return wrapped

    return decorator
