"""Agreement between voters (Kendall's W) and between methods (Kendall's tau)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .ballots import RatingProfile
from .profile import UNRANKED, Profile
from .result import Result
from .types import FloatArray

__all__ = ["kendall_w", "kendall_tau", "method_agreement", "mid_ranks"]


def mid_ranks(profile: Profile) -> tuple[FloatArray, FloatArray]:
    """Mid-ranks of every candidate on every distinct ballot (1 = best).

    Tied candidates share the mean of their positions; unranked candidates tie at the
    bottom.  Also returns the tie term ``sum(t^3 - t)`` over the tie-groups of each ballot.
    """
    r = profile.ranks
    d, m = r.shape
    pos = np.where(r == UNRANKED, m, r).astype(np.int64)
    flat = (np.arange(d, dtype=np.int64)[:, None] * (m + 1) + pos).ravel()
    hist = np.bincount(flat, minlength=d * (m + 1)).reshape(d, m + 1)
    cum = np.cumsum(hist, axis=1)
    size = np.take_along_axis(hist, pos, axis=1)
    above = np.take_along_axis(cum, pos, axis=1) - size
    ties = (hist.astype(np.float64) ** 3 - hist).sum(axis=1)
    return above + (size + 1) / 2, ties


def kendall_w(profile: Profile | RatingProfile) -> float:
    """Kendall's coefficient of concordance W between voters, with the tie correction.

    ``W = 12 S / (N^2 (m^3 - m) - N sum_i T_i)`` where ``S`` is the sum of squared deviations
    of the candidates' (weighted) rank sums, ``N`` the total weight and ``T_i`` the tie term
    of ballot ``i``.  Truncated ballots tie their unranked candidates at the bottom; a
    :class:`RatingProfile` is read as rankings with ties (no opinion = bottom).  1 means
    identical rankings, 0 no agreement.

    Parameters
    ----------
    profile : Profile or RatingProfile
        The ballots.

    Returns
    -------
    float
        W in [0, 1]; NaN with fewer than two candidates or no weight.
    """
    if isinstance(profile, RatingProfile):
        profile = profile.to_rankings()
    m = profile.n_candidates
    c = profile.counts
    n = c.sum()
    if m < 2 or n <= 0:
        return float("nan")
    ranks, ties = mid_ranks(profile)
    sums = c @ ranks
    s = float(((sums - n * (m + 1) / 2) ** 2).sum())
    denom = n * n * (m**3 - m) - n * float(c @ ties)
    return float(12 * s / denom) if denom > 0 else float("nan")


def kendall_tau(a: Result, b: Result) -> float:
    """Kendall's tau-b between the orders of two results over the same candidates.

    Parameters
    ----------
    a, b : Result
        Two results over the same candidates.

    Returns
    -------
    float
        Tau-b in [-1, 1] between their positions.
    """
    from scipy.stats import kendalltau  # scipy.stats takes half a second to import

    if set(a.candidates) != set(b.candidates):
        raise ValueError("the results rank different candidates")
    pa, pb = a.positions(), b.positions()
    x = [pa[c] for c in a.candidates]
    y = [pb[c] for c in a.candidates]
    return float(kendalltau(x, y, variant="b").statistic)


def method_agreement(results: Mapping[str, Result]) -> dict[str, dict[str, float]]:
    """Kendall's tau-b between every pair of results, as a nested dict.

    Parameters
    ----------
    results : mapping of str to Result
        Results over the same candidates, by method name.

    Returns
    -------
    dict
        ``out[a][b]`` is Kendall's tau-b between results ``a`` and ``b``.
    """
    names = list(results)
    return {
        i: {j: (1.0 if i == j else kendall_tau(results[i], results[j])) for j in names}
        for i in names
    }
