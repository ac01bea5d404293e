"""Writes on the catalogue that other apps share, and moving an edition through its phases."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.audit import services as audit
from memorandum.catalogue.models import DatePrecision, Edition, EditionPhase, Phase, Recommendation


def next_number(edition: Edition, kind: str) -> int:
    """The first free number for a new recommendation (or commitment) of the edition.

    Call it in the transaction that saves the new row: there, the edition's row is locked
    first, so a second creation in the same edition at the same moment waits until this one
    commits and then gets the number after it (PostgreSQL; SQLite lets one writer in at a
    time). Outside a transaction (a provisional number to validate a form) nothing is locked.
    """
    if not transaction.get_autocommit():
        list(Edition.objects.select_for_update().filter(pk=edition.pk).values_list("pk"))
    current = Recommendation.objects.filter(edition=edition, kind=kind).aggregate(
        top=Max("number")
    )["top"]
    return (current or 0) + 1


def latest_history_id(recommendation: Recommendation) -> int | None:
    """The id of the recommendation's newest history row: what a decision or merge saw."""
    latest = recommendation.history.order_by("-history_date", "-history_id").first()
    return latest.history_id if latest else None


class PhaseMoveRefused(Exception):
    """A move of an edition to another phase that cannot be done; ``message`` says why, for
    the person acting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def next_phase(edition: Edition) -> str | None:
    """The phase after ``edition``'s current one, or None in the last phase (follow-up)."""
    values = list(Phase.values)
    index = values.index(edition.phase)
    return values[index + 1] if index + 1 < len(values) else None


def earlier_phases(edition: Edition) -> list[str]:
    """The phases before ``edition``'s current one, in the order of the process."""
    values = list(Phase.values)
    return values[: values.index(edition.phase)]


def move_refusal(edition: Edition, to: str, reason: str = "") -> str:
    """Why ``edition`` cannot move to phase ``to`` now, or ""."""
    if to not in Phase.values:
        return _("Choose one of the phases of the process.")
    if to == edition.phase:
        return _("The edition is already in this phase.")
    if to in earlier_phases(edition):
        if not reason.strip():
            return _("Going back to an earlier phase needs a reason: say why, for the record.")
        return _going_back_refusal(edition, to)
    if to != next_phase(edition):
        return _("An edition moves one phase at a time: the next phase is “%(phase)s”.") % {
            "phase": Phase(next_phase(edition)).label
        }
    return ""


def _going_back_refusal(edition: Edition, to: str) -> str:
    """Going back never takes back what was published or what voters were shown: an edition
    with a published memorandum stays published, and one whose survey was opened does not
    return to the consultation (its ballots were cast on the items as they were)."""
    order = list(Phase.values)
    before = order.index(to)
    if before < order.index(Phase.PUBLISHED) and edition.publication_versions.exists():
        return _(
            "The memorandum of this edition is published and stays public: the edition "
            "cannot go back before the publication. Publish a new version instead."
        )
    opened = edition.surveys.exclude(status="draft").exists()
    if before < order.index(Phase.PRIORITISATION) and opened:
        return _(
            "A survey of this edition has been opened: its ballots stay as they were cast, "
            "so the edition cannot go back to the consultation."
        )
    return ""


@transaction.atomic
def edition_move_phase(*, edition: Edition, to: str, by, reason: str = "", request=None) -> Edition:
    """Move ``edition`` to the phase ``to``: forward to the next phase, or back to an
    earlier one with a ``reason``.

    Today becomes the actual end of the phase it leaves and the actual start of the phase
    it enters. Going back reopens the earlier phase (its actual end is cleared) and clears
    the actual dates of the phases after it, which have not happened after all; the
    versions of the dates keep what they were, with the reason. Raises
    :class:`PhaseMoveRefused`; records ``edition.phase_changed`` in the audit log.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    reason = (reason or "").strip()
    if refusal := move_refusal(edition, to, reason):
        raise PhaseMoveRefused(refusal)
    previous = edition.phase
    backwards = to in earlier_phases(edition)
    today = timezone.localdate()
    rows = {row.phase: row for row in EditionPhase.objects.filter(edition=edition)}

    def row_of(phase: str) -> EditionPhase:
        return rows.get(phase) or EditionPhase(edition=edition, phase=phase)

    def save(row: EditionPhase) -> None:
        row._change_reason = reason or f"{previous} → {to}"
        row.save()

    if backwards:
        later = list(Phase.values)[list(Phase.values).index(to) + 1 :]
        for phase in later:
            row = rows.get(phase)
            if row is not None and (row.actual_start or row.actual_end):
                row.actual_start = row.actual_end = None
                save(row)
        entered = row_of(to)
        entered.actual_end = None
        save(entered)
    else:
        left = row_of(previous)
        if left.actual_start is None:
            left.actual_start, left.actual_precision = today, DatePrecision.DAY
        left.actual_end = max(today, left.actual_start)
        save(left)
        entered = row_of(to)
        entered.actual_start, entered.actual_end = today, None
        entered.actual_precision = DatePrecision.DAY
        save(entered)
    edition.phase = to
    edition.save(update_fields=["phase"])
    audit.record(
        audit.Action.PHASE_CHANGED,
        actor=by,
        request=request,
        target=edition,
        phase=to,
        previous=previous,
        reason=reason,
    )
    return edition


@transaction.atomic
def edition_plan_phase(*, row: EditionPhase, by, request=None) -> EditionPhase:
    """Save the planned dates of one phase (``row``, already checked by its form) and
    record them in the audit log (``edition.phase_planned``) and in the row's versions.

    Only the planned dates change here; actual dates are set by moving the edition.
    """
    row._change_reason = "planned dates"
    row.save()
    audit.record(
        audit.Action.PHASE_PLANNED,
        actor=by,
        request=request,
        target=row.edition,
        phase=row.phase,
        planned_start=row.planned_start.isoformat() if row.planned_start else None,
        planned_end=row.planned_end.isoformat() if row.planned_end else None,
        precision=row.planned_precision,
    )
    return row
