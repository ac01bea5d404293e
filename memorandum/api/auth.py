"""Who is calling: a personal token (``Authorization: Bearer mem_…``) or the site's session.

A token's scope decides what it may do: ``read`` only safe methods, ``write`` also the writes
its owner may make on the site. Every caller is rate limited in the cache (Redis in
production): a token on its own counter, an anonymous caller per address.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.settings import api_settings

from memorandum.api.models import ApiToken, Scope, digest
from memorandum.lib.security import client_address

LAST_USED_PRECISION = dt.timedelta(minutes=1)  # a write per minute at most, not per request


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer ”."))
        token = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(digest=digest(header[1]))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "This token is unknown, expired or revoked. Create a new one on your profile page."
                )
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenScope(permissions.BasePermission):
    """Anyone reads (each view then shows only what the caller may see); writing needs an
    account, and with a token the ``write`` scope. The view checks the object itself."""

    message = _("This token may only read; create a token with the “write” scope.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        if isinstance(request.auth, ApiToken):
            return request.auth.scope == Scope.WRITE
        return True


class ClientThrottle(throttling.SimpleRateThrottle):
    """One counter per token (or signed-in account), one per address for anonymous callers.

    Refused requests get 429 with ``Retry-After`` (in seconds)."""

    scope = "anonymous"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        self.scope = "token" if request.user and request.user.is_authenticated else "anonymous"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            who = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            who = f"user-{request.user.pk}"
        else:
            who = f"address-{client_address(request)}"
        return f"api-throttle:{who}"


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, created on the profile page (docs/api.md).",
        }
