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


def ids(xs) -> list[str]:
    """pref_voting's integer candidates as our string ids, sorted numerically."""
    return [str(x) for x in sorted(xs)]


def as_set_of_ints(xs) -> list[int]:
    """Our string ids as sorted integers."""
    return sorted(int(x) for x in xs)


def random_orders(rng: np.random.Generator, n: int, m: int, k: int | None = None):
    """Random strict orders (index arrays) with an optional cut at k."""
    o = np.argsort(rng.random((n, m)), axis=1)
    return o if k is None else o[:, :k]
