"""Invitation e-mails: queued in the request, sent by the worker, each outcome recorded.

Shared by every app that mails zones a link (:mod:`memorandum.lib.links`): the survey and
the impact estimates. The request only writes an outbox row (a concrete
:class:`OutboxMail`) and queues a job with its id after the commit (:meth:`Outbox.queue`).
The worker (:meth:`Outbox.deliver`) sends it in three steps, each committed on its own:

1. lock the row; if it is already *sent* or *failed*, do nothing (a job run twice, or a
   job re-queued by :meth:`Outbox.requeue_stuck`, never mails twice); else mark it
   *sending* and count the attempt;
2. hand the message to the mail server (outside any transaction: no lock is held while
   the SMTP server answers);
3. mark it *sent*, or record the reason of the failure and queue a retry with backoff
   (after ``SURVEY_MAIL_ATTEMPTS`` attempts it stays *failed* for the secretariat).

A worker killed during step 2 leaves the row *sending*: the recovery (``manage.py
recover_jobs``) queues it again, and the message is sent once. The one case that can mail
twice is a worker killed in the instant between the mail server's acceptance and the
commit of step 3.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from memorandum.lib.queued import QueuedWork

logger = logging.getLogger(__name__)

# Seconds to wait before attempt n + 1 (after n failures): 1, 2, 4, 8 … minutes.
BACKOFF_BASE = 60


class MailKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    NEW_LINK = "new_link", _("New link")
    DELEGATE = "delegate", _("Link for a delegate")


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxMailQuerySet(models.QuerySet):
    def pending(self) -> OutboxMailQuerySet:
        return self.filter(status__in=[MailStatus.QUEUED, MailStatus.SENDING])

    def cancel_waiting(self, reason: str) -> int:
        """Cancel the mails not yet handed to the worker (a mail being sent is left alone)."""
        return self.filter(status=MailStatus.QUEUED).update(
            status=MailStatus.CANCELLED, error=reason, next_attempt_at=None
        )


class OutboxMail(QueuedWork):
    """One e-mail about an invitation, as the worker handles it: the outbox row.

    A concrete subclass adds ``invitation``, a foreign key with ``related_name="mails"``, and
    its own index on ``status`` and ``created_at`` (index names are unique per database).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=MailKind.choices)
    recipient = models.EmailField(_("recipient"))
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboxMailQuerySet.as_manager()

    class Meta(QueuedWork.Meta):
        abstract = True
        verbose_name = _("invitation e-mail")
        verbose_name_plural = _("invitation e-mails")

    def __str__(self) -> str:
        return f"{self.invitation} · {self.get_kind_display()} · {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status in (MailStatus.QUEUED, MailStatus.SENDING)


def zone_languages(zone) -> list[str]:
    """The languages to write to a zone in: bilingual Brussels zones get both; the
    German-speaking zones get French (the platform has no German interface)."""
    from memorandum.catalogue.models import ZoneLanguage

    return {
        ZoneLanguage.DUTCH: ["nl"],
        ZoneLanguage.FRENCH: ["fr"],
        ZoneLanguage.BILINGUAL: ["nl", "fr"],
    }.get(zone.language, ["fr"])


def zone_message(
    zone,
    recipient: str,
    render: Callable[[str], tuple[str, ...]],
    *,
    html_template: str = "",
    from_email: str | None = None,
) -> EmailMessage:
    """One e-mail to a zone in each of its languages: ``render(lang)`` gives the subject,
    the text body and optionally an HTML part in that language (called inside
    ``translation.override(lang)``). With ``html_template``, the HTML parts are put together
    by that template (``parts``: language, text, html; ``subject``) as an alternative."""
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.utils import translation

    parts, subjects = [], []
    for lang in zone_languages(zone):
        with translation.override(lang):
            subject, text, html = (*render(lang), "")[:3]
        subjects.append(subject)
        parts.append({"language": lang, "text": text, "html": html})
    subject = " / ".join(subjects)
    message = EmailMultiAlternatives(
        subject=subject,
        body="\n\n-----\n\n".join(part["text"] for part in parts),
        from_email=from_email,
        to=[recipient],
        reply_to=[settings.SECRETARIAT_EMAIL],
    )
    if html_template:
        html = render_to_string(html_template, {"parts": parts, "subject": subject})
        message.attach_alternative(html, "text/html")
    return message


def _failure_reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def _is_permanent(error: BaseException) -> bool:
    """A refused address will be refused again: no point in retrying."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) or (
        isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600
    )


@dataclass(frozen=True)
class Outbox:
    """One app's outbox: its mail model, its job and what its e-mails say.

    ``task`` is the dotted path of the django-tasks task that calls :meth:`deliver`
    (imported on use, so that ``tasks.py`` may import the module that declares the outbox);
    ``closed`` says why the invitation's survey or round no longer takes answers (a mail
    must not leave any more), or ""; ``message(invitation, raw_token, kind=…, recipient=…)``
    builds the e-mail.
    """

    model: type[OutboxMail]
    task: str
    related: tuple[str, ...]
    closed: Callable[[Any], str]
    message: Callable[..., EmailMessage]

    def _task(self) -> Any:
        return import_string(self.task)

    def cancel_reason(self, invitation) -> str:
        """Why a mail about ``invitation`` must not leave any more, or ""."""
        if invitation.is_revoked:
            return str(_("The link was revoked before the e-mail left."))
        return self.closed(invitation)

    def queue(self, invitation, *, kind: str) -> OutboxMail:
        """Record an e-mail to send about ``invitation`` and queue it once the transaction
        commits (a rolled-back request sends nothing)."""
        from memorandum.lib.tasks import enqueue_on_commit

        mail = self.model.objects.create(
            invitation=invitation, kind=kind, recipient=invitation.recipient
        )
        enqueue_on_commit(self._task(), mail.pk)
        return mail

    def queue_many(self, invitations: list, *, kind: str) -> list[OutboxMail]:
        """:meth:`queue` for many invitations: one insert, jobs queued after the commit."""
        from memorandum.lib.tasks import enqueue_many_on_commit

        now = timezone.now()
        mails = self.model.objects.bulk_create(
            [
                self.model(invitation=i, kind=kind, recipient=i.recipient, created_at=now)
                for i in invitations
            ]
        )
        if mails and mails[0].pk is None:  # backends that do not return ids from bulk_create
            mails = list(
                self.model.objects.filter(
                    invitation__in=invitations, kind=kind, created_at=now
                ).order_by("pk")
            )
        enqueue_many_on_commit(self._task(), [(m.pk,) for m in mails])
        return mails

    def _claim(self, mail_id: int, *, takeover: bool) -> tuple[Any, str] | None:
        """Step 1: mark the mail *sending* and count the attempt; None when there is
        nothing to do (already sent or given up, sending in another worker, cancelled)."""
        now = timezone.now()
        with transaction.atomic():
            mail = (
                self.model.objects.select_for_update()
                .select_related(*self.related)
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
            reason = self.cancel_reason(invitation)
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

    def deliver(self, mail_id: int, *, takeover: bool = False) -> str:
        """Send one queued e-mail (the worker's job); return what happened, for the job log.

        ``takeover`` is set by the recovery: a mail left *sending* by a stopped worker is
        sent again.
        """
        claimed = self._claim(mail_id, takeover=takeover)
        if claimed is None:
            return "nothing to do"
        mail, raw = claimed
        try:
            self.message(mail.invitation, raw, kind=mail.kind, recipient=mail.recipient).send()
        except Exception as error:  # noqa: BLE001 - any failure is recorded and shown
            now = timezone.now()
            final = _is_permanent(error) or mail.attempts >= settings.SURVEY_MAIL_ATTEMPTS
            retry_at = (
                None if final else now + timedelta(seconds=BACKOFF_BASE * 2 ** (mail.attempts - 1))
            )
            self.model.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(
                status=MailStatus.FAILED if final else MailStatus.QUEUED,
                error=_failure_reason(error),
                next_attempt_at=retry_at,
            )
            if retry_at:
                # Recorded first: if the queue is unreachable now, recover_jobs finds the mail.
                self._task().using(run_after=retry_at).enqueue(mail.pk)
            logger.warning("Invitation e-mail %s failed: %s", mail.pk, error)
            return "failed" if final else "retry"
        now = timezone.now()
        # Step 3, the same instant as the hand-over: nothing else runs in between.
        self.model.objects.filter(pk=mail.pk).update(status=MailStatus.SENT, sent_at=now, error="")
        stamp = "reminded_at" if mail.kind == MailKind.REMINDER else "sent_at"
        type(mail.invitation).objects.filter(pk=mail.invitation_id).update(**{stamp: now})
        return "sent"

    def requeue_stuck(self, *, minutes: int | None = None, **filters: Any) -> int:
        """Queue again every e-mail still waiting (or left *sending*) for longer than
        ``minutes``: the job of a worker that was stopped, or a queue that lost it.

        A mail waiting for a planned retry (``next_attempt_at`` in the future) is left
        alone. ``filters`` narrow the mails (e.g. ``invitation__survey=survey``). Returns
        how many were queued again.
        """
        if minutes is None:
            minutes = settings.SURVEY_MAIL_STUCK_MINUTES
        before = timezone.now() - timedelta(minutes=minutes)
        stuck = self.model.objects.filter(
            Q(status=MailStatus.QUEUED, created_at__lte=before)
            & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=before))
            | Q(status=MailStatus.SENDING, last_attempt_at__lte=before)
        ).filter(**filters)
        rows = list(stuck.values_list("pk", "status"))
        task = self._task()
        with transaction.atomic():
            for pk, status in rows:
                # Only a mail left *sending* is taken over; a queued one may meanwhile be
                # claimed by its first job, which must then be the only one to send it.
                task.enqueue(pk, takeover=status == MailStatus.SENDING)
        return len(rows)
