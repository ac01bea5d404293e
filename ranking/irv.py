"""Instant-runoff voting (alternative vote, Hare)."""

from __future__ import annotations

import numpy as np

from .profile import UNRANKED, Profile
from .result import Result

__all__ = ["irv"]


def irv(profile: Profile, *, split_ties: bool = False) -> Result:
    """Instant-runoff [irv] with simultaneous elimination.

    Each round, every ballot supports the candidates of its best tie-group among those still
    running (with ``split_ties`` a tied top group shares the ballot's weight equally; by
    default each of them gets the full weight, pref_voting's ``score_method="approval"``).
    A ballot with no running candidate left is *exhausted* and counts for nobody.  All
    candidates with the fewest votes are eliminated together; the rounds stop when one
    candidate is left, or when all remaining candidates tie - they are then all winners.
    This is pref_voting's ``instant_runoff`` (no tie-breaker).  For strict ballots stopping
    at a majority gives the same winner, since a majority candidate is never eliminated.

    Returns
    -------
    Result
        ``order`` is winners, then the eliminated groups in reverse order of elimination;
        ``scores`` is the round in which each candidate went out (winners get the number of
        rounds + 1), ``details["eliminated"]`` lists the elimination rounds and
        ``details["votes"]`` the votes per round.
    """
    cands = profile.candidates
    m = profile.n_candidates
    r = profile.ranks
    counts = profile.counts
    running = np.ones(m, dtype=bool)
    eliminated: list[list[str]] = []
    votes_per_round: list[dict[str, float]] = []
    out_round = np.zeros(m)
    rnd = 0
    while running.sum() > 1:
        rnd += 1
        masked = np.where(running[None, :], r, UNRANKED)
        best = masked.min(axis=1)
        top = (masked == best[:, None]) & (best[:, None] != UNRANKED)
        w = counts
        if split_ties:
            size = top.sum(axis=1)
            w = np.divide(counts, size, out=np.zeros_like(counts), where=size > 0)
        votes = w @ top
        votes_per_round.append({cands[i]: float(votes[i]) for i in np.flatnonzero(running)})
        low = votes[running].min()
        lowest = running & np.isclose(votes, low, rtol=1e-12, atol=1e-12)
        if lowest.sum() == running.sum():
            break
        eliminated.append([cands[i] for i in np.flatnonzero(lowest)])
        out_round[lowest] = rnd
        running &= ~lowest
    winners = [cands[i] for i in np.flatnonzero(running)]
    out_round[running] = rnd + 1
    order = [winners] + eliminated[::-1]
    return Result("irv", cands, profile.names, order,
                  {c: float(v) for c, v in zip(cands, out_round, strict=True)}, winners,
                  {"eliminated": eliminated, "votes": votes_per_round})
