"""Mean score, Majority Judgment, approval and points."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ranking import ApprovalProfile, PointsProfile, RatingProfile, rank

pv = pytest.importorskip("pref_voting")
from pref_voting.grade_methods import majority_judgement, score_voting  # noqa: E402
from pref_voting.grade_profiles import GradeProfile  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def ratings(draw, missing=True):
    """Random grade matrices on a 2-5 level scale; NaN = no opinion."""
    m = draw(st.integers(2, 6))
    levels = draw(st.integers(2, 5))
    n = draw(st.integers(1, 12))
    cell = (
        st.one_of(st.none(), st.integers(0, levels - 1)) if missing else st.integers(0, levels - 1)
    )
    grid = draw(st.lists(st.lists(cell, min_size=m, max_size=m), min_size=n, max_size=n))
    counts = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    g = np.array([[np.nan if v is None else v for v in row] for row in grid], dtype=float)
    return levels, g, counts


def _grade_profile(levels, g, counts):
    maps = [{j: int(v) for j, v in enumerate(row) if not np.isnan(v)} for row in g]
    return GradeProfile(
        maps, list(range(levels)), gcounts=counts, candidates=list(range(g.shape[1]))
    )


def _ints(xs):
    return sorted(int(x) for x in xs)


@SETTINGS
@given(ratings())
def test_mean_matches_pref_voting(data):
    """Mean-score winners are pref_voting's score_voting(mean) winners."""
    levels, g, counts = data
    prof = RatingProfile.from_array(g, levels, counts=counts)
    res = rank(prof, "mean")
    if np.isnan(g).all():
        assert res.winners == []
        return
    assert _ints(res.winners) == score_voting(
        _grade_profile(levels, g, counts), evaluation_method="mean"
    )


@SETTINGS
@given(ratings(missing=False))
def test_majority_judgment_matches_pref_voting(data):
    """Majority Judgment winners equal pref_voting's majority_judgement (complete ratings)."""
    levels, g, counts = data
    res = rank(RatingProfile.from_array(g, levels, counts=counts), "majority-judgment")
    assert _ints(res.winners) == majority_judgement(_grade_profile(levels, g, counts))


def _mj_reference(g, counts):
    """Plain-Python lower median and majority gauge, shares of all voters."""
    n = sum(counts)
    keys = []
    for j in range(g.shape[1]):
        grades = sorted(
            v for row, c in zip(g, counts, strict=True) for v in [row[j]] * c if not np.isnan(v)
        )
        if not grades:
            keys.append(None)
            continue
        med = grades[(len(grades) - 1) // 2]
        p = sum(1 for v in grades if v > med) / n
        q = sum(1 for v in grades if v < med) / n
        keys.append((med, p if p > q else -q))
    return keys


@SETTINGS
@given(ratings())
def test_majority_judgment_with_no_opinion(data):
    """With "no opinion" answers, the order follows the reference (median, gauge) key."""
    levels, g, counts = data
    res = rank(RatingProfile.from_array(g, levels, counts=counts), "majority-judgment")
    keys = _mj_reference(g, counts)
    pos = res.positions()
    for a in range(g.shape[1]):
        for b in range(g.shape[1]):
            ka, kb = keys[a], keys[b]
            if ka is not None and kb is not None and ka > kb:
                assert pos[str(a)] < pos[str(b)]
            if ka is not None and kb is None:
                assert pos[str(a)] < pos[str(b)]


def test_scale_labels_and_no_opinion():
    """Labels map to levels; unrated candidates come last with a null score."""
    prof = RatingProfile.from_ratings(
        [{"a": "good", "b": "bad"}, {"a": "ok", "b": None}],
        ["bad", "ok", "good"],
        candidates=["a", "b", "c"],
    )
    res = rank(prof, "mean")
    assert res.order == [["a"], ["b"], ["c"]]
    assert res.to_dict()["scores"]["c"] is None
    mj = rank(prof, "majority-judgment")
    assert mj.details["median"] == {"a": "ok", "b": "bad", "c": None}


@SETTINGS
@given(
    st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=1, max_size=10),
    st.lists(st.floats(0.1, 5), min_size=10, max_size=10),
)
def test_approval_and_points_are_weighted_sums(grid, weights):
    """Approval and points scores are the weighted column sums."""
    a = np.array(grid)
    w = np.array(weights[: len(grid)])
    prof = ApprovalProfile.from_approvals(
        [[str(j) for j in np.flatnonzero(row)] for row in a], ["0", "1", "2", "3"], weights=w
    )
    res = rank(prof, "approval")
    assert np.allclose([res.scores[str(j)] for j in range(4)], w @ a)
    pts = PointsProfile.from_array(a * 3.0, weights=w)
    assert np.allclose(list(rank(pts, "points").scores.values()), w @ (a * 3.0))


def test_points_budget_is_enforced():
    """A ballot over budget is an error, not silently capped."""
    with pytest.raises(ValueError, match="budget"):
        PointsProfile.from_array([[5, 6]], budget=10)


@SETTINGS
@given(
    st.integers(2, 6).flatmap(
        lambda m: st.tuples(
            st.just(m),
            st.lists(st.lists(st.integers(0, 5), min_size=m, max_size=m), min_size=1, max_size=10),
        )
    )
)
def test_approval_and_points_match_pref_voting(data):
    """Approval and points winners equal pref_voting's approval / summed score voting."""
    from pref_voting.grade_methods import approval as pv_approval

    m, grid = data
    pts = np.array(grid, dtype=float)
    approved = pts >= 3
    cands = list(range(m))
    gp_app = GradeProfile(
        [{j: int(v) for j, v in enumerate(row)} for row in approved], [0, 1], candidates=cands
    )
    gp_pts = GradeProfile(
        [{j: int(v) for j, v in enumerate(row)} for row in pts], list(range(6)), candidates=cands
    )
    app = ApprovalProfile.from_approvals(
        [[str(j) for j in np.flatnonzero(row)] for row in approved], [str(j) for j in cands]
    )
    assert _ints(rank(app, "approval").winners) == pv_approval(gp_app)
    assert _ints(rank(PointsProfile.from_array(pts), "points").winners) == score_voting(
        gp_pts, evaluation_method="sum"
    )
