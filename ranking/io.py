"""Reading ballots from files: PrefLib, CSV and JSON (formats in docs/ranking.md).

Every problem is reported as a :class:`ParseError` naming the file, the line (or JSON
ballot) and the problem; nothing is repaired or guessed.
"""

from __future__ import annotations

import csv
import io as _io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .ballots import ApprovalProfile, PairwiseProfile, PointsProfile, RatingProfile
from .profile import BallotSet, Profile

__all__ = ["ParseError", "load", "read_preflib", "read_csv", "read_json", "PREFLIB_TYPES"]

PREFLIB_TYPES = ("soc", "soi", "toc", "toi", "cat")
_NA = {"", "na", "n/a", "none", "null", "tie", "-"}


class ParseError(ValueError):
    """A malformed input file; ``str()`` reads ``file:line: problem``."""

    def __init__(self, source: str, line: int | str | None, problem: str):
        self.source, self.line, self.problem = source, line, problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


def load(path: str | Path, *, question: str | None = None) -> BallotSet:
    """Read a ballot file, choosing the reader from the extension.

    ``.soc .soi .toc .toi .cat`` are PrefLib files, ``.csv`` and ``.json`` the documented
    formats.  ``question`` selects one question of a wiki-survey CSV.
    """
    p = Path(path)
    ext = p.suffix.lower().lstrip(".")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(str(p), None, f"not UTF-8 text ({exc.reason})") from None
    if ext in PREFLIB_TYPES:
        return read_preflib(text, ext, source=str(p))
    if ext == "csv":
        return read_csv(text, source=str(p), question=question)
    if ext == "json":
        return read_json(text, source=str(p))
    raise ParseError(
        str(p),
        None,
        f"unknown file type {p.suffix!r} (expected "
        f"{', '.join('.' + t for t in PREFLIB_TYPES)}, .csv or .json)",
    )


# ------------------------------------------------------------------------------ PrefLib
_HEADER = re.compile(r"^#\s*([^:]+?)\s*:\s?(.*)$")


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


def read_preflib(text: str, data_type: str, *, source: str = "<preflib>") -> BallotSet:
    """Parse a PrefLib file (``soc``, ``soi``, ``toc``, ``toi`` or ``cat``).

    ``soc``: complete strict orders; ``soi``: strict, possibly incomplete; ``toc``: complete
    with ties; ``toi``: incomplete with ties - all give a :class:`Profile`.  ``cat`` gives a
    :class:`RatingProfile` whose scale is the categories, the first (best) category being
    the top level; a candidate in no category has no opinion.  Candidate ids are the
    numbers of the file (as strings); names come from ``ALTERNATIVE NAME`` lines.
    """
    data_type = data_type.lower()
    if data_type not in PREFLIB_TYPES:
        raise ParseError(source, None, f"unknown PrefLib data type {data_type!r}")
    meta: dict[str, tuple[int, str]] = {}
    names: dict[str, str] = {}
    categories: dict[int, str] = {}
    rows: list[tuple[int, int, list[list[str]]]] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            m = _HEADER.match(line)
            if not m:
                continue  # a free comment
            key, value = m.group(1).upper(), m.group(2).strip()
            if key.startswith("ALTERNATIVE NAME "):
                names[key.split()[-1]] = value
            elif key.startswith("CATEGORY NAME "):
                num = key.split()[-1]
                if not num.isdigit():
                    raise ParseError(source, lineno, f"bad category number {num!r}")
                categories[int(num)] = value
            else:
                meta[key] = (lineno, value)
            continue
        count_text, sep, body = line.partition(":")
        if not sep:
            raise ParseError(source, lineno, "expected 'count: ballot'")
        if not count_text.strip().isdigit():
            raise ParseError(
                source, lineno, f"count {count_text.strip()!r} is not a non-negative integer"
            )
        rows.append((lineno, int(count_text), _split_groups(body, source, lineno)))
    n_alt = _meta_int(meta, "NUMBER ALTERNATIVES", source)
    if n_alt is None:
        if not names:
            raise ParseError(source, None, "missing '# NUMBER ALTERNATIVES' header")
        n_alt = len(names)
    ids = [str(i) for i in range(1, n_alt + 1)]
    for k in names:
        if k not in ids:
            raise ParseError(
                source,
                meta.get("NUMBER ALTERNATIVES", (None,))[0],
                f"ALTERNATIVE NAME {k} outside 1..{n_alt}",
            )
    dt_meta = meta.get("DATA TYPE")
    if dt_meta and dt_meta[1].lower() != data_type:
        raise ParseError(
            source,
            dt_meta[0],
            f"DATA TYPE {dt_meta[1]!r} does not match the .{data_type} extension",
        )
    idset = set(ids)
    for lineno, _, groups in rows:
        seen: set[str] = set()
        for g in groups:
            for c in g:
                if c not in idset:
                    raise ParseError(source, lineno, f"candidate {c} is not in 1..{n_alt}")
                if c in seen:
                    raise ParseError(source, lineno, f"candidate {c} appears twice")
                seen.add(c)
        _check_kind(data_type, groups, seen, n_alt, source, lineno, len(categories))
    _check_totals(meta, rows, source)
    counts = [c for _, c, _ in rows]
    if data_type == "cat":
        k = len(categories)
        if sorted(categories) != list(range(1, k + 1)):
            raise ParseError(source, None, "CATEGORY NAME lines must number 1..k")
        # Category 1 is the best; the rating scale runs from worst to best.
        scale = [categories[i] for i in range(k, 0, -1)]
        grades = np.full((len(rows), n_alt), np.nan)
        for r, (_, _, groups) in enumerate(rows):
            for cat, g in enumerate(groups):
                for c in g:
                    grades[r, int(c) - 1] = k - 1 - cat
        return RatingProfile.from_array(grades, scale, ids, names=names, counts=counts)
    ballots = [groups for _, _, groups in rows]
    return Profile.from_rankings(ballots, ids, names=names, counts=counts)


def _meta_int(meta: dict[str, tuple[int, str]], key: str, source: str) -> int | None:
    if key not in meta:
        return None
    lineno, value = meta[key]
    if not value.isdigit():
        raise ParseError(source, lineno, f"{key} {value!r} is not an integer")
    return int(value)


def _check_kind(
    dt: str,
    groups: list[list[str]],
    seen: set[str],
    m: int,
    source: str,
    lineno: int,
    n_categories: int,
) -> None:
    if dt == "cat":
        if len(groups) != n_categories:
            raise ParseError(
                source, lineno, f"{len(groups)} categories, the header declares {n_categories}"
            )
        return
    if any(len(g) == 0 for g in groups):
        raise ParseError(source, lineno, "empty group '{}' in a ranking")
    if dt in ("soc", "soi") and any(len(g) > 1 for g in groups):
        raise ParseError(source, lineno, f"tie in a .{dt} file (strict orders only)")
    if dt in ("soc", "toc") and len(seen) != m:
        raise ParseError(
            source, lineno, f"ranks {len(seen)} of {m} candidates; .{dt} ballots must be complete"
        )


def _check_totals(meta: dict[str, tuple[int, str]], rows: list, source: str) -> None:
    voters = _meta_int(meta, "NUMBER VOTERS", source)
    if voters is not None and voters != sum(c for _, c, _ in rows):
        raise ParseError(
            source,
            meta["NUMBER VOTERS"][0],
            f"NUMBER VOTERS is {voters} but the counts add up to {sum(c for _, c, _ in rows)}",
        )
    for key in ("NUMBER UNIQUE ORDERS", "NUMBER UNIQUE PREFERENCES"):
        unique = _meta_int(meta, key, source)
        if unique is not None and unique != len(rows):
            raise ParseError(
                source, meta[key][0], f"{key} is {unique} but there are {len(rows)} ballot lines"
            )


# ---------------------------------------------------------------------------------- CSV
def read_csv(text: str, *, source: str = "<csv>", question: str | None = None) -> BallotSet:
    """Parse a ballot CSV; the header decides the kind (see docs/ranking.md).

    Leading ``#`` lines may declare ``# candidate <id>: <name>``, ``# scale: worst, ...,
    best`` (ratings) and ``# budget: <points>`` (points).
    """
    lines = text.splitlines()
    names: dict[str, str] = {}
    scale: list[str] | None = None
    budget: float | None = None
    first = 0
    for first, line in enumerate(lines):
        s = line.strip()
        if not s.startswith("#"):
            break
        m = re.match(r"#\s*candidate\s+([^:]+?)\s*:\s*(.*)$", s, re.I)
        if m:
            names[m.group(1)] = m.group(2).strip()
        elif m := re.match(r"#\s*scale\s*:\s*(.*)$", s, re.I):
            scale = next(csv.reader([m.group(1)], skipinitialspace=True))
            scale = [x.strip() for x in scale]
        elif m := re.match(r"#\s*budget\s*:\s*(.*)$", s, re.I):
            try:
                budget = float(m.group(1))
            except ValueError:
                raise ParseError(source, first + 1, "budget is not a number") from None
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
        return _read_wikisurvey(reader, source, offset, question)
    rows = [(offset + reader.line_num, row) for row in reader]
    if "ranking" in hs:
        return _csv_rankings(rows, names, source)
    if "approved" in hs:
        return _csv_approvals(rows, names, source)
    if {"winner", "loser"} <= hs or {"a", "b", "choice"} <= hs:
        return _csv_pairwise(rows, names, source)
    rating_cols = [h for h in header if h.startswith("rating:")]
    point_cols = [h for h in header if h.startswith("points:")]
    if rating_cols:
        if scale is None:
            raise ParseError(source, None, "ratings need a '# scale: worst, ..., best' line")
        return _csv_ratings(rows, rating_cols, scale, names, source)
    if point_cols:
        return _csv_points(rows, point_cols, budget, names, source)
    raise ParseError(
        source,
        first + 1,
        "cannot tell the ballot kind from the header: expected "
        "a 'ranking', 'approved', 'winner,loser', 'a,b,choice', 'rating:<id>' or "
        "'points:<id>' column",
    )


def _extras(rows, source):
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
    return counts, weights, (groups if has_group else None)


def _candidates(names: dict[str, str], seen: Sequence[str]) -> list[str]:
    if names:
        return list(names)
    out: dict[str, None] = {}
    for c in seen:
        out.setdefault(c, None)
    return list(out)


def _check_known(c: str, known: set[str] | None, source: str, lineno: int) -> None:
    if not c:
        raise ParseError(source, lineno, "empty candidate id")
    if known is not None and c not in known:
        raise ParseError(source, lineno, f"candidate {c!r} is not declared")


def _csv_rankings(rows, names, source) -> Profile:
    known = set(names) if names else None
    ballots, seen = [], []
    for lineno, row in rows:
        text = (row.get("ranking") or "").strip()
        groups = [[c.strip() for c in g.split("=")] for g in text.split(">")] if text else []
        flat = [c for g in groups for c in g]
        for c in flat:
            _check_known(c, known, source, lineno)
        if len(set(flat)) != len(flat):
            raise ParseError(source, lineno, "a candidate appears twice in the ranking")
        ballots.append(groups)
        seen.extend(flat)
    counts, weights, groups_ = _extras(rows, source)
    return Profile.from_rankings(
        ballots,
        _candidates(names, seen),
        names=names or None,
        counts=counts,
        weights=weights,
        groups=groups_,
    )


def _csv_approvals(rows, names, source) -> ApprovalProfile:
    known = set(names) if names else None
    ballots, seen = [], []
    for lineno, row in rows:
        text = (row.get("approved") or "").strip()
        items = [c.strip() for c in text.split(";")] if text else []
        for c in items:
            _check_known(c, known, source, lineno)
        if len(set(items)) != len(items):
            raise ParseError(source, lineno, "a candidate is approved twice")
        ballots.append(items)
        seen.extend(items)
    counts, weights, groups = _extras(rows, source)
    return ApprovalProfile.from_approvals(
        ballots,
        _candidates(names, seen),
        names=names or None,
        counts=counts,
        weights=weights,
        groups=groups,
    )


def _csv_pairwise(rows, names, source) -> PairwiseProfile:
    known = set(names) if names else None
    choices, seen = [], []
    for lineno, row in rows:
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
    counts, weights, groups = _extras(rows, source)
    return PairwiseProfile.from_choices(
        choices,
        _candidates(names, seen),
        names=names or None,
        counts=counts,
        weights=weights,
        groups=groups,
    )


def _csv_ratings(rows, cols, scale, names, source) -> RatingProfile:
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
    counts, weights, groups = _extras(rows, source)
    return RatingProfile.from_array(
        g, scale, ids, names=names or None, counts=counts, weights=weights, groups=groups
    )


def _csv_points(rows, cols, budget, names, source) -> PointsProfile:
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
    counts, weights, groups = _extras(rows, source)
    return PointsProfile.from_array(
        p, ids, names=names or None, counts=counts, weights=weights, groups=groups
    )


def _read_wikisurvey(
    reader: csv.DictReader, source: str, offset: int, question: str | None
) -> PairwiseProfile:
    """Wiki-survey export: ``wiki_pair_i = "a,b"`` and the chosen idea ``wiki_i`` (or NA)."""
    rows = [(offset + reader.line_num, row) for row in reader]
    questions = sorted({(r.get("question") or "").strip() for _, r in rows})
    if question is None:
        if len(questions) > 1:
            raise ParseError(
                source,
                None,
                "the file holds several questions "
                f"({', '.join(questions)}); choose one with --question",
            )
        question = questions[0] if questions else ""
    elif question not in questions:
        raise ParseError(source, None, f"no question {question!r} (have {', '.join(questions)})")
    pair_cols = sorted(
        (k for k in reader.fieldnames or [] if k.startswith("wiki_pair_")),
        key=lambda k: int(k.rsplit("_", 1)[1]),
    )
    choices, seen = [], []
    for lineno, row in rows:
        if (row.get("question") or "").strip() != question:
            continue
        for col in pair_cols:
            pair = (row.get(col) or "").strip()
            if pair.upper() in ("", "NA"):
                continue
            parts = [x.strip() for x in pair.split(",")]
            if len(parts) != 2 or not all(parts):
                raise ParseError(source, lineno, f"{col} {pair!r} is not 'a,b'")
            a, b = parts
            ch = (row.get("wiki_" + col.rsplit("_", 1)[1]) or "").strip()
            if ch.upper() in ("", "NA"):
                choice = None
            elif ch in (a, b):
                choice = ch
            else:
                raise ParseError(source, lineno, f"choice {ch!r} is not in the pair {pair!r}")
            choices.append((a, b, choice))
            seen.extend((a, b))
    cands = sorted(set(seen), key=lambda c: (not c.isdigit(), int(c) if c.isdigit() else 0, c))
    return PairwiseProfile.from_choices(choices, cands)


# --------------------------------------------------------------------------------- JSON
def read_json(text: str, *, source: str = "<json>") -> BallotSet:
    """Parse the JSON ballot format (see docs/ranking.md)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(source, exc.lineno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(doc, dict):
        raise ParseError(source, 1, "expected a JSON object")
    kind = doc.get("kind")
    ballots = doc.get("ballots")
    if kind not in ("rankings", "ratings", "approvals", "points", "pairwise"):
        raise ParseError(
            source,
            "kind",
            f"kind must be rankings, ratings, approvals, points or pairwise, not {kind!r}",
        )
    if not isinstance(ballots, list):
        raise ParseError(source, "ballots", "'ballots' must be a list")
    cands = doc.get("candidates")
    if isinstance(cands, dict):
        names = {str(k): str(v) for k, v in cands.items()}
        ids: list[str] | None = list(names)
    elif isinstance(cands, list):
        ids, names = [str(c) for c in cands], {}
    elif cands is None:
        ids, names = None, {}
    else:
        raise ParseError(source, "candidates", "must be an object {id: name} or a list of ids")
    counts, weights, groups = [], [], []
    has_group = False
    payload = []
    key = {
        "rankings": "ranking",
        "ratings": "ratings",
        "approvals": "approved",
        "points": "points",
    }.get(kind)
    for i, b in enumerate(ballots):
        where = f"ballots[{i}]"
        if not isinstance(b, dict):
            raise ParseError(source, where, "each ballot must be an object")
        c, w = b.get("count", 1), b.get("weight", 1.0)
        if not isinstance(c, int) or isinstance(c, bool) or c < 0:
            raise ParseError(source, where, f"count {c!r} is not a non-negative integer")
        if not isinstance(w, (int, float)) or isinstance(w, bool) or w < 0:
            raise ParseError(source, where, f"weight {w!r} is not a non-negative number")
        counts.append(c)
        weights.append(float(w))
        if "group" in b:
            has_group = True
        groups.append(str(b.get("group", "")))
        if kind == "pairwise":
            if "winner" in b:
                payload.append((b["winner"], b.get("loser"), b["winner"]))
            elif "pair" in b and isinstance(b["pair"], list) and len(b["pair"]) == 2:
                payload.append((b["pair"][0], b["pair"][1], b.get("choice")))
            else:
                raise ParseError(source, where, "needs 'winner' and 'loser' or 'pair' and 'choice'")
        else:
            if key not in b:
                raise ParseError(source, where, f"missing {key!r}")
            payload.append(b[key])
    extra = dict(
        names=names or None, counts=counts, weights=weights, groups=groups if has_group else None
    )
    try:
        if kind == "rankings":
            return Profile.from_rankings(payload, ids, **extra)
        if kind == "approvals":
            return ApprovalProfile.from_approvals(payload, ids, **extra)
        if kind == "points":
            return PointsProfile.from_points(payload, ids, budget=doc.get("budget"), **extra)
        if kind == "ratings":
            if not isinstance(doc.get("scale"), list):
                raise ParseError(source, "scale", "ratings need 'scale': [worst, ..., best]")
            return RatingProfile.from_ratings(payload, doc["scale"], ids, **extra)
        return PairwiseProfile.from_choices(payload, ids, **extra)
    except ParseError:
        raise
    except (ValueError, TypeError, AttributeError) as exc:
        raise ParseError(source, "ballots", str(exc)) from None
