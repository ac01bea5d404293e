"""Invitations to the platform. Accounts themselves are Django users with a profile
(:class:`memorandum.catalogue.models.UserProfile`) and roles (groups)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at=None)


class Invitation(models.Model):
    """An account created by the secretariat, waiting for (or done with) its first password.

    The link in the e-mail is not stored: it is signed (see ``tokens.py``), works once and
    expires; sending the invitation again makes earlier links useless.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitation",
        verbose_name=_("account"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited on"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent on"), null=True, blank=True)
    send_count = models.PositiveIntegerField(_("times sent"), default=0)
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        default_permissions = ("view",)
        permissions = [
            ("manage_accounts", _("Can invite people, give and take roles, deactivate accounts"))
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None
