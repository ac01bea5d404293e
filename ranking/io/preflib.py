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

import numpy as np

from ..ballots import RatingProfile
from ..profile import UNRANKED, BallotSet, Profile, dedupe_rows
from ._chunks import Chunk, chunks_of_bytes
from ._preflib_bulk import _COUNT_DIGITS, _parse_bulk, _Parsed
from .errors import ParseError

__all__ = ["MAX_VOTERS", "PREFLIB_TYPES", "read_preflib", "read_preflib_chunks"]

#: The most ballots a file may count in all. Counts are later merged and weighted as float64,
#: exact only up to 2**53 (about 9.007e15): a file past this bound is refused, never rounded.
MAX_VOTERS = 10**15

PREFLIB_TYPES = ("soc", "soi", "toc", "toi", "cat")

_HEADER = re.compile(r"^#\s*([^:]+?)\s*:\s?(.*)$")


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
    voters = 0.0
    for data, first_line in body:
        fast = None if data_type == "cat" else _parse_bulk(data, m, data_type)
        parsed = fast or _parse_lines(data, first_line, m, data_type, n_cat, header, source)
        # Summed as floats: many 15-digit counts would wrap an int64 sum around silently.
        voters += float(parsed.counts.sum(dtype=np.float64))
        if voters > MAX_VOTERS:
            raise ParseError(
                source,
                first_line,
                f"the counts up to line {first_line + parsed.lines - 1} add up to more than "
                f"{MAX_VOTERS:.0e} ballots",
            )
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
