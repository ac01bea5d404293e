"""Borda, Copeland, Schulze, Ranked Pairs, Kemeny and IRV against pref_voting."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from ranking import borda, copeland, irv, kemeny, ranked_pairs, schulze, support_matrix
from ranking.tests.strategies import as_set_of_ints, ranking_ballots, to_pref_voting, to_profile

pv = pytest.importorskip("pref_voting")
from pref_voting.iterative_methods import instant_runoff  # noqa: E402
from pref_voting.margin_based_methods import beat_path, ranked_pairs_tb  # noqa: E402
from pref_voting.other_methods import kemeny_young  # noqa: E402
from pref_voting.scoring_methods import symmetric_borda_scores  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ranking_ballots())
def test_support_matrix_matches_pref_voting(data):
    """Weighted supports equal pref_voting's extended-strict supports."""
    m, ballots, counts = data
    s = support_matrix(to_profile(m, ballots, counts))
    prof = to_pref_voting(m, ballots, counts)
    want = np.array([[prof.support(a, b) if a != b else 0 for b in range(m)] for a in range(m)])
    assert np.array_equal(s, want)


@SETTINGS
@given(ranking_ballots())
def test_borda_matches_pref_voting(data):
    """Classic Borda on full strict ballots, symmetric Borda otherwise."""
    m, ballots, counts = data
    res = borda(to_profile(m, ballots, counts))
    prof = to_pref_voting(m, ballots, counts)
    if res.details["variant"] == "classic":
        want = prof.borda_scores()
    else:
        want = symmetric_borda_scores(prof)
    assert res.scores == {str(c): float(v) for c, v in want.items()}


@SETTINGS
@given(ranking_ballots())
def test_copeland_matches_pref_voting(data):
    """Copeland scores (1, 0, -1) are pref_voting's."""
    m, ballots, counts = data
    res = copeland(to_profile(m, ballots, counts))
    prof = to_pref_voting(m, ballots, counts)
    assert res.scores == {str(c): float(v) for c, v in prof.copeland_scores().items()}


@SETTINGS
@given(ranking_ballots())
def test_schulze_winners_match_pref_voting(data):
    """Schulze winners are pref_voting's beat_path winners."""
    m, ballots, counts = data
    res = schulze(to_profile(m, ballots, counts))
    assert as_set_of_ints(res.winners) == beat_path(to_pref_voting(m, ballots, counts))
    assert set(res.order[0]) <= set(res.winners)


@SETTINGS
@given(ranking_ballots())
def test_ranked_pairs_matches_pref_voting_tb(data):
    """Ranked Pairs winner equals ranked_pairs_tb for two tie-break orders."""
    m, ballots, counts = data
    profile = to_profile(m, ballots, counts)
    prof = to_pref_voting(m, ballots, counts)
    res = ranked_pairs(profile)
    assert as_set_of_ints(res.winners) == ranked_pairs_tb(prof)
    rev = [str(c) for c in reversed(range(m))]
    res_rev = ranked_pairs(profile, tie_breaker=rev)
    assert as_set_of_ints(res_rev.winners) == ranked_pairs_tb(
        prof, tie_breaker=list(range(m))[::-1]
    )
    if not res.details["tie_break_used"]:
        assert res_rev.order == res.order


@settings(max_examples=40, deadline=None)
@given(ranking_ballots(max_m=5))
def test_kemeny_winners_match_pref_voting(data):
    """Exact Kemeny winners (first in some optimal order) are pref_voting's."""
    m, ballots, counts = data
    res = kemeny(to_profile(m, ballots, counts))
    assert res.details["exact"]
    assert as_set_of_ints(res.winners) == kemeny_young(to_pref_voting(m, ballots, counts))


@SETTINGS
@given(ranking_ballots())
def test_irv_winners_match_pref_voting(data):
    """IRV winners equal pref_voting's instant_runoff (simultaneous elimination)."""
    m, ballots, counts = data
    res = irv(to_profile(m, ballots, counts))
    assert as_set_of_ints(res.winners) == instant_runoff(to_pref_voting(m, ballots, counts))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranking_ballots(min_m=7, max_m=12, max_n=9))
def test_ranked_pairs_and_supports_on_more_candidates(data):
    """Larger candidate sets (short ballots, cycles) still match pref_voting."""
    m, ballots, counts = data
    profile = to_profile(m, ballots, counts)
    prof = to_pref_voting(m, ballots, counts)
    s = support_matrix(profile)
    want = np.array([[prof.support(a, b) if a != b else 0 for b in range(m)] for a in range(m)])
    assert np.array_equal(s, want)
    assert as_set_of_ints(ranked_pairs(profile).winners) == ranked_pairs_tb(prof)
    assert as_set_of_ints(schulze(profile).winners) == beat_path(prof)


@SETTINGS
@given(ranking_ballots(ties=False))
def test_irv_pointer_tally_equals_full_recount(data):
    """The pointer tally of strict ballots gives the same rounds as recounting everything."""
    from unittest import mock

    from ranking import Profile

    m, ballots, counts = data
    profile = to_profile(m, ballots, counts)
    fast = irv(profile)
    # has_ties=True sends the count through the tie-capable full recount.
    with mock.patch.object(Profile, "has_ties", new=property(lambda self: True)):
        slow = irv(profile)
    assert fast.to_dict() == slow.to_dict()
