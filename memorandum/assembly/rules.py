"""The voting rules of the General Assembly, as plain functions.

Quorum
    The assembly may decide only when enough members are present: either a minimum
    *number* of members (``count``; e.g. 10) or a *fraction* of the members entitled to
    vote (``fraction``; e.g. 0.5 for half), rounded up to a whole member.

Majority (who counts as "votes cast": for + against; abstentions are not votes cast)
    ``simple``      more votes for than against;
    ``absolute``    more votes for than half of the members present (abstaining or
                    not voting counts as not supporting the proposal);
    ``two_thirds``  at least two thirds of the votes cast are for (and at least one).
"""

from __future__ import annotations

import math
from decimal import Decimal

COUNT = "count"
FRACTION = "fraction"
SIMPLE = "simple"
ABSOLUTE = "absolute"
TWO_THIRDS = "two_thirds"


def quorum_required(eligible: int, kind: str, value: Decimal | float) -> int:
    """How many members must be present for the assembly to decide."""
    if kind == COUNT:
        return math.ceil(Decimal(str(value)))
    if kind == FRACTION:
        return math.ceil(Decimal(str(value)) * eligible)
    raise ValueError(f"Unknown quorum kind: {kind}")


def has_quorum(present: int, eligible: int, kind: str, value: Decimal | float) -> bool:
    """True when ``present`` members are enough to reach the quorum."""
    return present >= quorum_required(eligible, kind, value) and present > 0


def vote_errors(votes_for: int, against: int, abstain: int, present: int) -> list[str]:
    """Reasons why a vote count is impossible (empty when it is plausible)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    errors = []
    if min(votes_for, against, abstain) < 0:
        errors.append(_("Vote counts cannot be negative."))
    total = votes_for + against + abstain
    if total > present:
        errors.append(
            ngettext(
                "%(total)s vote was recorded, more than the members present (%(present)s).",
                "%(total)s votes were recorded, more than the members present (%(present)s).",
                total,
            )
            % {"total": total, "present": present}
        )
    if total == 0:
        errors.append(_("No votes were recorded."))
    return errors


def is_carried(rule: str, votes_for: int, against: int, abstain: int, present: int) -> bool:
    """Whether a motion is carried under ``rule`` (see the module docstring)."""
    if rule == SIMPLE:
        return votes_for > against
    if rule == ABSOLUTE:
        return votes_for * 2 > present
    if rule == TWO_THIRDS:
        cast = votes_for + against
        return votes_for > 0 and votes_for * 3 >= cast * 2
    raise ValueError(f"Unknown majority rule: {rule}")


def votes_needed(rule: str, against: int, present: int, cast: int) -> int:
    """The smallest number of votes for that would carry the motion, for explanations."""
    if rule == SIMPLE:
        return against + 1
    if rule == ABSOLUTE:
        return present // 2 + 1
    if rule == TWO_THIRDS:
        # for*3 >= 2*(for+against)  <=>  for >= 2*against
        return max(1, 2 * against)
    raise ValueError(f"Unknown majority rule: {rule}")
