"""PrefLib files: ``soc``, ``soi``, ``toc``, ``toi`` (rankings) and ``cat`` (categories).

Ballot lines are parsed in bulk.  A chunk in the layout of nearly every real file (the
same number of candidates on every line, no ties) is checked with a few byte counts and
read by numpy's C decimal reader as one table.  Any other chunk is classified byte by
byte with numpy, the grammar ``count: item, item, ...`` (an item is a number or ``{n, n}``)
is checked on the sequence of symbols as a table of allowed neighbours, numbers are read
digit column by digit column and each candidate's tie-group position is a cumulative sum.
No Python code runs per ballot or per candidate.  A chunk that fails any check is read
again line by line by the reference parser, which names the first bad line and the problem;
so error messages are exact while well-formed files never pay for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ..ballots import RatingProfile
from ..profile import UNRANKED, BallotSet, Profile, dedupe_rows
from ..types import IntArray
from ._chunks import Chunk, chunks_of_bytes
from .errors import ParseError

__all__ = ["PREFLIB_TYPES", "read_preflib", "read_preflib_chunks"]

PREFLIB_TYPES = ("soc", "soi", "toc", "toi", "cat")

_HEADER = re.compile(r"^#\s*([^:]+?)\s*:\s?(.*)$")

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
class _Header:
    """What the ``#`` lines declare, with the line of each entry."""

    meta: dict[str, tuple[int, str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)

    def add(self, line: str, lineno: int, source: str, *, in_body: bool) -> None:
        m = _HEADER.match(line)
        if not m:
            return  # a free comment
        key, value = m.group(1).upper(), m.group(2).strip()
        if in_body and (
            key.startswith(("ALTERNATIVE NAME ", "CATEGORY NAME ")) or key == "NUMBER ALTERNATIVES"
        ):
            raise ParseError(source, lineno, f"header {key} after the first ballot line")
        if key.startswith("ALTERNATIVE NAME "):
            self.names[key.split()[-1]] = value
        elif key.startswith("CATEGORY NAME "):
            num = key.split()[-1]
            if not num.isdigit():
                raise ParseError(source, lineno, f"bad category number {num!r}")
            self.categories[int(num)] = value
        else:
            self.meta[key] = (lineno, value)

    def integer(self, key: str, source: str) -> int | None:
        if key not in self.meta:
            return None
        lineno, value = self.meta[key]
        if not value.isdigit():
            raise ParseError(source, lineno, f"{key} {value!r} is not an integer")
        return int(value)


@dataclass
class _Parsed:
    """Ballots of one chunk: counts and dense rank rows (ratings for ``cat``)."""

    counts: IntArray
    rows: npt.NDArray[np.int16]
    lines: int


# A count of identical ballots has at most 15 digits (10^15 ballots): the totals then stay
# far inside int64, and anything longer is a mistake in the file, reported with its line.
_COUNT_DIGITS = 15


def read_preflib(text: str | bytes, data_type: str, *, source: str = "<preflib>") -> BallotSet:
    """Parse a PrefLib file held in memory.

    Parameters
    ----------
    text : str or bytes
        The file's content.
    data_type : {"soc", "soi", "toc", "toi", "cat"}
        ``soc``: complete strict orders; ``soi``: strict, possibly incomplete; ``toc``:
        complete with ties; ``toi``: incomplete with ties - all give a :class:`Profile`.
        ``cat`` gives a :class:`RatingProfile` whose scale is the categories, the first
        (best) category being the top level; a candidate in no category has no opinion.
    source : str
        Name used in error messages.

    Returns
    -------
    Profile or RatingProfile
        Candidate ids are the numbers of the file (as strings); names come from
        ``ALTERNATIVE NAME`` lines.

    Raises
    ------
    ParseError
        Naming the line and the problem.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_preflib_chunks(chunks_of_bytes(data), data_type, source=source)


def read_preflib_chunks(
    chunks: Iterable[Chunk], data_type: str, *, source: str = "<preflib>"
) -> BallotSet:
    """Parse a PrefLib file given as line-aligned byte chunks (see :func:`read_preflib`).

    Parameters
    ----------
    chunks : iterable of (bytes, int)
        Whole lines and the number of the first one (``ranking.io.chunks_of_file``).
    data_type : {"soc", "soi", "toc", "toi", "cat"}
        The file's data type.
    source : str
        Name used in error messages.

    Returns
    -------
    Profile or RatingProfile
        As :func:`read_preflib`.
    """
    data_type = data_type.lower()
    if data_type not in PREFLIB_TYPES:
        raise ParseError(source, None, f"unknown PrefLib data type {data_type!r}")
    header = _Header()
    body = _split_header(iter(chunks), header, source)
    m = header.integer("NUMBER ALTERNATIVES", source)
    if m is None:
        if not header.names:
            raise ParseError(source, None, "missing '# NUMBER ALTERNATIVES' header")
        m = len(header.names)
    if m >= int(UNRANKED):
        raise ParseError(source, None, f"{m} alternatives are more than this reader handles")
    ids = [str(i) for i in range(1, m + 1)]
    for k in header.names:
        if not (k.isdigit() and 1 <= int(k) <= m and str(int(k)) == k):
            raise ParseError(
                source,
                header.meta.get("NUMBER ALTERNATIVES", (None,))[0],
                f"ALTERNATIVE NAME {k} outside 1..{m}",
            )
    dt_meta = header.meta.get("DATA TYPE")
    if dt_meta and dt_meta[1].lower() != data_type:
        raise ParseError(
            source,
            dt_meta[0],
            f"DATA TYPE {dt_meta[1]!r} does not match the .{data_type} extension",
        )
    n_cat = len(header.categories)
    if data_type == "cat" and sorted(header.categories) != list(range(1, n_cat + 1)):
        raise ParseError(source, None, "CATEGORY NAME lines must number 1..k")
    parts: list[_Parsed] = []
    n_lines = 0
    for data, first_line in body:
        fast = None if data_type == "cat" else _parse_bulk(data, m, data_type)
        parsed = fast or _parse_lines(data, first_line, m, data_type, n_cat, header, source)
        parts.append(parsed)
        n_lines += parsed.lines
        if sum(p.rows.nbytes for p in parts) > _MERGE_BYTES:
            # Merge equal ballots now and then: memory follows the distinct ballots.
            parts = [_merged(parts)]
    merged = (
        _merged(parts) if parts else _Parsed(np.zeros(0, np.int64), np.zeros((0, m), np.int16), 0)
    )
    counts, rows = merged.counts, merged.rows
    del parts, merged
    _check_totals(header, int(counts.sum()), n_lines, source)
    names = header.names
    if data_type == "cat":
        scale = [header.categories[i] for i in range(n_cat, 0, -1)]  # worst to best
        grades = np.where(rows == UNRANKED, np.nan, n_cat - 1 - rows.astype(np.float64))
        return RatingProfile.from_array(grades, scale, ids, names=names, counts=counts)
    return Profile.from_dense_ranks(rows, ids, names=names, counts=counts, distinct=True)


class _Body:
    """The chunks after the header: the rest of the chunk holding the first ballot line,
    then the remaining chunks."""

    def __init__(self, first: Chunk | None, rest: Iterator[Chunk]) -> None:
        self.first, self.rest = first, rest

    def __iter__(self) -> Iterator[Chunk]:
        if self.first is not None:
            yield self.first
        yield from self.rest


#: Rank rows held before equal ballots are merged (the final merge takes them all).
_MERGE_BYTES = 1 << 26


def _merged(parts: list[_Parsed]) -> _Parsed:
    counts = np.concatenate([p.counts for p in parts])
    rows = np.concatenate([p.rows for p in parts])
    first, total = dedupe_rows(rows, counts, np.ones(len(counts)), None)
    return _Parsed(total, rows[first], sum(p.lines for p in parts))


def _split_header(chunks: Iterator[Chunk], header: _Header, source: str) -> _Body:
    """Read the leading ``#`` lines into ``header``; return the chunks of the ballots."""
    for data, line in chunks:
        pos = 0
        while pos < len(data):
            end = data.index(b"\n", pos) + 1
            raw = data[pos:end].strip()
            if raw and not raw.startswith(b"#"):
                return _Body((data[pos:], line), chunks)
            if raw:
                header.add(_decode(raw, source, line), line, source, in_body=False)
            pos, line = end, line + 1
    return _Body(None, iter(()))


def _decode(raw: bytes, source: str, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(source, line, f"not UTF-8 text ({exc.reason})") from None


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
    if data.find(b"{") < 0:
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


def _parse_lines(
    data: bytes, first_line: int, m: int, dt: str, n_cat: int, header: _Header, source: str
) -> _Parsed:
    """The reference parser: line by line, raising on the first problem."""
    counts: list[int] = []
    entries: list[tuple[int, int, int]] = []  # (ballot, candidate index, group position)
    for lineno, raw_line in enumerate(data.split(b"\n")[:-1], start=first_line):
        line = _decode(raw_line, source, lineno).strip()
        if not line:
            continue
        if line.startswith("#"):
            header.add(line, lineno, source, in_body=True)
            continue
        count_text, sep, body = line.partition(":")
        if not sep:
            raise ParseError(source, lineno, "expected 'count: ballot'")
        if not count_text.strip().isdigit():
            raise ParseError(
                source, lineno, f"count {count_text.strip()!r} is not a non-negative integer"
            )
        if len(count_text.strip().lstrip("0")) > _COUNT_DIGITS:
            raise ParseError(
                source, lineno, f"count {count_text.strip()!r} is too large (at most 15 digits)"
            )
        groups = _split_groups(body, source, lineno)
        seen: set[str] = set()
        for g in groups:
            for c in g:
                if not (c.isdigit() and str(int(c)) == c and 1 <= int(c) <= m):
                    raise ParseError(source, lineno, f"candidate {c} is not in 1..{m}")
                if c in seen:
                    raise ParseError(source, lineno, f"candidate {c} appears twice")
                seen.add(c)
        _check_kind(dt, groups, len(seen), m, source, lineno, n_cat)
        b = len(counts)
        counts.append(int(count_text))
        entries.extend((b, int(c) - 1, p) for p, g in enumerate(groups) for c in g)
    rows = np.full((len(counts), m), UNRANKED, dtype=np.int16)
    if entries:
        e = np.array(entries, dtype=np.int64)
        rows[e[:, 0], e[:, 1]] = e[:, 2]
    return _Parsed(np.array(counts, dtype=np.int64), rows, len(counts))


def _split_groups(body: str, source: str, lineno: int) -> list[list[str]]:
    """Parse ``1,{2,3},4`` into ``[["1"], ["2", "3"], ["4"]]``."""
    groups: list[list[str]] = []
    s = body.strip()
    i = 0
    if not s:
        return groups
    while True:
        while i < len(s) and s[i] == " ":
            i += 1
        if i < len(s) and s[i] == "{":
            j = s.find("}", i)
            if j < 0:
                raise ParseError(source, lineno, "'{' is never closed")
            inner = s[i + 1 : j]
            if "{" in inner:
                raise ParseError(source, lineno, "nested '{'")
            items = [x.strip() for x in inner.split(",")] if inner.strip() else []
            i = j + 1
        else:
            j = s.find(",", i)
            j = len(s) if j < 0 else j
            items = [s[i:j].strip()]
            if "}" in items[0]:
                raise ParseError(source, lineno, "'}' without '{'")
            i = j
        for it in items:
            if not it.isdigit():
                raise ParseError(source, lineno, f"{it!r} is not a candidate number")
        groups.append(items)
        while i < len(s) and s[i] == " ":
            i += 1
        if i >= len(s):
            return groups
        if s[i] != ",":
            raise ParseError(source, lineno, f"expected ',' at column {i + 1} of the ballot")
        i += 1
        if i >= len(s):
            raise ParseError(source, lineno, "ballot ends with ','")


def _check_kind(
    dt: str, groups: list[list[str]], n_seen: int, m: int, source: str, lineno: int, n_cat: int
) -> None:
    if dt == "cat":
        if len(groups) != n_cat:
            raise ParseError(
                source, lineno, f"{len(groups)} categories, the header declares {n_cat}"
            )
        return
    if any(len(g) == 0 for g in groups):
        raise ParseError(source, lineno, "empty group '{}' in a ranking")
    if dt in ("soc", "soi") and any(len(g) > 1 for g in groups):
        raise ParseError(source, lineno, f"tie in a .{dt} file (strict orders only)")
    if dt in ("soc", "toc") and n_seen != m:
        raise ParseError(
            source, lineno, f"ranks {n_seen} of {m} candidates; .{dt} ballots must be complete"
        )


def _check_totals(header: _Header, voters: int, lines: int, source: str) -> None:
    declared = header.integer("NUMBER VOTERS", source)
    if declared is not None and declared != voters:
        raise ParseError(
            source,
            header.meta["NUMBER VOTERS"][0],
            f"NUMBER VOTERS is {declared} but the counts add up to {voters}",
        )
    for key in ("NUMBER UNIQUE ORDERS", "NUMBER UNIQUE PREFERENCES"):
        unique = header.integer(key, source)
        if unique is not None and unique != lines:
            raise ParseError(
                source, header.meta[key][0], f"{key} is {unique} but there are {lines} ballot lines"
            )
