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

    Parameters
    ----------
    profile : Profile
        Ranking ballots.
    split_ties : bool
        Share a ballot's weight among a tied top group instead of giving each the full weight.

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
    tally = _PointerTally(profile) if not profile.has_ties else None
    while running.sum() > 1:
        rnd += 1
        if tally is not None:
            votes = tally.votes(running)
        else:
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
    return Result(
        "irv",
        cands,
        profile.names,
        order,
        {c: float(v) for c, v in zip(cands, out_round, strict=True)},
        winners,
        {"eliminated": eliminated, "votes": votes_per_round},
    )


class _PointerTally:
    """First preferences of strict ballots, kept as a pointer per ballot.

    Each round only the ballots whose current first choice was eliminated move their
    pointer on, so a whole count costs O(ranked entries) instead of O(rounds x d x m).
    """

    def __init__(self, profile: Profile):
        order, pos = profile.ranked_order()
        self.order = order
        self.n_ranked = (pos != UNRANKED).sum(axis=1)
        self.counts = profile.counts
        self.m = profile.n_candidates
        self.ptr = np.zeros(len(order), dtype=np.int64)

    def votes(self, running: np.ndarray) -> np.ndarray:
        rows = np.arange(len(self.order))
        while True:
            live = self.ptr < self.n_ranked
            top = np.where(
                live, self.order[rows, np.minimum(self.ptr, self.order.shape[1] - 1)], -1
            )
            stale = live & ~running[np.maximum(top, 0)]
            if not stale.any():
                break
            self.ptr[stale] += 1
        ok = top >= 0
        return np.bincount(top[ok], weights=self.counts[ok], minlength=self.m)
