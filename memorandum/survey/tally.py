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
from operator import itemgetter

import numpy as np

import ranking
from memorandum.survey.ballots import BallotKind, kind_of, ranks_of
from memorandum.survey.contract import (
    GroupRanks,
    OrderRow,
    ParticipationCounts,
    TallyItem,
    TallyResult,
)
from memorandum.survey.items import survey_items
from memorandum.survey.models import (
    TOP_N,
    Ballot,
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


def _payloads_and_weights(records: list[dict]) -> tuple[list[dict], np.ndarray]:
    weights = np.fromiter(map(itemgetter("weight"), records), dtype=float, count=len(records))
    return list(map(itemgetter("payload"), records)), weights


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
    can rank per group; ``top_n`` is the survey's size of the top; ``by_record`` labels each
    ballot with its record instead (the clusters of a bootstrap that resamples whole
    ballots). The ballot form decodes the payloads
    (:meth:`memorandum.survey.ballots.BallotKind.profile`).
    """
    payloads, weights = _payloads_and_weights(records)
    if by_record:
        groups = np.arange(len(records)).astype(str).tolist()
    else:
        groups = list(map(itemgetter(group_key), records)) if group_key else None
    return kind_of(form).profile(payloads, codes, weights=weights, groups=groups, top_n=top_n)


def _score(result, code: str) -> float | None:
    if result.scores is None:
        return None
    value = result.scores.get(code)
    return (
        None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    )


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
    items = survey_items(survey)
    codes = [item.code for item in items]
    out = _frame(
        survey,
        records,
        items,
        method=method,
        seed=seed,
        replicates=replicates,
        participation=participation,
    )
    if survey.is_anonymous and 0 < len(records) < survey.min_group:
        # With fewer than k ballots the overall order is itself a small group: whoever
        # knows which zones answered could read their answers off it.
        out.withheld = True
        records = []
    if not records or not codes:
        return out
    kind = kind_of(survey.ballot_form)
    profile = build_profile(survey.ballot_form, records, codes, top_n=survey.top_n)
    primary = ranking.rank(kind.for_method(profile, method), method)
    out.approximate = primary.approximate  # Kemeny above its exact limit (older surveys)
    intervals = _bootstrap(survey, kind, profile, records, codes, out)
    _add_order(out, survey, records, codes, primary, intervals)
    _add_comparisons(out, kind, profile, primary, codes)
    out.kendall_w = _kendall_w(kind, profile)
    _add_breakdowns(out, survey, records, codes)
    payloads, weights = _payloads_and_weights(records)
    out.within = kind.within_groups(payloads, weights, items, method)
    out.criteria = kind.criteria_means(payloads, weights, codes)
    return out


def _frame(
    survey: Survey,
    records: list[dict],
    items: list[SurveyItem],
    *,
    method: str,
    seed: int,
    replicates: int,
    participation: ParticipationCounts,
) -> TallyResult:
    """The result before counting: the settings, the ballots' number and weight, the items."""
    return TallyResult(
        form=survey.ballot_form,
        method=method,
        seed=seed,
        replicates=replicates,
        level=LEVEL,
        top_k=min(survey.top_n, len(items)),
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


def _bootstrap(
    survey: Survey,
    kind: BallotKind,
    profile,
    records: list[dict],
    codes: list[str],
    out: TallyResult,
):
    """Resample the ballots ``out.replicates`` times with ``out.seed``: the rank intervals."""
    options = {"n": out.replicates, "seed": out.seed, "top_k": out.top_k, "level": LEVEL}
    if kind.resamples_whole_ballots:
        clustered = build_profile(
            survey.ballot_form, records, codes, by_record=True, top_n=survey.top_n
        )
        return ranking.bootstrap(clustered, out.method, clusters=clustered.groups, **options)
    return ranking.bootstrap(kind.for_method(profile, out.method), out.method, **options)


def _add_order(
    out: TallyResult,
    survey: Survey,
    records: list[dict],
    codes: list[str],
    primary,
    intervals,
) -> None:
    """The primary method's order, each item with its interval (scores only when safe)."""
    positions = ranks_of(primary)
    scores_safe = scores_are_safe(survey, records)
    out.order = [
        OrderRow(
            code=code,
            rank=positions[code],
            score=_score(primary, code) if scores_safe else None,
            rank_low=int(intervals.rank_interval[code][0]),
            rank_high=int(intervals.rank_interval[code][1]),
            p_top_k=round(float(intervals.p_top_k[code]), 4),
            mean_rank=round(float(intervals.mean_rank[code]), 3),
        )
        for code in sorted(codes, key=lambda c: (positions[c], codes.index(c)))
    ]
    out.scores_withheld = not scores_safe


def _add_comparisons(
    out: TallyResult, kind: BallotKind, profile, primary, codes: list[str]
) -> None:
    """Agreement between methods: Kendall's tau-b of each method's order against the primary one."""
    method = out.method
    results = {method: primary}
    for other in kind.comparison_methods(len(codes)):
        if other != method:
            results[other] = ranking.rank(kind.for_method(profile, other), other)
    out.methods = {name: ranks_of(result) for name, result in results.items()}
    out.agreement = {
        name: _finite(ranking.kendall_tau(primary, result))
        for name, result in results.items()
        if name != method
    }


def _add_breakdowns(out: TallyResult, survey: Survey, records: list[dict], codes: list[str]):
    """The primary method's order inside each region, province and (if any) weight class."""
    out.by_region = _by_group(survey, records, codes, out.method, "region")
    out.by_province = _by_group(survey, records, codes, out.method, "province")
    if survey.uses_weight_classes:
        out.by_weight_class = _by_group(survey, records, codes, out.method, "weight")


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def _kendall_w(kind: BallotKind, profile) -> float | None:
    """Agreement among voters, where the ballot form defines it."""
    readable = kind.agreement_profile(profile)
    return None if readable is None else _finite(ranking.kendall_w(readable))


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
    return ranks_of(ranking.rank(kind_of(survey.ballot_form).for_method(profile, method), method))
