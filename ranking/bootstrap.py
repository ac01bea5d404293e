"""Bootstrap over voters: rank intervals and top-k probabilities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .profile import BallotSet
from .rank import prepare, rank
from .types import IntArray, JSONDict, Method

__all__ = ["BootstrapResult", "bootstrap"]


@dataclass(frozen=True)
class BootstrapResult:
    """Summary of ``n`` bootstrap replicates of one method.

    Attributes
    ----------
    rank_interval : dict
        Candidate id -> ``(low, high)``: central ``level`` interval of its rank (1 = best;
        tied candidates share the best rank of their group).
    p_top_k : dict
        Candidate id -> share of replicates in which its rank is at most ``top_k``.
    mean_rank : dict
        Candidate id -> mean rank over the replicates.
    positions : ndarray, shape (n, n_candidates)
        Rank of every candidate in every replicate.
    """

    method: str
    candidates: tuple[str, ...]
    n: int
    seed: int
    top_k: int
    level: float
    rank_interval: dict[str, tuple[int, int]]
    p_top_k: dict[str, float]
    mean_rank: dict[str, float]
    positions: IntArray = field(repr=False)

    def to_dict(self) -> JSONDict:
        """JSON-ready summary (without the per-replicate positions)."""
        return {
            "n": self.n,
            "seed": self.seed,
            "top_k": self.top_k,
            "level": self.level,
            "rank_interval": {c: list(v) for c, v in self.rank_interval.items()},
            "p_top_k": dict(self.p_top_k),
            "mean_rank": dict(self.mean_rank),
        }


def bootstrap(
    profile: BallotSet,
    method: Method = "schulze",
    *,
    n: int = 1000,
    seed: int = 0,
    top_k: int = 10,
    level: float = 0.95,
    **options: Any,
) -> BootstrapResult:
    """Resample voters with replacement and re-rank ``n`` times.

    Each replicate draws as many voters as the profile has, with replacement, which for
    distinct ballots is one multinomial draw of new multiplicities (weights and groups stay
    attached to their ballots).  The same ``seed`` gives the same result.

    Parameters
    ----------
    profile : BallotSet
        Any profile kind accepted by :func:`ranking.rank`.
    method : str
        Method name (see :data:`ranking.METHODS`).
    n : int
        Number of replicates.
    seed : int
        Seed of numpy's default generator.
    top_k : int
        ``p_top_k`` is the probability of a rank at most ``top_k``.
    level : float
        Coverage of the rank intervals (percentile interval).
    **options
        Passed to the method.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    prepared = prepare(profile, method)
    rng = np.random.default_rng(seed)
    mult = prepared.multiplicity
    total = int(mult.sum())
    probs = mult / total if total else mult.astype(float)
    cands = prepared.candidates
    positions = np.zeros((n, len(cands)), dtype=np.int64)
    for b in range(n):
        sample = prepared.with_multiplicity(rng.multinomial(total, probs))
        pos = rank(sample, method, **options).positions()
        positions[b] = [pos[c] for c in cands]
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    low = np.quantile(positions, lo_q, axis=0, method="lower")
    high = np.quantile(positions, hi_q, axis=0, method="higher")
    p_top = (positions <= top_k).mean(axis=0)
    return BootstrapResult(
        method=method,
        candidates=cands,
        n=n,
        seed=seed,
        top_k=top_k,
        level=level,
        rank_interval={c: (int(a), int(b)) for c, a, b in zip(cands, low, high, strict=True)},
        p_top_k={c: float(p) for c, p in zip(cands, p_top, strict=True)},
        mean_rank={c: float(v) for c, v in zip(cands, positions.mean(axis=0), strict=True)},
        positions=positions,
    )
