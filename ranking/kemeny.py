"""Kemeny-Young: the linear order agreeing with the most pairwise preferences."""

from __future__ import annotations

import numpy as np

from .margin import margin_matrix, support_matrix
from .profile import Profile
from .result import Result
from .types import FloatArray, IntArray

__all__ = ["kemeny", "kemeny_exact", "kemeny_local_search", "kemeny_score"]

#: Default largest number of candidates solved exactly (2^m dynamic programme).
EXACT_MAX = 15
_APPROXIMATION = (
    "more than {limit} candidates: local search from the Borda and Copeland orders, "
    "not guaranteed optimal"
)


def kemeny_score(margins: FloatArray, order: IntArray) -> float:
    """Sum of margins ``M[a, b]`` over pairs where ``a`` is placed above ``b``."""
    a = margins[np.ix_(order, order)]
    return float(np.triu(a, 1).sum())


def kemeny_exact(margins: FloatArray) -> tuple[IntArray, float, IntArray]:
    """Exact Kemeny by dynamic programming over candidate subsets.

    ``f(S)`` is the best score of placing the set ``S`` first (each placed candidate collects
    its margins over all candidates after it).  Layers of equal subset size are processed as
    arrays.  Costs ``O(2^m m)`` time and memory.

    Returns
    -------
    order : ndarray of int
        One optimal linear order (candidate indices, best first).
    score : float
        Its :func:`kemeny_score`.
    first : ndarray of int
        Every candidate that is first in *some* optimal order (pref_voting's winners).
    """
    m = margins.shape[0]
    if m == 0:
        return np.zeros(0, np.int64), 0.0, np.zeros(0, np.int64)
    full = (1 << m) - 1
    f = np.full(1 << m, -np.inf)
    f[0] = 0.0
    last = np.zeros(1 << m, dtype=np.int16)
    masks = np.arange(1 << m, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(m)) & 1).astype(bool)
    popcount = bits.sum(axis=1)
    row = margins.sum(axis=1)
    for k in range(1, m + 1):
        layer = masks[popcount == k]
        inside = bits[layer]
        # gain[i, c] = margins of c over candidates outside layer[i].
        gain = row[None, :] - inside @ margins.T
        prev = f[layer[:, None] ^ (1 << np.arange(m))[None, :]]
        cand = np.where(inside, prev + gain, -np.inf)
        best = np.argmax(cand, axis=1)
        f[layer] = cand[np.arange(len(layer)), best]
        last[layer] = best
    order = np.empty(m, dtype=np.int64)
    s = full
    for pos in range(m - 1, -1, -1):
        c = int(last[s])
        order[pos] = c
        s ^= 1 << c
    opt = f[full]
    # Best order starting with c = row[c] + (best order of the rest, internal pairs only)
    # and f(rest) counts the rest's pairs plus their margins over c (= -row[c]).
    rest = f[full ^ (1 << np.arange(m))]
    with_c_first = 2 * row + rest
    tol = 1e-9 * max(1.0, abs(opt))
    first = np.flatnonzero(with_c_first >= opt - tol)
    return order, kemeny_score(margins, order), first


def kemeny_local_search(margins: FloatArray, start: IntArray, max_passes: int = 1000) -> IntArray:
    """Improve an order by moving single candidates to their best position until stable."""
    order = np.array(start, dtype=np.int64)
    m = len(order)
    for _ in range(max_passes):
        improved = False
        for i in range(m):
            a = margins[np.ix_(order, order)]
            x = order[i]
            # Moving x from i up to j < i gains 2 * sum M[x, t] over t in positions j..i-1;
            # moving it down to j > i gains 2 * sum M[t, x] over t in positions i+1..j.
            up = np.cumsum(a[i, :i][::-1])[::-1] * 2 if i else np.zeros(0)
            down = np.cumsum(a[i + 1 :, i]) * 2
            gains = np.concatenate([up, [0.0], down])
            j = int(np.argmax(gains))
            if gains[j] > 1e-12 * max(1.0, np.abs(margins).max()):
                order = np.insert(np.delete(order, i), j, x)
                improved = True
        if not improved:
            break
    return order


def kemeny(
    profile: Profile,
    *,
    support: FloatArray | None = None,
    exact_max: int = EXACT_MAX,
) -> Result:
    """Kemeny-Young [kemeny].

    Exact for up to ``exact_max`` candidates: ``order`` is one optimal ranking (found by the
    subset dynamic programme) and ``winners`` are all candidates ranked first in *some*
    optimal ranking, as in pref_voting's ``kemeny_young``.  Beyond that the result is an
    approximation, labelled ``details["exact"] = False``: local search (single-candidate
    moves) started from the Borda and the Copeland orders, keeping the better one; the
    winner is its first candidate.  ``details["kemeny_score"]`` is the sum of margins the
    order agrees with.

    Parameters
    ----------
    profile : Profile
        Ranking ballots.
    support : ndarray, optional
        Precomputed :func:`~ranking.margin.support_matrix`.
    exact_max : int
        Largest number of candidates solved exactly.

    Returns
    -------
    Result
        A strict order, no scores; ``details["approximate"]`` is True (with
        ``details["approximation"]`` saying how) above ``exact_max``, and
        :attr:`Result.approximate` reads it.
    """
    from .majority import borda_scores  # local import: majority imports nothing from here

    s = support_matrix(profile) if support is None else support
    margins = margin_matrix(support=s)
    m = profile.n_candidates
    cands = profile.candidates
    if m <= exact_max:
        order, score, first = kemeny_exact(margins)
        winners = [cands[i] for i in first]
        exact = True
    else:
        starts = [
            np.argsort(-borda_scores(profile, s), kind="stable"),
            np.argsort(-np.sign(margins).sum(axis=1), kind="stable"),
        ]
        best = None
        for st in starts:
            o = kemeny_local_search(margins, st)
            sc = kemeny_score(margins, o)
            if best is None or sc > best[1]:
                best = (o, sc)
        assert best is not None
        order, score = best
        winners = [cands[order[0]]]
        exact = False
    return Result(
        "kemeny",
        cands,
        profile.names,
        [[cands[i]] for i in order],
        None,
        winners,
        {
            "exact": exact,
            "approximate": not exact,
            **({} if exact else {"approximation": _APPROXIMATION.format(limit=exact_max)}),
            "kemeny_score": score,
        },
    )
