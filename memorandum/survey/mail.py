"""Survey invitation e-mails: the survey's outbox (:mod:`memorandum.lib.outbox`).

The request only writes an :class:`~memorandum.survey.models.InvitationMail` row and queues
a job with its id after the commit (:func:`mail_queue`); the worker sends it
(:func:`mail_deliver`) in the three committed steps described in
:mod:`memorandum.lib.outbox`: a job run twice never mails twice, a mail left *sending* by
a stopped worker is queued again by ``manage.py recover_jobs``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.lib.mail import absolute_link, mail_signature
from memorandum.lib.outbox import Outbox, zone_message
from memorandum.survey.ballots import kind_of
from memorandum.survey.models import (
    Invitation,
    InvitationMail,
    MailKind,
    Survey,
    SurveyStatus,
)


def ballot_link(raw_token: str, lang: str) -> str:
    return absolute_link("survey:ballot_token", raw_token, lang=lang)


SUBJECTS = {
    MailKind.INVITATION: lambda: _("Invitation: %(title)s"),
    MailKind.REMINDER: lambda: _("Reminder: %(title)s"),
    MailKind.NEW_LINK: lambda: _("New link: %(title)s"),
    MailKind.DELEGATE: lambda: _("Invitation: %(title)s"),
}


def invitation_message(
    invitation: Invitation, raw_token: str, *, kind: str, recipient: str
) -> EmailMessage:
    """The e-mail of one invitation (text and HTML), in each of the zone's languages: what
    is asked, the personal link, the deadline, whom to contact and the federation's
    signature, from the configured sender (``SURVEY_MAIL_FROM``)."""
    survey = invitation.survey

    def render(lang: str) -> tuple[str, str, str]:
        # Inside the override, ``survey.title`` is the title in the zone's language
        # (or the other one when it has not been translated).
        context = {
            "language": lang,
            "survey": survey,
            "zone": invitation.zone,
            "invitation": invitation,
            "kind": kind,
            "reminder": kind == MailKind.REMINDER,
            "asked": kind_of(survey.ballot_form).asked(),
            "link": ballot_link(raw_token, lang),
            "closes_at": timezone.localtime(survey.closes_at),
            "contact": settings.SECRETARIAT_EMAIL,
            "signature": mail_signature(lang),
        }
        return (
            SUBJECTS[kind]() % {"title": survey.title},
            render_to_string("survey/email/invitation.txt", context),
            render_to_string("survey/email/_invitation_part.html", context),
        )

    return zone_message(
        invitation.zone,
        recipient,
        render,
        html_template="survey/email/invitation.html",
        from_email=settings.SURVEY_MAIL_FROM,
    )


def _closed(invitation: Invitation) -> str:
    if invitation.survey.status != SurveyStatus.OPEN:
        return _("The survey was closed before the e-mail left.")
    return ""


OUTBOX = Outbox(
    model=InvitationMail,
    task="memorandum.survey.tasks.send_invitation_mail",
    related=("invitation__survey", "invitation__zone"),
    closed=_closed,
    message=invitation_message,
)


def mail_queue(invitation: Invitation, *, kind: str) -> InvitationMail:
    """Record an e-mail about ``invitation``; queued once the transaction commits."""
    return OUTBOX.queue(invitation, kind=kind)


def mails_queue(invitations: list[Invitation], *, kind: str) -> list[InvitationMail]:
    """:func:`mail_queue` for many invitations: one insert, jobs queued after the commit."""
    return OUTBOX.queue_many(invitations, kind=kind)


def mail_deliver(mail_id: int, *, takeover: bool = False) -> str:
    """Send one queued e-mail (the worker's job); return what happened, for the job log."""
    return OUTBOX.deliver(mail_id, takeover=takeover)


def mails_requeue_stuck(*, minutes: int | None = None, survey: Survey | None = None) -> int:
    """Queue again every e-mail stuck in the outbox (see :meth:`Outbox.requeue_stuck`)."""
    filters = {"invitation__survey": survey} if survey is not None else {}
    return OUTBOX.requeue_stuck(minutes=minutes, **filters)
