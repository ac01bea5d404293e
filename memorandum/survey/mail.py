"""Invitation e-mails: queued in the request, sent by the worker, each outcome recorded.

The request only writes an :class:`~memorandum.survey.models.InvitationMail` row (the
outbox) and queues a job with its id after the commit (:func:`mail_queue`). The worker
(:func:`mail_deliver`) sends it in three steps, each committed on its own:

1. lock the row; if it is already *sent* or *failed*, do nothing (a job run twice, or a
   job re-queued by :func:`mails_requeue_stuck`, never mails twice); else mark it
   *sending* and count the attempt;
2. hand the message to the mail server (outside any transaction: no lock is held while
   the SMTP server answers);
3. mark it *sent*, or record the reason of the failure and queue a retry with backoff
   (after ``SURVEY_MAIL_ATTEMPTS`` attempts it stays *failed* for the secretariat).

A worker killed during step 2 leaves the row *sending*: the recovery (``manage.py
recover_jobs``, run when ``make demo`` starts and from cron in production) queues it
again, and the message is sent once. The one case that can mail twice is a worker killed
in the instant between the mail server's acceptance and the commit of step 3.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from memorandum.catalogue.models import PoliceZone, ZoneLanguage
from memorandum.lib.tasks import enqueue_many_on_commit, enqueue_on_commit
from memorandum.survey.models import (
    BallotForm,
    Invitation,
    InvitationMail,
    MailKind,
    MailStatus,
    Survey,
    SurveyStatus,
)

logger = logging.getLogger(__name__)

# Seconds to wait before attempt n + 1 (after n failures): 1, 2, 4, 8 … minutes.
BACKOFF_BASE = 60


def zone_languages(zone: PoliceZone) -> list[str]:
    """The languages to write to a zone in: bilingual Brussels zones get both; the
    German-speaking zones get French (the platform has no German interface)."""
    return {
        ZoneLanguage.DUTCH: ["nl"],
        ZoneLanguage.FRENCH: ["fr"],
        ZoneLanguage.BILINGUAL: ["nl", "fr"],
    }.get(zone.language, ["fr"])


def ballot_link(raw_token: str, lang: str) -> str:
    with translation.override(lang):
        return settings.SITE_URL.rstrip("/") + reverse("survey:ballot_token", args=[raw_token])


SUBJECTS = {
    MailKind.INVITATION: lambda: _("Invitation: %(title)s"),
    MailKind.REMINDER: lambda: _("Reminder: %(title)s"),
    MailKind.NEW_LINK: lambda: _("New link: %(title)s"),
    MailKind.DELEGATE: lambda: _("Invitation: %(title)s"),
}


# What the e-mail says is asked, per ballot form (one full sentence each).
ASKED = {
    BallotForm.RANKING: lambda: _(
        "What we ask: put the items in order of priority, inside each theme or work domain "
        "and in an overall top list."
    ),
    BallotForm.RATING: lambda: _("What we ask: rate each item for importance and urgency."),
    BallotForm.PAIRWISE: lambda: _(
        "What we ask: in a series of pairs of items, choose each time the more urgent one."
    ),
    BallotForm.POINTS: lambda: _(
        "What we ask: share 100 points among the items, more points to what matters more."
    ),
}


def invitation_message(
    invitation: Invitation, raw_token: str, *, kind: str, recipient: str
) -> EmailMultiAlternatives:
    """The e-mail of one invitation (text and HTML), in each of the zone's languages: what
    is asked, the personal link, the deadline, whom to contact and the federation's
    signature, from the configured sender (``SURVEY_MAIL_FROM``)."""
    survey = invitation.survey
    parts, subjects = [], []
    for lang in zone_languages(invitation.zone):
        # Inside the override, ``survey.title`` is the title in the zone's language
        # (or the other one when it has not been translated).
        with translation.override(lang):
            context = {
                "language": lang,
                "survey": survey,
                "zone": invitation.zone,
                "invitation": invitation,
                "kind": kind,
                "reminder": kind == MailKind.REMINDER,
                "asked": ASKED[survey.ballot_form]() if survey.ballot_form in ASKED else "",
                "link": ballot_link(raw_token, lang),
                "closes_at": timezone.localtime(survey.closes_at),
                "contact": settings.SECRETARIAT_EMAIL,
                "signature": settings.MAIL_SIGNATURE.get(lang) or settings.MAIL_SIGNATURE["nl"],
            }
            parts.append(
                {
                    "language": lang,
                    "text": render_to_string("survey/email/invitation.txt", context),
                    "html": render_to_string("survey/email/_invitation_part.html", context),
                }
            )
            subjects.append(SUBJECTS[kind]() % {"title": survey.title})
    subject = " / ".join(subjects)
    message = EmailMultiAlternatives(
        subject=subject,
        body="\n\n-----\n\n".join(part["text"] for part in parts),
        from_email=settings.SURVEY_MAIL_FROM,
        to=[recipient],
        reply_to=[settings.SECRETARIAT_EMAIL],
    )
    html = render_to_string("survey/email/invitation.html", {"parts": parts, "subject": subject})
    message.attach_alternative(html, "text/html")
    return message


# ------------------------------------------------------------------------------- queue
def mail_queue(invitation: Invitation, *, kind: str) -> InvitationMail:
    """Record an e-mail to send about ``invitation`` and queue it once the transaction
    commits (a rolled-back request sends nothing)."""
    from memorandum.survey.tasks import send_invitation_mail

    mail = InvitationMail.objects.create(
        invitation=invitation, kind=kind, recipient=invitation.recipient
    )
    enqueue_on_commit(send_invitation_mail, mail.pk)
    return mail


def mails_queue(invitations: list[Invitation], *, kind: str) -> list[InvitationMail]:
    """:func:`mail_queue` for many invitations: one insert, jobs queued after the commit."""
    from memorandum.survey.tasks import send_invitation_mail

    now = timezone.now()
    mails = InvitationMail.objects.bulk_create(
        [
            InvitationMail(invitation=i, kind=kind, recipient=i.recipient, created_at=now)
            for i in invitations
        ]
    )
    if mails and mails[0].pk is None:  # backends that do not return ids from bulk_create
        mails = list(
            InvitationMail.objects.filter(
                invitation__in=invitations, kind=kind, created_at=now
            ).order_by("pk")
        )
    enqueue_many_on_commit(send_invitation_mail, [(m.pk,) for m in mails])
    return mails


# ------------------------------------------------------------------------------ worker
def _failure_reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def _is_permanent(error: BaseException) -> bool:
    """A refused address will be refused again: no point in retrying."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) or (
        isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600
    )


def _claim(mail_id: int, *, takeover: bool) -> tuple[InvitationMail, str] | None:
    """Step 1: mark the mail *sending* and count the attempt; None when there is nothing
    to do (already sent or given up, sending in another worker, link revoked)."""
    now = timezone.now()
    with transaction.atomic():
        mail = (
            InvitationMail.objects.select_for_update()
            .select_related("invitation__survey", "invitation__zone")
            .filter(pk=mail_id)
            .first()
        )
        if mail is None or mail.status in (
            MailStatus.SENT,
            MailStatus.FAILED,
            MailStatus.CANCELLED,
        ):
            return None
        if mail.status == MailStatus.SENDING and not takeover:
            # Another worker is on it; if that worker died, recovery takes it over.
            return None
        invitation = mail.invitation
        reason = ""
        if invitation.is_revoked:
            reason = _("The link was revoked before the e-mail left.")
        elif invitation.survey.status != SurveyStatus.OPEN:
            reason = _("The survey was closed before the e-mail left.")
        if reason:
            mail.status, mail.error, mail.last_attempt_at = MailStatus.CANCELLED, reason, now
            mail.save(update_fields=["status", "error", "last_attempt_at"])
            return None
        before = (invitation.token_nonce, invitation.token_hash)
        raw = invitation.current_token()
        if (invitation.token_nonce, invitation.token_hash) != before:
            invitation.save(update_fields=["token_nonce", "token_hash"])
        mail.status = MailStatus.SENDING
        mail.attempts += 1
        mail.last_attempt_at = now
        mail.next_attempt_at = None
        mail.save(update_fields=["status", "attempts", "last_attempt_at", "next_attempt_at"])
        return mail, raw


def mail_deliver(mail_id: int, *, takeover: bool = False) -> str:
    """Send one queued e-mail (the worker's job); return what happened, for the job log.

    ``takeover`` is set by the recovery: a mail left *sending* by a stopped worker is
    sent again.
    """
    from memorandum.survey.tasks import send_invitation_mail

    claimed = _claim(mail_id, takeover=takeover)
    if claimed is None:
        return "nothing to do"
    mail, raw = claimed
    try:
        message = invitation_message(mail.invitation, raw, kind=mail.kind, recipient=mail.recipient)
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure is recorded and shown
        now = timezone.now()
        final = _is_permanent(error) or mail.attempts >= settings.SURVEY_MAIL_ATTEMPTS
        retry_at = (
            None if final else now + timedelta(seconds=BACKOFF_BASE * 2 ** (mail.attempts - 1))
        )
        InvitationMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(
            status=MailStatus.FAILED if final else MailStatus.QUEUED,
            error=_failure_reason(error),
            next_attempt_at=retry_at,
        )
        if retry_at:
            # Recorded first: if the queue is unreachable now, recover_jobs finds the mail.
            send_invitation_mail.using(run_after=retry_at).enqueue(mail.pk)
        logger.warning("Invitation e-mail %s failed: %s", mail.pk, error)
        return "failed" if final else "retry"
    now = timezone.now()
    # Step 3, the same instant as the hand-over: nothing else runs in between.
    InvitationMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENT, sent_at=now, error="")
    stamp = "reminded_at" if mail.kind == MailKind.REMINDER else "sent_at"
    Invitation.objects.filter(pk=mail.invitation_id).update(**{stamp: now})
    return "sent"


def mails_requeue_stuck(*, minutes: int | None = None, survey: Survey | None = None) -> int:
    """Queue again every e-mail still waiting (or left *sending*) for longer than
    ``minutes``: the job of a worker that was stopped, or a queue that lost it.

    A mail waiting for a planned retry (``next_attempt_at`` in the future) is left alone.
    Returns how many were queued again.
    """
    from memorandum.survey.tasks import send_invitation_mail

    if minutes is None:
        minutes = settings.SURVEY_MAIL_STUCK_MINUTES
    before = timezone.now() - timedelta(minutes=minutes)
    stuck = InvitationMail.objects.filter(
        Q(status=MailStatus.QUEUED, created_at__lte=before)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=before))
        | Q(status=MailStatus.SENDING, last_attempt_at__lte=before)
    )
    if survey is not None:
        stuck = stuck.filter(invitation__survey=survey)
    rows = list(stuck.values_list("pk", "status"))
    with transaction.atomic():
        for pk, status in rows:
            # Only a mail left *sending* is taken over; a queued one may meanwhile be claimed
            # by its first job, which must then be the only one to send it.
            send_invitation_mail.enqueue(pk, takeover=status == MailStatus.SENDING)
    return len(rows)
