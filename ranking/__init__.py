"""Memorandum's ranking engine: turn ballots into a priority order.

A flat package of pure functions over numpy arrays; it does not import Django.  See
``docs/ranking.md`` for the formats and the CLI.
"""

from .irv import irv
from .kemeny import kemeny
from .majority import borda, borda_scores, copeland, ranked_pairs, schulze
from .margin import margin_matrix, support_matrix
from .profile import UNRANKED, BallotSet, Profile
from .result import Result

__all__ = [
    "UNRANKED",
    "BallotSet",
    "Profile",
    "Result",
    "borda",
    "borda_scores",
    "copeland",
    "irv",
    "kemeny",
    "margin_matrix",
    "ranked_pairs",
    "schulze",
    "support_matrix",
]
