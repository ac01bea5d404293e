"""The bulk reader of PrefLib ballot lines (see :mod:`ranking.io.preflib`): a chunk of
well-formed lines becomes count and rank arrays with array operations only, or None when
anything is off, so that the line-by-line reader can name the problem."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..profile import UNRANKED
from ..types import IntArray

# Byte classes of the bulk parser; OTHER (anything else, '#' included) sends a chunk to
# the line-by-line parser.  COUNT is the number that starts a line.
_SPACE, _DIGIT, _COMMA, _COLON, _OPEN, _CLOSE, _NL, _OTHER = range(8)
_COUNT = _OTHER
_LUT = np.full(256, _OTHER, dtype=np.uint8)
_LUT[list(b"0123456789")] = _DIGIT
_LUT[list(b" \t\r")] = _SPACE
_LUT[ord(",")], _LUT[ord(":")], _LUT[ord("{")], _LUT[ord("}")] = _COMMA, _COLON, _OPEN, _CLOSE
_LUT[ord("\n")] = _NL
# _ALLOWED[previous symbol, symbol]: the grammar as neighbours (depth is checked apart).
_ALLOWED = np.zeros((8, 8), dtype=bool)
for _prev, _nexts in {
    _NL: (_COUNT, _NL),
    _COUNT: (_COLON,),
    _COLON: (_DIGIT, _OPEN, _NL),
    _DIGIT: (_COMMA, _CLOSE, _NL),
    _COMMA: (_DIGIT, _OPEN),
    _OPEN: (_DIGIT,),
    _CLOSE: (_COMMA, _NL),
}.items():
    _ALLOWED[_prev, list(_nexts)] = True
_ALLOWED_FLAT = _ALLOWED.ravel()  # indexed by previous * 8 + symbol


@dataclass
class _Parsed:
    """Ballots of one chunk: counts and dense rank rows (ratings for ``cat``)."""

    counts: IntArray
    rows: npt.NDArray[np.int16]
    lines: int


# A count of identical ballots has at most 15 digits (10^15 ballots): the totals then stay
# far inside int64, and anything longer is a mistake in the file, reported with its line.
_COUNT_DIGITS = 15


# The one layout of nearly every real file, read by ``_parse_table``: digits, ',' and ':'
# only (a space only after the colon), the same number of items on every line.
_TABLE_DELETE = b"0123456789,: \n"
_TABLE_TO_COMMA = bytes.maketrans(b":\n", b",,")


def _parse_table(data: bytes, m: int, data_type: str) -> _Parsed | None:
    """Lines ``count: c1,c2,...,ck`` with the same ``k`` on every line, read by numpy's C
    decimal reader (``np.fromstring`` with a separator), after checks on the bytes that
    leave it nothing else to accept: no sign, no leading zero, no empty item, one colon per
    line. Why: the digit-column reader makes a dozen passes over the text; this makes five
    and is what lets a whole 10,000 x 219 run stay at a start-up's cost. None when the
    text has any other shape (the general bulk reader then decides)."""
    if data.translate(None, _TABLE_DELETE) or not data.endswith(b"\n"):
        return None
    n, commas = data.count(b"\n"), data.count(b",")
    if data.count(b":") != n or commas % n:
        return None
    k = commas // n + 1
    a = np.frombuffer(data, dtype=np.uint8)
    colon, nl = np.flatnonzero(a == ord(":")), np.flatnonzero(a == ord("\n"))
    if (colon > nl).any() or (colon[1:] < nl[:-1]).any():
        return None  # a line without its colon, or with two
    comma = np.flatnonzero(a == ord(","))
    if (np.diff(np.searchsorted(comma, nl), prepend=0) != k - 1).any():
        return None  # lines of different lengths
    if k > 1 and (comma[:: k - 1] < colon).any():
        return None  # a comma in the count
    space = np.flatnonzero(a == ord(" "))
    if len(space) and (a[space - 1] != ord(":")).any():
        return None
    zero = np.flatnonzero(a == ord("0"))
    before = a[np.maximum(zero - 1, 0)]
    starts = (zero == 0) | (before < ord("0")) | (before > ord("9"))
    after = a[zero + 1]  # the text ends with a newline, so a zero is never last
    if (starts & (after >= ord("0")) & (after <= ord("9"))).any():
        return None  # a leading zero: candidate 01 is not candidate 1
    try:
        numbers = np.fromstring(data.translate(_TABLE_TO_COMMA), dtype=np.int64, sep=",")
    except ValueError:
        return None  # an empty item
    if numbers.size != n * (k + 1):
        return None
    table = numbers.reshape(n, k + 1)
    counts, cands = table[:, 0], table[:, 1:]
    if counts.max() >= 10**_COUNT_DIGITS or cands.min() < 1 or cands.max() > m:
        return None  # the line-by-line reader names it
    if data_type in ("soc", "toc") and k != m:
        return None
    ranks = np.full((n, m), UNRANKED, dtype=np.int16)
    cands -= 1  # candidate numbers become column indices, in place
    cands += np.arange(0, n * m, m, dtype=np.int64)[:, None]
    ranks.ravel()[cands] = np.arange(k, dtype=np.int16)
    if np.count_nonzero(ranks != UNRANKED) != n * k:
        return None  # a candidate twice on a line
    return _Parsed(counts.copy(), ranks, n)


def _parse_bulk(data: bytes, m: int, data_type: str) -> _Parsed | None:
    """Parse well-formed ballot lines with array operations; None if anything is off."""
    table = _parse_table(data, m, data_type)
    if table is not None:
        return table
    a = np.frombuffer(data, dtype=np.uint8)
    cls = _LUT[a]
    if cls.max() == _OTHER:
        return None
    digit = cls == _DIGIT
    start = digit.copy()
    start[1:] &= ~digit[:-1]
    where = np.flatnonzero(start | (cls >= _COMMA))
    code = cls[where]
    del cls, start
    prev = np.empty_like(code)
    prev[0], prev[1:] = _NL, code[:-1]
    is_count = (code == _DIGIT) & (prev == _NL)
    code[is_count] = _COUNT
    n = int(np.count_nonzero(is_count))
    parsed = _regular(a, digit, where, code, n, m, data_type) if n else None
    if parsed is not None:
        return parsed
    prev[1:] = code[:-1]
    if not _ALLOWED_FLAT[(prev << 3) | code].all():
        return None
    del prev
    is_cand = code == _DIGIT
    if data.find(b"{") < 0 and data.find(b"}") < 0:
        starts_group = is_cand  # no braces: every number is a group of its own
    else:
        if data_type in ("soc", "soi"):
            return None  # braces in a strict file: the line-by-line reader decides
        step = (code == _OPEN).astype(np.int8) - (code == _CLOSE).astype(np.int8)
        depth = np.cumsum(step, dtype=np.int32)
        if (
            (depth[code == _OPEN] != 1).any()
            or (depth[code == _CLOSE] != 0).any()
            or (depth[code == _NL] != 0).any()
        ):
            return None
        # A tie-group starts at '{' or at a number outside braces.
        starts_group = (code == _OPEN) | (is_cand & (depth == 0))
        del depth, step
        if int(starts_group.sum()) != int(is_cand.sum()) and data_type in ("soc", "soi"):
            return None  # a tie
    n_groups = np.cumsum(starts_group, dtype=np.int32)
    line_of = np.cumsum(is_count, dtype=np.int32) - 1
    base = n_groups[is_count]  # groups started before each line's first item
    row = line_of[is_cand]
    pos = (n_groups[is_cand] - base[row] - 1).astype(np.int16)
    length = _run_lengths(digit)
    run = np.cumsum(is_cand | is_count) - 1  # digit run of each number symbol
    counts = _numbers(a, where[is_count], length[run[is_count]], _COUNT_DIGITS)
    cands = _numbers(a, where[is_cand], length[run[is_cand]], len(str(m)))
    del code, n_groups, line_of, starts_group, is_count, is_cand, where
    return _fill(a, counts, cands, row, pos, n, m, data_type)


def _regular(
    a: npt.NDArray[np.uint8],
    digit: npt.NDArray[np.bool_],
    where: IntArray,
    code: npt.NDArray[np.uint8],
    n: int,
    m: int,
    data_type: str,
) -> _Parsed | None:
    """The common layout of ``.soc`` files: every line ``count: c1,c2,...,ck`` with the
    same ``k`` and no blank line; checked against one template row, then read as a table."""
    width = len(code) // n
    k = (width - 2) // 2
    if width * n != len(code) or k < 1 or width != 2 * k + 2:
        return None
    template = np.empty(width, dtype=np.uint8)
    template[0], template[1], template[-1] = _COUNT, _COLON, _NL
    template[2:-1:2], template[3:-1:2] = _DIGIT, _COMMA
    if not (code.reshape(n, width) == template).all():
        return None
    table = where.reshape(n, width)
    # A number ends where the next symbol starts, unless a space comes between.
    length = np.empty((n, k + 1), dtype=np.int64)
    length[:, 0] = table[:, 1] - table[:, 0]
    length[:, 1:] = table[:, 3::2] - table[:, 2:-1:2]
    if not digit[table[:, 0:-1:2] + length - 1].all():
        length = _run_lengths(digit).reshape(n, k + 1)
    counts = _numbers(a, table[:, 0], length[:, 0], _COUNT_DIGITS)
    cands = _numbers(a, table[:, 2:-1:2].ravel(), length[:, 1:].ravel(), len(str(m)))
    row = np.repeat(np.arange(n, dtype=np.int64), k)
    pos = np.tile(np.arange(k, dtype=np.int16), n)
    return _fill(a, counts, cands, row, pos, n, m, data_type)


def _fill(
    a: npt.NDArray[np.uint8],
    counts: IntArray | None,
    cands: IntArray | None,
    row: npt.NDArray[np.integer[Any]],
    pos: npt.NDArray[np.int16],
    n: int,
    m: int,
    data_type: str,
) -> _Parsed | None:
    """Scatter the tie-group positions into rank rows, checking the candidate numbers."""
    if counts is None or cands is None:
        return None
    if len(cands) and (cands.min() < 1 or cands.max() > m):
        return None
    if data_type in ("soc", "toc") and len(cands) != n * m:
        return None  # an incomplete ballot (or a repeated candidate)
    ranks = np.full((n, m), UNRANKED, dtype=np.int16)
    flat = row.astype(np.int64) * m + (cands - 1)
    ranks.ravel()[flat] = pos
    if np.count_nonzero(ranks != UNRANKED) != len(cands):
        return None  # a candidate appears twice on some line
    return _Parsed(counts, ranks, n)


def _run_lengths(digit: npt.NDArray[np.bool_]) -> IntArray:
    """Length of every run of digits, in order."""
    edge = np.diff(digit.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    bounds = np.flatnonzero(edge)
    return bounds[1::2] - bounds[::2]


def _numbers(
    a: npt.NDArray[np.uint8], at: IntArray, length: IntArray, width: int
) -> IntArray | None:
    """Decimal numbers of ``length`` digits starting at positions ``at``; None if one has
    more than ``width`` digits or a leading zero (candidate ``01`` is not candidate ``1``).
    One digit column at a time, for all numbers at once."""
    if not len(at):
        return np.zeros(0, dtype=np.int64)
    if int(length.max()) > width:
        return None
    if width <= 4:
        return _short_numbers(a, at, length)
    dtype = np.int64
    first = a[at]
    if width < 18 and ((first == ord("0")) & (length > 1)).any():
        return None
    value = first.astype(dtype) - 48
    for j in range(1, int(length.max())):
        more = length > j
        value = np.where(
            more, value * 10 + (a[np.where(more, at + j, at)].astype(dtype) - 48), value
        )
    return value.astype(np.int64)


_ZEROS = np.array([0, 1, 11, 111, 1111], dtype=np.uint32) * 48  # '0' * (1, 11, 111, ...)


def _short_numbers(a: npt.NDArray[np.uint8], at: IntArray, length: IntArray) -> IntArray | None:
    """Numbers of at most four digits: the four bytes from each start are read as one
    big-endian word, shifted right past the bytes after the number, and its digits are
    combined with shifts and masks."""
    padded = np.zeros(len(a) + 3, dtype=np.uint8)
    padded[: len(a)] = a
    words = np.ndarray((len(a),), dtype=">u4", buffer=padded, strides=(1,))[at]
    n_digits = length.astype(np.uint32)
    if ((words >> 24 == ord("0")) & (n_digits > 1)).any():
        return None  # a leading zero
    t = words.astype(np.uint32) >> (8 * (4 - n_digits))
    value = (t >> 24) * 1000 + ((t >> 16) & 255) * 100 + ((t >> 8) & 255) * 10 + (t & 255)
    out: IntArray = (value - _ZEROS[n_digits]).astype(np.int64)
    return out
