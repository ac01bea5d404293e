"""Aggregating a closed round in the worker: the one bridge from the database to
:mod:`memorandum.impact.estimation`.

:func:`count_run` reads the round's zones and submitted estimates into arrays, estimates
each quantity's total for all zones, breaks it down by province, region and size class
(groups with fewer than ``round.min_group`` responses are counted together as "other"),
flags outliers and freezes everything in ``CountRun.results`` (:data:`VERSION`), which
the report, the note, the spreadsheet and the chart read — never the live estimates.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter, defaultdict

import numpy as np
from django.db import transaction
from django.utils import timezone

from memorandum.catalogue.models import PoliceZone
from memorandum.impact import estimation
from memorandum.impact.models import CountRun, CountStatus, EstimateRound, RoundStatus
from memorandum.lib.i18n import stored_texts

logger = logging.getLogger(__name__)

VERSION = 1
LEVEL = 0.90
# The quantities estimated for all zones, in the order the outputs show them.
QUANTITIES = ("fte", "hours_operational", "hours_calog", "one_off_eur")
OTHER = "other"
COMMENTS_PER_GROUP = 3


def count_run(run_id: int) -> str:
    """The worker's job: aggregate, store the results, mark the round counted."""
    with transaction.atomic():
        run = CountRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in (CountStatus.QUEUED, CountStatus.RUNNING):
            return "nothing to do"
        run.status = CountStatus.RUNNING
        run.save(update_fields=["status"])
    try:
        results = aggregate(run.round)
    except Exception as error:  # noqa: BLE001 - shown to the secretariat, who can retry
        logger.exception("Count of impact round %s failed", run.round_id)
        CountRun.objects.filter(pk=run.pk).update(
            status=CountStatus.FAILED, error=f"{type(error).__name__}: {error}"[:500]
        )
        return "failed"
    with transaction.atomic():
        CountRun.objects.filter(pk=run.pk).update(
            status=CountStatus.DONE, results=results, finished_at=timezone.now()
        )
        EstimateRound.objects.filter(pk=run.round_id).update(status=RoundStatus.COUNTED)
    return "done"


def aggregate(round_: EstimateRound) -> dict:
    """Every figure of the report, as plain JSON."""
    invited = set(round_.invitations.values_list("zone_id", flat=True))
    zones = list(
        PoliceZone.objects.filter(pk__in=invited).select_related("province").order_by("code")
    )
    by_zone = {e.zone_id: e for e in round_.estimates.submitted().select_related("zone")}
    answered = np.array([z.pk in by_zone for z in zones], dtype=bool)
    aux = np.array([float(getattr(z, round_.basis)) for z in zones])
    regions = [z.province.region for z in zones]
    sizes = [estimation.size_class(z.personnel) for z in zones]
    strata = estimation.strata_for(regions, sizes, answered)
    quantities, flagged = {}, defaultdict(list)
    imputed, estimates = {}, {}
    for name in QUANTITIES:
        y = np.array([float(getattr(by_zone.get(z.pk), name, None) or 0) for z in zones])
        result = estimation.estimate_total(
            y, aux, answered, strata, replicates=round_.replicates, level=LEVEL, seed=round_.seed
        )
        flags = estimation.outliers(y, aux, answered)
        without = estimation.estimate_total(
            y, aux, answered & ~flags, strata, replicates=2, level=LEVEL, seed=round_.seed
        )
        imputed[name], estimates[name] = result.imputed, result
        for i in np.flatnonzero(flags):
            flagged[zones[i].code].append({"quantity": name, "value": y[i]})
        quantities[name] = {
            "total": result.total,
            "low": result.low,
            "high": result.high,
            "reported": result.reported,
            "estimated": result.estimated,
            "share_estimated": result.share_estimated,
            "outliers": int(flags.sum()),
            "total_without_outliers": without.total,
            "strata": result.strata,
        }
    region_of = {z.province.code: region for z, region in zip(zones, regions, strict=True)}
    groups = {
        "province": [z.province.code for z in zones],
        "region": regions,
        "size": sizes,
    }
    labels = {z.province.code: stored_texts(z.province, "name") for z in zones}
    submitted = list(by_zone.values())
    return {
        "version": VERSION,
        "counted_at": timezone.now().isoformat(),
        "basis": round_.basis,
        "level": LEVEL,
        "replicates": round_.replicates,
        "seed": round_.seed,
        "k": round_.min_group,
        "zones": len(zones),
        "respondents": int(answered.sum()),
        "response_rate": float(answered.mean()) if zones else 0.0,
        "quantities": quantities,
        "breakdowns": {
            kind: breakdown(
                keys,
                answered,
                imputed,
                round_.min_group,
                parents=region_of if kind == "province" else None,
                estimates=estimates,
            )
            for kind, keys in groups.items()
        },
        "province_labels": labels,
        "outliers": [
            {"zone": code, "name": next(z.name for z in zones if z.code == code), "flags": flags}
            for code, flags in sorted(flagged.items())
        ],
        "feasibility": dict(Counter(str(e.feasibility) for e in submitted if e.feasibility)),
        "start": _start(submitted),
        "comments": _comments(submitted, round_.min_group),
    }


def breakdown(
    keys: list[str],
    answered: np.ndarray,
    imputed: dict,
    k: int,
    parents: dict[str, str] | None = None,
    estimates: dict[str, estimation.Estimate] | None = None,
) -> list[dict]:
    """Totals per group; groups with fewer than ``k`` responses are merged into "other".

    With ``estimates`` (the quantities' totals for all zones), each shown group gets its
    interval from the same bootstrap (``<quantity>_low``, ``<quantity>_high``).

    The totals of all zones are published too, so a hidden group must not be the difference
    of what is shown: groups are merged into "other" (smallest first) until "other" itself
    holds ``k`` responses or more. With ``parents`` (a province's region, whose totals are
    another breakdown) the same holds within each parent: the hidden groups of one parent
    are merged with its smallest shown group until they hold ``k`` responses together.
    """
    counts = Counter(key for key, a in zip(keys, answered, strict=True) if a)
    hidden = {key for key in keys if counts[key] < k}

    def absorb(candidates: set[str]) -> None:
        while candidates and sum(counts[key] for key in hidden & candidates) < k:
            shown = candidates - hidden
            if not shown or not (hidden & candidates):
                return
            hidden.add(min(shown, key=lambda key: (counts[key], key)))

    absorb(set(keys))
    for parent in sorted(set((parents or {}).values())):
        absorb({key for key in keys if (parents or {}).get(key) == parent})
    merged = sorted(hidden)
    rows = []
    order = {name: n for n, name in enumerate(estimation.SIZE_CLASSES)}
    shown = sorted(set(keys) - hidden, key=lambda key: (order.get(key, -1), key))
    for key in shown + ([OTHER] if merged else []):
        mask = np.array([(kk in hidden) if key == OTHER else kk == key for kk in keys])
        row = {
            "key": key,
            "merged": merged if key == OTHER else [],
            "zones": int(mask.sum()),
            "respondents": int((mask & answered).sum()),
        }
        for name, values in imputed.items():
            row[name] = float(values[mask].sum())
            row[f"{name}_reported"] = float(values[mask & answered].sum())
            if estimates and name in estimates:
                row[f"{name}_low"], row[f"{name}_high"] = estimation.interval_of(
                    estimates[name], mask
                )
        if key == OTHER and row["respondents"] < k:
            # Even merged, too few responses to show: only the counts remain.
            row.update({name: None for name in row if name.startswith(tuple(imputed))})
        rows.append(row)
    return rows


def _start(submitted: list) -> dict:
    dates = sorted(e.earliest_start for e in submitted if e.earliest_start)
    if not dates:
        return {}
    ordinals = [d.toordinal() for d in dates]
    median = dates[0].fromordinal(int(statistics.median_low(ordinals)))
    return {
        "first": dates[0].isoformat(),
        "median": median.isoformat(),
        "last": dates[-1].isoformat(),
    }


def _comments(submitted: list, k: int) -> dict[str, list[dict]]:
    """The most frequent comments per feasibility level (up to three), without the zone's
    name; the same comment from several zones is shown once with how many gave it.

    The breakdowns' minimum group applies: the comments of a level that fewer than ``k``
    zones chose are shown together as "other", and left out when "other" too holds fewer
    than ``k`` zones. (Unlike a breakdown's totals, no shown level needs to join "other":
    the number of zones per level is published anyway, the texts are what could point to
    a zone.) A zone's own name and code are taken out of its comment.
    """
    levels = [str(e.feasibility or 0) for e in submitted]
    counts = Counter(levels)
    small = {level for level, n in counts.items() if n < k}
    other = OTHER if sum(counts[level] for level in small) >= k else None
    grouped: dict[str, Counter] = defaultdict(Counter)
    for estimate, level in zip(submitted, levels, strict=True):
        text = " ".join(_without_zone(estimate.comments, estimate.zone).split())[:400]
        group = other if level in small else level
        if text and group:
            grouped[group][text] += 1
    return {
        level: [
            {"text": text, "zones": n}
            for text, n in sorted(texts.items(), key=lambda item: (-item[1], item[0]))[
                :COMMENTS_PER_GROUP
            ]
        ]
        for level, texts in sorted(grouped.items())
    }


def _without_zone(text: str, zone: PoliceZone) -> str:
    """``text`` with the zone's names and code replaced by "…" (whole words, any case)."""
    names = [n for n in (zone.name_nl, zone.name_fr, zone.code) if n and len(n) > 2]
    if not names:
        return text
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<!\w)(?:{pattern})(?!\w)", "…", text, flags=re.IGNORECASE)
