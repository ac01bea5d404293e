"""Hypothesis strategies and converters to pref_voting shared by the tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ranking import Profile


@st.composite
def ranking_ballots(draw, min_m=2, max_m=6, max_n=14, ties=True, truncate=True):
    """Random ballots as tie-group lists of candidate indices, plus the candidate count."""
    m = draw(st.integers(min_m, max_m))
    n = draw(st.integers(1, max_n))
    ballots = []
    for _ in range(n):
        perm = draw(st.permutations(range(m)))
        k = draw(st.integers(1, m)) if truncate else m
        tie_flags = draw(st.lists(st.booleans(), min_size=m, max_size=m)) if ties else [False] * m
        groups: list[list[int]] = []
        for j, c in enumerate(perm[:k]):
            if j and tie_flags[j]:
                groups[-1].append(c)
            else:
                groups.append([c])
        ballots.append(groups)
    counts = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    return m, ballots, counts


@st.composite
def rank_arrays(draw, min_m=24, max_m=40, max_n=25, kinds=("complete", "truncated", "ties")):
    """Rank arrays over many candidates, drawn by numpy from a Hypothesis seed.

    Returns ``(ranks, counts, kind)``: ``ranks[i, j]`` is the tie-group position of
    candidate ``j`` on ballot ``i`` (-1 = unranked).  ``min_m=24`` reaches the blocked
    complete-strict counting path, ``min_m=255`` the path where ranks no longer fit in a
    byte; listing the permutations one element at a time would make Hypothesis far too
    slow at these sizes.
    """
    m = draw(st.integers(min_m, max_m))
    n = draw(st.integers(1, max_n))
    kind = draw(st.sampled_from(kinds))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ranks = np.argsort(rng.random((n, m)), axis=1).astype(np.int64)
    if kind in ("truncated", "ties"):
        cut = rng.integers(1, m + 1, size=n)
        ranks[ranks >= cut[:, None]] = -1
    if kind == "ties":
        ranks = np.where(ranks >= 0, ranks // rng.integers(1, 4), -1)
    counts = rng.integers(1, 5, size=n)
    return ranks, counts, kind


def naive_support(ranks, counts):
    """``S[a, b]`` by direct comparison (unranked below everything ranked)."""
    r = np.where(ranks < 0, np.iinfo(np.int64).max, ranks)
    return np.einsum("i,iab->ab", counts.astype(float), (r[:, :, None] < r[:, None, :]))


def to_profile(m, ballots, counts=None, **kw) -> Profile:
    """Our profile with candidate ids "0".."m-1"."""
    return Profile.from_rankings(
        ballots, candidates=[str(i) for i in range(m)], counts=counts, **kw
    )


def to_pref_voting(m, ballots, counts):
    """The same ballots as a pref_voting profile (extended strict preference for ties)."""
    from pref_voting.profiles import Profile as PVProfile
    from pref_voting.profiles_with_ties import ProfileWithTies

    strict_full = all(len(b) == m and all(len(g) == 1 for g in b) for b in ballots)
    if strict_full:
        return PVProfile([[g[0] for g in b] for b in ballots], rcounts=list(counts))
    dicts = [{c: pos for pos, g in enumerate(b) for c in g} for b in ballots]
    prof = ProfileWithTies(dicts, rcounts=list(counts), candidates=list(range(m)))
    prof.use_extended_strict_preference()
    return prof


def as_set_of_ints(xs) -> list[int]:
    """Our string ids as sorted integers."""
    return sorted(int(x) for x in xs)
