"""Ballot payloads as numpy arrays: the building blocks of the ranking profiles.

Payloads are decoded here by C-level iterators (``chain``, ``map``) and numpy, never by a
Python statement per ballot, so that counting 185 ballots over 219 items stays fast.
"""

from __future__ import annotations

from itertools import chain, repeat
from operator import methodcaller

import numpy as np

from memorandum.survey.models import RATING_CRITERIA


def entries(lists: list, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Row and item index of every known code in per-ballot lists, flattened in order."""
    lens = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = list(chain.from_iterable(lists))
    col = np.fromiter(map(index.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    row = np.repeat(np.arange(len(lists), dtype=np.int64), lens)
    known = col >= 0
    return row[known], col[known]


def orders(lists: list, codes: list[str], k: int) -> np.ndarray:
    """Each ballot's first ``k`` known codes as item indices, ``-1`` padded."""
    row, col = entries(lists, {c: i for i, c in enumerate(codes)})
    slot = np.arange(len(row)) - np.searchsorted(row, row)  # position among known codes
    keep = slot < k
    out = np.full((len(lists), k), -1, dtype=np.int64)
    out[row[keep], slot[keep]] = col[keep]
    return out


def matrix(dicts: list, codes: list[str], empty: float) -> np.ndarray:
    """``{code: value}`` per ballot as a ballots x items matrix (None = NaN)."""
    index = {c: i for i, c in enumerate(codes)}
    lens = np.fromiter(map(len, dicts), dtype=np.int64, count=len(dicts))
    keys = list(chain.from_iterable(map(dict.keys, dicts)))
    values = np.array(list(chain.from_iterable(map(dict.values, dicts))), dtype=float)
    col = np.fromiter(map(index.get, keys, repeat(-1)), dtype=np.int64, count=len(keys))
    row = np.repeat(np.arange(len(dicts), dtype=np.int64), lens)
    known = col >= 0
    out = np.full((len(dicts), len(codes)), empty)
    out[row[known], col[known]] = values[known]
    return out


def criteria(payloads: list[dict], codes: list[str]) -> dict[str, np.ndarray]:
    """Level (0–3, NaN = no opinion) per ballot and item, for each rating criterion."""
    return {
        name: matrix(list(map(methodcaller("get", name, {}), payloads)), codes, np.nan)
        for name, _label in RATING_CRITERIA
    }


def combined_grades(payloads: list[dict], codes: list[str]) -> np.ndarray:
    """Importance plus urgency (0–6); one criterion counts double when the other has no opinion."""
    levels = np.stack(list(criteria(payloads, codes).values()))
    given = (~np.isnan(levels)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(given > 0, np.nansum(levels, axis=0) * len(levels) / given, np.nan)
