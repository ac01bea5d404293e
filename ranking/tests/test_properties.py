"""Anonymity, neutrality, Condorcet consistency, weights and groups."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ranking import Profile, rank, rank_by_group, rank_many, support_matrix
from ranking.tests.strategies import ranking_ballots, to_profile

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RANKING_METHODS = ["borda", "copeland", "schulze", "ranked-pairs", "kemeny", "irv", "plackett-luce"]
CONDORCET = ["copeland", "schulze", "ranked-pairs", "kemeny"]


def _same(a, b):
    """Equal results; fitted strengths are compared up to optimiser precision."""
    da, db = a.to_dict(), b.to_dict()
    if a.method == "plackett-luce":
        sa, sb = da.pop("scores"), db.pop("scores")
        assert all(abs(sa[k] - sb[k]) < 1e-4 for k in sa)
        da.pop("details"), db.pop("details")
    return da == db


@SETTINGS
@given(ranking_ballots(), st.randoms(use_true_random=False))
def test_anonymity(data, rnd):
    """Shuffling or splitting ballots does not change any result."""
    m, ballots, counts = data
    expanded = [b for b, c in zip(ballots, counts, strict=True) for _ in range(c)]
    rnd.shuffle(expanded)
    a = to_profile(m, ballots, counts)
    b = to_profile(m, expanded)
    for meth in RANKING_METHODS:
        assert _same(rank(a, meth), rank(b, meth)), meth


@SETTINGS
@given(ranking_ballots(), st.randoms(use_true_random=False))
def test_neutrality(data, rnd):
    """Renaming candidates renames the winners (methods without a candidate tie-break)."""
    m, ballots, counts = data
    perm = list(range(m))
    rnd.shuffle(perm)
    renamed = [[[perm[c] for c in g] for g in b] for b in ballots]
    a = to_profile(m, ballots, counts)
    b = to_profile(m, renamed, counts)
    for meth in ["borda", "copeland", "schulze", "kemeny", "irv"]:
        ra, rb = rank(a, meth), rank(b, meth)
        assert sorted(str(perm[int(c)]) for c in ra.winners) == sorted(rb.winners), meth
        if ra.scores is not None and meth != "kemeny":
            for c, v in ra.scores.items():
                assert rb.scores[str(perm[int(c)])] == v


@SETTINGS
@given(ranking_ballots())
def test_condorcet_consistency(data):
    """A Condorcet winner is the unique winner of the Condorcet methods."""
    m, ballots, counts = data
    prof = to_profile(m, ballots, counts)
    s = support_matrix(prof)
    beats_all = [i for i in range(m) if all(s[i, j] > s[j, i] for j in range(m) if j != i)]
    if not beats_all:
        return
    for meth in CONDORCET:
        assert rank(prof, meth).winners == [str(beats_all[0])], meth


@SETTINGS
@given(ranking_ballots(), st.integers(2, 5))
def test_integer_weights_equal_repeated_ballots(data, factor):
    """A ballot of weight k counts as k identical ballots."""
    m, ballots, counts = data
    weighted = to_profile(m, ballots, counts, weights=[factor] * len(ballots))
    repeated = to_profile(m, ballots, [c * factor for c in counts])
    for meth in RANKING_METHODS:
        assert _same(rank(weighted, meth), rank(repeated, meth)), meth


def test_groups_split_results():
    """rank_by_group ranks each group separately; the whole profile pools them."""
    ballots = [["a", "b", "c"]] * 3 + [["c", "b", "a"]] * 2
    groups = ["north"] * 3 + ["south"] * 2
    prof = Profile.from_rankings(ballots, groups=groups)
    per = rank_by_group(prof, "borda")
    assert per["north"].winners == ["a"] and per["south"].winners == ["c"]
    assert rank(prof, "borda").winners == ["a"]
    assert prof.n_distinct == 2


def test_rank_many_shares_the_support_matrix():
    """rank_many gives the same results as separate rank calls."""
    rng = np.random.default_rng(0)
    prof = Profile.from_orders(np.argsort(rng.random((50, 7)), axis=1)[:, :4], n_candidates=7)
    many = rank_many(prof, ["borda", "copeland", "schulze", "ranked-pairs", "kemeny"])
    for meth, res in many.items():
        assert res == rank(prof, meth)


def test_kemeny_approximation_is_labelled():
    """Beyond the exact limit Kemeny says it is approximate and still beats Borda's order."""
    rng = np.random.default_rng(1)
    prof = Profile.from_orders(np.argsort(rng.random((60, 20)) + np.linspace(0, 1, 20), axis=1))
    res = rank(prof, "kemeny")
    assert res.details["exact"] is False
    exact = rank(prof.restrict(prof.candidates[:8]), "kemeny")
    assert exact.details["exact"] is True


def test_fractional_weights_do_not_break_ties():
    """0.1 + 0.2 against 0.3 is a tie for the margin-based methods."""
    prof = Profile.from_rankings([["a", "b"], ["a", "b"], ["b", "a"]], weights=[0.1, 0.2, 0.3])
    assert rank(prof, "copeland").scores == {"a": 0.0, "b": 0.0}
    assert rank(prof, "schulze").winners == ["a", "b"]
