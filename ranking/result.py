"""The :class:`Result` of a ranking method and helpers to build orders from scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .types import FloatArray, JSONDict, Order

if TYPE_CHECKING:
    from .profile import BallotSet

__all__ = ["Result", "order_from_scores", "order_from_positions", "scored_result"]

# Scores closer than this (relative) are ties: sums of float weights must not split a tie
# because of rounding in the last bit.
_REL_TIE = 1e-9


def order_from_scores(
    candidates: Sequence[str],
    scores: FloatArray,
    *,
    higher_is_better: bool = True,
    atol: float = 0.0,
) -> Order:
    """Group candidates by score, best first; equal scores form one tie-group.

    Scores within ``1e-9`` (relative to the largest) or ``atol`` of the previous group
    member are equal.  NaN scores (e.g. a candidate nobody rated) form the last group.
    Inside a group the candidates keep their input order.
    """
    s = np.asarray(scores, dtype=np.float64)
    nan = np.isnan(s)
    key = np.where(nan, 0.0, -s if higher_is_better else s)
    idx = np.flatnonzero(~nan)
    idx = idx[np.argsort(key[idx], kind="stable")]
    groups: list[list[int]] = []
    last = None
    scale = max(1.0, float(np.abs(key[idx]).max())) if len(idx) else 1.0
    for i in idx:
        if last is not None and abs(key[i] - last) <= max(_REL_TIE * scale, atol):
            groups[-1].append(int(i))
        else:
            groups.append([int(i)])
        last = key[i]
    order = [[candidates[i] for i in sorted(group)] for group in groups]
    if nan.any():
        order.append([candidates[i] for i in np.flatnonzero(nan)])
    return order


def scored_result(
    method: str,
    profile: BallotSet,
    scores: FloatArray,
    *,
    atol: float = 0.0,
    winners: list[str] | None = None,
    details: dict[str, Any] | None = None,
) -> Result:
    """The :class:`Result` of a method that scores every candidate (higher is better).

    Candidates are grouped by score (see :func:`order_from_scores`); unless ``winners`` is
    given, the first group wins, and nobody when no candidate has a score.
    """
    order = order_from_scores(profile.candidates, scores, atol=atol)
    if winners is None:
        winners = list(order[0]) if order and not np.isnan(scores).all() else []
    return Result(
        method,
        profile.candidates,
        profile.names,
        order,
        {c: float(s) for c, s in zip(profile.candidates, scores, strict=True)},
        winners,
        dict(details or {}),
    )


def order_from_positions(candidates: Sequence[str], positions: Sequence[int]) -> Order:
    """Turn a position per candidate (0 = best, equal = tied) into an order."""
    pos = np.asarray(positions)
    return [[candidates[i] for i in np.flatnonzero(pos == p)] for p in np.unique(pos)]


@dataclass(frozen=True)
class Result:
    """Outcome of one ranking method.

    Attributes
    ----------
    method : str
        CLI name of the method (e.g. ``"schulze"``).
    candidates : tuple of str
        Candidate ids in input order.
    names : dict
        Display name of each candidate id.
    order : list of list of str
        Tie-groups of candidate ids from best to worst.
    scores : dict or None
        Score per candidate id where the method has one (higher is better).
    winners : list of str
        The method's winners (see each method for how ties are treated).
    details : dict
        Method-specific extras (e.g. ``tie_break_used`` for Ranked Pairs).
    """

    method: str
    candidates: tuple[str, ...]
    names: dict[str, str]
    order: Order
    scores: dict[str, float] | None
    winners: list[str]
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def approximate(self) -> bool:
        """True when the method only approximated its order (Kemeny above its limit)."""
        return bool(self.details.get("approximate", False))

    def positions(self) -> dict[str, int]:
        """Competition rank of each candidate: 1 + number of candidates strictly ahead.

        Returns
        -------
        dict
            Position by candidate id.
        """
        out: dict[str, int] = {}
        ahead = 0
        for group in self.order:
            for c in group:
                out[c] = ahead + 1
            ahead += len(group)
        return out

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary ``{"method", "candidates", "order", "scores", "winners"}``.

        ``details`` is added under its own key when not empty.

        Returns
        -------
        dict
        """
        d: JSONDict = {
            "method": self.method,
            "candidates": {c: self.names.get(c, c) for c in self.candidates},
            "order": [list(g) for g in self.order],
            "scores": None
            if self.scores is None
            else {c: _json_float(v) for c, v in self.scores.items()},
            "winners": list(self.winners),
        }
        if self.scores is None:
            del d["scores"]
        if self.details:
            d["details"] = _jsonable(self.details)
        return d

    def table(self, top_k: int | None = None) -> str:
        """Plain-text table: rank, id, name and score, best first.

        Parameters
        ----------
        top_k : int, optional
            Show only the candidates ranked at most ``top_k``.

        Returns
        -------
        str
        """
        pos = self.positions()
        rows = [("rank", "id", "name", "score")]
        for group in self.order:
            for c in group:
                if top_k is not None and pos[c] > top_k:
                    break
                score = "" if self.scores is None else _fmt(self.scores.get(c))
                rows.append((str(pos[c]), c, self.names.get(c, c), score))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = [
            "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows
        ]
        lines.append(f"winners: {', '.join(self.winners)}")
        if self.approximate:
            lines.append(f"approximate: {self.details.get('approximation', 'not exact')}")
        return "\n".join(lines)


def _fmt(v: float | None) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "-"
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.4f}"


def _json_float(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if np.isnan(f) else f


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return _json_float(x)
    return x
