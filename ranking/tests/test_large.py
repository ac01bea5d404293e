"""Many candidates: the blocked counting path (m >= 24), ranks beyond a byte (m >= 255)
and the bulk PrefLib reader on three-digit candidate numbers, against direct computation."""

import numpy as np
from hypothesis import HealthCheck, given, settings

from ranking import Profile, borda, ranked_pairs, read_preflib, schulze, support_matrix
from ranking.tests.strategies import naive_support, rank_arrays

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _preflib(ranks, counts, kind):
    """The ballots as a PrefLib file of the matching data type."""
    n, m = ranks.shape
    ext = {"complete": "soc", "truncated": "soi", "ties": "toi"}[kind]
    lines = [f"# DATA TYPE: {ext}", f"# NUMBER ALTERNATIVES: {m}"]
    for row, count in zip(ranks, counts, strict=True):
        groups = []
        for pos in np.unique(row[row >= 0]):
            members = [str(c + 1) for c in np.flatnonzero(row == pos)]
            groups.append(members[0] if len(members) == 1 else "{" + ",".join(members) + "}")
        lines.append(f"{count}: " + ",".join(groups))
    return "\n".join(lines) + "\n", ext


def _check(ranks, counts, kind):
    profile = Profile.from_ranks(ranks, counts=counts)
    expected = naive_support(ranks, counts)
    assert np.array_equal(support_matrix(profile), expected)
    below, above = expected.sum(axis=1), expected.sum(axis=0)
    scores = borda(profile).scores
    if profile.is_complete_strict:
        assert list(scores.values()) == list(below)
    else:
        assert list(scores.values()) == list(below - above)
    text, ext = _preflib(ranks, counts, kind)
    read = read_preflib(text, ext)
    assert np.array_equal(support_matrix(read), expected)
    assert schulze(read).winners == [str(int(c) + 1) for c in schulze(profile).winners]
    assert ranked_pairs(read).order == [
        [str(int(c) + 1) for c in g] for g in ranked_pairs(profile).order
    ]


@SETTINGS
@given(rank_arrays(min_m=24, max_m=60))
def test_many_candidates_match_direct_counting(data):
    """24 to 60 candidates: supports, Borda and the PrefLib round trip."""
    _check(*data)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rank_arrays(min_m=255, max_m=300, max_n=8))
def test_candidates_beyond_a_byte_match_direct_counting(data):
    """255 candidates and more: ranks no longer fit in a byte."""
    _check(*data)
