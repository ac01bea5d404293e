"""What each ballot form tells the count and the invitation e-mail (the kinds' small interface)."""

import numpy as np
from django.utils import translation

import ranking
from memorandum.survey.ballots import KINDS, kind_of
from memorandum.survey.models import BallotForm


def points_profile(ballots: list[dict]):
    weights = np.ones(len(ballots))
    payloads = [{"points": points} for points in ballots]
    return kind_of(BallotForm.POINTS).profile(
        payloads, ["A", "B", "C"], weights=weights, groups=None
    )


def test_points_count_as_points_for_the_points_method_only():
    """The points method reads the points; every other method reads them as rankings."""
    points = kind_of(BallotForm.POINTS)
    profile = points_profile([{"A": 60, "B": 40}])
    assert points.for_method(profile, "points") is profile
    assert isinstance(points.for_method(profile, "schulze"), ranking.Profile)


def test_more_points_rank_higher_and_no_points_is_unranked():
    """A ballot of 60 to B and 40 to A ranks B, then A, and leaves C out."""
    rankings = kind_of(BallotForm.POINTS).for_method(points_profile([{"B": 60, "A": 40}]), "borda")
    assert rankings.ballots() == [([["B"], ["A"]], 1, 1.0, None)]


def test_equal_points_are_a_tie():
    rankings = kind_of(BallotForm.POINTS).agreement_profile(points_profile([{"A": 50, "C": 50}]))
    assert rankings.ballots() == [([["A", "C"]], 1, 1.0, None)]


def test_pairwise_choices_have_no_agreement_among_voters_and_resample_whole_ballots():
    """Kendall's W reads orders (pairwise choices give none); a zone's comparisons stay together."""
    pairwise = kind_of(BallotForm.PAIRWISE)
    assert pairwise.agreement_profile(object()) is None
    resampled = [form for form, kind in KINDS.items() if kind.resamples_whole_ballots]
    assert resampled == [BallotForm.PAIRWISE]


def test_only_the_ranking_ballot_asks_for_a_top():
    assert [form for form, kind in KINDS.items() if kind.asks_top] == [BallotForm.RANKING]


def test_each_ballot_form_says_in_its_own_sentence_what_is_asked():
    with translation.override("en"):
        asked = [kind.asked() for kind in KINDS.values()]
    assert all(sentence.startswith("What we ask: ") for sentence in asked)
    assert len(set(asked)) == len(KINDS)
