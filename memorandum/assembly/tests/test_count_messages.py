"""Vote lines in the minutes say 1 abstention, 2 abstentions; 1 vote, 2 votes needed."""

from django.utils import translation

from memorandum.assembly import rules
from memorandum.assembly.minutes import explain, summary
from memorandum.assembly.models import Decision, DecisionKind


def _decision(abstentions: int) -> Decision:
    return Decision(
        kind=DecisionKind.ADOPT, votes_for=3, votes_against=0, abstentions=abstentions, carried=True
    )


def test_one_abstention_reads_in_the_singular():
    """A count of 1 reads in the singular."""
    with translation.override("en"):
        assert summary(_decision(1)) == "Adopt, carried (3 for, 0 against, 1 abstention)"


def test_two_abstentions_read_in_the_plural():
    """A count of 2 reads in the plural."""
    with translation.override("en"):
        assert summary(_decision(2)) == "Adopt, carried (3 for, 0 against, 2 abstentions)"


def test_the_explanation_pluralises_abstentions_and_votes_needed_apart():
    """Under a simple majority with nobody against, one vote for is needed."""
    with translation.override("en"):
        assert explain(rules.SIMPLE, _decision(1), 5) == (
            "3 for, 0 against, 1 abstention; 1 vote for was needed."
        )
        two_against = Decision(votes_for=3, votes_against=1, abstentions=2, carried=True)
        assert explain(rules.SIMPLE, two_against, 6) == (
            "3 for, 1 against, 2 abstentions; 2 votes for were needed."
        )
    with translation.override("fr"):
        assert explain(rules.SIMPLE, _decision(1), 5) == (
            "3 pour, 0 contre, 1 abstention ; 1 voix pour était nécessaire."
        )
