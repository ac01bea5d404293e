"""One entry point for every method: :func:`rank` and per-group results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .ballots import RatingProfile
from .irv import irv
from .kemeny import kemeny
from .likelihood import bradley_terry, plackett_luce
from .majority import borda, copeland, ranked_pairs, schulze
from .margin import support_matrix
from .profile import BallotSet, Profile
from .result import Result
from .scores import approval, majority_judgment, mean_score, points
from .types import Kind, Method

__all__ = ["METHODS", "MethodInfo", "rank", "rank_by_group", "rank_many", "prepare"]


@dataclass(frozen=True)
class MethodInfo:
    """A method's function, the profile kind it reads and whether it uses margins."""

    func: Callable[..., Result]
    kind: Kind
    margin_based: bool = False


#: CLI name -> method.
METHODS: dict[Method, MethodInfo] = {
    "borda": MethodInfo(borda, "rankings", True),
    "copeland": MethodInfo(copeland, "rankings", True),
    "schulze": MethodInfo(schulze, "rankings", True),
    "ranked-pairs": MethodInfo(ranked_pairs, "rankings", True),
    "kemeny": MethodInfo(kemeny, "rankings", True),
    "irv": MethodInfo(irv, "rankings"),
    "plackett-luce": MethodInfo(plackett_luce, "rankings"),
    "mean": MethodInfo(mean_score, "ratings"),
    "majority-judgment": MethodInfo(majority_judgment, "ratings"),
    "bradley-terry": MethodInfo(bradley_terry, "pairwise"),
    "approval": MethodInfo(approval, "approvals"),
    "points": MethodInfo(points, "points"),
}


def prepare(profile: BallotSet, method: Method) -> BallotSet:
    """Convert a profile to the kind ``method`` reads, where that is unambiguous.

    Ratings become rankings with ties (higher level first, no opinion unranked) for the
    ranking methods, and approvals of the top level for ``approval``.  Anything else that
    does not match raises ``ValueError`` naming both kinds.

    Parameters
    ----------
    profile : BallotSet
        Any profile kind.
    method : str
        A key of :data:`METHODS`.

    Returns
    -------
    BallotSet
        ``profile`` itself, or its conversion.
    """
    info = _info(method)
    if profile.kind == info.kind:
        return profile
    if isinstance(profile, RatingProfile) and info.kind == "rankings":
        return profile.to_rankings()
    if isinstance(profile, RatingProfile) and info.kind == "approvals":
        return profile.to_approvals()
    raise ValueError(f"method {method!r} needs {info.kind} ballots, got {profile.kind}")


def _info(method: str) -> MethodInfo:
    try:
        return METHODS[method]  # type: ignore[index]  # checked here for untyped callers
    except KeyError:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}") from None


def rank(profile: BallotSet, method: Method = "schulze", **options: Any) -> Result:
    """Rank the candidates of ``profile`` with ``method``.

    Parameters
    ----------
    profile : Profile, RatingProfile, ApprovalProfile, PointsProfile or PairwiseProfile
        The ballots (see :func:`prepare` for automatic conversions).
    method : str
        A key of :data:`METHODS` (the CLI names, e.g. ``"ranked-pairs"``).
    **options
        Passed to the method (e.g. ``alpha=`` for Plackett-Luce, ``tie_breaker=`` for Ranked
        Pairs, ``support=`` to reuse a support matrix for margin-based methods).

    Returns
    -------
    Result
    """
    info = _info(method)
    return info.func(prepare(profile, method), **options)


def rank_many(
    profile: BallotSet, methods: Sequence[Method], **options: Any
) -> dict[Method, Result]:
    """Run several methods, computing the support matrix once for the margin-based ones.

    Parameters
    ----------
    profile : BallotSet
        The ballots.
    methods : sequence of str
        Keys of :data:`METHODS`.
    **options
        Per-method options: ``{method: {option: value}}``.

    Returns
    -------
    dict
        Result by method name.
    """
    out: dict[Method, Result] = {}
    support = None
    for name in methods:
        info = _info(name)
        prepared = prepare(profile, name)
        opts = dict(options.get(name, {}))
        if info.margin_based:
            if support is None:
                assert isinstance(prepared, Profile)
                support = support_matrix(prepared)
            opts.setdefault("support", support)
        out[name] = info.func(prepared, **opts)
    return out


def rank_by_group(
    profile: BallotSet, method: Method = "schulze", **options: Any
) -> dict[str, Result]:
    """Rank separately within every group label of the profile.

    Parameters
    ----------
    profile : BallotSet
        Ballots with group labels.
    method : str
        A key of :data:`METHODS`.
    **options
        Passed to the method.

    Returns
    -------
    dict
        Result by group label (sorted).
    """
    return {g: rank(sub, method, **options) for g, sub in profile.by_group().items()}
