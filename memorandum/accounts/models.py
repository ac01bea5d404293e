"""Invitations to the platform. Accounts themselves are Django users with a profile
(:class:`memorandum.catalogue.models.UserProfile`) and roles (groups)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# One account per name whatever its capitals: sign-in matches names regardless of case
# (memorandum.catalogue.auth), so "Chief" next to "chief" would make both unreachable.
# Django's user model is not ours to declare constraints on: migration 0002 adds this one to
# auth.User and AccountsConfig.ready() puts it in the model's options, so forms (the back
# office's too) refuse a case variant with this message and makemigrations sees no change.
USERNAME_UNIQUE_WHATEVER_CASE = models.UniqueConstraint(
    Lower("username"),
    name="auth_user_username_unique_whatever_case",
    violation_error_message=_("An account with this name already exists (capitals aside)."),
)


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
