"""The link a zone votes with, and the e-mails that carry it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import PoliceZone
from memorandum.lib import links
from memorandum.lib.fields import parent_fk
from memorandum.lib.links import InvitationLink, InvitationLinkQuerySet
from memorandum.lib.outbox import OutboxMail, OutboxMailQuerySet
from memorandum.survey.models.surveys import Survey

# The link tokens and the outbox are shared with other apps that mail zones a link.
InvitationQuerySet = InvitationLinkQuerySet
INVITATION_PURPOSE = "memorandum.survey.invitation"


def derive_token(nonce: str) -> str:
    """A survey link's token (see :func:`memorandum.lib.links.derive_token`)."""
    return links.derive_token(nonce, INVITATION_PURPOSE)


class Invitation(InvitationLink):
    """The one link a zone votes with. Only the SHA-256 of the token is stored.

    The token (256 bits, :func:`derive_token`) is derived from ``SECRET_KEY`` and a random
    per-invitation nonce, so reminders carry the *same* link (a delegate keeps access)
    without the database holding it. A new link means a new nonce: the old one stops working.
    """

    token_purpose = INVITATION_PURPOSE

    survey = parent_fk(Survey, "invitations", _("survey"))
    zone = parent_fk(PoliceZone, "survey_invitations", _("police zone"))

    class Meta(InvitationLink.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "zone"], name="one_invitation_per_zone_and_survey"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.zone}"


InvitationMailQuerySet = OutboxMailQuerySet


class InvitationMail(OutboxMail):
    """One e-mail about an invitation, as the worker handles it: the outbox row.

    The request creates the row (status *queued*) and queues a job carrying its id once
    the transaction commits; the worker marks it *sending* in a committed step, hands it
    to the mail server, then marks it *sent*; a failure is recorded with its reason and
    retried with backoff, then left *failed* for the secretariat to resend. A job that
    finds its row already sent does nothing, so a job run twice never mails twice
    (:mod:`memorandum.lib.outbox`).
    """

    invitation = parent_fk(Invitation, "mails", _("invitation"))

    class Meta(OutboxMail.Meta):
        indexes = [models.Index(fields=["status", "created_at"], name="survey_mail_status_idx")]
