"""Writes that cross models: invitations and their e-mails, ballots, closing and tallying.

Each public function is one action, keyword-only and atomic. The response rates these
writes change are read in :mod:`memorandum.survey.participation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from memorandum.audit import services as audit
from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.phases import PhaseAction, phase_refusal
from memorandum.lib.tasks import enqueue_on_commit
from memorandum.survey import items as survey_items
from memorandum.survey import mail, queries
from memorandum.survey import tally as tally_bridge
from memorandum.survey.ballots import kind_of
from memorandum.survey.contract import TallyResult, write_tally
from memorandum.survey.mail import ballot_link, zone_languages  # noqa: F401 (used elsewhere)
from memorandum.survey.models import (
    Ballot,
    BallotStatus,
    Invitation,
    InvitationMail,
    MailKind,
    MailStatus,
    Participation,
    Survey,
    SurveyStatus,
    Tally,
    TallyRun,
    Weighting,
    hash_token,
)
from memorandum.survey.participation import participation_counts, remindable


class BallotRefused(Exception):
    """The ballot cannot be saved; ``message`` says why, for the person voting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


def invitation_for_token(
    raw: str, *, with_edition: bool = True, take_gate: bool = False
) -> Invitation | None:
    """The active invitation behind a link, or None (wrong, replaced or revoked alike).

    With its survey and zone; the survey's edition and the zone's province too unless
    ``with_edition`` is False (a posted ballot: see ``queries.INVITATION``). The hash is
    unique: no order is asked for. With ``take_gate`` (in a transaction, for a ballot to
    save; as with ``with_edition`` False), the invitation found holds its survey's ballot
    gate shared once this returns (:func:`survey_gate`), taken by the same statement.
    """
    if not raw or len(raw) > 100:
        return None
    if take_gate and has_ballot_gate():
        query = queries.INVITATION_TAKING_GATE
    else:
        query = queries.INVITATION_WITH_EDITION if with_edition else queries.INVITATION
    return next(iter(query(hash_token(raw))), None)


# ------------------------------------------------------------------------------ ballots
def zone_weight(survey: Survey, zone: PoliceZone) -> float:
    """What the zone's ballot counts for: its exact weight, or its class's in a survey with
    weight classes (anonymous and weighted), so that no anonymous ballot carries a weight
    that names its zone."""
    if survey.uses_weight_classes:
        weight_class = survey.weight_class_of(zone)
        if weight_class is not None:
            return float(weight_class["weight"])
    if survey.weighting == Weighting.PERSONNEL:
        return float(zone.personnel)
    if survey.weighting == Weighting.POPULATION:
        return float(zone.population)
    return 1.0


def ballot_of(survey: Survey, zone: PoliceZone) -> Ballot | None:
    """The zone's ballot (draft or submitted); None once an anonymous ballot is detached."""
    return survey.ballots.filter(zone=zone).order_by("pk").first()


def has_voted(survey: Survey, zone: PoliceZone) -> bool:
    return survey.participations.filter(zone=zone).exists()


def _refuse_if_closed(survey: Survey, now: datetime) -> None:
    if survey.is_over(now):
        raise BallotRefused(
            _("This survey closed on %(date)s. Your answers can no longer be changed.")
            % {"date": formats.date_format(timezone.localtime(survey.closes_at), "DATETIME_FORMAT")}
        )
    if not survey.accepts_answers(now):
        raise BallotRefused(_("This survey is not open yet."))


def has_ballot_gate() -> bool:
    """Does the database need the gate (:func:`survey_gate`)? SQLite does not."""
    return connection.vendor == "postgresql"


def survey_gate(pk: int, *, exclusive: bool) -> None:
    """Take the survey's ballot gate until the end of the transaction.

    Every ballot holds it shared while it checks that the survey is open and commits;
    ``survey_close`` and a change of an open survey's settings (``survey_editing``) hold it
    exclusively. A ballot therefore either commits before the close reads the ballots (or
    before the closing time changes), and is counted, or checks the survey after it, and
    is refused: none is acknowledged and left out. Ballots share the gate, so they do not
    queue behind each other's commit; it is a PostgreSQL advisory lock because that one
    is fair: once the close waits, later ballots wait behind it, so a steady stream of
    ballots cannot keep the close waiting (a shared row lock would let them pass). SQLite
    runs one writing transaction at a time (``transaction_mode=IMMEDIATE``): nothing to do.
    """
    if not has_ballot_gate():
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [queries.BALLOT_GATE, pk])


def _freeze_weight_classes(pk: int) -> None:
    """The first ballot of a survey whose weight classes are not frozen yet freezes them
    (surveys opened before classes were frozen at opening). Called with the ballot gate
    held, as ``survey_close`` takes it before the survey's row: in the other order the two
    deadlock."""
    survey = Survey.objects.select_for_update().get(pk=pk)
    if survey.uses_weight_classes and not survey.weight_classes:
        survey.weight_classes = survey.compute_weight_classes()
        survey.save(update_fields=["weight_classes"])


def _zone_ballot_for_update(survey: Survey, zone: PoliceZone) -> Ballot:
    """The zone's ballot row, locked, read with its survey; a new draft row when it has
    none yet. Called with the ballot gate held, so ``ballot.survey`` is the survey as the
    gate lets it be (read in a statement that started after the gate was granted).

    Two first saves of one zone at once both insert; the unique constraint makes the
    second wait for the first and then insert nothing, and both read the one row."""
    ballot = next(iter(queries.ZONE_BALLOT_FOR_UPDATE(survey.pk, zone.pk)), None)
    if ballot is None:
        # With the default weight: ``ballot_save`` sets it from the survey read behind the
        # gate (or deletes the row) before anything commits.
        draft = Ballot(
            survey=survey, zone=zone, province=zone.province.code, region=zone.province.region
        )
        queries.NEW_BALLOT(draft)
        (ballot,) = queries.ZONE_BALLOT_FOR_UPDATE(survey.pk, zone.pk)
    return ballot


# Computes, from the payload on record and whether it is submitted (read under the ballot's
# row lock), the payload to store and whether this save submits it.
Rebase = Callable[[dict, bool], tuple[dict, bool]]


def _anonymous_final() -> str:
    """Why a zone's second anonymous submit is refused (translated when it is, not at every save)."""
    return _(
        "Your zone has already submitted its anonymous ballot. It cannot be changed, because nothing links it to your zone any more."
    )


def ballot_save(
    *,
    survey: Survey,
    zone: PoliceZone,
    payload: dict,
    submit: bool,
    cast_by: str = "",
    rebase: Rebase | None = None,
    gate_held: bool = False,
) -> Ballot:
    """Save the zone's draft, or submit it; there is only ever one ballot per zone.

    The survey's ballot gate is taken first (:func:`survey_gate`), then the zone's ballot
    row is locked and read with the survey as it is once the gate is held: with the time
    read then, the survey must still accept ballots, or nothing is written. A ballot that
    gets a receipt is therefore always counted, and a ballot after the close is refused
    with the closing time. Concurrent saves of one zone wait for each other at the row.
    An anonymous submission becomes a new row (:func:`_submit_anonymous`).

    ``rebase`` is for a form whose answer adds to the ballot on record (pairwise): it
    makes the payload and ``submit`` from the stored ballot read under the row lock, so
    two answers posted at once are both kept (``payload`` and ``submit`` are then the
    caller's reading of an earlier copy, used for nothing).

    ``gate_held``: the caller opened a transaction for this save alone and took the gate in
    it (a ballot posted through its link, :func:`invitation_for_token`). No savepoint is
    set then (it would cost two statements): a refusal leaves that transaction to be
    rolled back.
    """
    if gate_held and not connection.in_atomic_block:
        raise ValueError("gate_held is for a save in the transaction that took the gate.")
    with transaction.atomic(savepoint=not gate_held):
        return _save_behind_gate(survey, zone, payload, submit, cast_by, rebase, gate_held)


def _save_behind_gate(survey, zone, payload, submit, cast_by, rebase, gate_held) -> Ballot:
    """:func:`ballot_save` in its transaction."""
    _refuse_if_closed(survey, timezone.now())  # the early answer; decided below, locked
    if survey.is_anonymous and has_voted(survey, zone):
        raise BallotRefused(_anonymous_final())
    if not gate_held:
        survey_gate(survey.pk, exclusive=False)
    if survey.uses_weight_classes and not survey.weight_classes:
        _freeze_weight_classes(survey.pk)
    ballot = _zone_ballot_for_update(survey, zone)
    read, survey = survey, ballot.survey  # as it is now, behind the gate
    now = timezone.now()
    _refuse_if_closed(survey, now)
    if not survey.asks_as(read):  # its settings were changed while the answers were read
        raise BallotRefused(_("The survey was changed while you answered: reload the page."))
    if survey.is_anonymous and has_voted(survey, zone):
        # Asked again now that the row is held: a submit of this zone may have committed
        # while this save waited (its draft is gone, a new one would carry the zone's answers).
        raise BallotRefused(_anonymous_final())
    before = ballot.payload or {}
    if rebase is not None:
        payload, submit = rebase(before, ballot.is_submitted)
    if not submit and ballot.is_submitted:
        raise BallotRefused(
            _("Your submitted ballot stays as it is until you submit your changes.")
        )
    if submit and survey.is_anonymous:
        try:
            with transaction.atomic():
                Participation.objects.create(
                    survey=survey, zone=zone, voted_on=timezone.localdate(now)
                )
        except IntegrityError as error:  # the zone's other submit got there first
            raise BallotRefused(_anonymous_final()) from error
        ballot = _submit_anonymous(survey=survey, zone=zone, draft=ballot, payload=payload)
    else:
        ballot.payload = payload
        ballot.weight = zone_weight(survey, zone)
        if submit and not ballot.is_submitted:  # a resubmission is already on record
            queries.NEW_PARTICIPATION(
                Participation(survey=survey, zone=zone, voted_on=timezone.localdate(now))
            )
        if submit:
            ballot.status = BallotStatus.SUBMITTED
            ballot.submitted_at = now
            ballot.cast_by = cast_by[:150]
            ballot.receipt = ballot.compute_receipt()
        queries.BALLOT_ANSWERS(ballot)
    kind_of(survey.ballot_form).after_save(survey=survey, before=before, after=payload)
    return ballot


def _submit_anonymous(*, survey: Survey, zone: PoliceZone, draft: Ballot, payload: dict) -> Ballot:
    """Store the anonymous ballot as a new row and delete the zone's draft.

    The new row has a random key and carries only what the results need: province, region,
    the class weight (never the zone's own), the answers and a receipt with a fresh salt. It
    carries no time of its own: every anonymous ballot of the survey is stamped with the
    survey's opening time (even a day could be matched with the day a zone was recorded
    as having answered). The caller has checked behind the survey's ballot gate that the
    survey is still open, so the stamp cannot let a late ballot in.
    """
    ballot = Ballot(
        survey=survey,
        province=zone.province.code,
        region=zone.province.region,
        weight=zone_weight(survey, zone),
        payload=payload,
        status=BallotStatus.SUBMITTED,
        submitted_at=survey.opens_at,
    )
    ballot.receipt = ballot.compute_receipt()
    ballot.save(force_insert=True)
    # ``updated_at`` is set to the exact time on insert; it gets the stamp as well, in the
    # same transaction, so the exact time is never visible.
    Ballot.objects.filter(pk=ballot.pk).update(updated_at=survey.opens_at)
    ballot.updated_at = survey.opens_at
    draft.delete()
    return ballot


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
