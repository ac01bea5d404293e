"""Bootstrap over voters: rank intervals and top-k probabilities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .profile import BallotSet
from .rank import prepare, rank
from .types import IntArray, JSONDict, Method

__all__ = ["BootstrapResult", "bootstrap", "rank_interval"]


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
        """JSON-ready summary (without the per-replicate positions).

        Returns
        -------
        dict
        """
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
    clusters: npt.ArrayLike | None = None,
    **options: Any,
) -> BootstrapResult:
    """Resample voters (or whole clusters of ballots) with replacement and re-rank ``n`` times.

    Each replicate draws as many voters as the profile has, with replacement, which for
    distinct ballots is one multinomial draw of new multiplicities (weights and groups stay
    attached to their ballots).  With ``clusters``, whole clusters are drawn instead: the
    many pairwise answers of one respondent are one observation, not independent voters.
    The same ``seed`` gives the same result.

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
    clusters : array_like, optional
        A cluster label for every distinct ballot of ``profile`` (for example
        ``profile.groups`` of a profile built with one group label per respondent).  Each
        replicate draws as many clusters as there are, with replacement; a ballot's
        multiplicity is multiplied by the number of times its cluster was drawn.  The
        profile must already be of the kind ``method`` reads.
    **options
        Passed to the method.

    Returns
    -------
    BootstrapResult
        Percentile intervals of the ranks, top-k probabilities and mean ranks.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    prepared = prepare(profile, method)
    rng = np.random.default_rng(seed)
    mult = prepared.multiplicity
    draw = (
        _voter_draw(mult, rng)
        if clusters is None
        else _cluster_draw(profile, prepared, clusters, rng)
    )
    cands = prepared.candidates
    positions = np.zeros((n, len(cands)), dtype=np.int64)
    for b in range(n):
        sample = prepared.with_multiplicity(draw())
        pos = rank(sample, method, **options).positions()
        positions[b] = [pos[c] for c in cands]
    low, high = rank_interval(positions, level)
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


def rank_interval(positions: IntArray, level: float) -> tuple[IntArray, IntArray]:
    """Central percentile interval of each column of ranks.

    Parameters
    ----------
    positions : ndarray of int, shape (n_replicates, n_candidates)
        Rank of every candidate in every replicate.
    level : float
        Coverage, e.g. 0.95.

    Returns
    -------
    low, high : ndarray of int
        The lower quantile taken at or below, the upper at or above the exact
        percentile, so the interval never claims more precision than the replicates give.
    """
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    low = np.quantile(positions, lo_q, axis=0, method="lower").astype(np.int64)
    high = np.quantile(positions, hi_q, axis=0, method="higher").astype(np.int64)
    return low, high


def _voter_draw(mult: IntArray, rng: np.random.Generator) -> Callable[[], IntArray]:
    total = int(mult.sum())
    probs = mult / total if total else mult.astype(float)
    return lambda: rng.multinomial(total, probs)


def _cluster_draw(
    profile: BallotSet,
    prepared: BallotSet,
    clusters: npt.ArrayLike,
    rng: np.random.Generator,
) -> Callable[[], IntArray]:
    labels = np.asarray(clusters)
    if prepared is not profile:
        raise ValueError("clusters need a profile of the kind the method reads")
    if labels.shape != (profile.n_distinct,):
        raise ValueError(f"clusters must give one label per distinct ballot ({profile.n_distinct})")
    _, cluster = np.unique(labels.astype(str), return_inverse=True)
    cluster = cluster.ravel()
    k = int(cluster.max()) + 1 if len(cluster) else 0
    mult = profile.multiplicity
    even = np.full(k, 1.0 / k) if k else np.zeros(0)

    def draw() -> IntArray:
        times = rng.multinomial(k, even) if k else np.zeros(0, np.int64)
        out: IntArray = mult * times[cluster]
        return out

    return draw
