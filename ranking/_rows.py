"""Row arrays shared by the profile kinds: merging identical ballots, and turning nested
ranking lists or arbitrary rank numbers into dense tie-group positions."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from .types import FloatArray, IntArray, RankingBallot

#: Position given to unranked candidates; larger than any real tie-group position.
UNRANKED = np.int16(np.iinfo(np.int16).max)


def dedupe_rows(
    data: npt.NDArray[Any],
    multiplicity: IntArray,
    weights: FloatArray,
    groups: npt.NDArray[Any] | None,
) -> tuple[IntArray, IntArray]:
    """Find distinct (row, weight, group) combinations.

    Parameters
    ----------
    data : ndarray
        Two-dimensional array, one row per ballot.
    multiplicity, weights : ndarray
        Per-row multiplicity and weight.
    groups : ndarray or None
        Per-row group labels.

    Returns
    -------
    first : ndarray
        Index of the first row of each distinct combination, in input order.
    mult : ndarray
        Summed multiplicity of each distinct combination.

    Notes
    -----
    Rows are compared as bytes.  Each row is hashed to 64 bits (a dot product of its
    words with fixed random odd multipliers), the hashes are sorted, and every row is then
    compared with the first row of its hash class, so a hash collision can never merge two
    different ballots: should one occur, the rows are sorted as whole byte strings instead.
    """
    n = data.shape[0]
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    parts = [np.ascontiguousarray(data).view(np.uint8).reshape(n, -1)]
    parts.append(np.ascontiguousarray(weights, dtype=np.float64).view(np.uint8).reshape(n, 8))
    if groups is not None:
        _, codes = np.unique(np.asarray(groups).astype(str), return_inverse=True)
        parts.append(codes.astype(np.int64).view(np.uint8).reshape(n, 8))
    width = sum(p.shape[1] for p in parts)
    raw = np.zeros((n, -(-width // 8) * 8), dtype=np.uint8)
    at = 0
    for p in parts:
        raw[:, at : at + p.shape[1]] = p
        at += p.shape[1]
    del parts
    words = raw.view(np.uint64)
    key = words @ _multipliers(words.shape[1])
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if not _rows_equal(raw, first[inverse]):
        keys = raw.view(np.dtype((np.void, raw.shape[1]))).ravel()
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
    mult = np.bincount(inverse, weights=multiplicity, minlength=len(first))
    order = np.argsort(first, kind="stable")
    return first[order].astype(np.int64), np.rint(mult[order]).astype(np.int64)


_MULTIPLIERS: dict[int, npt.NDArray[np.uint64]] = {}


def _multipliers(n_words: int) -> npt.NDArray[np.uint64]:
    if n_words not in _MULTIPLIERS:
        rng = np.random.default_rng(20240613 + n_words)
        _MULTIPLIERS[n_words] = rng.integers(0, 2**63, n_words, dtype=np.uint64) * 2 + 1
    return _MULTIPLIERS[n_words]


def _rows_equal(raw: npt.NDArray[np.uint8], other: IntArray) -> bool:
    """True if every row equals row ``other[i]`` (in chunks: the gather is a copy)."""
    step = max(1, 2**24 // max(raw.shape[1], 1))
    for s in range(0, raw.shape[0], step):
        if not np.array_equal(raw[s : s + step], raw[other[s : s + step]]):
            return False
    return True


_GROUP_TYPES = (list, tuple, set, frozenset, np.ndarray)


def _is_group(x: object) -> bool:
    return isinstance(x, _GROUP_TYPES)


def _flatten_rankings(
    ballots: Sequence[RankingBallot],
) -> tuple[IntArray, npt.NDArray[np.int16], list[str]]:
    """Ballot index, tie-group position and id of every ranked entry, in ballot order.

    The nested lists are walked by C-level iterators (``chain``, ``map``); only ballots
    mixing plain ids and groups of unusual types take a Python step per element.
    """
    n = len(ballots)
    lens = np.fromiter(map(len, ballots), dtype=np.int64, count=n)
    items = list(chain.from_iterable(ballots))
    kinds = set(map(type, items))
    if not any(issubclass(t, _GROUP_TYPES) for t in kinds):
        # strict ballots: every element is a group of one
        sizes = np.ones(len(items), dtype=np.int64)
        entries: list[Any] = items
    else:
        if not all(t in (list, tuple) for t in kinds):
            items = [x if _is_group(x) else (x,) for x in items]
        sizes = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
        entries = list(chain.from_iterable(items))
    ballot_of_group = np.repeat(np.arange(n, dtype=np.int64), lens)
    filled = sizes > 0
    # Position of a group = number of non-empty groups before it on its ballot.
    before: IntArray = np.cumsum(filled) - filled
    per_ballot = np.bincount(ballot_of_group, weights=filled, minlength=n).astype(np.int64)
    group_pos = before - np.repeat(np.cumsum(per_ballot) - per_ballot, lens)
    ballot = np.repeat(ballot_of_group, sizes)
    position = np.repeat(group_pos, sizes)
    if len(position) and position.max() >= int(UNRANKED):
        raise ValueError("too many tie-groups on one ballot")
    strings = list(map(str, entries))
    return ballot, position.astype(np.int16), strings


def _dense_ranks(r: np.ndarray) -> np.ndarray:
    """Re-number each row to consecutive tie-group positions; negatives become UNRANKED."""
    r = np.asarray(r)
    n, m = r.shape
    out = np.full((n, m), UNRANKED, dtype=np.int16)
    if n == 0 or m == 0:
        return out
    valid = r >= 0
    big = np.where(valid, r, np.iinfo(np.int64).max).astype(np.int64)
    srt = np.sort(big, axis=1)
    # A new tie-group starts wherever the sorted value changes.
    new = np.ones_like(srt, dtype=bool)
    new[:, 1:] = srt[:, 1:] != srt[:, :-1]
    pos = np.cumsum(new, axis=1) - 1
    # For every entry, find its value's position among the sorted row values.
    idx = np.empty_like(big)
    for_rows = np.arange(n)[:, None]
    loc = np.argsort(big, axis=1, kind="stable")
    sorted_pos = pos
    idx[for_rows, loc] = sorted_pos
    out[valid] = idx[valid].astype(np.int16)
    if m >= int(UNRANKED):
        raise ValueError("too many candidates")
    return out
