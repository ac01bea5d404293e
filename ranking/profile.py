"""Ranking profiles: distinct ballots with multiplicities, weights and group labels.

Every profile kind in the package stores *distinct* ballots once, together with how many
voters cast them (``multiplicity``), the weight of each such voter (``weights``) and an
optional group label (``groups``).  Two ballots are merged only when their content, weight
and group all agree, so weighted and per-group results stay exact while the cost of every
method follows the number of distinct ballots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import Any, Self, TypedDict, TypeVar, Unpack

import numpy as np
import numpy.typing as npt

from ._rows import UNRANKED, _dense_ranks, _flatten_rankings, dedupe_rows
from .types import (
    BoolArray,
    Counts,
    FloatArray,
    Groups,
    IntArray,
    Names,
    RankArray,
    RankingBallot,
    Weights,
)

__all__ = ["UNRANKED", "BallotOptions", "BallotSet", "Profile", "dedupe_rows"]


class BallotOptions(TypedDict, total=False):
    """Per-ballot options every profile constructor accepts (all optional, keyword-only).

    Attributes
    ----------
    names : mapping
        Display name per candidate id (defaults to the id).
    counts : sequence of int
        Multiplicity of each ballot (default 1).
    weights : sequence of float
        Weight of each ballot (default 1.0).
    groups : sequence
        Group label of each ballot (e.g. a province).
    """

    names: Names
    counts: Counts
    weights: Weights
    groups: Groups


def _as_ids(candidates: Iterable[Any]) -> tuple[str, ...]:
    ids = tuple(str(c) for c in candidates)
    if len(set(ids)) != len(ids):
        raise ValueError("candidate ids must be unique")
    return ids


@dataclass(frozen=True, eq=False)
class BallotSet:
    """Fields and helpers shared by all profile kinds.

    Attributes
    ----------
    candidates : tuple of str
        Candidate ids in input order; index ``i`` of every array refers to ``candidates[i]``.
    names : dict
        Display name per candidate id (defaults to the id).
    multiplicity : ndarray of int
        Number of voters who cast each distinct ballot.
    weights : ndarray of float
        Weight of each voter of that ballot (1.0 unless given).
    groups : ndarray of str or None
        Group label of each distinct ballot (e.g. a province), or None.
    """

    candidates: tuple[str, ...]
    names: dict[str, str]
    multiplicity: IntArray
    weights: FloatArray
    groups: np.ndarray | None = field(default=None)

    kind = "ballots"

    @property
    def counts(self) -> FloatArray:
        """Effective weight of each distinct ballot (multiplicity times weight)."""
        return self.multiplicity * self.weights

    @property
    def n_candidates(self) -> int:
        """Number of candidates."""
        return len(self.candidates)

    @property
    def n_voters(self) -> int:
        """Number of ballots cast (sum of multiplicities)."""
        return int(self.multiplicity.sum())

    @property
    def n_distinct(self) -> int:
        """Number of distinct ballots stored."""
        return int(self.multiplicity.shape[0])

    @property
    def total_weight(self) -> float:
        """Sum of the effective weights of all ballots."""
        return float(self.counts.sum())

    def _row_arrays(self) -> dict[str, np.ndarray]:
        """Per-distinct-ballot arrays of the concrete profile kind."""
        raise NotImplementedError

    def select(self, mask: BoolArray | IntArray) -> Self:
        """Return the profile restricted to some distinct ballots (a mask or indices).

        Parameters
        ----------
        mask : ndarray of bool or int
            Which distinct ballots to keep.

        Returns
        -------
        BallotSet
            A profile of the same kind.
        """
        rows: dict[str, Any] = {k: v[mask] for k, v in self._row_arrays().items()}
        rows["multiplicity"] = self.multiplicity[mask]
        rows["weights"] = self.weights[mask]
        rows["groups"] = None if self.groups is None else self.groups[mask]
        return replace(self, **rows)

    def with_multiplicity(self, multiplicity: IntArray) -> Self:
        """Return the same distinct ballots with new multiplicities (zero rows dropped).

        Parameters
        ----------
        multiplicity : ndarray of int
            New multiplicity of every distinct ballot.

        Returns
        -------
        BallotSet
            A profile of the same kind.
        """
        keep = np.asarray(multiplicity) > 0
        out = replace(self, multiplicity=np.asarray(multiplicity, dtype=np.int64))
        return out.select(keep)

    def group_labels(self) -> list[str]:
        """Sorted distinct group labels (empty if the profile has no groups).

        Returns
        -------
        list of str
        """
        if self.groups is None:
            return []
        return sorted(set(self.groups.tolist()))

    def by_group(self) -> dict[str, Self]:
        """Split the profile into one profile per group label.

        Returns
        -------
        dict
            Profile by group label.
        """
        if self.groups is None:
            raise ValueError("this profile has no group labels")
        return {g: self.select(self.groups == g) for g in self.group_labels()}

    def unweighted(self) -> Self:
        """Return the profile with every weight set to 1 (merging equal ballots again).

        Returns
        -------
        BallotSet
            A profile of the same kind.
        """
        return replace(self, weights=np.ones_like(self.weights))


def _default_ids(candidates: Sequence[Any] | None, m: int) -> list[str]:
    """The given candidate ids, or ``"0"``, ``"1"``, ... for ``m`` candidates."""
    return [str(i) for i in range(m)] if candidates is None else list(candidates)


def _prepare_common(
    n: int, candidates: Sequence[Any], options: BallotOptions
) -> tuple[tuple[str, ...], dict[str, str], IntArray, FloatArray, npt.NDArray[Any] | None]:
    unexpected = sorted(set(options) - set(BallotOptions.__annotations__))
    if unexpected:  # a misspelled option (``weight=``) must not be silently ignored
        raise TypeError(f"unexpected option(s): {', '.join(unexpected)}")
    names, counts = options.get("names"), options.get("counts")
    weights, groups = options.get("weights"), options.get("groups")
    ids = _as_ids(candidates)
    name_map = {c: c for c in ids}
    if names:
        name_map.update({str(k): str(v) for k, v in names.items()})
    mult = np.ones(n, np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    g = None if groups is None else np.asarray([str(x) for x in groups], dtype=object)
    for label, arr in (("counts", mult), ("weights", w)):
        if arr.shape != (n,):
            raise ValueError(f"{label} must have one entry per ballot ({n})")
    if g is not None and g.shape != (n,):
        raise ValueError(f"groups must have one entry per ballot ({n})")
    if (mult < 0).any():
        raise ValueError("counts must be non-negative")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights must be finite and non-negative")
    return ids, name_map, mult, w, g


_P = TypeVar("_P", bound=BallotSet)


def _merged(
    cls: type[_P],
    key: np.ndarray,
    ids: tuple[str, ...],
    names: dict[str, str],
    mult: IntArray,
    w: FloatArray,
    g: npt.NDArray[Any] | None,
    rows: dict[str, np.ndarray],
    *,
    distinct: bool = False,
    **fields: Any,
) -> _P:
    """A profile of ``cls`` whose ballots equal in ``key`` rows, weight and group are merged.

    ``rows`` are the per-ballot arrays of the profile kind, ``fields`` its other fields;
    ``distinct`` says the caller merged the ballots already (zero multiplicities are dropped).
    """
    if distinct:
        first, total = np.arange(len(mult)), mult
    else:
        first, total = dedupe_rows(key, mult, w, g)
    keep = total > 0
    first, total = first[keep], total[keep]
    return cls(
        candidates=ids,
        names=names,
        multiplicity=total,
        weights=w[first],
        groups=None if g is None else g[first],
        **{k: np.ascontiguousarray(v[first]) for k, v in rows.items()},
        **fields,
    )


@dataclass(frozen=True, eq=False)
class Profile(BallotSet):
    """Ranking ballots (strict, truncated or with ties).

    Attributes
    ----------
    ranks : ndarray of int16, shape (n_distinct, n_candidates)
        Tie-group position of each candidate on each distinct ballot, 0 = best, consecutive;
        :data:`UNRANKED` for candidates the ballot leaves out (they tie below all ranked ones).

    Examples
    --------
    >>> p = Profile.from_rankings([[["a"], ["b", "c"]], ["c", "a", "b"]], candidates="abc")
    >>> p.n_voters, p.n_distinct
    (2, 2)
    """

    ranks: RankArray = field(default_factory=lambda: np.zeros((0, 0), np.int16))

    kind = "rankings"

    def _row_arrays(self) -> dict[str, np.ndarray]:
        return {"ranks": self.ranks}

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_ranks(
        cls,
        ranks: np.ndarray,
        candidates: Sequence[Any] | None = None,
        **options: Unpack[BallotOptions],
    ) -> Profile:
        """Build a profile from a rank array (one row per ballot).

        Parameters
        ----------
        ranks : array_like of int, shape (n_ballots, n_candidates)
            Smaller is better; equal values are ties; negative values mean "unranked".
            Values need not be consecutive (they are re-numbered per ballot).
        candidates : sequence, optional
            Candidate ids (default ``"0"``, ``"1"``, ...).
        **options
            ``names``, ``counts``, ``weights``, ``groups``: see :class:`BallotOptions`.

        Returns
        -------
        Profile
            Equal ballots merged.
        """
        r = np.asarray(ranks)
        if r.ndim != 2:
            raise ValueError("ranks must be a two-dimensional array")
        n, m = r.shape
        cands = _default_ids(candidates, m)
        if len(cands) != m:
            raise ValueError(f"ranks has {m} columns but {len(cands)} candidates were given")
        ids, name_map, mult, w, g = _prepare_common(n, cands, options)
        dense = _dense_ranks(r)
        return _merged(cls, dense, ids, name_map, mult, w, g, {"ranks": dense})

    @classmethod
    def from_orders(
        cls,
        orders: np.ndarray,
        candidates: Sequence[Any] | None = None,
        *,
        n_candidates: int | None = None,
        **options: Unpack[BallotOptions],
    ) -> Profile:
        """Build a profile of strict (possibly truncated) ballots from candidate indices.

        Parameters
        ----------
        orders : array_like of int, shape (n_ballots, k)
            ``orders[i, j]`` is the index of the candidate in position ``j`` of ballot ``i``;
            ``-1`` pads truncated ballots (only at the end).
        candidates : sequence, optional
            Candidate ids; default ``"0"``, ``"1"``, ... for ``n_candidates`` candidates.

        n_candidates : int, optional
            Number of candidates when ``candidates`` is not given.
        **options
            ``names``, ``counts``, ``weights``, ``groups``: see :class:`BallotOptions`.

        Returns
        -------
        Profile
            Equal ballots merged.
        """
        o = np.asarray(orders)
        if o.dtype.kind not in "iu":
            o = o.astype(np.int64)
        if o.ndim != 2:
            raise ValueError("orders must be a two-dimensional array")
        n, k = o.shape
        if candidates is None:
            m = int(n_candidates if n_candidates is not None else (o.max() + 1 if o.size else 0))
            candidates = [str(i) for i in range(m)]
        m = len(candidates)
        if o.size and (o.max() >= m or o.min() < -1):
            raise ValueError("orders contains an index outside the candidate range")
        ids, name_map, mult, w, g = _prepare_common(n, candidates, options)
        # Merge equal ballots on the short index rows first: cheaper than on rank rows.
        first, total = dedupe_rows(o.astype(np.int16, copy=False) if m < 2**15 else o, mult, w, g)
        o, mult, w = o[first], total, w[first]
        g = None if g is None else g[first]
        n = o.shape[0]
        valid = o >= 0
        if k > 1 and (valid[:, 1:] & ~valid[:, :-1]).any():
            raise ValueError("-1 padding must come after all ranked candidates")
        ranks = np.full((n, m), UNRANKED, dtype=np.int16)
        if valid.all():
            positions = np.broadcast_to(np.arange(k, dtype=np.int16), (n, k))
            step = max(1, 2**21 // max(k, 1))  # chunks: indices become intp internally
            for s in range(0, n, step):
                np.put_along_axis(
                    ranks[s : s + step],
                    o[s : s + step].astype(np.intp),
                    positions[s : s + step],
                    axis=1,
                )
        else:
            rows, cols = np.nonzero(valid)
            ranks[rows, o[rows, cols]] = cols
        seen = (ranks != UNRANKED).sum(axis=1)
        if (seen != valid.sum(axis=1)).any():
            raise ValueError("a ballot ranks the same candidate twice")
        return _merged(cls, ranks, ids, name_map, mult, w, g, {"ranks": ranks}, distinct=True)

    @classmethod
    def from_rankings(
        cls,
        ballots: Sequence[RankingBallot],
        candidates: Sequence[Any] | None = None,
        **options: Unpack[BallotOptions],
    ) -> Profile:
        """Build a profile from Python ballots.

        Parameters
        ----------
        ballots : sequence
            Each ballot lists tie-groups from best to worst, e.g. ``[["a"], ["b", "c"]]``;
            a plain element instead of a list is a group of one, so ``["a", "b"]`` is a strict
            ballot.  Candidates left out are unranked (tied below every ranked candidate).
        candidates : sequence, optional
            Candidate ids.  If omitted, ids are collected in order of first appearance.
            Integer entries in ballots are matched as strings (``1`` and ``"1"`` agree).
        **options
            ``names``, ``counts``, ``weights``, ``groups``: see :class:`BallotOptions`.

        Returns
        -------
        Profile
            Equal ballots merged.

        Raises
        ------
        ValueError
            Naming the ballot with an unknown or repeated candidate.
        """
        n = len(ballots)
        ballot, position, strings = _flatten_rankings(ballots)
        if candidates is None:
            candidates = list(dict.fromkeys(strings))
        ids = _as_ids(candidates)
        m = len(ids)
        index = {c: i for i, c in enumerate(ids)}
        col = np.fromiter(map(index.get, strings, repeat(-1)), dtype=np.int64, count=len(strings))
        if (col < 0).any():
            bad = int(np.argmax(col < 0))
            raise ValueError(f"ballot {ballot[bad] + 1}: unknown candidate {strings[bad]!r}")
        ranks = np.full((n, m), UNRANKED, dtype=np.int16)
        ranks.ravel()[ballot * m + col] = position
        if np.count_nonzero(ranks != UNRANKED) != len(col):
            per_ballot = np.bincount(ballot, minlength=n)
            bad = int(np.argmax((ranks != UNRANKED).sum(axis=1) != per_ballot))
            mine = [strings[i] for i in np.flatnonzero(ballot == bad)]
            twice = next(c for c in mine if mine.count(c) > 1)
            raise ValueError(f"ballot {bad + 1}: candidate {twice!r} appears twice")
        ids, name_map, mult, w, g = _prepare_common(n, ids, options)
        return _merged(cls, ranks, ids, name_map, mult, w, g, {"ranks": ranks})

    @classmethod
    def from_dense_ranks(
        cls,
        ranks: RankArray,
        candidates: Sequence[Any],
        *,
        distinct: bool = False,
        **options: Unpack[BallotOptions],
    ) -> Profile:
        """Build a profile from rank rows that are already in the stored form.

        Parameters
        ----------
        ranks : ndarray of int16, shape (n_ballots, n_candidates)
            Consecutive tie-group positions from 0 on each row, :data:`UNRANKED` for
            unranked candidates (as the readers produce them; not re-checked).
        candidates : sequence
            Candidate ids.
        **options
            ``names``, ``counts``, ``weights``, ``groups``: see :class:`BallotOptions`.
        distinct : bool
            True when no two rows are equal with equal weight and group (the caller merged
            them already), which skips merging.

        Returns
        -------
        Profile
            Equal ballots merged.
        """
        r = np.asarray(ranks, dtype=np.int16)
        if r.ndim != 2 or r.shape[1] != len(candidates):
            raise ValueError("ranks must have one column per candidate")
        ids, name_map, mult, w, g = _prepare_common(r.shape[0], candidates, options)
        return _merged(cls, r, ids, name_map, mult, w, g, {"ranks": r}, distinct=distinct)

    # ------------------------------------------------------------------- queries
    @property
    def ranked(self) -> BoolArray:
        """Mask of ranked candidates per distinct ballot."""
        ranked: BoolArray = self.ranks != UNRANKED
        return ranked

    @property
    def max_ranked(self) -> int:
        """Largest number of candidates ranked on one ballot."""
        return int(self.ranked.sum(axis=1).max()) if self.n_distinct else 0

    @property
    def is_complete_strict(self) -> bool:
        """True if every ballot is a strict ranking of all candidates."""
        m = self.n_candidates
        if self.n_distinct == 0:
            return True
        return bool((self.ranks.max(axis=1) == m - 1).all() and self.ranked.all())

    @property
    def has_ties(self) -> bool:
        """True if some ballot ties two ranked candidates."""
        r = self.ranks
        if r.size == 0:
            return False
        n_groups = np.where(self.ranked, r, -1).max(axis=1) + 1
        return bool((n_groups < self.ranked.sum(axis=1)).any())

    def ranked_order(self) -> tuple[np.ndarray, np.ndarray]:
        """Ranked candidates of every distinct ballot, best first, padded to ``max_ranked``.

        Returns
        -------
        order : ndarray of int32, shape (n_distinct, max_ranked)
            Candidate indices (padding entries are 0; mask them with ``pos``).
        pos : ndarray of int16, same shape
            Their tie-group positions; :data:`UNRANKED` marks padding.
        """
        r = self.ranks
        d, m = r.shape
        k = max(self.max_ranked, 1)
        if 4 * k >= m:
            # Long ballots: sort whole rows, in chunks so the int64 sort indices stay small.
            order = np.empty((d, k), dtype=np.int32)
            pos = np.empty((d, k), dtype=np.int16)
            step = max(1, 2**21 // max(m, 1))
            for s in range(0, d, step):
                o = np.argsort(r[s : s + step], axis=1, kind="stable")[:, :k]
                order[s : s + step] = o
                pos[s : s + step] = np.take_along_axis(r[s : s + step], o, axis=1)
            return order, pos
        # Short ballots: sorting only the ranked entries beats sorting whole rows.
        rows, cols = np.nonzero(r != UNRANKED)
        srt = np.argsort(rows.astype(np.int64) * (m + 1) + r[rows, cols], kind="stable")
        rows, cols = rows[srt], cols[srt]
        starts = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=d))[:-1]])
        slot = np.arange(len(rows)) - starts[rows]
        order = np.zeros((d, k), np.int32)
        pos = np.full((d, k), UNRANKED, dtype=np.int16)
        order[rows, slot] = cols
        pos[rows, slot] = r[rows, cols]
        return order, pos

    def ballots(self) -> list[tuple[list[list[str]], int, float, str | None]]:
        """Distinct ballots as ``(tie_groups, multiplicity, weight, group)`` tuples.

        Returns
        -------
        list of tuple
        """
        out = []
        for i in range(self.n_distinct):
            row = self.ranks[i]
            groups: list[list[str]] = []
            for pos in np.unique(row[row != UNRANKED]):
                groups.append([self.candidates[j] for j in np.flatnonzero(row == pos)])
            g = None if self.groups is None else str(self.groups[i])
            out.append((groups, int(self.multiplicity[i]), float(self.weights[i]), g))
        return out

    def restrict(self, candidates: Sequence[Any]) -> Profile:
        """Profile on a subset of candidates (ranks re-numbered, ballots merged again).

        Parameters
        ----------
        candidates : sequence
            The candidate ids to keep, in the new order.

        Returns
        -------
        Profile
        """
        ids = [str(c) for c in candidates]
        cols = [self.candidates.index(c) for c in ids]
        r = self.ranks[:, cols].astype(np.int32)
        r[r == UNRANKED] = -1
        return Profile.from_ranks(
            r,
            ids,
            names={c: self.names[c] for c in ids},
            counts=self.multiplicity,
            weights=self.weights,
            groups=self.groups,
        )
