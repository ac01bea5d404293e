"""Plackett-Luce and Bradley-Terry against choix."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ranking import PairwiseProfile, Profile, bradley_terry, plackett_luce
from ranking.likelihood import _Choices

choix = pytest.importorskip("choix")

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _theta(res):
    return np.array([res.scores[c] for c in res.candidates])


def _centred(x):
    return np.asarray(x) - np.mean(x)


def _top1_data(m, ballots, counts):
    """choix top-1 choices of our tie-group ballots: each member of a group G picked
    from the not-yet-ranked set minus the rest of G."""
    data = []
    for groups, c in zip(ballots, counts, strict=True):
        remaining = set(range(m))
        for g in groups:
            for x in g:
                losers = sorted(remaining - set(g))
                if losers:
                    data.extend([(x, losers)] * c)
            remaining -= set(g)
    return data


@st.composite
def _pl_ballots(draw):
    m = draw(st.integers(2, 6))
    n = draw(st.integers(1, 12))
    ballots = []
    for _ in range(n):
        perm = draw(st.permutations(range(m)))
        k = draw(st.integers(1, m))
        ties = draw(st.lists(st.booleans(), min_size=m, max_size=m))
        groups = []
        for j, c in enumerate(perm[:k]):
            if j and ties[j]:
                groups[-1].append(c)
            else:
                groups.append([c])
        ballots.append(groups)
    counts = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    return m, ballots, counts


@SETTINGS
@given(_pl_ballots())
def test_plackett_luce_matches_choix_opt_top1(data):
    """With a penalty that makes the optimum well defined, strengths equal choix's."""
    m, ballots, counts = data
    prof = Profile.from_rankings(ballots, [str(i) for i in range(m)], counts=counts)
    res = plackett_luce(prof, alpha=0.1)
    top1 = _top1_data(m, ballots, counts)
    ref = choix.opt_top1(m, top1, alpha=0.1, tol=1e-10) if top1 else np.zeros(m)
    assert np.abs(_theta(res) - _centred(ref)).max() < 1e-4


@SETTINGS
@given(_pl_ballots())
def test_plackett_luce_gradient_is_exact(data):
    """The vectorised gradient agrees with finite differences of the likelihood."""
    from scipy.optimize import check_grad

    m, ballots, counts = data
    prof = Profile.from_rankings(ballots, [str(i) for i in range(m)], counts=counts)
    ch = _Choices.from_profile(prof)
    theta = np.linspace(-1, 1, m)
    err = check_grad(lambda t: ch.nll_grad(t)[0], lambda t: ch.nll_grad(t)[1], theta)
    assert err < 1e-4 * max(1.0, float(np.sum(counts)))


def test_plackett_luce_full_rankings_match_choix_opt_rankings():
    """Complete rankings with the default penalty: choix's opt_rankings within 1e-2."""
    rng = np.random.default_rng(3)
    params = np.linspace(-1, 1, 8)
    orders = np.argsort(-(rng.gumbel(size=(400, 8)) + params), axis=1)
    res = plackett_luce(Profile.from_orders(orders))
    ref = choix.opt_rankings(8, [list(o) for o in orders])
    assert np.abs(_theta(res) - _centred(ref)).max() < 1e-2
    assert res.details["converged"]


def test_plackett_luce_top_k_matches_choix_ilsr_top1():
    """Top-3 of 10 candidates: choix's ilsr_top1 (unpenalised MLE) within 1e-2."""
    rng = np.random.default_rng(4)
    params = np.linspace(-1.5, 1.5, 10)
    orders = np.argsort(-(rng.gumbel(size=(2000, 10)) + params), axis=1)[:, :3]
    prof = Profile.from_orders(orders, n_candidates=10)
    res = plackett_luce(prof)
    data = [
        (int(o[j]), [x for x in range(10) if x not in o[: j + 1]]) for o in orders for j in range(3)
    ]
    ref = choix.ilsr_top1(10, data, tol=1e-10)
    assert np.abs(_theta(res) - _centred(np.log(np.exp(ref)))).max() < 1e-2
    assert res.order[0] == [str(int(np.argmax(ref)))]


@st.composite
def _pairs(draw):
    m = draw(st.integers(2, 7))
    n = draw(st.integers(1, 30))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, m - 1), st.integers(0, m - 1)).filter(lambda p: p[0] != p[1]),
            min_size=n,
            max_size=n,
        )
    )
    return m, pairs


@SETTINGS
@given(_pairs())
def test_bradley_terry_matches_choix_opt_pairwise(data):
    """Penalised Bradley-Terry strengths equal choix.opt_pairwise's."""
    m, pairs = data
    prof = PairwiseProfile.from_arrays(
        [p[0] for p in pairs], [p[1] for p in pairs], candidates=[str(i) for i in range(m)]
    )
    res = bradley_terry(prof, alpha=0.1)
    ref = choix.opt_pairwise(m, pairs, alpha=0.1, tol=1e-10)
    assert np.abs(_theta(res) - _centred(ref)).max() < 1e-4


def test_bradley_terry_win_rates_and_ties():
    """Win rates count ties as halves; ties='half' keeps the order here."""
    prof = PairwiseProfile.from_choices([("a", "b"), ("a", "b", None), ("b", "c", "c")])
    res = bradley_terry(prof)
    assert res.details["win_rate"] == {"a": 0.75, "b": 0.5 / 3, "c": 1.0}
    half = bradley_terry(prof, ties="half")
    assert half.scores["a"] > half.scores["b"] and res.scores["a"] > res.scores["b"]
