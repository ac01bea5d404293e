"""Quorum and majority rules of the General Assembly."""

from decimal import Decimal

import pytest

from memorandum.assembly import rules


def test_a_quorum_as_a_number_needs_that_many_members():
    """A quorum of 10 members is reached with 10, not with 9."""
    assert rules.has_quorum(10, 185, rules.COUNT, 10)
    assert not rules.has_quorum(9, 185, rules.COUNT, 10)


def test_a_quorum_as_a_fraction_is_rounded_up_to_a_whole_member():
    """Half of 185 members is 92.5, so 93 members are needed."""
    assert rules.quorum_required(185, rules.FRACTION, Decimal("0.5")) == 93
    assert rules.has_quorum(93, 185, rules.FRACTION, Decimal("0.5"))
    assert not rules.has_quorum(92, 185, rules.FRACTION, Decimal("0.5"))
    assert rules.quorum_required(9, rules.FRACTION, Decimal("0.667")) == 7


def test_nobody_present_is_never_a_quorum():
    """Even a quorum of zero needs someone in the room."""
    assert not rules.has_quorum(0, 10, rules.COUNT, 0)


def test_a_simple_majority_ignores_abstentions():
    """More for than against carries, whatever the abstentions."""
    assert rules.is_carried(rules.SIMPLE, 10, 9, 50, 69)
    assert not rules.is_carried(rules.SIMPLE, 10, 10, 0, 20)


def test_an_absolute_majority_needs_more_than_half_of_those_present():
    """Abstentions count against under the absolute majority."""
    assert not rules.is_carried(rules.ABSOLUTE, 10, 9, 2, 21)
    assert rules.is_carried(rules.ABSOLUTE, 11, 9, 1, 21)
    assert not rules.is_carried(rules.ABSOLUTE, 10, 0, 0, 20)


def test_a_two_thirds_majority_counts_votes_cast():
    """Twenty for and ten against is exactly two thirds: carried; one more against is not."""
    assert rules.is_carried(rules.TWO_THIRDS, 20, 10, 40, 70)
    assert not rules.is_carried(rules.TWO_THIRDS, 20, 11, 0, 31)
    assert not rules.is_carried(rules.TWO_THIRDS, 0, 0, 5, 5)


@pytest.mark.parametrize("rule", [rules.SIMPLE, rules.ABSOLUTE, rules.TWO_THIRDS])
def test_votes_needed_is_the_threshold_of_each_rule(rule):
    """One vote fewer than ``votes_needed`` is lost, that number is carried."""
    against, present = 7, 40
    needed = rules.votes_needed(rule, against, present, 0)
    assert rules.is_carried(rule, needed, against, 0, present)
    assert not rules.is_carried(rule, needed - 1, against, 0, present)


def test_more_votes_than_members_present_is_an_error():
    """The count of votes cannot exceed the members present."""
    assert rules.vote_errors(10, 5, 1, 15)
    assert rules.vote_errors(0, 0, 0, 15)
    assert not rules.vote_errors(10, 4, 1, 15)
