"""Totals for all zones from the zones that answered: ratio estimator and bootstrap.

Framework-free (numpy only): the worker turns the estimates into arrays and calls
:func:`estimate_total`; the statistical test calls it on simulated zones.

The method, in words (the report prints :data:`METHOD` translated):

* Zones are grouped in *strata*: region × size class. A stratum with fewer than
  :data:`MIN_RESPONDENTS` respondents is merged with the other size classes of its region,
  and a region that still has too few with the whole country.
* In each stratum the reported figures are divided by the staff (or population) of the
  zones that reported them: the ratio ``R = Σy / Σx``. A zone that did not answer is
  estimated as ``R × its own staff``; a zone that answered counts with its own figure.
  The stratum's total is therefore ``R × X`` (X: the staff of all its zones).
* The interval comes from a stratified bootstrap: the respondents of each stratum are drawn
  again with replacement, ``R`` is recomputed, and the spread of the totals is rescaled for
  the share of zones that answered (finite population correction) and for the size of the
  stratum (``n / (n − 1)``), as in Rao and Wu's rescaling bootstrap. The interval is the
  central part of those totals (percentiles).
* Outliers: a respondent whose figure per staff member lies more than 3.5 robust standard
  deviations (median absolute deviation × 1.4826) from the median is flagged for the
  secretariat to check. It is never dropped; the total without the flagged zones is shown
  beside the main total as a sensitivity check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MIN_RESPONDENTS = 3
OUTLIER_Z = 3.5
# Size classes by staff (FTE): upper bounds; the last class is open.
SIZE_BOUNDS = (100, 250)
SIZE_CLASSES = ("small", "medium", "large")


def size_class(staff: float) -> str:
    """The size class of a zone with this staff."""
    for bound, name in zip(SIZE_BOUNDS, SIZE_CLASSES, strict=False):
        if staff < bound:
            return name
    return SIZE_CLASSES[-1]


@dataclass
class Estimate:
    """The estimated total of one quantity over all zones, with its interval."""

    total: float
    low: float
    high: float
    reported: float
    estimated: float
    respondents: int
    zones: int
    level: float
    strata: list[dict] = field(default_factory=list)
    imputed: np.ndarray | None = None  # each zone's reported or estimated value
    # per stratum: the bootstrap's rescaled deviation of the ratio in each replicate, and the
    # auxiliary values it multiplies (see :func:`interval_of`)
    replicates: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @property
    def share_estimated(self) -> float:
        return self.estimated / self.total if self.total else 0.0


def strata_for(regions: list[str], sizes: list[str], answered: np.ndarray) -> np.ndarray:
    """Stratum labels: region × size class, merged until each has enough respondents."""
    labels = np.array([f"{r}|{s}" for r, s in zip(regions, sizes, strict=True)], dtype=object)
    regions_a = np.array(regions, dtype=object)

    def too_small(mask: np.ndarray) -> bool:
        return int(answered[mask].sum()) < MIN_RESPONDENTS

    for label in sorted(set(labels)):
        mask = labels == label
        if too_small(mask):
            region = label.split("|")[0]
            labels[(regions_a == region)] = f"{region}|*"
    for label in sorted(set(labels)):
        mask = labels == label
        if too_small(mask):
            labels[mask] = "*|*"
    if too_small(labels == "*|*") and (labels == "*|*").any():
        labels[:] = "*|*"
    return labels


def _ratio(y: np.ndarray, x: np.ndarray) -> float:
    sx = x.sum()
    return float(y.sum() / sx) if sx > 0 else 0.0


def estimate_total(
    y: np.ndarray,
    x: np.ndarray,
    answered: np.ndarray,
    strata: np.ndarray,
    *,
    replicates: int = 2000,
    level: float = 0.90,
    seed: int = 2026,
) -> Estimate:
    """The ratio estimate of ``Σy`` over all zones, with a bootstrap interval.

    ``y`` holds the reported values (anything where ``answered`` is False is ignored),
    ``x`` the auxiliary variable (staff or population) of every zone, ``strata`` a label
    per zone (:func:`strata_for`). A stratum where ``x`` sums to zero among respondents is
    estimated with the respondents' mean instead of the ratio.
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    rng = np.random.default_rng(seed)
    imputed = np.where(answered, y, 0.0)
    deviations = np.zeros(replicates)
    replicate_factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    rows = []
    for label in sorted(set(strata.tolist())):
        mask = strata == label
        resp = mask & answered
        n, big_n = int(resp.sum()), int(mask.sum())
        if n == 0:
            rows.append({"stratum": label, "zones": big_n, "respondents": 0, "ratio": None})
            continue
        yr, xr = y[resp], x[resp]
        aux = x if xr.sum() > 0 else np.ones_like(x)
        xr = aux[resp]
        ratio = _ratio(yr, xr)
        imputed[mask & ~answered] = ratio * aux[mask & ~answered]
        total_aux = aux[mask].sum()
        rows.append({"stratum": label, "zones": big_n, "respondents": n, "ratio": ratio})
        if n < 2 or n == big_n:
            continue  # no spread to estimate, or nothing to estimate
        draws = rng.integers(0, n, size=(replicates, n))
        sy, sx = yr[draws].sum(axis=1), xr[draws].sum(axis=1)
        boot = np.divide(sy, sx, out=np.full(replicates, ratio), where=sx > 0)
        scale = np.sqrt((1 - n / big_n) * n / (n - 1))
        factor = scale * (boot - ratio)
        deviations += factor * total_aux
        replicate_factors[label] = (factor, np.where(mask, aux, 0.0))
    total = float(imputed.sum())
    alpha = (1 - level) / 2
    low, high = np.quantile(total + deviations, [alpha, 1 - alpha])
    reported = float(y[answered].sum())
    return Estimate(
        total=total,
        low=float(min(low, total)),
        high=float(max(high, total)),
        reported=reported,
        estimated=total - reported,
        respondents=int(answered.sum()),
        zones=len(y),
        level=level,
        strata=rows,
        imputed=imputed,
        replicates=replicate_factors,
    )


def interval_of(estimate: Estimate, group: np.ndarray) -> tuple[float, float]:
    """The interval of the total of the zones in ``group`` (a boolean mask), from the same
    bootstrap replicates as the total of all zones: each stratum's deviation of the ratio
    times the staff (or population) of the group's zones in that stratum. For all zones
    this is exactly the total's interval; groups add up replicate by replicate."""
    total = float(estimate.imputed[group].sum())
    deviations = sum(
        (factor * aux[group].sum() for factor, aux in estimate.replicates.values()),
        start=np.zeros(1),
    )
    alpha = (1 - estimate.level) / 2
    low, high = np.quantile(total + deviations, [alpha, 1 - alpha])
    return float(min(low, total)), float(max(high, total))


def outliers(y: np.ndarray, x: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Respondents whose value per unit of ``x`` is far from the others' (a boolean mask).

    The modified z-score of Iglewicz and Hoaglin: |v − median| / (1.4826 × MAD) > 3.5.
    When more than half report the same rate (MAD 0: typically most zones expect no one-off
    cost), the scale is the mean absolute deviation × 1.2533 instead, so that the zones
    reporting a cost are not all flagged; only when every rate is equal is none flagged.
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    rate = np.divide(y, x, out=np.zeros_like(y), where=x > 0)
    flags = np.zeros(len(y), dtype=bool)
    if answered.sum() < MIN_RESPONDENTS:
        return flags
    values = rate[answered]
    median = np.median(values)
    distance = np.abs(values - median)
    scale = 1.4826 * np.median(distance)
    if scale == 0:
        scale = 1.253314 * np.mean(distance)
    if scale == 0:
        return flags
    flags[answered] = distance / scale > OUTLIER_Z
    return flags
