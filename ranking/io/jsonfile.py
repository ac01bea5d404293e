"""The JSON ballot format (see docs/ranking.md).

The document is decoded by the standard library's C decoder; the per-ballot fields are then
gathered by C-level iterators (``map`` with ``operator`` getters) and checked as arrays, and
rankings go to the array-built :meth:`Profile.from_rankings`.  A document the bulk path does
not accept is checked again ballot by ballot for an exact error message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import itemgetter, methodcaller
from typing import Any

import numpy as np

from ..ballots import ApprovalProfile, PairwiseProfile, PointsProfile, RatingProfile
from ..profile import BallotSet, Profile
from ..types import Counts, Weights
from .errors import ParseError

__all__ = ["read_json"]

_KINDS = ("rankings", "ratings", "approvals", "points", "pairwise")
_KEY = {"rankings": "ranking", "ratings": "ratings", "approvals": "approved", "points": "points"}


def read_json(text: str | bytes, *, source: str = "<json>") -> BallotSet:
    """Parse the JSON ballot format.

    Parameters
    ----------
    text : str or bytes
        The document: ``{"kind": ..., "candidates": ..., "ballots": [...]}``.
    source : str
        Name used in error messages.

    Returns
    -------
    BallotSet
        The profile of the declared kind.

    Raises
    ------
    ParseError
        With the JSON line for syntax errors, else the ballot (``ballots[3]``).
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(source, exc.lineno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(doc, dict):
        raise ParseError(source, 1, "expected a JSON object")
    kind = doc.get("kind")
    ballots = doc.get("ballots")
    if kind not in _KINDS:
        raise ParseError(
            source,
            "kind",
            f"kind must be rankings, ratings, approvals, points or pairwise, not {kind!r}",
        )
    if not isinstance(ballots, list):
        raise ParseError(source, "ballots", "'ballots' must be a list")
    cands = doc.get("candidates")
    ids: list[str] | None
    if isinstance(cands, dict):
        names = {str(k): str(v) for k, v in cands.items()}
        ids = list(names)
    elif isinstance(cands, list):
        ids, names = [str(c) for c in cands], {}
    elif cands is None:
        ids, names = None, {}
    else:
        raise ParseError(source, "candidates", "must be an object {id: name} or a list of ids")
    fields = _bulk_fields(kind, ballots) or _checked_fields(kind, ballots, source)
    payload, counts, weights, groups = fields
    extra: dict[str, Any] = dict(names=names or None, counts=counts, weights=weights, groups=groups)
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
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ParseError(source, "ballots", str(exc)) from None


_Fields = tuple[Sequence[Any], Counts, Weights, Sequence[str] | None]


def _bulk_fields(kind: str, ballots: list[Any]) -> _Fields | None:
    """The fields of all ballots gathered at once; None if any needs a closer look."""
    if set(map(type, ballots)) - {dict}:
        return None
    counts = list(map(methodcaller("get", "count", 1), ballots))
    weights = list(map(methodcaller("get", "weight", 1.0), ballots))
    if set(map(type, counts)) - {int} or set(map(type, weights)) - {int, float}:
        return None
    c = np.asarray(counts, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    if (c < 0).any() or (w < 0).any():
        return None
    has_group = any(map(methodcaller("__contains__", "group"), ballots))
    groups = list(map(str, map(methodcaller("get", "group", ""), ballots))) if has_group else None
    try:
        if kind == "pairwise":
            if not all(map(methodcaller("__contains__", "winner"), ballots)):
                return None
            payload: list[Any] = list(
                zip(
                    map(itemgetter("winner"), ballots),
                    map(methodcaller("get", "loser"), ballots),
                    map(itemgetter("winner"), ballots),
                    strict=True,
                )
            )
        else:
            payload = list(map(itemgetter(_KEY[kind]), ballots))
    except KeyError:
        return None
    return payload, c, w, groups


def _checked_fields(kind: str, ballots: list[Any], source: str) -> _Fields:
    """Ballot by ballot, raising on the first problem."""
    counts: list[int] = []
    weights: list[float] = []
    groups: list[str] = []
    has_group = False
    payload: list[Any] = []
    key = _KEY.get(kind)
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
            assert key is not None
            if key not in b:
                raise ParseError(source, where, f"missing {key!r}")
            payload.append(b[key])
    return payload, counts, weights, (groups if has_group else None)
