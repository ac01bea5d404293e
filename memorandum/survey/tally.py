"""The one bridge between the database and the ranking engine (``ranking/``).

Submitted ballots are read once into plain records (:func:`snapshot`), hashed, turned into
the engine's numpy profiles (:func:`build_profile`) and ranked; everything the results
pages, charts and exports show comes from the :class:`~memorandum.survey.contract.TallyResult`
returned by :func:`compute`, frozen in a :class:`~memorandum.survey.models.Tally` together
with the seed and the hash. Running :func:`compute` again on the same records and seed gives
the same result.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from operator import itemgetter, methodcaller
from typing import Any

import numpy as np

import ranking
from memorandum.survey import arrays
from memorandum.survey.ballots import kind_of
from memorandum.survey.contract import (
    GroupRanks,
    OrderRow,
    ParticipationCounts,
    TallyItem,
    TallyResult,
    WithinGroup,
)
from memorandum.survey.items import survey_items
from memorandum.survey.models import (
    POINTS_BUDGET,
    TOP_N,
    Ballot,
    BallotForm,
    Survey,
    SurveyItem,
    Weighting,
    canonical_json,
)

LEVEL = 0.95


def snapshot(survey: Survey) -> list[dict]:
    """The counted ballots as plain records, in a stable order (zone links left out).

    Counted means submitted no later than the survey closed (``Ballot.objects.counted``),
    the same set the receipt check answers for. The weight is the one stored on the ballot:
    a weight class's in an anonymous weighted survey, never the zone's own.
    """
    records = [
        {
            "province": b.province,
            "region": b.region,
            "weight": float(b.weight),
            "payload": b.payload,
        }
        for b in Ballot.objects.counted(survey).order_by("id")
    ]
    records.sort(key=canonical_json)
    return records


def snapshot_hash(records: list[dict]) -> str:
    return hashlib.sha256(canonical_json(records).encode()).hexdigest()


def build_profile(
    form: str,
    records: list[dict],
    codes: list[str],
    *,
    group_key: str | None = None,
    by_record: bool = False,
    top_n: int = TOP_N,
):
    """Turn ballot records into the engine's profile for this ballot form.

    ``group_key`` ("region" or "province") attaches that label to each ballot so the engine
    can rank per group; ``top_n`` is the survey's size of the top; ``by_record`` labels each ballot with its record instead (the
    clusters of the pairwise bootstrap). The ballot form decodes the payloads
    (:meth:`memorandum.survey.ballots.BallotKind.profile`).
    """
    n = len(records)
    weights = np.fromiter(map(itemgetter("weight"), records), dtype=float, count=n)
    if by_record:
        groups = np.arange(n).astype(str).tolist()
    else:
        groups = list(map(itemgetter(group_key), records)) if group_key else None
    payloads = list(map(itemgetter("payload"), records))
    return kind_of(form).profile(payloads, codes, weights=weights, groups=groups, top_n=top_n)


def _points_as_rankings(profile) -> Any:
    """Points read as rankings with ties (more points ranks higher; no points is unranked)."""
    # The engine reads smaller as better and negative as unranked.
    ranks = np.where(profile.points > 0, POINTS_BUDGET - profile.points, -1).astype(np.int64)
    return ranking.Profile.from_ranks(
        ranks,
        profile.candidates,
        counts=profile.multiplicity,
        weights=profile.weights,
        groups=profile.groups,
    )


def _for_method(profile, method: str):
    if isinstance(profile, ranking.PointsProfile) and method != "points":
        return _points_as_rankings(profile)
    return profile


def _positions(result) -> dict[str, int]:
    return {c: int(p) for c, p in result.positions().items()}


def _score(result, code: str) -> float | None:
    if result.scores is None:
        return None
    value = result.scores.get(code)
    return (
        None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    )


def comparison_methods(form: str, n_items: int) -> list[str]:
    return kind_of(form).comparison_methods(n_items)


def compute(
    survey: Survey,
    records: list[dict],
    *,
    method: str,
    seed: int,
    replicates: int,
    participation: ParticipationCounts,
) -> TallyResult:
    """Rank, bootstrap and break down; return the result frozen in the tally."""
    form = survey.ballot_form
    items = survey_items(survey)
    codes = [item.code for item in items]
    out = TallyResult(
        form=form,
        method=method,
        seed=seed,
        replicates=replicates,
        level=LEVEL,
        top_k=min(survey.top_n, len(codes)),
        ballots=len(records),
        total_weight=float(sum(r["weight"] for r in records)),
        weighting=survey.weighting,
        min_group=survey.min_group,
        participation=participation,
        items=[
            TallyItem(
                code=i.code, title=str(i.title), group=i.group, group_label=str(i.group_label)
            )
            for i in items
        ],
    )
    if survey.is_anonymous and 0 < len(records) < survey.min_group:
        # With fewer than k ballots the overall order is itself a small group: whoever
        # knows which zones answered could read their answers off it.
        out.withheld = True
        records = []
    if not records or not codes:
        return out
    profile = build_profile(form, records, codes, top_n=survey.top_n)
    primary = ranking.rank(_for_method(profile, method), method)
    out.approximate = primary.approximate  # Kemeny above its exact limit (older surveys)
    if form == BallotForm.PAIRWISE:
        # A zone answers many comparisons: resample whole zones, not single comparisons.
        clustered = build_profile(form, records, codes, by_record=True, top_n=survey.top_n)
        result = ranking.bootstrap(
            clustered,
            method,
            n=replicates,
            seed=seed,
            top_k=out.top_k,
            level=LEVEL,
            clusters=clustered.groups,
        )
    else:
        result = ranking.bootstrap(
            _for_method(profile, method),
            method,
            n=replicates,
            seed=seed,
            top_k=out.top_k,
            level=LEVEL,
        )
    positions = _positions(primary)
    scores_safe = scores_are_safe(survey, records)
    out.order = [
        OrderRow(
            code=code,
            rank=positions[code],
            score=_score(primary, code) if scores_safe else None,
            rank_low=int(result.rank_interval[code][0]),
            rank_high=int(result.rank_interval[code][1]),
            p_top_k=round(float(result.p_top_k[code]), 4),
            mean_rank=round(float(result.mean_rank[code]), 3),
        )
        for code in sorted(codes, key=lambda c: (positions[c], codes.index(c)))
    ]
    out.scores_withheld = not scores_safe
    # Agreement between methods: Kendall's tau-b of each method's order against the primary one.
    results = {method: primary}
    for other in comparison_methods(form, len(codes)):
        if other != method:
            results[other] = ranking.rank(_for_method(profile, other), other)
    out.methods = {name: _positions(result) for name, result in results.items()}
    out.agreement = {
        name: _finite(ranking.kendall_tau(primary, result))
        for name, result in results.items()
        if name != method
    }
    out.kendall_w = _kendall_w(profile)
    out.by_region = _by_group(survey, records, codes, method, "region")
    out.by_province = _by_group(survey, records, codes, method, "province")
    if survey.uses_weight_classes:
        out.by_weight_class = _by_group(survey, records, codes, method, "weight")
    if form == BallotForm.RANKING:
        out.within = _within_groups(records, items, method)
    if form == BallotForm.RATING:
        out.criteria = _criteria_means(records, codes)
    return out


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def _kendall_w(profile) -> float | None:
    """Agreement among voters; not defined for pairwise choices."""
    if isinstance(profile, ranking.PairwiseProfile):
        return None
    if isinstance(profile, ranking.PointsProfile):
        profile = _points_as_rankings(profile)
    return _finite(ranking.kendall_w(profile))


OTHER = "other"


def scores_are_safe(survey: Survey, records: list[dict]) -> bool:
    """Can weighted scores be published without giving a weight (and so a zone) away?

    A weighted score is a sum of weight × contribution. When a weight is carried by fewer
    than k ballots, the sums can be taken apart again (a score of 2,653,980 is 60 points
    times one zone's population). With one zone, one vote there is nothing to take apart.
    """
    if survey.weighting == Weighting.ZONE:
        return True
    counts = Counter(r["weight"] for r in records)
    return all(n >= survey.min_group for n in counts.values())


def _by_group(
    survey: Survey, records: list[dict], codes: list[str], method: str, key: str
) -> dict[str, GroupRanks]:
    """The primary method's order inside each region, province or weight class.

    Only groups of at least ``survey.min_group`` (k) ballots are ranked on their own; the
    smaller ones are ranked together as :data:`OTHER` (with the list of what it merges), or,
    when even together they hold fewer than k ballots, left out (``ranks`` None). Nothing here lets a reader see a group of fewer
    than k ballots, so the frozen tally is safe to show whole.
    """
    k = survey.min_group
    counts = Counter(r[key] for r in records)
    out: dict[str, GroupRanks] = {}
    small = sorted(label for label, n in counts.items() if n < k)
    for label in sorted(label for label in counts if counts[label] >= k):
        subset = [r for r in records if r[key] == label]
        out[str(label)] = GroupRanks(
            ballots=counts[label], ranks=_rank_subset(survey, subset, codes, method)
        )
    if small:
        subset = [r for r in records if r[key] in small]
        out[OTHER] = GroupRanks(
            ballots=len(subset),
            ranks=_rank_subset(survey, subset, codes, method) if len(subset) >= k else None,
            merged=[str(label) for label in small],
        )
    return out


def _rank_subset(survey: Survey, subset: list[dict], codes: list[str], method: str) -> dict:
    profile = build_profile(survey.ballot_form, subset, codes, top_n=survey.top_n)
    return _positions(ranking.rank(_for_method(profile, method), method))


def _within_groups(
    records: list[dict], items: list[SurveyItem], method: str
) -> dict[str, WithinGroup]:
    """Ranking ballots also order the items inside each theme or domain: rank those lists."""
    groups: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item.code)
        labels[item.group] = str(item.group_label)
    within_method = method if ranking.METHODS[method].kind == "rankings" else "schulze"
    payloads = map(itemgetter("payload"), records)
    withins = list(map(methodcaller("get", "within", {}), payloads))
    weights = np.fromiter(map(itemgetter("weight"), records), dtype=float, count=len(records))
    out = {}
    for group, codes in groups.items():
        if len(codes) < 2:
            continue
        lists = [within.get(group, []) for within in withins]
        profile = ranking.Profile.from_orders(
            arrays.orders(lists, codes, len(codes)), codes, weights=weights
        )
        out[group] = WithinGroup(
            label=labels[group], ranks=_positions(ranking.rank(profile, within_method))
        )
    return out


def _criteria_means(records: list[dict], codes: list[str]) -> dict:
    """Weighted mean level (0 = low … 3 = very high) per criterion, no opinion left out."""
    weights = np.fromiter(map(itemgetter("weight"), records), dtype=float, count=len(records))
    out = {}
    payloads = list(map(itemgetter("payload"), records))
    for name, levels in arrays.criteria(payloads, codes).items():
        given = ~np.isnan(levels)
        total = weights @ given
        sums = weights @ np.where(given, levels, 0.0)
        out[name] = {
            code: (round(float(sums[j] / total[j]), 3) if total[j] else None)
            for j, code in enumerate(codes)
        }
    return out
