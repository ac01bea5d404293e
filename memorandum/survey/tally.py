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
from itertools import chain, repeat
from operator import itemgetter, methodcaller
from typing import Any

import numpy as np

import ranking
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
    METHODS_BY_FORM,
    POINTS_BUDGET,
    RATING_CRITERIA,
    RATING_LEVELS,
    TOP_N,
    Ballot,
    BallotForm,
    Survey,
    SurveyItem,
    Weighting,
    canonical_json,
)
from memorandum.survey.pairs import latest_answers

# Above this many items Kemeny is only approximated (the exact programme costs 2^m): it is
# then neither a comparison method nor accepted as the primary one (see forms.SurveyForm).
KEMENY_MAX_ITEMS = ranking.KEMENY_EXACT_MAX
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


def _entries(lists: list, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Row and item index of every known code in per-ballot lists, flattened in order.

    The lists are walked by C-level iterators (``chain``, ``map``), not per ballot.
    """
    lens = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = list(chain.from_iterable(lists))
    col = np.fromiter(map(index.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    row = np.repeat(np.arange(len(lists), dtype=np.int64), lens)
    known = col >= 0
    return row[known], col[known]


def _orders(lists: list, codes: list[str], k: int) -> np.ndarray:
    """Each ballot's first ``k`` known codes as item indices, ``-1`` padded."""
    row, col = _entries(lists, {c: i for i, c in enumerate(codes)})
    slot = np.arange(len(row)) - np.searchsorted(row, row)  # position among known codes
    keep = slot < k
    orders = np.full((len(lists), k), -1, dtype=np.int64)
    orders[row[keep], slot[keep]] = col[keep]
    return orders


def _matrix(dicts: list, codes: list[str], empty: float) -> np.ndarray:
    """``{code: value}`` per ballot as a ballots x items matrix (None = NaN)."""
    index = {c: i for i, c in enumerate(codes)}
    lens = np.fromiter(map(len, dicts), dtype=np.int64, count=len(dicts))
    keys = list(chain.from_iterable(map(dict.keys, dicts)))
    values = np.array(list(chain.from_iterable(map(dict.values, dicts))), dtype=float)
    col = np.fromiter(map(index.get, keys, repeat(-1)), dtype=np.int64, count=len(keys))
    row = np.repeat(np.arange(len(dicts), dtype=np.int64), lens)
    known = col >= 0
    out = np.full((len(dicts), len(codes)), empty)
    out[row[known], col[known]] = values[known]
    return out


def _criteria(records: list[dict], codes: list[str]) -> dict[str, np.ndarray]:
    """Level (0–3, NaN = no opinion) per ballot and item, for each rating criterion."""
    payloads = list(map(itemgetter("payload"), records))
    return {
        name: _matrix(list(map(methodcaller("get", name, {}), payloads)), codes, np.nan)
        for name, _label in RATING_CRITERIA
    }


def _combined_grades(records: list[dict], codes: list[str]) -> np.ndarray:
    """Importance plus urgency (0–6); one criterion counts double when the other has no opinion."""
    levels = np.stack(list(_criteria(records, codes).values()))
    given = (~np.isnan(levels)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(given > 0, np.nansum(levels, axis=0) * len(levels) / given, np.nan)


def build_profile(
    form: str,
    records: list[dict],
    codes: list[str],
    *,
    group_key: str | None = None,
    by_record: bool = False,
):
    """Turn ballot records into the engine's profile for this ballot form.

    ``group_key`` ("region" or "province") attaches that label to each ballot so the engine
    can rank per group; ``by_record`` labels each ballot with its record instead (the
    clusters of the pairwise bootstrap).  Payloads are only decoded here: the arrays are
    built by C-level iterators and numpy, never by a Python statement per ballot.
    """
    n = len(records)
    weights = np.fromiter(map(itemgetter("weight"), records), dtype=float, count=n)
    if by_record:
        groups = np.arange(n).astype(str).tolist()
    else:
        groups = list(map(itemgetter(group_key), records)) if group_key else None
    payloads = list(map(itemgetter("payload"), records))
    if form == BallotForm.RANKING:
        overall = list(map(methodcaller("get", "overall", []), payloads))
        orders = _orders(overall, codes, min(TOP_N, len(codes)))
        return ranking.Profile.from_orders(orders, codes, weights=weights, groups=groups)
    if form == BallotForm.RATING:
        scale = [str(i) for i in range(2 * (len(RATING_LEVELS) - 1) + 1)]
        return ranking.RatingProfile.from_array(
            _combined_grades(records, codes), scale, codes, weights=weights, groups=groups
        )
    if form == BallotForm.POINTS:
        points = _matrix(list(map(methodcaller("get", "points", {}), payloads)), codes, 0.0)
        return ranking.PointsProfile.from_array(
            points, codes, budget=POINTS_BUDGET, weights=weights, groups=groups
        )
    if form == BallotForm.PAIRWISE:
        # One answer per pair and zone (its latest): repeating a comparison never adds weight.
        lists = list(map(latest_answers, map(methodcaller("get", "choices", []), payloads)))
        lens = np.fromiter(map(len, lists), dtype=np.int64, count=n)
        choices = list(chain.from_iterable(lists))
        row = np.repeat(np.arange(n), lens)
        index = {c: i for i, c in enumerate(codes)}
        a = np.fromiter(map(index.get, map(itemgetter(0), choices), repeat(-1)), np.int64)
        b = np.fromiter(map(index.get, map(itemgetter(1), choices), repeat(-1)), np.int64)
        winner = np.fromiter(
            map(index.get, map(itemgetter(2), choices), repeat(-2)), np.int64, len(choices)
        )
        tie = np.fromiter(map(_is_none, map(itemgetter(2), choices)), bool, len(choices))
        known = (a >= 0) & (b >= 0)
        if (known & ~tie & (winner != a) & (winner != b)).any():
            raise ValueError("a pairwise choice names neither of its two items")
        swap = ~tie & (winner == b)
        first, second = np.where(swap, b, a)[known], np.where(swap, a, b)[known]
        row = row[known]
        return ranking.PairwiseProfile.from_arrays(
            first,
            second,
            tie[known],
            codes,
            weights=weights[row],
            groups=None if groups is None else np.asarray(groups, dtype=object)[row].tolist(),
        )
    raise ValueError(f"unknown ballot form {form!r}")


def _is_none(value: object) -> bool:
    return value is None


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
    return [m for m in METHODS_BY_FORM[form] if m != "kemeny" or n_items <= KEMENY_MAX_ITEMS]


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
        top_k=min(TOP_N, len(codes)),
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
    profile = build_profile(form, records, codes)
    primary = ranking.rank(_for_method(profile, method), method)
    out.approximate = primary.approximate  # Kemeny above its exact limit (older surveys)
    if form == BallotForm.PAIRWISE:
        # A zone answers many comparisons: resample whole zones, not single comparisons.
        clustered = build_profile(form, records, codes, by_record=True)
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
    profile = build_profile(survey.ballot_form, subset, codes)
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
            _orders(lists, codes, len(codes)), codes, weights=weights
        )
        out[group] = WithinGroup(
            label=labels[group], ranks=_positions(ranking.rank(profile, within_method))
        )
    return out


def _criteria_means(records: list[dict], codes: list[str]) -> dict:
    """Weighted mean level (0 = low … 3 = very high) per criterion, no opinion left out."""
    weights = np.fromiter(map(itemgetter("weight"), records), dtype=float, count=len(records))
    out = {}
    for name, levels in _criteria(records, codes).items():
        given = ~np.isnan(levels)
        total = weights @ given
        sums = weights @ np.where(given, levels, 0.0)
        out[name] = {
            code: (round(float(sums[j] / total[j]), 3) if total[j] else None)
            for j, code in enumerate(codes)
        }
    return out
