"""The ballot CSV format (see docs/ranking.md); wiki-survey exports are in ``wikisurvey``.

Rows are split by the standard library's C ``csv`` reader in batches and every column is
turned into arrays in bulk (:mod:`ranking.io._columns`); each batch of rank rows is merged
into distinct ballots before the next is read.  Whenever a batch holds something the bulk
path does not accept, the file is read again by the line-by-line reader, which reports the
first problem with its line - or, for the few layouts only it handles (short rows), reads
the file.
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..ballots import ApprovalProfile, PairwiseProfile, PointsProfile, RatingProfile
from ..profile import BallotOptions, BallotSet, Profile
from . import wikisurvey
from ._csv_bulk import _NA, _Comments, _read_bulk
from .errors import ParseError

__all__ = ["read_csv", "read_csv_file"]


Row = dict[str, str]
Rows = list[tuple[int, Row]]


def read_csv(text: str, *, source: str = "<csv>", question: str | None = None) -> BallotSet:
    """Parse a ballot CSV held in memory; the header decides the kind.

    Parameters
    ----------
    text : str
        The file's content.  Leading ``#`` lines may declare ``# candidate <id>: <name>``,
        ``# scale: worst, ..., best`` (ratings) and ``# budget: <points>`` (points).
    source : str
        Name used in error messages.
    question : str, optional
        The question to read from a wiki-survey export.

    Returns
    -------
    BallotSet
        A :class:`Profile`, :class:`ApprovalProfile`, :class:`PairwiseProfile`,
        :class:`RatingProfile` or :class:`PointsProfile`.

    Raises
    ------
    ParseError
        Naming the line and the problem.
    """
    fast = _read_bulk(_io.StringIO(text.removeprefix("\ufeff"), newline=""), source, question)
    return fast if fast is not None else _read_lines(text, source, question)


def read_csv_file(path: str | Path, *, question: str | None = None) -> BallotSet:
    """Parse a ballot CSV file, streaming it in batches (see :func:`read_csv`).

    Parameters
    ----------
    path : str or Path
        The file (UTF-8).
    question : str, optional
        The question to read from a wiki-survey export.

    Returns
    -------
    BallotSet
        As :func:`read_csv`.
    """
    source = str(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        fast = _read_bulk(fh, source, question)
    if fast is not None:
        return fast
    return _read_lines(Path(path).read_text(encoding="utf-8-sig"), source, question)


# --------------------------------------------------------------------- line-by-line path
def _read_lines(text: str, source: str, question: str | None) -> BallotSet:
    """The reference reader: row by row, raising on the first problem with its line."""
    lines = text.removeprefix("\ufeff").splitlines()
    comments = _Comments()
    first = 0
    for first, line in enumerate(lines):
        s = line.strip()
        if not s.startswith("#"):
            break
        comments.add(s, first + 1, source)
    else:
        first = len(lines)
    reader = csv.DictReader(_io.StringIO("\n".join(lines[first:])))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise ParseError(source, first + 1, "no header row")
    reader.fieldnames = header
    offset = first  # csv line_num counts from the header line
    hs = set(header)
    if "wiki_pair_1" in hs:
        rows: Rows = [(offset + reader.line_num, row) for row in reader]
        return wikisurvey.read_rows(rows, header, source, question)
    rows = [(offset + reader.line_num, row) for row in reader]
    names = comments.names
    if "ranking" in hs:
        return _csv_rankings(rows, names, source)
    if "approved" in hs:
        return _csv_approvals(rows, names, source)
    if {"winner", "loser"} <= hs or {"a", "b", "choice"} <= hs:
        return _csv_pairwise(rows, names, source)
    rating_cols = [h for h in header if h.startswith("rating:")]
    point_cols = [h for h in header if h.startswith("points:")]
    if rating_cols:
        if comments.scale is None:
            raise ParseError(source, None, "ratings need a '# scale: worst, ..., best' line")
        return _csv_ratings(rows, rating_cols, comments.scale, names, source)
    if point_cols:
        return _csv_points(rows, point_cols, comments.budget, names, source)
    raise ParseError(
        source,
        first + 1,
        "cannot tell the ballot kind from the header: expected "
        "a 'ranking', 'approved', 'winner,loser', 'a,b,choice', 'rating:<id>' or "
        "'points:<id>' column",
    )


def _options(rows: Rows, names: dict[str, str], source: str) -> BallotOptions:
    """The declared names and each row's count, weight and group."""
    counts, weights, groups = [], [], []
    for lineno, row in rows:
        c = (row.get("count") or "1").strip()
        w = (row.get("weight") or "1").strip()
        if not c.isdigit():
            raise ParseError(source, lineno, f"count {c!r} is not a non-negative integer")
        try:
            wf = float(w)
        except ValueError:
            raise ParseError(source, lineno, f"weight {w!r} is not a number") from None
        if not np.isfinite(wf) or wf < 0:
            raise ParseError(source, lineno, f"weight {w!r} must be finite and >= 0")
        counts.append(int(c))
        weights.append(wf)
        groups.append((row.get("group") or "").strip())
    has_group = any("group" in r for _, r in rows)
    return {
        "names": names or None,
        "counts": counts,
        "weights": weights,
        "groups": groups if has_group else None,
    }


def _candidates(names: dict[str, str], seen: Sequence[str]) -> list[str]:
    if names:
        return list(names)
    return list(dict.fromkeys(seen))


def _check_known(c: str, known: set[str] | None, source: str, lineno: int) -> None:
    if not c:
        raise ParseError(source, lineno, "empty candidate id")
    if known is not None and c not in known:
        raise ParseError(source, lineno, f"candidate {c!r} is not declared")


def _check_ballot(
    items: list[str], known: set[str] | None, source: str, lineno: int, twice: str
) -> None:
    for c in items:
        _check_known(c, known, source, lineno)
    if len(set(items)) != len(items):
        raise ParseError(source, lineno, twice)


def _csv_rankings(rows: Rows, names: dict[str, str], source: str) -> Profile:
    known = set(names) if names else None
    ballots: list[list[list[str]]] = []
    seen: list[str] = []
    for lineno, row in rows:
        text = (row.get("ranking") or "").strip()
        groups = [[c.strip() for c in g.split("=")] for g in text.split(">")] if text else []
        flat = [c for g in groups for c in g]
        _check_ballot(flat, known, source, lineno, "a candidate appears twice in the ranking")
        ballots.append(groups)
        seen.extend(flat)
    return Profile.from_rankings(ballots, _candidates(names, seen), **_options(rows, names, source))


def _csv_approvals(rows: Rows, names: dict[str, str], source: str) -> ApprovalProfile:
    known = set(names) if names else None
    ballots: list[list[str]] = []
    seen: list[str] = []
    for lineno, row in rows:
        text = (row.get("approved") or "").strip()
        items = [c.strip() for c in text.split(";")] if text else []
        _check_ballot(items, known, source, lineno, "a candidate is approved twice")
        ballots.append(items)
        seen.extend(items)
    return ApprovalProfile.from_approvals(
        ballots, _candidates(names, seen), **_options(rows, names, source)
    )


def _csv_pairwise(rows: Rows, names: dict[str, str], source: str) -> PairwiseProfile:
    known = set(names) if names else None
    choices: list[tuple[str, str, str | None]] = []
    seen: list[str] = []
    for lineno, row in rows:
        choice: str | None
        if "winner" in row:
            a, b = (row.get("winner") or "").strip(), (row.get("loser") or "").strip()
            tie = (row.get("tie") or "0").strip().lower()
            if tie not in ("0", "1", "true", "false", ""):
                raise ParseError(source, lineno, f"tie {tie!r} must be 0 or 1")
            choice = None if tie in ("1", "true") else a
        else:
            a, b = (row.get("a") or "").strip(), (row.get("b") or "").strip()
            ch = (row.get("choice") or "").strip()
            if ch.lower() in _NA:
                choice = None
            elif ch in (a, b):
                choice = ch
            else:
                raise ParseError(source, lineno, f"choice {ch!r} is neither {a!r} nor {b!r}")
        for c in (a, b):
            _check_known(c, known, source, lineno)
        if a == b:
            raise ParseError(source, lineno, "a candidate is compared with itself")
        choices.append((a, b, choice))
        seen.extend((a, b))
    return PairwiseProfile.from_choices(
        choices, _candidates(names, seen), **_options(rows, names, source)
    )


def _csv_ratings(
    rows: Rows, cols: list[str], scale: list[str], names: dict[str, str], source: str
) -> RatingProfile:
    ids = [c.split(":", 1)[1].strip() for c in cols]
    level = {s: i for i, s in enumerate(scale)}
    g = np.full((len(rows), len(ids)), np.nan)
    for r, (lineno, row) in enumerate(rows):
        for j, col in enumerate(cols):
            v = (row.get(col) or "").strip()
            if v == "":
                continue
            if v not in level:
                raise ParseError(source, lineno, f"{v!r} is not on the scale {scale}")
            g[r, j] = level[v]
    return RatingProfile.from_array(g, scale, ids, **_options(rows, names, source))


def _csv_points(
    rows: Rows, cols: list[str], budget: float | None, names: dict[str, str], source: str
) -> PointsProfile:
    ids = [c.split(":", 1)[1].strip() for c in cols]
    p = np.zeros((len(rows), len(ids)))
    for r, (lineno, row) in enumerate(rows):
        for j, col in enumerate(cols):
            v = (row.get(col) or "").strip()
            try:
                p[r, j] = float(v) if v else 0.0
            except ValueError:
                raise ParseError(source, lineno, f"points {v!r} is not a number") from None
            if not np.isfinite(p[r, j]) or p[r, j] < 0:
                raise ParseError(source, lineno, f"points {v!r} must be finite and >= 0")
        if budget is not None and p[r].sum() > budget + 1e-9:
            raise ParseError(
                source, lineno, f"allocates {p[r].sum():g} points, more than the budget {budget:g}"
            )
    return PointsProfile.from_array(p, ids, **_options(rows, names, source))
