"""Type aliases shared by the ranking package."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

#: A candidate as the caller names it (an id string, or an index into the candidate list).
CandidateId: TypeAlias = Hashable
#: One ballot given as tie-groups from best to worst, e.g. ``[["a"], ["b", "c"]]``.
#: Candidates absent from the ballot are unranked and tie below every ranked candidate.
TieGroups: TypeAlias = Sequence[Sequence[CandidateId]]
#: A ranking ballot: either tie-groups or a plain strict list ``["a", "b", "c"]``.
RankingBallot: TypeAlias = Sequence[Any]
#: Tie-group positions (int16), one row per distinct ballot: 0 = best, UNRANKED = left out.
RankArray: TypeAlias = npt.NDArray[np.int16]
#: Floating point array (counts, weights, scores, margins).
FloatArray: TypeAlias = npt.NDArray[np.float64]
#: Integer array (multiplicities, indices).
IntArray: TypeAlias = npt.NDArray[np.int64]
#: Boolean array (approvals, masks).
BoolArray: TypeAlias = npt.NDArray[np.bool_]
#: An order: groups of tied candidate ids from best to worst.
Order: TypeAlias = list[list[str]]
#: The name of a counting method, as :data:`ranking.METHODS` and the CLI spell it.
Method: TypeAlias = Literal[
    "borda",
    "copeland",
    "schulze",
    "ranked-pairs",
    "kemeny",
    "irv",
    "plackett-luce",
    "mean",
    "majority-judgment",
    "bradley-terry",
    "approval",
    "points",
]
#: The profile kind a method reads.
Kind: TypeAlias = Literal["rankings", "ratings", "approvals", "points", "pairwise"]
#: Per-ballot multiplicities as accepted by the constructors.
Counts: TypeAlias = "Sequence[int] | IntArray | None"
#: Per-ballot weights as accepted by the constructors.
Weights: TypeAlias = "Sequence[float] | FloatArray | None"
#: Per-ballot group labels as accepted by the constructors.
Groups: TypeAlias = "Sequence[Any] | npt.NDArray[Any] | None"
#: Display names by candidate id.
Names: TypeAlias = "Mapping[Any, str] | None"
#: JSON-like dictionary.
JSONDict: TypeAlias = dict[str, Any]
