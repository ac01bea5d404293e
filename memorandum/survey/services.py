"""Writes that cross models: invitations and their e-mails, opening, closing and tallying.

Saving a ballot is in :mod:`memorandum.survey.casting`.

Each public function is one action, keyword-only and atomic. The response rates these
writes change are read in :mod:`memorandum.survey.participation`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.audit import services as audit
from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.phases import PhaseAction, phase_refusal
from memorandum.lib.tasks import enqueue_on_commit
from memorandum.survey import items as survey_items
from memorandum.survey import mail
from memorandum.survey import tally as tally_bridge
from memorandum.survey.casting import survey_gate
from memorandum.survey.contract import TallyResult, write_tally
from memorandum.survey.models import (
    Invitation,
    InvitationMail,
    MailKind,
    MailStatus,
    Survey,
    SurveyStatus,
    Tally,
    TallyRun,
)
from memorandum.survey.participation import participation_counts, remindable


# --------------------------------------------------------------------------- invitations
@transaction.atomic
def invitations_send(
    *, survey: Survey, zones: list[PoliceZone] | None = None, by=None, request=None
) -> tuple[int, list[PoliceZone]]:
    """Invite every zone (or the given ones) that has no invitation yet.

    The invitations are created and their e-mails queued for the worker (sent after the
    commit, one job each: see :mod:`memorandum.survey.mail`). Returns how many were
    queued and the zones skipped for want of an e-mail address (they are invited by the
    next click once the address is filled in).
    """
    if zones is None:
        # a zone that ended (merged) is no longer a member to invite
        zones = PoliceZone.objects.filter(ended_on=None).select_related("province")
    zones = list(zones)
    existing = set(survey.invitations.values_list("zone_id", flat=True))
    new, skipped = [], []
    for zone in zones:
        if zone.pk in existing:
            continue
        if not zone.email:
            skipped.append(zone)
            continue
        invitation = Invitation(survey=survey, zone=zone)
        invitation.new_token()
        new.append(invitation)
    Invitation.objects.bulk_create(new)
    if new and new[0].pk is None:  # backends that do not return ids from bulk_create
        new = list(survey.invitations.filter(zone__in=[i.zone for i in new]).select_related("zone"))
    mail.mails_queue(new, kind=MailKind.INVITATION)
    if new:
        audit.record(
            audit.Action.SURVEY_INVITATIONS_SENT,
            actor=by,
            request=request,
            target=survey,
            count=len(new),
            zones=[i.zone.code for i in new],
        )
    return len(new), skipped


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> InvitationMail:
    """Mail the same link again (after a failed or lost e-mail): nothing changes for the zone."""
    return mail.mail_queue(invitation, kind=MailKind.INVITATION)


@transaction.atomic
def invitation_new_link(*, invitation: Invitation) -> InvitationMail:
    """Replace the link and mail the new one: the old link stops working (a revoked
    invitation works again with the new link)."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("zone", "survey")
        .get(pk=invitation.pk)
    )
    invitation.new_token()
    invitation.revoked_at = None
    invitation.save(update_fields=["token_nonce", "token_hash", "revoked_at"])
    invitation.mails.cancel_waiting(_("Replaced by a newer e-mail."))
    return mail.mail_queue(invitation, kind=MailKind.NEW_LINK)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by=None, request=None) -> None:
    """The link stops working at once; e-mails still waiting for it are not sent."""
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    invitation.mails.cancel_waiting(_("The link was revoked before the e-mail left."))
    audit.record(
        audit.Action.SURVEY_INVITATION_REVOKED,
        actor=by,
        request=request,
        target=invitation.survey,
        zone=invitation.zone.code,
    )


@transaction.atomic
def invitation_delegate(*, invitation: Invitation, name: str, email: str) -> InvitationMail:
    """Hand the ballot to a named delegate: a new link goes to them, the old one stops working.

    Reminders then go to the delegate, with the delegate's link."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("zone", "survey")
        .get(pk=invitation.pk)
    )
    invitation.delegate_name, invitation.delegate_email = name, email
    invitation.new_token()
    invitation.revoked_at = None
    invitation.save()
    invitation.mails.cancel_waiting(_("Replaced by a newer e-mail."))
    return mail.mail_queue(invitation, kind=MailKind.DELEGATE)


@transaction.atomic
def reminders_send(*, survey: Survey) -> int:
    """Remind every invited zone that has not submitted, with the link it already has
    (a delegate keeps access); zones whose e-mail is still waiting are skipped."""
    invitations = remindable(survey)
    mail.mails_queue(invitations, kind=MailKind.REMINDER)
    return len(invitations)


@transaction.atomic
def mails_resend_failed(*, survey: Survey) -> int:
    """Queue again, with the same link, every invitation whose last e-mail failed."""
    count = 0
    for invitation in (
        survey.invitations.active().select_related("zone", "survey").prefetch_related("mails")
    ):
        last = invitation.latest_mail()
        if last is not None and last.status == MailStatus.FAILED and invitation.recipient:
            mail.mail_queue(invitation, kind=last.kind)
            count += 1
    return count


# ---------------------------------------------------------------- open / close / count
# A survey moves draft → open → closed → tallied, only through the functions below. Each
# transition has one rule, a ``*_refusal`` function saying why it cannot be done now: the
# confirmation page shows that sentence instead of its button, and the transition raises
# it as a :class:`SurveyRefused` (checked again under the survey's row lock).


class SurveyRefused(Exception):
    """A survey action that cannot be done now; ``message`` says why, for the person acting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def open_refusal(survey: Survey) -> str:
    """Why ``survey`` cannot open now, or ""."""
    if survey.status != SurveyStatus.DRAFT:
        return _("This survey is already open or closed.")
    if refusal := phase_refusal(survey.edition, PhaseAction.OPEN_SURVEY):
        return refusal
    if len(survey_items.selected_items(survey)) < 2:
        return _(
            "This survey cannot open: fewer than two published items are chosen. "
            "Change the survey's items first."
        )
    return ""


def close_refusal(survey: Survey) -> str:
    """Why ``survey`` cannot be closed now, or ""."""
    return "" if survey.status == SurveyStatus.OPEN else _("Only an open survey can be closed.")


def count_refusal(survey: Survey) -> str:
    """Why ``survey`` cannot be counted (again) now, or ""."""
    if survey.status == SurveyStatus.CLOSED:
        return ""
    return _("Only a closed survey that has not been counted can be counted.")


def edit_refusal(survey: Survey) -> str:
    """Why the settings of ``survey`` can no longer be changed, or ""."""
    if survey.status in (SurveyStatus.CLOSED, SurveyStatus.TALLIED):
        return _("A closed survey can no longer be changed.")
    return ""


@contextmanager
def survey_editing(survey: Survey) -> Iterator[Survey]:
    """A transaction to check and save the survey's settings in: the survey read again
    under its row lock, behind its ballot gate held exclusively, as the close holds it.

    A ballot being saved meanwhile commits first, so the form's checks see it (no closing
    time before a ballot already acknowledged; the ballot form fixed once zones have
    answered), and no ballot checks the survey between those checks and the save: a new
    closing time never leaves out a ballot that got a receipt. :class:`SurveyRefused` when
    the survey can no longer be changed (it was closed meanwhile).
    """
    with transaction.atomic():
        survey_gate(survey.pk, exclusive=True)
        yield _locked(survey, edit_refusal)


def _locked(survey: Survey, refusal) -> Survey:
    """``survey`` read again under its row lock, or :class:`SurveyRefused` per ``refusal``."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if reason := refusal(locked):
        raise SurveyRefused(reason)
    return locked


@transaction.atomic
def survey_open(*, survey: Survey, by=None, request=None) -> None:
    """Open the survey and freeze its items: from now on ballots never follow the catalogue."""
    _locked(survey, open_refusal)
    survey.refresh_from_db()
    survey.status = SurveyStatus.OPEN
    # Weight classes are frozen with the zones' weights of today (weighted anonymous only).
    survey.weight_classes = survey.compute_weight_classes()
    survey.save(update_fields=["status", "weight_classes"])
    survey_items.freeze(survey)
    audit.record(
        audit.Action.SURVEY_OPENED,
        actor=by,
        request=request,
        target=survey,
        items=survey.frozen_items.count(),
    )


def tally_compute(*, survey: Survey) -> tuple[list[dict], TallyResult]:
    """Read the submitted ballots and count them: the slow part, run outside any
    transaction so no write lock is held meanwhile (SQLite has one for the whole database).

    The survey is closed, so its ballots no longer change."""
    records = tally_bridge.snapshot(survey)
    result = tally_bridge.compute(
        survey,
        records,
        method=survey.primary_method,
        seed=survey.bootstrap_seed,
        replicates=survey.bootstrap_replicates,
        participation=participation_counts(survey),
    )
    return records, result


@transaction.atomic
def tally_save(*, survey: Survey, records: list[dict], result: TallyResult) -> Tally:
    """Freeze the results with their seed and data hash; a survey counted meanwhile (by
    another job) keeps its first tally."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == SurveyStatus.TALLIED:
        return survey.latest_tally()
    tally = Tally.objects.create(
        survey=survey,
        method=survey.primary_method,
        seed=survey.bootstrap_seed,
        replicates=survey.bootstrap_replicates,
        snapshot_hash=tally_bridge.snapshot_hash(records),
        ballot_count=len(records),
        results=write_tally(result),
    )
    survey.status = SurveyStatus.TALLIED
    survey.save(update_fields=["status"])
    return tally


@transaction.atomic
def survey_tally(*, survey: Survey) -> Tally:
    """Count the submitted ballots and freeze the results with their seed and data hash."""
    records, result = tally_compute(survey=survey)
    return tally_save(survey=survey, records=records, result=result)


@transaction.atomic
def survey_close(*, survey: Survey, count: bool = True, by=None, request=None) -> Tally | None:
    """Close the survey now (drafts stay uncounted) and tally it.

    With ``count=False`` only close it: the page's "close and count" leaves the counting
    to the worker (:func:`survey_close_and_count`). ``by`` is None when the closing time
    passed (``close_due_surveys``).
    """
    survey_gate(survey.pk, exclusive=True)  # waits for the ballots being saved
    survey = _locked(survey, close_refusal)
    now = timezone.now()
    if survey.closes_at > now:
        # Every ballot stored so far was accepted before this lock was granted; with
        # several application servers their clocks may differ by a little, so the closing
        # time is never put before a ballot that was acknowledged.
        last = survey.ballots.submitted().aggregate(last=Max("submitted_at"))["last"]
        survey.closes_at = max(now, last or now, survey.opens_at + timedelta(seconds=1))
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status", "closes_at"])
    audit.record(
        audit.Action.SURVEY_CLOSED,
        actor=by,
        request=request,
        target=survey,
        ballots=survey.ballots.submitted().count(),
    )
    if not count:
        return None
    return survey_tally(survey=survey)


@transaction.atomic
def survey_count(*, survey: Survey) -> TallyRun:
    """Queue the count of a closed survey for the worker (the first one, or again after a
    failure); a count already waiting or running is returned, not queued twice."""
    survey = _locked(survey, count_refusal)
    running = survey.tally_runs.order_by("-created_at", "-id").first()
    if running is not None and running.is_active:
        return running
    run = TallyRun.objects.create(survey=survey)
    from memorandum.survey.tasks import count_survey

    enqueue_on_commit(count_survey, run.pk)
    return run


@transaction.atomic
def survey_close_and_count(*, survey: Survey, by=None, request=None) -> TallyRun:
    """Close the survey now and queue its count (the request does not wait for it)."""
    survey_close(survey=survey, count=False, by=by, request=request)
    return survey_count(survey=survey)
