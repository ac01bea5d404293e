"""Pairwise support and margin matrices, computed over all distinct ballots at once.

``support[a, b]`` is the total weight of ballots ranking ``a`` strictly above ``b``.  A ranked
candidate is above every unranked one and unranked candidates tie with each other (this is
pref_voting's *extended strict preference*).  ``margin = support - support.T``.
"""

from __future__ import annotations

import numpy as np

from .profile import UNRANKED, Profile
from .types import FloatArray

__all__ = ["MARGIN_RTOL", "margin_matrix", "snap", "support_matrix"]

_DENSE_CHUNK_BYTES = 4 * 2**20


def support_matrix(profile: Profile) -> FloatArray:
    """Weighted support matrix of a ranking profile.

    Parameters
    ----------
    profile : Profile
        The ballots.

    Returns
    -------
    ndarray, shape (m, m)
        ``S[a, b]`` = total weight of ballots ranking ``a`` strictly above ``b``.

    Notes
    -----
    Two array strategies are used, neither with a Python loop over ballots or pairs.  Long
    ballots compare whole rank rows in chunks, O(m^2) per ballot.  Short ballots (at most
    half of the candidates ranked, e.g. top-10) use ``S[a, b] = R[a] - Q[a, b]``: ``R[a]`` is
    the weight of ballots ranking ``a`` (a ranked candidate beats everything not ranked at
    or above it) and ``Q[a, b]`` the weight of ballots ranking both with ``b`` at or above
    ``a``, so they cost O(k^2) per ballot, looping only over the k x k position pairs.
    """
    m = profile.n_candidates
    if profile.n_distinct == 0 or m == 0:
        return np.zeros((m, m))
    k = profile.max_ranked
    if 2 * k <= m:
        return _support_short(profile)
    return _support_dense(profile)


def margin_matrix(profile: Profile | None = None, support: FloatArray | None = None) -> FloatArray:
    """Margin matrix ``S - S.T`` (see :func:`support_matrix`).

    Margins within ``1e-9`` of the total weight of zero are set to exactly zero: with
    fractional weights, sums taken in different orders (``0.1 + 0.2`` against ``0.3``) must
    not turn a tie into a win.

    Parameters
    ----------
    profile : Profile, optional
        The ballots (when ``support`` is not given).
    support : ndarray, optional
        Precomputed :func:`support_matrix`.

    Returns
    -------
    ndarray, shape (m, m)
        Antisymmetric margins; values within the tolerance of each other are equal
        (see :func:`snap`).
    """
    if support is None:
        if profile is None:
            raise ValueError("give a profile or a support matrix")
        support = support_matrix(profile)
    m = support - support.T
    scale = float(np.abs(support).max()) if support.size else 0.0
    return snap(m, MARGIN_RTOL * max(scale, 1.0))


#: Relative tolerance under which two margins (or a margin and zero) are the same number.
MARGIN_RTOL = 1e-9


def snap(values: FloatArray, atol: float) -> FloatArray:
    """Make values that differ by at most ``atol`` exactly equal.

    Sorted values are grouped wherever the gap to the previous one is at most ``atol``;
    each group takes the value of its member closest to zero, so a near-zero margin is
    exactly zero.  Ranked Pairs and Schulze compare margins for equality: with float
    weights, ``0.1 + 0.2`` and ``0.3`` must be the same margin, as 3 and 3 are.

    Parameters
    ----------
    values : ndarray of float
        Any shape.
    atol : float
        Largest difference that still counts as equal.

    Returns
    -------
    ndarray of float
        Same shape; ``-x`` and ``x`` stay opposite, so a snapped margin matrix stays
        antisymmetric.
    """
    flat = values.ravel()
    # Work on magnitudes so that M[a, b] and M[b, a] = -M[a, b] snap alike.
    mag = np.abs(flat)
    order = np.argsort(mag, kind="stable")
    srt = mag[order]
    new = np.ones(len(srt), dtype=bool)
    new[1:] = np.diff(srt) > atol
    if len(srt):
        new[0] = True
    first = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    rep = srt[first][group]
    rep[rep <= atol] = 0.0
    out = np.empty_like(flat)
    out[order] = rep
    return np.asarray(np.copysign(out, flat).reshape(values.shape), dtype=np.float64)


def _support_dense(profile: Profile) -> FloatArray:
    r = profile.ranks
    d, m = r.shape
    if m < 255:
        # One byte per rank compares faster; UNRANKED (the largest value) becomes 255.
        r = np.where(r == UNRANKED, 255, r).astype(np.uint8)
    complete = profile.is_complete_strict
    counts = profile.counts
    out = np.zeros((m, m))
    # Ballots with the same count can be summed as booleans (integer adds, no casts), which
    # is about twice as fast as a weighted product; equal counts are the common case.
    values, inverse = np.unique(counts, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(values) + 1))
    leftovers = []
    for v_idx, value in enumerate(values):
        rows = order[bounds[v_idx] : bounds[v_idx + 1]]
        if value == 0:
            continue
        if len(rows) < 8:
            leftovers.append(rows)
            continue
        out += value * _count_below(r[rows], complete)
    if leftovers:
        rows = np.concatenate(leftovers)
        chunk = max(1, _DENSE_CHUNK_BYTES // (m * m))
        for s in range(0, len(rows), chunk):
            sel = rows[s : s + chunk]
            rr = r[sel]
            cmp = (rr[:, :, None] < rr[:, None, :]).reshape(len(sel), m * m)
            out += (counts[sel] @ cmp).reshape(m, m)
    return out


def _count_below(r: np.ndarray, complete: bool) -> np.ndarray:
    """``C[a, b]`` = number of rows with ``r[:, a] < r[:, b]``.

    For complete strict rows ``C[b, a] = n - C[a, b]``, so the candidates are split into
    three blocks and only the blocks on and above the diagonal are compared (about 30%
    faster).  Small row chunks keep the boolean block in cache.
    """
    n, m = r.shape
    n_blocks = 3 if complete and m >= 24 else 1
    edges = np.linspace(0, m, n_blocks + 1).astype(int)
    blocks = [np.ascontiguousarray(r[:, edges[i] : edges[i + 1]]) for i in range(n_blocks)]
    acc = np.zeros((m, m), dtype=np.int64)
    for i in range(n_blocks):
        for j in range(i, n_blocks):
            bi, bj = blocks[i], blocks[j]
            # At most 255 rows per chunk: their booleans can be summed as bytes, which
            # numpy adds with wide vector instructions.
            chunk = min(255, max(1, _DENSE_CHUNK_BYTES // max(bi.shape[1] * bj.shape[1], 1)))
            part = np.zeros((bi.shape[1], bj.shape[1]), dtype=np.int64)
            for s in range(0, n, chunk):
                ri, rj = bi[s : s + chunk], bj[s : s + chunk]
                below = ri[:, :, None] < rj[:, None, :]
                part += below.view(np.uint8).sum(axis=0, dtype=np.uint8)
            acc[edges[i] : edges[i + 1], edges[j] : edges[j + 1]] = part
            if j != i:
                acc[edges[j] : edges[j + 1], edges[i] : edges[i + 1]] = n - part.T
    return acc


def _support_short(profile: Profile) -> FloatArray:
    d, m = profile.ranks.shape
    counts = profile.counts
    order, pos = profile.ranked_order()
    k = order.shape[1]
    valid = pos != UNRANKED
    ranked_weight = np.bincount(
        order[valid], weights=np.broadcast_to(counts[:, None], (d, k))[valid], minlength=m
    )
    ties = profile.has_ties
    q = np.zeros(m * m)
    # Rows are sorted by position, so column j <= i is never below column i; j > i only
    # when tied.  The loops run over the k x k position pairs, each pair over all ballots.
    for i in range(k):
        vi = valid[:, i]
        if not vi.any():
            break
        a = order[:, i].astype(np.int64) * m
        for j in range(k if ties else i + 1):
            sel = vi & valid[:, j]
            if j > i:
                sel &= pos[:, j] == pos[:, i]
            if sel.any():
                q += np.bincount(a[sel] + order[sel, j], weights=counts[sel], minlength=m * m)
    out: FloatArray = np.asarray(ranked_weight[:, None] - q.reshape(m, m), dtype=np.float64)
    return out
