"""Writes that cross models: opening a round with its invitations, estimates, closing.

Each public function is one action, keyword-only and atomic; the e-mails and the count
are queued for the worker after the commit.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.catalogue.models import PoliceZone
from memorandum.impact.mail import OUTBOX
from memorandum.impact.models import (
    CountRun,
    EstimateRound,
    ImpactInvitation,
    RoundStatus,
    ZoneEstimate,
)
from memorandum.lib.links import hash_token
from memorandum.lib.outbox import MailKind
from memorandum.lib.tasks import enqueue_on_commit


class Refused(Exception):
    """The action is not possible now; ``message`` says why, for the person acting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(round_: EstimateRound) -> EstimateRound:
    return EstimateRound.objects.select_for_update().select_related("mission").get(pk=round_.pk)


@transaction.atomic
def round_open(*, round: EstimateRound) -> tuple[int, int]:
    """Open the round: one link per zone, invitations queued for every zone with an
    address. Returns (invited, zones without an e-mail address)."""
    round_ = _locked(round)
    if round_.status != RoundStatus.DRAFT:
        raise Refused(_("Only a round that is being prepared can be opened."))
    if round_.closes_at <= timezone.now():
        raise Refused(_("The deadline has passed: set a later deadline first."))
    round_.status = RoundStatus.OPEN
    round_.opens_at = min(round_.opens_at, timezone.now())
    round_.save(update_fields=["status", "opens_at"])
    invitations = []
    for zone in PoliceZone.objects.active():  # ended zones are not asked
        invitation = ImpactInvitation(round=round_, zone=zone)
        invitation.new_token()
        invitations.append(invitation)
    ImpactInvitation.objects.bulk_create(invitations)
    with_address = list(
        round_.invitations.exclude(zone__email="").select_related("zone").order_by("pk")
    )
    OUTBOX.queue_many(with_address, kind=MailKind.INVITATION)
    return len(with_address), len(invitations) - len(with_address)


@transaction.atomic
def round_remind(*, round: EstimateRound) -> int:
    """Remind every invited zone that has not submitted (same link); returns how many."""
    round_ = _locked(round)
    if not round_.accepts_answers():
        raise Refused(_("Reminders can only be sent while the round is open."))
    done = round_.estimates.submitted().values_list("zone_id", flat=True)
    waiting = list(
        round_.invitations.active()
        .exclude(zone_id__in=done)
        .exclude(zone__email="", delegate_email="")
        .select_related("zone")
    )
    OUTBOX.queue_many(waiting, kind=MailKind.REMINDER)
    return len(waiting)


@transaction.atomic
def round_close(*, round: EstimateRound) -> CountRun:
    """Close the round now (no more changes) and queue its count in the worker."""
    round_ = _locked(round)
    if round_.status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
        raise Refused(_("Only an open round can be closed."))
    now = timezone.now()
    round_.status = RoundStatus.CLOSED
    round_.closes_at = min(round_.closes_at, now)
    if round_.closes_at <= round_.opens_at:
        round_.opens_at = round_.closes_at - timedelta(seconds=1)
    round_.save(update_fields=["status", "closes_at", "opens_at"])
    OUTBOX.model.objects.filter(invitation__round=round_).cancel_waiting(
        _("The round was closed before the e-mail left.")
    )
    return count_queue(round=round_)


def count_queue(*, round: EstimateRound) -> CountRun:
    """Queue an aggregation of a closed round (again after a failure, or a new seed)."""
    running = round.count_runs.filter(status__in=["queued", "running"]).first()
    if running is not None:
        return running
    run = CountRun.objects.create(round=round)
    from memorandum.impact.tasks import count_round

    enqueue_on_commit(count_round, run.pk)
    return run


def count_runs_requeue(*, minutes: int) -> int:
    """Queue again the counts a stopped worker left waiting or running for ``minutes``."""
    from memorandum.impact.tasks import count_round

    before = timezone.now() - timedelta(minutes=minutes)
    runs = list(
        CountRun.objects.filter(
            status__in=["queued", "running"], created_at__lte=before
        ).values_list("pk", flat=True)
    )
    for pk in runs:
        count_round.enqueue(pk)
    return len(runs)


def invitation_for_token(raw: str) -> ImpactInvitation | None:
    """The active invitation behind a link, or None (wrong, replaced or revoked alike)."""
    if not raw or len(raw) > 100:
        return None
    return (
        ImpactInvitation.objects.active()
        .select_related("round__mission__edition", "zone__province")
        .filter(token_hash=hash_token(raw))
        .first()
    )


@transaction.atomic
def invitation_delegate(*, invitation: ImpactInvitation, name: str, email: str) -> None:
    """Hand the estimate to a colleague: a new link is mailed to them; the old one stops."""
    invitation = ImpactInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.delegate_name, invitation.delegate_email = name, email
    invitation.new_token()
    invitation.save(update_fields=["delegate_name", "delegate_email", "token_nonce", "token_hash"])
    OUTBOX.queue(invitation, kind=MailKind.DELEGATE)


@transaction.atomic
def estimate_save(
    *, round: EstimateRound, zone: PoliceZone, values: dict, submit: bool, cast_by: str
) -> ZoneEstimate:
    """Store the zone's draft, or submit it; refused after the deadline.

    ``values`` are the cleaned fields of :class:`memorandum.impact.forms.EstimateForm`.
    A submitted estimate stays changeable until the deadline (each change is submitted).
    """
    round_ = _locked(round)
    if not round_.accepts_answers():
        raise Refused(_("The deadline has passed: the estimate can no longer be changed."))
    estimate, _created = ZoneEstimate.objects.select_for_update().get_or_create(
        round=round_, zone=zone
    )
    for name, value in values.items():
        setattr(estimate, name, value)
    estimate.cast_by = cast_by
    if submit or estimate.is_submitted:
        estimate.submitted_at = timezone.now()
    estimate.save()
    return estimate
