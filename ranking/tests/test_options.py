"""The per-ballot options every constructor accepts: a misspelled one is an error."""

import numpy as np
import pytest

from ranking import ApprovalProfile, PairwiseProfile, Profile, RatingProfile


def test_a_misspelled_option_is_a_type_error():
    orders = np.array([[0, 1], [1, 0]])
    with pytest.raises(TypeError, match="unexpected option"):
        Profile.from_orders(orders, **{"weight": [5, 1]})
    with pytest.raises(TypeError, match=r"unexpected option\(s\): count, group"):
        Profile.from_orders(orders, **{"count": [1, 1], "group": ["a", "b"]})
    with pytest.raises(TypeError, match="unexpected option"):
        RatingProfile.from_array(np.array([[0.0, 1.0]]), 2, **{"name": {"0": "A"}})
    with pytest.raises(TypeError, match="unexpected option"):
        ApprovalProfile.from_approvals([["a"], ["b"]], ["a", "b"], **{"weight": [1, 2]})
    with pytest.raises(TypeError, match="unexpected option"):
        PairwiseProfile.from_choices([("a", "b")], **{"counts_": [1]})


def test_the_documented_options_are_accepted():
    prof = Profile.from_orders(np.array([[0, 1], [1, 0]]), weights=[5, 1], counts=[1, 2])
    assert list(prof.weights) == [5.0, 1.0]
