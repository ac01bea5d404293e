"""Anonymity, neutrality, Condorcet consistency, weights and groups."""

import numpy as np
import pytest
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
    assert res.details["exact"] is False and res.approximate
    assert res.to_dict()["details"]["approximate"] is True
    assert "approximate: more than 15 candidates" in res.table()
    exact = rank(prof.restrict(prof.candidates[:8]), "kemeny")
    assert exact.details["exact"] is True and not exact.approximate
    assert "approximate" not in exact.table()


def test_fractional_weights_do_not_break_ties():
    """0.1 + 0.2 against 0.3 is a tie for the margin-based methods."""
    prof = Profile.from_rankings([["a", "b"], ["a", "b"], ["b", "a"]], weights=[0.1, 0.2, 0.3])
    assert rank(prof, "copeland").scores == {"a": 0.0, "b": 0.0}
    assert rank(prof, "schulze").winners == ["a", "b"]


def test_float_margins_that_are_equal_in_exact_arithmetic_are_equal():
    """Ranked Pairs and Schulze treat 0.1 + 0.2 and 0.3 as the same margin, as 1 + 2 and 3."""
    from ranking import ranked_pairs, schulze

    prof = Profile.from_rankings([["a"], ["b"], ["c"]])
    cycle = np.array([[0, 1.0, 0], [0, 0, 1.0], [1.0, 0, 0]])
    whole = cycle * [[1, 3, 1], [1, 1, 3], [3, 1, 1]]
    parts = cycle * [[1, 0.1 + 0.2, 1], [1, 1, 0.3], [0.3, 1, 1]]
    for tie_breaker in (None, ["c", "b", "a"], ["b", "a", "c"]):
        a = ranked_pairs(prof, support=whole, tie_breaker=tie_breaker)
        b = ranked_pairs(prof, support=parts, tie_breaker=tie_breaker)
        assert a.order == b.order and a.details == b.details
    assert schulze(prof, support=whole).winners == schulze(prof, support=parts).winners


def test_borda_names_its_scale_and_can_keep_it():
    """One incomplete ballot switches the automatic scale; a named scale stays put."""
    complete = Profile.from_rankings([["a", "b", "c"], ["b", "a", "c"]])
    partial = Profile.from_rankings([["a", "b", "c"], ["b"]])
    assert rank(complete, "borda").details["scale"] == "classic"
    assert rank(complete, "borda").scores == {"a": 3.0, "b": 3.0, "c": 0.0}
    assert rank(partial, "borda").details["scale"] == "symmetric"
    symmetric = rank(complete, "borda", scale="symmetric")
    assert symmetric.details["scale"] == "symmetric"
    assert symmetric.scores == {"a": 2.0, "b": 2.0, "c": -4.0}
    assert "below minus" in symmetric.details["points"]
    with pytest.raises(ValueError, match="classic Borda scale needs complete"):
        rank(partial, "borda", scale="classic")
