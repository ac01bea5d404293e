"""The bulk path of the ballot CSV reader (see :mod:`ranking.io.csvfile`): rows split by
the standard library's C ``csv`` reader in batches, every column turned into arrays at once;
None whenever a batch holds something this path does not accept."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice, repeat
from typing import Any, NamedTuple, TextIO

import numpy as np

from ..ballots import ApprovalProfile, PairwiseProfile, PointsProfile, RatingProfile
from ..profile import UNRANKED, BallotSet, Profile, dedupe_rows
from ..types import BoolArray, FloatArray, IntArray
from . import wikisurvey
from ._columns import Tokens, codes, counts_column, split_column, weights_column
from .errors import ParseError

_NA = {"", "na", "n/a", "none", "null", "tie", "-"}
#: Rows per batch of the bulk reader.
BATCH_ROWS = 1 << 15


@dataclass
class _Comments:
    names: dict[str, str] = field(default_factory=dict)
    scale: list[str] | None = None
    budget: float | None = None

    def add(self, s: str, lineno: int, source: str) -> None:
        m = re.match(r"#\s*candidate\s+([^:]+?)\s*:\s*(.*)$", s, re.I)
        if m:
            self.names[m.group(1)] = m.group(2).strip()
        elif m := re.match(r"#\s*scale\s*:\s*(.*)$", s, re.I):
            self.scale = [x.strip() for x in next(csv.reader([m.group(1)], skipinitialspace=True))]
        elif m := re.match(r"#\s*budget\s*:\s*(.*)$", s, re.I):
            try:
                self.budget = float(m.group(1))
            except ValueError:
                raise ParseError(source, lineno, "budget is not a number") from None


class _Batch(NamedTuple):
    """The columns of one batch of rows, with their counts, weights and groups."""

    cols: dict[str, Any]
    counts: IntArray
    weight: FloatArray
    group: np.ndarray[Any, Any] | None


def _read_bulk(fh: TextIO, source: str, question: str | None) -> BallotSet | None:
    comments = _Comments()
    lineno = 0
    header_line = None
    for line in fh:
        lineno += 1
        s = line.strip()
        if not s.startswith("#"):
            header_line = line
            break
        comments.add(s, lineno, source)
    if header_line is None or not header_line.strip():
        return None
    reader = csv.reader(chain([header_line], fh))
    header = [h.strip() for h in next(reader)]
    hs = set(header)
    batches = _batches(reader, header)
    if "wiki_pair_1" in hs:
        return wikisurvey.read_bulk(batches, header, source, question)
    builder: _Builder
    if "ranking" in hs:
        builder = _Rankings(comments.names)
    elif "approved" in hs:
        builder = _Approvals(comments.names)
    elif {"winner", "loser"} <= hs or {"a", "b", "choice"} <= hs:
        builder = _Pairwise(comments.names, "winner" in hs and "loser" in hs)
    elif any(h.startswith("rating:") for h in header) and comments.scale is not None:
        builder = _Ratings(header, comments.names, comments.scale)
    elif any(h.startswith("points:") for h in header) and not any(
        h.startswith("rating:") for h in header
    ):
        builder = _Points(header, comments.names, comments.budget)
    else:
        return None
    has_group = "group" in hs
    for cols in batches:
        if cols is None:
            return None
        n = len(next(iter(cols.values()))) if cols else 0
        count = counts_column(cols.get("count"), n)
        weight = weights_column(cols.get("weight"), n)
        if count is None or weight is None:
            return None
        group = np.char.strip(np.asarray(cols["group"], dtype=str)) if has_group else None
        if not builder.add(_Batch(cols, count, weight, group)):
            return None
    return builder.profile()


def _batches(reader: Iterator[list[str]], header: list[str]) -> Iterator[dict[str, Any] | None]:
    """Columns of each batch of rows; None for a batch whose rows are not all full."""
    width = len(header)
    while True:
        batch = list(filter(None, islice(reader, BATCH_ROWS)))
        if not batch:
            return
        if set(map(len, batch)) != {width}:
            yield None
            return
        yield dict(zip(header, zip(*batch, strict=True), strict=True))


class _Builder:
    """Collects the arrays of each batch and builds the profile at the end."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.index: dict[str, int] = {c: i for i, c in enumerate(names)}
        self.declared = bool(names)
        self.counts: list[IntArray] = []
        self.weights: list[FloatArray] = []
        self.groups: list[np.ndarray[Any, Any]] = []
        self.has_group = False

    def ids(self, strings: Sequence[str]) -> IntArray | None:
        """Candidate index of each id (new ids are added unless candidates are declared)."""
        if not self.declared:
            for s in dict.fromkeys(strings):
                self.index.setdefault(s, len(self.index))
        out = np.fromiter(
            map(self.index.get, strings, repeat(-1)), dtype=np.int64, count=len(strings)
        )
        return None if (out < 0).any() else out

    def tokens(
        self, column: Sequence[str], next_group: str, same_group: str = ""
    ) -> tuple[Tokens, IntArray] | None:
        """The column split into candidate ids, with the index of each (see :meth:`ids`)."""
        tokens = split_column(column, next_group, same_group)
        if tokens is None:
            return None
        col = self.ids(tokens.text)
        return None if col is None else (tokens, col)

    def extras(
        self, count: IntArray, weight: FloatArray, group: np.ndarray[Any, Any] | None
    ) -> None:
        self.counts.append(count)
        self.weights.append(weight)
        if group is not None:
            self.has_group = True
            self.groups.append(group.astype(object))

    def common(self) -> dict[str, Any]:
        return {
            "names": self.names or None,
            "counts": np.concatenate(self.counts) if self.counts else np.zeros(0, np.int64),
            "weights": np.concatenate(self.weights) if self.weights else np.zeros(0),
            "groups": (np.concatenate(self.groups) if self.groups else np.zeros(0, object)).tolist()
            if self.has_group
            else None,
        }

    def candidates(self) -> list[str]:
        return list(self.index)

    def add(self, batch: _Batch) -> bool:
        """Take in one batch; False if this path does not accept it."""
        raise NotImplementedError

    def profile(self) -> BallotSet:
        raise NotImplementedError


class _Rankings(_Builder):
    def __init__(self, names: dict[str, str]) -> None:
        super().__init__(names)
        self.rows: list[np.ndarray[Any, np.dtype[np.int16]]] = []

    def add(self, batch: _Batch) -> bool:
        cols, count, weight, group = batch
        n = len(count)
        split = self.tokens(cols["ranking"], ">", "=")
        if split is None:
            return False
        tokens, col = split
        m = len(self.index)
        ranks = np.full((n, m), UNRANKED, dtype=np.int16)
        ranks.ravel()[tokens.row * m + col] = tokens.position()
        if np.count_nonzero(ranks != UNRANKED) != len(col):
            return False  # a candidate twice on one row
        first, total = dedupe_rows(ranks, count, weight, group)
        self.rows.append(ranks[first])
        self.extras(total, weight[first], None if group is None else group[first])
        return True

    def profile(self) -> BallotSet:
        m = len(self.index)
        padded = [
            np.pad(r, ((0, 0), (0, m - r.shape[1])), constant_values=UNRANKED) for r in self.rows
        ]
        ranks = np.concatenate(padded) if padded else np.zeros((0, m), np.int16)
        return Profile.from_dense_ranks(ranks, self.candidates(), **self.common())


class _Approvals(_Builder):
    def __init__(self, names: dict[str, str]) -> None:
        super().__init__(names)
        self.rows: list[BoolArray] = []

    def add(self, batch: _Batch) -> bool:
        cols, count, weight, group = batch
        split = self.tokens(cols["approved"], ";")
        if split is None:
            return False
        tokens, col = split
        m = len(self.index)
        approved = np.zeros((len(count), m), dtype=bool)
        approved.ravel()[tokens.row * m + col] = True
        if np.count_nonzero(approved) != len(col):
            return False
        self.rows.append(approved)
        self.extras(count, weight, group)
        return True

    def profile(self) -> BallotSet:
        m = len(self.index)
        a = np.concatenate([np.pad(r, ((0, 0), (0, m - r.shape[1]))) for r in self.rows or []])
        cands = self.candidates()
        common = self.common()
        return ApprovalProfile.from_array(a.reshape(-1, m), cands, **common)


class _Pairwise(_Builder):
    def __init__(self, names: dict[str, str], winner_loser: bool) -> None:
        super().__init__(names)
        self.winner_loser = winner_loser
        self.parts: list[tuple[IntArray, IntArray, BoolArray]] = []

    def add(self, batch: _Batch) -> bool:
        cols, count, weight, group = batch
        strip = _strip
        if self.winner_loser:
            a, b = strip(cols["winner"]), strip(cols["loser"])
            first_a, first_b = a, b
            tie_text = np.char.lower(np.asarray(strip(cols.get("tie", ())) or [""] * len(a)))
            if not np.isin(tie_text, ["0", "1", "true", "false", ""]).all():
                return False
            tie = np.isin(tie_text, ["1", "true"])
        else:
            a, b, ch = strip(cols["a"]), strip(cols["b"]), strip(cols["choice"])
            first_a, first_b = a, b
            ch_arr = np.asarray(ch, dtype=str)
            tie = np.isin(np.char.lower(ch_arr), list(_NA)) if len(ch) else np.zeros(0, bool)
            a_arr, b_arr = np.asarray(a, dtype=str), np.asarray(b, dtype=str)
            if not (tie | (ch_arr == a_arr) | (ch_arr == b_arr)).all():
                return False
            swap = ~tie & (ch_arr == b_arr) & (a_arr != b_arr)
            a, b = np.where(swap, b_arr, a_arr).tolist(), np.where(swap, a_arr, b_arr).tolist()
        if not all(a) or not all(b):
            return False
        # Register new ids in file order (a, b of each row), as the line-by-line reader.
        if self.ids(list(chain.from_iterable(zip(first_a, first_b, strict=True)))) is None:
            return False
        x, y = self.ids(a), self.ids(b)
        if x is None or y is None or (x == y).any():
            return False
        self.parts.append((x, y, np.asarray(tie, dtype=bool)))
        self.extras(count, weight, group)
        return True

    def profile(self) -> BallotSet:
        x, y, t = (
            (np.concatenate([p[i] for p in self.parts]) for i in range(3))
            if self.parts
            else (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool))
        )
        return PairwiseProfile.from_arrays(x, y, t, self.candidates(), **self.common())


class _PerCandidate(_Builder):
    """Kinds with one ``prefix:id`` column per candidate, read into a float matrix."""

    prefix = ""

    def __init__(self, header: list[str], names: dict[str, str]) -> None:
        super().__init__(names)
        self.cols = [h for h in header if h.startswith(self.prefix)]
        self.matrices: list[FloatArray] = []

    def add(self, batch: _Batch) -> bool:
        values = self.matrix(batch.cols, len(batch.counts))
        if values is None:
            return False
        self.matrices.append(values)
        self.extras(batch.counts, batch.weight, batch.group)
        return True

    def profile(self) -> BallotSet:
        ids = [c.split(":", 1)[1].strip() for c in self.cols]
        values = np.concatenate(self.matrices) if self.matrices else np.zeros((0, len(ids)))
        return self.build(values, ids)

    def matrix(self, cols: dict[str, Any], n: int) -> FloatArray | None:
        """The batch's values, one column per candidate; None if this path refuses them."""
        raise NotImplementedError

    def build(self, values: FloatArray, ids: list[str]) -> BallotSet:
        raise NotImplementedError


class _Ratings(_PerCandidate):
    prefix = "rating:"

    def __init__(self, header: list[str], names: dict[str, str], scale: list[str]) -> None:
        super().__init__(header, names)
        self.scale = scale

    def matrix(self, cols: dict[str, Any], n: int) -> FloatArray | None:
        g = np.full((n, len(self.cols)), np.nan)
        for j, c in enumerate(self.cols):
            values = _strip(cols[c])
            level, _ = codes(values, self.scale)
            blank = np.asarray(values, dtype=str) == "" if values else level < 0
            if ((level < 0) & ~blank).any():
                return None
            g[:, j] = np.where(blank, np.nan, level)
        return g

    def build(self, values: FloatArray, ids: list[str]) -> BallotSet:
        return RatingProfile.from_array(values, self.scale, ids, **self.common())


class _Points(_PerCandidate):
    prefix = "points:"

    def __init__(self, header: list[str], names: dict[str, str], budget: float | None) -> None:
        super().__init__(header, names)
        self.budget = budget

    def matrix(self, cols: dict[str, Any], n: int) -> FloatArray | None:
        p = np.zeros((n, len(self.cols)))
        for j, c in enumerate(self.cols):
            v = np.asarray(_strip(cols[c]), dtype=str)
            try:
                p[:, j] = np.where(v == "", "0", v).astype(np.float64) if len(v) else 0.0
            except ValueError:
                return None
        if not np.isfinite(p).all() or (p < 0).any():
            return None
        if self.budget is not None and (p.sum(axis=1) > self.budget + 1e-9).any():
            return None
        return p

    def build(self, values: FloatArray, ids: list[str]) -> BallotSet:
        return PointsProfile.from_array(values, ids, **self.common())


def _strip(values: Iterable[str]) -> list[str]:
    return list(map(str.strip, values))
