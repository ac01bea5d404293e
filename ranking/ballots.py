"""Profiles for the non-ranking ballot kinds: ratings, approvals, points and pairwise choices.

Like :class:`ranking.profile.Profile`, each stores distinct ballots once with a multiplicity,
a weight and an optional group label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any, Unpack

import numpy as np
import numpy.typing as npt

from .profile import (
    BallotOptions,
    BallotSet,
    Profile,
    _default_ids,
    _merged,
    _prepare_common,
)
from .types import BoolArray, FloatArray, IntArray

__all__ = ["RatingProfile", "ApprovalProfile", "PointsProfile", "PairwiseProfile"]


def _ids_from(candidates: Sequence[Any] | None, seen: list[Any]) -> list[str]:
    if candidates is not None:
        return [str(c) for c in candidates]
    out: dict[str, None] = {}
    for c in seen:
        out.setdefault(str(c), None)
    return list(out)


@dataclass(frozen=True, eq=False)
class RatingProfile(BallotSet):
    """Ratings on an ordered scale.

    Attributes
    ----------
    grades : ndarray of float, shape (n_distinct, n_candidates)
        Level index on the scale (0 = worst); NaN = "no opinion".
    scale : tuple of str
        Level labels from worst to best.
    """

    grades: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    scale: tuple[str, ...] = ()

    kind = "ratings"

    def _row_arrays(self) -> dict[str, np.ndarray]:
        return {"grades": self.grades}

    @classmethod
    def from_array(
        cls,
        grades: np.ndarray,
        scale: Sequence[Any] | int,
        candidates: Sequence[Any] | None = None,
        **options: Unpack[BallotOptions],
    ) -> RatingProfile:
        """Build from level indices (``0 .. len(scale) - 1``, NaN = no opinion).

        Parameters
        ----------
        grades : array_like of float, shape (n_ballots, n_candidates)
            Level index per ballot and candidate; NaN = no opinion.
        scale : sequence or int
            Level labels from worst to best, or just their number.
        candidates : sequence, optional
            Candidate ids (default ``"0"``, ``"1"``, ...).
        **options
            ``names``, ``counts``, ``weights``, ``groups``: see :class:`BallotOptions`.

        Returns
        -------
        RatingProfile
            Equal ballots merged.
        """
        g = np.array(grades, dtype=np.float64)
        if g.ndim != 2:
            raise ValueError("grades must be a two-dimensional array")
        labels = (
            tuple(str(i) for i in range(scale))
            if isinstance(scale, int)
            else tuple(str(s) for s in scale)
        )
        n, m = g.shape
        ok = np.isnan(g) | ((g >= 0) & (g < len(labels)) & (g == np.round(g)))
        if not ok.all():
            i, j = np.argwhere(~ok)[0]
            raise ValueError(f"ballot {i + 1}: grade {g[i, j]} is not a level of the scale")
        g[np.isnan(g)] = np.nan  # one NaN bit pattern so equal ballots merge
        ids, nm, mult, w, grp = _prepare_common(n, _default_ids(candidates, m), options)
        return _merged(cls, g, ids, nm, mult, w, grp, {"grades": g}, scale=labels)

    @classmethod
    def from_ratings(
        cls,
        ballots: Sequence[Mapping[Any, Any]],
        scale: Sequence[Any],
        candidates: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> RatingProfile:
        """Build from dicts ``{candidate: level label}``; missing or None = no opinion.

        Parameters
        ----------
        ballots : sequence of mappings
            ``{candidate: level label}`` per ballot.
        scale : sequence
            Level labels from worst to best.
        candidates : sequence, optional
            Candidate ids; by default in order of first appearance.
        **kwargs
            As :meth:`from_array`.

        Returns
        -------
        RatingProfile
        """
        labels = [str(s) for s in scale]
        level = {s: i for i, s in enumerate(labels)}
        ids = _ids_from(candidates, [c for b in ballots for c in b])
        index = {c: j for j, c in enumerate(ids)}
        g = np.full((len(ballots), len(ids)), np.nan)
        for i, b in enumerate(ballots):
            for c, v in b.items():
                if v is None:
                    continue
                if str(c) not in index:
                    raise ValueError(f"ballot {i + 1}: unknown candidate {c!r}")
                if str(v) not in level:
                    raise ValueError(f"ballot {i + 1}: {v!r} is not a level of the scale")
                g[i, index[str(c)]] = level[str(v)]
        return cls.from_array(g, labels, ids, **kwargs)

    def to_rankings(self) -> Profile:
        """Rankings with ties: higher level ranks higher; no opinion is unranked.

        Returns
        -------
        Profile
        """
        r = np.where(np.isnan(self.grades), -1, len(self.scale) - 1 - np.nan_to_num(self.grades))
        return Profile.from_ranks(
            r.astype(np.int64),
            self.candidates,
            names=self.names,
            counts=self.multiplicity,
            weights=self.weights,
            groups=self.groups,
        )

    def to_approvals(self, threshold: int | None = None) -> ApprovalProfile:
        """Approve the candidates rated at level ``threshold`` or above (default: top level).

        Parameters
        ----------
        threshold : int, optional
            Lowest approved level index.

        Returns
        -------
        ApprovalProfile
        """
        t = len(self.scale) - 1 if threshold is None else threshold
        return ApprovalProfile(
            self.candidates,
            self.names,
            self.multiplicity,
            self.weights,
            self.groups,
            approved=np.nan_to_num(self.grades, nan=-1) >= t,
        )


@dataclass(frozen=True, eq=False)
class ApprovalProfile(BallotSet):
    """Approval ballots: ``approved[i, j]`` is True if ballot ``i`` approves candidate ``j``."""

    approved: BoolArray = field(default_factory=lambda: np.zeros((0, 0), bool))

    kind = "approvals"

    def _row_arrays(self) -> dict[str, np.ndarray]:
        return {"approved": self.approved}

    @classmethod
    def from_array(
        cls,
        approved: npt.ArrayLike,
        candidates: Sequence[Any] | None = None,
        **options: Unpack[BallotOptions],
    ) -> ApprovalProfile:
        """Build from a boolean matrix.

        Parameters
        ----------
        approved : array_like of bool, shape (n_ballots, n_candidates)
            True where the ballot approves the candidate.
        candidates : sequence, optional
            Candidate ids (default ``"0"``, ``"1"``, ...).
        **options
            ``names``, ``counts``, ``weights``, ``groups``: see :class:`BallotOptions`.

        Returns
        -------
        ApprovalProfile
            Equal ballots merged.
        """
        a = np.asarray(approved, dtype=bool)
        if a.ndim != 2:
            raise ValueError("approved must be a two-dimensional array")
        n, m = a.shape
        ids, nm, mult, w, grp = _prepare_common(n, _default_ids(candidates, m), options)
        return _merged(cls, a, ids, nm, mult, w, grp, {"approved": a})

    @classmethod
    def from_approvals(
        cls,
        ballots: Sequence[Sequence[Any]],
        candidates: Sequence[Any] | None = None,
        **options: Unpack[BallotOptions],
    ) -> ApprovalProfile:
        """Build from the list of approved candidates of each ballot.

        Parameters
        ----------
        ballots : sequence of sequences
            The approved candidate ids of each ballot.
        candidates : sequence, optional
            Candidate ids; by default in order of first appearance.
        **options
            ``names``, ``counts``, ``weights``, ``groups``: see :class:`BallotOptions`.

        Returns
        -------
        ApprovalProfile
            Equal ballots merged.
        """
        n = len(ballots)
        lens = np.fromiter(map(len, ballots), dtype=np.int64, count=n)
        strings = list(map(str, chain.from_iterable(ballots)))
        ids = list(dict.fromkeys(strings)) if candidates is None else [str(c) for c in candidates]
        index = {c: j for j, c in enumerate(ids)}
        col = np.fromiter(map(index.get, strings, repeat(-1)), dtype=np.int64, count=len(strings))
        row = np.repeat(np.arange(n, dtype=np.int64), lens)
        if (col < 0).any():
            bad = int(np.argmax(col < 0))
            raise ValueError(f"ballot {row[bad] + 1}: unknown candidate {strings[bad]!r}")
        a = np.zeros((n, len(ids)), dtype=bool)
        a[row, col] = True
        return cls.from_array(a, ids, **options)


@dataclass(frozen=True, eq=False)
class PointsProfile(BallotSet):
    """Point allocations: ``points[i, j]`` points given by ballot ``i`` to candidate ``j``."""

    points: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))

    kind = "points"

    def _row_arrays(self) -> dict[str, np.ndarray]:
        return {"points": self.points}

    @classmethod
    def from_array(
        cls,
        points: np.ndarray,
        candidates: Sequence[Any] | None = None,
        *,
        budget: float | None = None,
        **options: Unpack[BallotOptions],
    ) -> PointsProfile:
        """Build from an array of non-negative points.

        Parameters
        ----------
        points : array_like of float, shape (n_ballots, n_candidates)
            Points per ballot and candidate.
        candidates : sequence, optional
            Candidate ids (default ``"0"``, ``"1"``, ...).
        budget : float, optional
            Cap on each ballot's total.
        **options
            ``names``, ``counts``, ``weights``, ``groups``: see :class:`BallotOptions`.

        Returns
        -------
        PointsProfile
            Equal ballots merged.
        """
        p = np.array(points, dtype=np.float64)
        if p.ndim != 2:
            raise ValueError("points must be a two-dimensional array")
        if not np.isfinite(p).all() or (p < 0).any():
            i = int(np.argwhere(~np.isfinite(p) | (p < 0))[0][0])
            raise ValueError(f"ballot {i + 1}: points must be finite and non-negative")
        if budget is not None:
            over = np.flatnonzero(p.sum(axis=1) > budget + 1e-9)
            if len(over):
                raise ValueError(f"ballot {over[0] + 1}: allocates more than the budget {budget}")
        n, m = p.shape
        ids, nm, mult, w, grp = _prepare_common(n, _default_ids(candidates, m), options)
        return _merged(cls, p, ids, nm, mult, w, grp, {"points": p})

    @classmethod
    def from_points(
        cls,
        ballots: Sequence[Mapping[Any, float]],
        candidates: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> PointsProfile:
        """Build from dicts ``{candidate: points}`` (missing = 0).

        Parameters
        ----------
        ballots : sequence of mappings
            ``{candidate: points}`` per ballot.
        candidates : sequence, optional
            Candidate ids; by default in order of first appearance.
        **kwargs
            As :meth:`from_array`.

        Returns
        -------
        PointsProfile
        """
        ids = _ids_from(candidates, [c for b in ballots for c in b])
        index = {c: j for j, c in enumerate(ids)}
        p = np.zeros((len(ballots), len(ids)))
        for i, b in enumerate(ballots):
            for c, v in b.items():
                if str(c) not in index:
                    raise ValueError(f"ballot {i + 1}: unknown candidate {c!r}")
                p[i, index[str(c)]] = float(v)
        return cls.from_array(p, ids, **kwargs)


@dataclass(frozen=True, eq=False)
class PairwiseProfile(BallotSet):
    """Pairwise choices.

    Attributes
    ----------
    first, second : ndarray of int
        Candidate indices of each distinct choice.  When ``tie`` is False, ``first`` won.
    tie : ndarray of bool
        True for "can't decide" (then ``first < second``).
    """

    first: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    second: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    tie: BoolArray = field(default_factory=lambda: np.zeros(0, bool))

    kind = "pairwise"

    def _row_arrays(self) -> dict[str, np.ndarray]:
        return {"first": self.first, "second": self.second, "tie": self.tie}

    @classmethod
    def from_choices(
        cls,
        choices: Sequence[tuple[Any, Any] | tuple[Any, Any, Any]],
        candidates: Sequence[Any] | None = None,
        **options: Unpack[BallotOptions],
    ) -> PairwiseProfile:
        """Build from ``(winner, loser)`` pairs or ``(a, b, choice)`` triples.

        In a triple, ``choice`` is ``a``, ``b`` or None for "can't decide".

        Parameters
        ----------
        choices : sequence of tuples
            ``(winner, loser)`` or ``(a, b, choice)``.
        candidates : sequence, optional
            Candidate ids; by default in order of first appearance.
        **options
            ``names``, ``counts``, ``weights``, ``groups`` (one per choice): see
            :class:`BallotOptions`.

        Returns
        -------
        PairwiseProfile
        """
        ids = _ids_from(candidates, [c for ch in choices for c in ch[:2]])
        index = {c: j for j, c in enumerate(ids)}
        n = len(choices)
        a = np.zeros(n, np.int64)
        b = np.zeros(n, np.int64)
        t = np.zeros(n, bool)
        for i, ch in enumerate(choices):
            x, y = str(ch[0]), str(ch[1])
            for c in (x, y):
                if c not in index:
                    raise ValueError(f"choice {i + 1}: unknown candidate {c!r}")
            if x == y:
                raise ValueError(f"choice {i + 1}: a candidate cannot be compared with itself")
            if len(ch) == 3:
                w = ch[2]
                if w is None:
                    t[i] = True
                elif str(w) == y:
                    x, y = y, x
                elif str(w) != x:
                    raise ValueError(f"choice {i + 1}: choice {w!r} is neither {x!r} nor {y!r}")
            a[i], b[i] = index[x], index[y]
        return cls.from_arrays(a, b, t, ids, **options)

    @classmethod
    def from_arrays(
        cls,
        winners: IntArray,
        losers: IntArray,
        tie: BoolArray | None = None,
        candidates: Sequence[Any] | None = None,
        **options: Unpack[BallotOptions],
    ) -> PairwiseProfile:
        """Build from index arrays (``tie[i]`` True = "can't decide" between the two).

        Parameters
        ----------
        winners, losers : ndarray of int
            Candidate indices of each choice.
        tie : ndarray of bool, optional
            True for "can't decide" between the two.
        candidates : sequence, optional
            Candidate ids (default ``"0"``, ``"1"``, ...).
        **options
            ``names``, ``counts``, ``weights``, ``groups`` (one per choice): see
            :class:`BallotOptions`.

        Returns
        -------
        PairwiseProfile
        """
        a = np.asarray(winners, dtype=np.int64)
        b = np.asarray(losers, dtype=np.int64)
        t = np.zeros(len(a), bool) if tie is None else np.asarray(tie, dtype=bool)
        m = (
            int(max(a.max(initial=-1), b.max(initial=-1)) + 1)
            if candidates is None
            else len(candidates)
        )
        cands = _default_ids(candidates, m)
        if len(a) and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= m):
            raise ValueError("candidate index out of range")
        if (a == b).any():
            raise ValueError("a candidate cannot be compared with itself")
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        a, b = np.where(t, lo, a), np.where(t, hi, b)  # ties stored in a canonical order
        ids, nm, mult, w, grp = _prepare_common(len(a), cands, options)
        data = np.stack([a, b, t.astype(np.int64)], axis=1)
        return _merged(cls, data, ids, nm, mult, w, grp, {"first": a, "second": b, "tie": t})

    def win_matrix(self, ties: str = "ignore") -> FloatArray:
        """``W[i, j]`` = weight of choices of ``i`` over ``j``.

        ``ties="half"`` counts a "can't decide" as half a win each way; ``"ignore"`` drops it.

        Parameters
        ----------
        ties : {"ignore", "half"}
            How "can't decide" counts.

        Returns
        -------
        ndarray, shape (m, m)
        """
        m = self.n_candidates
        w = np.zeros((m, m))
        c = self.counts
        strict = ~self.tie
        np.add.at(w, (self.first[strict], self.second[strict]), c[strict])
        if ties == "half":
            np.add.at(w, (self.first[self.tie], self.second[self.tie]), c[self.tie] / 2)
            np.add.at(w, (self.second[self.tie], self.first[self.tie]), c[self.tie] / 2)
        elif ties != "ignore":
            raise ValueError("ties must be 'ignore' or 'half'")
        return w
