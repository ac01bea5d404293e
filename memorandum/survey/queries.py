"""The reads every ballot page and submission makes, compiled to SQL once per thread, and
the writes of a saved ballot.

Compiling these querysets (several joined models, every column) cost more CPU than the
database spent answering them; :class:`~memorandum.lib.compiled.CompiledQuery` keeps each
queryset as the declaration and runs its compiled SQL with the new values. See
docs/security.md#performance for the measurements.
"""

from __future__ import annotations

from django.db.models import CharField, F, Func

from memorandum.lib.compiled import CompiledInsert, CompiledQuery, CompiledUpdate
from memorandum.survey.models import Ballot, Invitation, Participation

# The first key of a survey's ballot gate, a PostgreSQL advisory lock (the second key is the
# survey's id): see ``memorandum.survey.casting.survey_gate``.
BALLOT_GATE = 0x5B0A


class TakeBallotGate(Func):
    """A column of no value whose evaluation takes the ballot gate of the row's survey,
    shared, until the end of the transaction (waiting while it is held exclusively). In the
    select list, it is evaluated for the row found only (in a condition, the planner could
    evaluate it for other rows first, and take their surveys' gates too)."""

    template = f"pg_advisory_xact_lock_shared({BALLOT_GATE}, (%(expressions)s)::integer)"
    output_field = CharField()


def _invitation_by_hash(*related: str, gate: bool = False) -> CompiledQuery:
    """The active invitation with this token hash (unique: no order is asked for); with
    ``gate``, the same statement takes its survey's ballot gate when it finds it."""

    def build(token_hash: str):
        found = Invitation.objects.active().select_related(*related)
        if gate:
            found = found.annotate(ballot_gate=TakeBallotGate(F("survey_id")))
        return found.filter(token_hash=token_hash).order_by()[:1]

    return CompiledQuery(build, str)


INVITATION_WITH_EDITION = _invitation_by_hash("survey__edition", "zone__province")
# A posted ballot shows no page: no edition, and the zone's province only for the zone's
# first save (read then), while every later save (drafts saved as they change, a new
# submission) does without.
INVITATION = _invitation_by_hash("survey", "zone")
# A ballot posted through its link, read in the transaction that saves it (PostgreSQL only):
# one statement fewer than reading the invitation, then taking the gate.
INVITATION_TAKING_GATE = _invitation_by_hash("survey", "zone", gate=True)

# The zone's ballot row, locked, with its survey. Only the ballot's row is locked (``of``):
# a locking read of the join would lock the survey's row too, and queue every ballot of the
# survey behind the others. No order: a zone has one row at most (a unique constraint).
ZONE_BALLOT_FOR_UPDATE = CompiledQuery(
    lambda survey_id, zone_id: (
        Ballot.objects.select_for_update(of=("self",))
        .select_related("survey")
        .filter(survey_id=survey_id, zone_id=zone_id)
        .order_by()[:1]
    ),
    int,
    int,
)

# What saving a zone's ballot writes (``updated_at`` is set by ``auto_now``). No signal
# receiver listens to ballots (the compiled update sends none).
BALLOT_ANSWERS = CompiledUpdate(
    Ballot,
    [
        "payload",
        "weight",
        "status",
        "submitted_at",
        "cast_by",
        "receipt",
        "receipt_salt",
        "updated_at",
    ],
)

# A zone's first save: its draft row, and at its first submission its "voted" mark; a
# unique constraint keeps one of each per zone (a second insert at once inserts nothing).
NEW_BALLOT = CompiledInsert(Ballot)
NEW_PARTICIPATION = CompiledInsert(Participation)
