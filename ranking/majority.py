"""Borda and the margin-based (Condorcet) methods: Copeland, Schulze and Ranked Pairs.

All of them read the weighted support matrix of :mod:`ranking.margin`; pass ``support=`` to
reuse one matrix for several methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from .margin import margin_matrix
from .profile import UNRANKED, Profile
from .result import Result, order_from_positions, scored_result
from .types import FloatArray

__all__ = ["borda", "borda_scores", "copeland", "schulze", "schulze_strengths", "ranked_pairs"]


def borda_scores(profile: Profile, support: FloatArray | None = None) -> FloatArray:
    """Borda scores.

    For profiles of complete strict rankings this is the classic score: a candidate in
    position ``r`` (0-based) gets ``m - 1 - r`` points.  Otherwise (truncated ballots or
    ties) it is the *symmetric* Borda score: number of candidates ranked strictly below minus
    number ranked strictly above, unranked candidates tying at the bottom.  On complete strict
    ballots the two are affinely related (``symmetric = 2 * classic - (m - 1)``), so the order
    is the same; the symmetric score equals pref_voting's ``symmetric_borda_scores``.

    Parameters
    ----------
    profile : Profile
        Ranking ballots.
    support : ndarray, optional
        Precomputed :func:`~ranking.margin.support_matrix`.

    Returns
    -------
    ndarray of float
        One score per candidate, in candidate order.
    """
    complete = profile.is_complete_strict
    if support is not None:
        below: FloatArray = support.sum(axis=1)
        return below if complete else below - support.sum(axis=0)
    r = profile.ranks
    d, m = r.shape
    if d == 0:
        return np.zeros(m)
    if complete:
        # sum_i c_i (m - 1 - r_i), in row chunks so no float copy of the whole rank array.
        counts = profile.counts
        below = np.zeros(m)
        step = max(1, 2**20 // max(m, 1))
        for s in range(0, d, step):
            below += counts[s : s + step] @ r[s : s + step]
        scores: FloatArray = (m - 1) * float(counts.sum()) - below
        return scores
    # Ranks are dense group positions, so a per-ballot histogram of positions (unranked in
    # the last bin) and its cumulative sum give "ranked above" and "ranked below" counts.
    pos = np.where(r == UNRANKED, m, r).astype(np.int64)
    flat = (np.arange(d, dtype=np.int64)[:, None] * (m + 1) + pos).ravel()
    hist = np.bincount(flat, minlength=d * (m + 1)).reshape(d, m + 1)
    cum = np.cumsum(hist, axis=1)
    at = np.take_along_axis(cum, pos, axis=1)
    above = at - np.take_along_axis(hist, pos, axis=1)
    below = m - at
    per_ballot = below if complete else below - above
    out: FloatArray = profile.counts @ per_ballot
    return out


BordaScale = Literal["auto", "classic", "symmetric"]

_SCALES = {
    "classic": "m - 1 - position points per ballot, from 0 to m - 1",
    "symmetric": "candidates ranked below minus candidates ranked above, from -(m - 1) to m - 1",
}


def borda(
    profile: Profile, *, support: FloatArray | None = None, scale: BordaScale = "auto"
) -> Result:
    """Borda count [borda]; see :func:`borda_scores` for the two score scales.

    Parameters
    ----------
    profile : Profile
        Ranking ballots.
    support : ndarray, optional
        Precomputed :func:`~ranking.margin.support_matrix`.
    scale : {"auto", "classic", "symmetric"}
        ``"auto"`` takes the classic scale when every ballot is a complete strict ranking
        and the symmetric one otherwise, so one incomplete ballot changes the scale;
        name a scale to keep it fixed (``"classic"`` needs complete strict ballots).

    Returns
    -------
    Result
        ``details["scale"]`` names the scale of the scores and ``details["points"]``
        says what a ballot gives; the order is the same on both scales.
    """
    complete = profile.is_complete_strict
    if scale == "classic" and not complete:
        raise ValueError("the classic Borda scale needs complete rankings without ties")
    if scale not in ("auto", "classic", "symmetric"):
        raise ValueError(f"unknown Borda scale {scale!r}")
    used = "classic" if scale == "classic" or (scale == "auto" and complete) else "symmetric"
    scores = borda_scores(profile, support)
    if used == "symmetric" and complete:
        scores = 2 * scores - (profile.n_candidates - 1) * profile.total_weight
    return scored_result(
        "borda", profile, scores, details={"variant": used, "scale": used, "points": _SCALES[used]}
    )


def copeland(profile: Profile, *, support: FloatArray | None = None) -> Result:
    """Copeland [copeland]: 1 per pairwise win, 0 per tie, -1 per loss (margins).

    Matches pref_voting's ``copeland_scores`` with its default ``scores=(1, 0, -1)``.

    Parameters
    ----------
    profile : Profile
        Ranking ballots.
    support : ndarray, optional
        Precomputed :func:`~ranking.margin.support_matrix`.

    Returns
    -------
    Result
        Scores are wins minus losses.
    """
    scores = np.sign(margin_matrix(profile, support)).sum(axis=1)
    return scored_result("copeland", profile, scores)


def schulze_strengths(margins: FloatArray) -> FloatArray:
    """Strongest-path strengths by a vectorised Floyd-Warshall.

    Only majority edges (positive margins) carry paths; ``-inf`` means no path.
    """
    m = margins.shape[0]
    d = np.where(margins > 0, margins, -np.inf).astype(np.float64)
    np.fill_diagonal(d, -np.inf)
    for k in range(m):
        # Path through k: the weaker of the two legs; keep it if stronger than the direct one.
        np.maximum(d, np.minimum(d[:, k : k + 1], d[k : k + 1, :]), out=d)
    np.fill_diagonal(d, -np.inf)
    return d


def schulze(profile: Profile, *, support: FloatArray | None = None) -> Result:
    """Schulze (beat path) [schulze] on margins.

    ``a`` beats ``b`` when the strongest path from ``a`` to ``b`` is stronger than the one back.
    The order groups candidates by the number of candidates they beat (the score); the
    winners are the unbeaten candidates, exactly pref_voting's ``beat_path``.  The beat
    relation is transitive, so unbeaten candidates always have the maximal score and
    ``winners`` is a subset of the first tie-group (normally equal to it).

    Parameters
    ----------
    profile : Profile
        Ranking ballots.
    support : ndarray, optional
        Precomputed :func:`~ranking.margin.support_matrix`.

    Returns
    -------
    Result
        Scores are the numbers of candidates beaten by path strength.
    """
    d = schulze_strengths(margin_matrix(profile, support))
    beats = d > d.T
    scores = beats.sum(axis=1).astype(np.float64)
    unbeaten = ~beats.any(axis=0)
    winners = [profile.candidates[i] for i in np.flatnonzero(unbeaten)]
    return scored_result("schulze", profile, scores, winners=winners)


def ranked_pairs(
    profile: Profile,
    *,
    support: FloatArray | None = None,
    tie_breaker: Sequence[str] | None = None,
) -> Result:
    """Ranked Pairs (Tideman) [ranked-pairs] with a fixed tie-break.

    Pairs with margin >= 0 are locked from the largest margin down unless they would close a
    cycle; a zero margin enters in both directions.  Equal margins are taken in the order of
    ``(tie_breaker.index(a), tie_breaker.index(b))`` with ``tie_breaker`` defaulting to the
    candidate order - this is pref_voting's ``ranked_pairs_tb``.  The locked relation is a
    linear order; ``details["tie_break_used"]`` is True when, within some group of equal
    margins, a pair was rejected only because of a pair of the same group locked before it
    (i.e. the tie-break order could have mattered).

    Parameters
    ----------
    profile : Profile
        Ranking ballots.
    support : ndarray, optional
        Precomputed :func:`~ranking.margin.support_matrix`.
    tie_breaker : sequence of str, optional
        Candidate ids in tie-break order (default: the candidate order).

    Returns
    -------
    Result
        A strict order, no scores, the single winner.
    """
    margins = margin_matrix(profile, support)
    m = profile.n_candidates
    cands = profile.candidates
    tb = list(cands) if tie_breaker is None else [str(c) for c in tie_breaker]
    prio = np.array([tb.index(c) for c in cands])
    a, b = np.nonzero((margins >= 0) & ~np.eye(m, dtype=bool))
    w = margins[a, b]
    edge_order = np.lexsort((prio[b], prio[a], -w))
    a, b, w = a[edge_order], b[edge_order], w[edge_order]
    reach = np.eye(m, dtype=bool)  # reach[x, y]: x is locked above y (or x == y)
    tie_break_used = False
    # Fast path: while the edges taken so far form no cycle, every one of them is locked,
    # so the longest acyclic prefix of the sorted edges (binary search, cycle test by
    # strongly connected components) can be locked at once via its transitive closure.
    # The edge-by-edge loop then starts where the first cycle would close.
    start = _acyclic_prefix(a, b, m)
    if start:
        reach |= _closure_of(a[:start], b[:start], m)
    # The tie-break flag needs the relation as it was when the current group started.
    group_start = start
    while group_start > 0 and group_start < len(w) and w[group_start - 1] == w[start]:
        group_start -= 1
    snapshot = (
        reach.copy()
        if group_start == start
        else (np.eye(m, dtype=bool) | _closure_of(a[:group_start], b[:group_start], m))
    )
    total = m * (m + 1) // 2
    n_reached = int(reach.sum())
    a_l, b_l, w_l = a.tolist(), b.tolist(), w.tolist()  # plain Python scalars: a fast loop
    for i in range(start, len(w_l)):
        if i != start and w_l[i] != w_l[i - 1]:
            if n_reached == total:
                break  # every pair is decided; only the flag needed the current group
            snapshot = reach.copy()
        elif i == start and n_reached == total and group_start == start:
            break
        x, y = a_l[i], b_l[i]
        if reach[x, y]:
            continue
        if reach[y, x]:
            if not snapshot[y, x]:
                tie_break_used = True
            continue
        # Everything reaching x now reaches everything y reaches; only that block changes.
        block = np.ix_(np.flatnonzero(reach[:, x]), np.flatnonzero(reach[y]))
        n_reached += int((~reach[block]).sum())
        reach[block] = True
    position = reach.sum(axis=0) - 1  # number of candidates locked above
    order = order_from_positions(cands, position)
    return Result(
        "ranked-pairs",
        cands,
        profile.names,
        order,
        None,
        list(order[0]),
        {"tie_break_used": tie_break_used},
    )


def _transitive_closure(adjacency: np.ndarray) -> np.ndarray:
    """Boolean transitive closure by a vectorised Warshall algorithm."""
    c = adjacency.astype(bool).copy()
    for k in range(c.shape[0]):
        c |= c[:, k : k + 1] & c[k : k + 1, :]
    return c


def _closure_of(a: np.ndarray, b: np.ndarray, m: int) -> np.ndarray:
    adj = np.zeros((m, m), dtype=bool)
    adj[a, b] = True
    return _transitive_closure(adj)


def _is_acyclic(a: np.ndarray, b: np.ndarray, m: int) -> bool:
    if len(a) == 0:
        return True
    if (a == b).any():
        return False
    from scipy.sparse import csr_matrix  # imported on use: scipy is slow to import
    from scipy.sparse.csgraph import connected_components

    graph = csr_matrix((np.ones(len(a)), (a, b)), shape=(m, m))
    n_comp, _ = connected_components(graph, directed=True, connection="strong")
    return bool(n_comp == m)


def _acyclic_prefix(a: np.ndarray, b: np.ndarray, m: int) -> int:
    """Length of the longest prefix of the edge list without a directed cycle."""
    lo, hi = 0, len(a)
    if _is_acyclic(a, b, m):
        return hi
    while lo < hi - 1:  # invariant: prefix lo is acyclic, prefix hi is not
        mid = (lo + hi) // 2
        if _is_acyclic(a[:mid], b[:mid], m):
            lo = mid
        else:
            hi = mid
    return lo
