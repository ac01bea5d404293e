"""Casting a ballot: the link behind it, the zone's weight, the save behind the survey's
ballot gate and the anonymous submission.

``ballot_save`` is the one write (keyword-only, atomic); the reads beside it are plain
functions. Opening, closing and counting a survey, which take the same gate exclusively,
are in :mod:`memorandum.survey.services`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from memorandum.catalogue.models import PoliceZone
from memorandum.survey import queries
from memorandum.survey.ballots import kind_of
from memorandum.survey.models import (
    Ballot,
    BallotStatus,
    Invitation,
    Participation,
    Survey,
    Weighting,
    hash_token,
)


class BallotRefused(Exception):
    """The ballot cannot be saved; ``message`` says why, for the person voting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
