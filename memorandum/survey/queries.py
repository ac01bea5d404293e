"""The reads every ballot page and submission makes, compiled to SQL once per thread, and
the writes of a saved ballot.

Compiling these querysets (several joined models, every column) cost more CPU than the
database spent answering them; :class:`~memorandum.lib.compiled.CompiledQuery` keeps each
queryset as the declaration and runs its compiled SQL with the new values. See
docs/security.md#performance for the measurements.
"""

from __future__ import annotations

from memorandum.lib.compiled import CompiledInsert, CompiledQuery, CompiledUpdate
from memorandum.survey.models import Ballot, Invitation, Participation


def _invitation_by_hash(*related: str) -> CompiledQuery:
    """The active invitation with this token hash (unique: no order is asked for)."""
    return CompiledQuery(
        lambda token_hash: (
            Invitation.objects.active()
            .select_related(*related)
            .filter(token_hash=token_hash)
            .order_by()[:1]
        ),
        str,
    )


INVITATION_WITH_EDITION = _invitation_by_hash("survey__edition", "zone__province")
# A posted ballot does not show the edition.
INVITATION = _invitation_by_hash("survey", "zone__province")

# The zone's ballot row, locked, with its survey. Only the ballot's row is locked (``of``):
# a locking read of the join would lock the survey's row too, and queue every ballot of the
# survey behind the others. Ordered by the key only: the default ordering joins the survey.
ZONE_BALLOT_FOR_UPDATE = CompiledQuery(
    lambda survey_id, zone_id: (
        Ballot.objects.select_for_update(of=("self",))
        .select_related("survey")
        .filter(survey_id=survey_id, zone_id=zone_id)
        .order_by("pk")[:1]
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
