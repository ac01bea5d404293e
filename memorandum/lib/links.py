"""Invitation links: one unguessable link per zone, of which only a hash is stored.

Used by every app that asks each police zone for one answer through a link (the survey's
ballots, the impact estimates). The link's token is an HMAC of ``SECRET_KEY`` over a random
per-invitation nonce, salted with the app's *purpose*: the database keeps the nonce and the
SHA-256 of the token, never the token, so a copy of the database alone opens nothing, while
the worker can mail the *same* link again in a reminder (a delegate keeps access). A new
link means a new nonce: the old one stops working. The purpose keeps a survey link from
opening an estimate and the other way round.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def derive_token(nonce: str, purpose: str) -> str:
    """The link's token: an HMAC of ``SECRET_KEY`` over the nonce, for one purpose."""
    digest = salted_hmac(purpose, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class AnswerWindow(models.Model):
    """What each zone answers through its link (a survey, an estimate round): open from
    ``opens_at`` until ``closes_at`` while its status is open, over once the secretariat
    closed it or the time has passed.

    A concrete subclass declares ``opens_at``, ``closes_at`` and ``status`` and names its
    statuses that come after the closing in :attr:`FINISHED`.
    """

    OPEN = "open"
    FINISHED: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def accepts_answers(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.OPEN and self.opens_at <= now < self.closes_at

    def is_over(self, now: datetime | None = None) -> bool:
        """The window has passed or the secretariat closed it: the answers are read-only."""
        now = now or timezone.now()
        return self.status in self.FINISHED or now >= self.closes_at


class InvitationLinkQuerySet(models.QuerySet):
    def active(self) -> InvitationLinkQuerySet:
        return self.filter(revoked_at__isnull=True)


class InvitationLink(models.Model):
    """The fields and behaviour of a link-carrying invitation, one per zone.

    A concrete subclass sets :attr:`token_purpose` and adds a ``zone`` foreign key, the
    foreign key of what the zone is invited to answer and a constraint that makes the pair
    unique.
    """

    token_purpose = ""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_nonce = models.CharField(max_length=64, blank=True, editable=False)
    delegate_name = models.CharField(_("delegate's name"), max_length=150, blank=True)
    delegate_email = models.EmailField(_("delegate's e-mail"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationLinkQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["zone__code"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def derive(self, nonce: str) -> str:
        return derive_token(nonce, self.token_purpose)

    def new_token(self) -> str:
        """Issue a new link (the previous one stops working); return its token."""
        self.token_nonce = secrets.token_urlsafe(32)
        raw = self.derive(self.token_nonce)
        self.token_hash = hash_token(raw)
        return raw

    def current_token(self) -> str:
        """The token of the link in force, to mail it again (a reminder keeps the link).

        Invitations made before tokens were derived have no nonce: they get a new link.
        """
        if not self.token_nonce or hash_token(self.derive(self.token_nonce)) != self.token_hash:
            return self.new_token()
        return self.derive(self.token_nonce)

    def latest_mail(self):
        """The last e-mail queued for this invitation (prefetched as ``mails`` when listed)."""
        mails = list(self.mails.all())
        return max(mails, key=lambda m: (m.created_at, m.pk)) if mails else None

    @property
    def recipient(self) -> str:
        return self.delegate_email or self.zone.email

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
