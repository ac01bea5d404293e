"""Memorandum's ranking engine: turn ballots into a priority order.

A flat package of pure functions over numpy arrays; it does not import Django.  See
``docs/ranking.md`` for the formats, the CLI and examples.

Typical use::

    from ranking import Profile, rank, bootstrap
    p = Profile.from_rankings([[["a"], ["b", "c"]], ["c", "a"]], weights=[1, 2])
    rank(p, "schulze").to_dict()
"""

from .agreement import kendall_tau, kendall_w, method_agreement
from .ballots import ApprovalProfile, PairwiseProfile, PointsProfile, RatingProfile
from .bootstrap import BootstrapResult, bootstrap
from .io import ParseError, load, read_csv, read_json, read_preflib
from .irv import irv
from .kemeny import EXACT_MAX as KEMENY_EXACT_MAX
from .kemeny import kemeny
from .likelihood import bradley_terry, plackett_luce
from .majority import borda, borda_scores, copeland, ranked_pairs, schulze
from .margin import margin_matrix, support_matrix
from .profile import UNRANKED, BallotSet, Profile
from .rank import METHODS, prepare, rank, rank_by_group, rank_many
from .result import Result
from .scores import approval, majority_judgment, mean_score, points
from .types import Method

__all__ = [
    "KEMENY_EXACT_MAX",
    "METHODS",
    "Method",
    "UNRANKED",
    "ApprovalProfile",
    "BallotSet",
    "BootstrapResult",
    "PairwiseProfile",
    "ParseError",
    "PointsProfile",
    "Profile",
    "RatingProfile",
    "Result",
    "approval",
    "bootstrap",
    "borda",
    "borda_scores",
    "bradley_terry",
    "copeland",
    "irv",
    "kemeny",
    "kendall_tau",
    "kendall_w",
    "load",
    "majority_judgment",
    "margin_matrix",
    "mean_score",
    "method_agreement",
    "plackett_luce",
    "points",
    "prepare",
    "rank",
    "rank_by_group",
    "rank_many",
    "ranked_pairs",
    "read_csv",
    "read_json",
    "read_preflib",
    "schulze",
    "support_matrix",
]
