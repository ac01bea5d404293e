"""Estimate invitations by e-mail: the round's outbox, delivered by the shared
:class:`memorandum.lib.outbox.Outbox` (the survey's three committed steps)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.impact.models import ImpactInvitation, ImpactMail, RoundStatus
from memorandum.lib.mail import absolute_link
from memorandum.lib.outbox import MailKind, Outbox, zone_message


def invitation_message(
    invitation: ImpactInvitation, raw_token: str, *, kind: str, recipient: str
) -> EmailMessage:
    """The e-mail of one estimate invitation, in each of the zone's languages."""
    round_ = invitation.round

    def render(lang: str) -> tuple[str, str]:
        subject = {
            MailKind.REMINDER: _("Reminder: impact estimate “%(title)s”"),
        }.get(kind, _("Impact estimate: %(title)s")) % {"title": round_.mission.title}
        context = {
            "round": round_,
            "mission": round_.mission,
            "zone": invitation.zone,
            "kind": kind,
            "reminder": kind == MailKind.REMINDER,
            "link": absolute_link("impact:estimate_token", raw_token, lang=lang),
            "closes_at": timezone.localtime(round_.closes_at),
            "contact": settings.SECRETARIAT_EMAIL,
        }
        return subject, render_to_string("impact/email/invitation.txt", context)

    return zone_message(invitation.zone, recipient, render)


def _closed(invitation: ImpactInvitation) -> str:
    if invitation.round.status != RoundStatus.OPEN:
        return _("The round was closed before the e-mail left.")
    return ""


OUTBOX = Outbox(
    model=ImpactMail,
    task="memorandum.impact.tasks.send_impact_mail",
    related=("invitation__round__mission", "invitation__zone"),
    closed=_closed,
    message=invitation_message,
)
