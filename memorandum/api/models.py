"""Personal API tokens: a user names one, gives it a scope and an expiry, and may revoke it.

Only a SHA-256 digest of the secret is stored; the secret itself is shown once, when the
token is created. A token is 32 random bytes, so a fast hash is enough (nothing to brute
force); looking it up by its digest needs no per-row comparison.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from memorandum.lib.fields import parent_fk

PREFIX = "mem_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        """Tokens that open the API now: not revoked, not expired, of an active account."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )


class ApiToken(models.Model):
    user = parent_fk(settings.AUTH_USER_MODEL, "api_tokens", _("account"))
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “project tool”.")
    )
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    # The first characters of the secret, to recognise a token in a list; not enough to use it.
    hint = models.CharField(_("begins with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, *, user, name: str, scope: str, expires_at) -> tuple[ApiToken, str]:
        """Create a token and return it with its secret, which is never stored nor shown again."""
        secret = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            scope=scope,
            expires_at=expires_at,
            hint=secret[: len(PREFIX) + 4],
            digest=digest(secret),
        )
        return token, secret

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
