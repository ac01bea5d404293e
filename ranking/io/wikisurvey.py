"""Wiki-survey exports: ``wiki_pair_i = "a,b"`` and the chosen idea ``wiki_i`` (or NA).

A row holds several comparisons of one respondent to one question; the file may hold
several questions, one of which is read.  Called by :mod:`ranking.io.csvfile` when the
header has a ``wiki_pair_1`` column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from ..ballots import PairwiseProfile
from .errors import ParseError

__all__ = ["read_bulk", "read_rows"]

_Strings = npt.NDArray[np.str_]


def _pair_columns(header: list[str]) -> list[str]:
    cols = [k for k in header if k.startswith("wiki_pair_")]
    return sorted(cols, key=lambda k: int(k.rsplit("_", 1)[1]))


def _choose_question(questions: list[str], question: str | None, source: str) -> str:
    if question is None:
        if len(questions) > 1:
            raise ParseError(
                source,
                None,
                "the file holds several questions "
                f"({', '.join(questions)}); choose one with --question",
            )
        return questions[0] if questions else ""
    if question not in questions:
        raise ParseError(source, None, f"no question {question!r} (have {', '.join(questions)})")
    return question


def _candidate_order(seen: set[str]) -> list[str]:
    return sorted(seen, key=lambda c: (not c.isdigit(), int(c) if c.isdigit() else 0, c))


def read_bulk(
    batches: Iterator[dict[str, Any] | None],
    header: list[str],
    source: str,
    question: str | None,
) -> PairwiseProfile | None:
    """Read batches of columns with array operations; None if a value needs the
    line-by-line reader (for its error message)."""
    pair_cols = _pair_columns(header)
    questions: list[_Strings] = []
    row_questions: set[str] = set()
    firsts: list[_Strings] = []
    seconds: list[_Strings] = []
    ties: list[npt.NDArray[np.bool_]] = []
    for cols in batches:
        if cols is None:
            return None
        n = len(next(iter(cols.values()))) if cols else 0
        q = _strip(cols["question"]) if "question" in cols else np.full(n, "", dtype=str)
        row_questions.update(np.unique(q).tolist())
        a_all, b_all, t_all, ok_all = [], [], [], []
        for col in pair_cols:
            pair = _strip(cols[col])
            present = ~np.isin(np.char.upper(pair), ["", "NA"])
            a, _, b = (np.char.strip(x) for x in _partition(pair))
            bad = present & ((a == "") | (b == "") | (np.char.find(b, ",") >= 0))
            key = "wiki_" + col.rsplit("_", 1)[1]
            ch = _strip(cols[key]) if key in cols else np.full(n, "", dtype=str)
            tie = np.isin(np.char.upper(ch), ["", "NA"])
            bad |= present & ~tie & (ch != a) & (ch != b)
            if bad.any():
                return None
            swap = ~tie & (ch == b)
            a_all.append(np.where(swap, b, a))
            b_all.append(np.where(swap, a, b))
            t_all.append(tie)
            ok_all.append(present)
        if not pair_cols:
            continue
        # Row-major order: the comparisons of a row stay together, rows in file order.
        present = np.stack(ok_all, axis=1)
        rows = np.broadcast_to(q[:, None], present.shape)[present]
        questions.append(rows)
        firsts.append(np.stack(a_all, axis=1)[present])
        seconds.append(np.stack(b_all, axis=1)[present])
        ties.append(np.stack(t_all, axis=1)[present])
    # The question list counts rows without any comparison too.
    chosen = _choose_question(sorted(row_questions), question, source)
    if not firsts:
        return PairwiseProfile.from_arrays(np.zeros(0, np.int64), np.zeros(0, np.int64))
    keep = np.concatenate(questions) == chosen
    a = np.concatenate(firsts)[keep]
    b = np.concatenate(seconds)[keep]
    t = np.concatenate(ties)[keep]
    cands = _candidate_order(set(a.tolist()) | set(b.tolist()))
    index = {c: i for i, c in enumerate(cands)}
    x = np.fromiter(map(index.__getitem__, a.tolist()), dtype=np.int64, count=len(a))
    y = np.fromiter(map(index.__getitem__, b.tolist()), dtype=np.int64, count=len(b))
    return PairwiseProfile.from_arrays(x, y, t, cands)


def _strip(values: Any) -> _Strings:
    arr = np.asarray(values, dtype=str)
    return np.char.strip(arr) if arr.size else arr


def _partition(values: _Strings) -> tuple[_Strings, _Strings, _Strings]:
    if not values.size:
        return values, values, values
    parts = np.char.partition(values, ",")
    return parts[:, 0], parts[:, 1], parts[:, 2]


def read_rows(
    rows: list[tuple[int, dict[str, str]]], header: list[str], source: str, question: str | None
) -> PairwiseProfile:
    """The reference reader: row by row, raising on the first problem with its line."""
    questions = sorted({(r.get("question") or "").strip() for _, r in rows})
    question = _choose_question(questions, question, source)
    choices: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    for lineno, row in rows:
        if (row.get("question") or "").strip() != question:
            continue
        for col in _pair_columns(header):
            pair = (row.get(col) or "").strip()
            if pair.upper() in ("", "NA"):
                continue
            parts = [x.strip() for x in pair.split(",")]
            if len(parts) != 2 or not all(parts):
                raise ParseError(source, lineno, f"{col} {pair!r} is not 'a,b'")
            a, b = parts
            ch = (row.get("wiki_" + col.rsplit("_", 1)[1]) or "").strip()
            choice: str | None
            if ch.upper() in ("", "NA"):
                choice = None
            elif ch in (a, b):
                choice = ch
            else:
                raise ParseError(source, lineno, f"choice {ch!r} is not in the pair {pair!r}")
            choices.append((a, b, choice))
            seen.update((a, b))
    return PairwiseProfile.from_choices(choices, _candidate_order(seen))
