"""Score-based methods: mean rating, Majority Judgment, approval and points."""

from __future__ import annotations

import numpy as np

from .ballots import ApprovalProfile, PointsProfile, RatingProfile
from .result import Result, scored_result
from .types import FloatArray

__all__ = [
    "mean_score",
    "majority_judgment",
    "approval",
    "points",
    "scale_values",
    "grade_histogram",
]


def scale_values(scale: tuple[str, ...]) -> FloatArray:
    """Numeric value of each level: the labels themselves if all are numbers, else 0, 1, ..."""
    try:
        return np.array([float(s) for s in scale])
    except ValueError:
        return np.arange(len(scale), dtype=np.float64)


def grade_histogram(profile: RatingProfile) -> FloatArray:
    """``H[j, l]`` = weight of ballots giving candidate ``j`` level ``l``."""
    n_levels = len(profile.scale)
    g = profile.grades
    onehot = g[:, :, None] == np.arange(n_levels)[None, None, :]
    hist: FloatArray = np.einsum("i,ijl->jl", profile.counts, onehot)
    return hist


def mean_score(profile: RatingProfile) -> Result:
    """Mean rating [mean] over the ballots that rated the candidate ("no opinion" skipped).

    Level values are the scale labels when they are all numbers, else 0, 1, ... from worst
    to best.  A candidate nobody rated has score NaN (null in JSON) and is ranked last, as
    pref_voting's ``score_voting(evaluation_method="mean")`` leaves it out.

    Parameters
    ----------
    profile : RatingProfile
        The ballots.

    Returns
    -------
    Result
        Scores are mean level values (NaN for a candidate nobody rated).
    """
    values = scale_values(profile.scale)
    h = grade_histogram(profile)
    total = h.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(total > 0, h @ values / np.where(total > 0, total, 1), np.nan)
    return scored_result("mean", profile, scores)


def majority_judgment(profile: RatingProfile) -> Result:
    """Majority Judgment [majority-judgment]: median grade, then the majority gauge.

    The median is the *lower* median of the candidate's grades (no-opinion ballots skipped).
    Ties on the median are broken as in pref_voting's ``majority_judgement``: with ``p`` the
    share of voters grading strictly above the median and ``q`` the share strictly below
    (shares of all voters), the gauge is ``p`` if ``p > q`` else ``-q``; larger is better.
    The score is ``median level index + gauge`` - the gauge lies in (-1/2, 1/2], so the score
    orders by median first.  Candidates still equal stay tied.  ``details["median"]`` gives
    each candidate's median label.

    Parameters
    ----------
    profile : RatingProfile
        The ballots.

    Returns
    -------
    Result
        Scores are ``median + gauge``; ``details["median"]`` the median labels.
    """
    h = grade_histogram(profile)
    total = h.sum(axis=1)
    voters = profile.total_weight
    cum = np.cumsum(h, axis=1)
    # Lower median: the first level whose cumulative weight reaches half the graded weight.
    med = np.argmax(cum >= total[:, None] / 2 - 1e-12 * np.maximum(total[:, None], 1), axis=1)
    idx = np.arange(len(med))
    above = total - cum[idx, med]
    below = cum[idx, med] - h[idx, med]
    p = above / voters if voters > 0 else np.zeros_like(above)
    q = below / voters if voters > 0 else np.zeros_like(below)
    gauge = np.where(p > q, p, -q)
    scores = np.where(total > 0, med + gauge, np.nan)
    median = {
        c: (profile.scale[int(m)] if t > 0 else None)
        for c, m, t in zip(profile.candidates, med, total, strict=True)
    }
    return scored_result("majority-judgment", profile, scores, details={"median": median})


def approval(profile: ApprovalProfile | RatingProfile) -> Result:
    """Approval [approval]: weighted number of approvals.

    A :class:`RatingProfile` is read as approving its top level (e.g. "Yes" in a PrefLib
    ``.cat`` file with categories Yes/No).

    Parameters
    ----------
    profile : ApprovalProfile or RatingProfile
        The ballots.

    Returns
    -------
    Result
        Scores are the weighted numbers of approvals.
    """
    if isinstance(profile, RatingProfile):
        profile = profile.to_approvals()
    return scored_result("approval", profile, profile.counts @ profile.approved)


def points(profile: PointsProfile) -> Result:
    """Points [points]: weighted total points per candidate.

    Parameters
    ----------
    profile : PointsProfile
        The ballots.

    Returns
    -------
    Result
        Scores are the weighted point totals.
    """
    return scored_result("points", profile, profile.counts @ profile.points)
