"""Bulk helpers shared by the CSV and JSON readers: columns of strings to arrays.

Strings are split, stripped and looked up by C-level iterators (``str.split``,
``map(dict.get)``, ``np.fromiter``) and numpy; no Python statement runs per ballot.  Each
helper returns None when a value is malformed, so that the caller can hand the input to
its line-by-line reader for an exact error message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat

import numpy as np
import numpy.typing as npt

from ..types import BoolArray, FloatArray, IntArray

__all__ = ["Tokens", "codes", "counts_column", "split_column", "weights_column"]


class Tokens:
    """Entries of a column of lists such as ``a>b=c`` or ``a;b``.

    Attributes
    ----------
    row : ndarray of int
        Row of each entry.
    text : list of str
        The stripped entries, in row order.
    joined : ndarray of bool
        True where the entry is joined to the previous one by the "same group" separator.
    """

    def __init__(self, row: IntArray, text: list[str], joined: BoolArray) -> None:
        self.row, self.text, self.joined = row, text, joined

    def position(self) -> IntArray:
        """Tie-group position of each entry on its row (0 = first group)."""
        before = np.cumsum(~self.joined) - 1
        return before - before[np.searchsorted(self.row, self.row)]


def split_column(values: Sequence[str], next_group: str, same_group: str = "") -> Tokens | None:
    """Split every value on the separators; blank values have no entries.

    Returns None if a value holds a newline or an empty entry (``a>>b``).
    """
    seps = next_group + same_group
    joined = "\n".join(values) + "\n"
    if joined.count("\n") != len(values):
        return None
    pieces = re.split(f"[{re.escape(seps)}\n]", joined)[:-1]
    raw = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    is_sep = np.isin(raw, np.frombuffer((seps + "\n").encode(), dtype=np.uint8))
    after = raw[is_sep]  # the separator ending each piece
    del raw, is_sep
    text = list(map(str.strip, pieces))
    empty = np.fromiter(map(len, text), dtype=np.int64, count=len(text)) == 0
    ends_row = after == ord("\n")
    piece_row = np.cumsum(ends_row) - ends_row
    # A blank value is one empty piece ended by the newline: no entries on that row.
    before = np.empty(len(after), dtype=np.uint8)
    before[:1] = ord("\n")
    before[1:] = after[:-1]
    blank = empty & ends_row & (before == ord("\n"))
    if (empty & ~blank).any():
        return None
    keep = ~blank
    joined_prev = before != ord("\n")
    if same_group:
        joined_prev &= before == ord(same_group)
    else:
        joined_prev[:] = False
    idx = np.flatnonzero(keep)
    return Tokens(piece_row[idx].astype(np.int64), [text[i] for i in idx], joined_prev[idx])


def codes(strings: Sequence[str], ids: Sequence[str] | None) -> tuple[IntArray, list[str]]:
    """Index of every string in ``ids`` (-1 if absent); without ``ids``, the distinct strings
    in order of first appearance become the ids."""
    if ids is None:
        ids = list(dict.fromkeys(strings))
    index = {c: i for i, c in enumerate(ids)}
    out = np.fromiter(map(index.get, strings, repeat(-1)), dtype=np.int64, count=len(strings))
    return out, list(ids)


def _stripped(values: Sequence[str], default: str) -> npt.NDArray[np.str_]:
    arr = np.char.strip(np.asarray(values, dtype=str)) if len(values) else np.zeros(0, str)
    return np.where(arr == "", default, arr)


def counts_column(values: Sequence[str] | None, n: int) -> IntArray | None:
    """Non-negative integer counts (blank = 1); None if one is malformed."""
    if values is None:
        return np.ones(n, dtype=np.int64)
    arr = _stripped(values, "1")
    if len(arr) and not np.char.isdigit(arr).all():
        return None
    return arr.astype(np.int64)


def weights_column(values: Sequence[str] | None, n: int) -> FloatArray | None:
    """Finite non-negative weights (blank = 1); None if one is malformed."""
    if values is None:
        return np.ones(n)
    try:
        w = _stripped(values, "1").astype(np.float64)
    except ValueError:
        return None
    if not np.isfinite(w).all() or (w < 0).any():
        return None
    return w
