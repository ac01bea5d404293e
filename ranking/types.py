"""Type aliases shared by the ranking package."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

#: A candidate as the caller names it (an id string, or an index into the candidate list).
CandidateId: TypeAlias = Hashable
#: One ballot given as tie-groups from best to worst, e.g. ``[["a"], ["b", "c"]]``.
#: Candidates absent from the ballot are unranked and tie below every ranked candidate.
TieGroups: TypeAlias = Sequence[Sequence[CandidateId]]
#: A ranking ballot: either tie-groups or a plain strict list ``["a", "b", "c"]``.
RankingBallot: TypeAlias = Sequence[Any]
#: Integer array of tie-group positions, one row per distinct ballot (0 = best).
RankArray: TypeAlias = npt.NDArray[np.int32]
#: Floating point array (counts, weights, scores, margins).
FloatArray: TypeAlias = npt.NDArray[np.float64]
#: Integer array (multiplicities, indices).
IntArray: TypeAlias = npt.NDArray[np.int64]
#: Boolean array (approvals, masks).
BoolArray: TypeAlias = npt.NDArray[np.bool_]
#: An order: groups of tied candidate ids from best to worst.
Order: TypeAlias = list[list[str]]
#: JSON-like dictionary.
JSONDict: TypeAlias = dict[str, Any]
