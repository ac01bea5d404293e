"""The estimator against a known truth: zones drawn from a distribution, answers removed at
random, the true total inside the stated interval at about the stated rate."""

from __future__ import annotations

import sys

import numpy as np

from memorandum.impact.estimation import estimate_total, outliers, size_class, strata_for

REGIONS = ("flanders", "wallonia", "brussels")


def synthetic_zones(rng: np.random.Generator, n: int = 185):
    """Staff, region and size class like the federation's, and a need proportional to staff
    with skewed noise (a gamma, mean 1) that differs by region."""
    staff = np.maximum(20, rng.lognormal(4.6, 0.6, n)).round()
    regions = [REGIONS[i] for i in rng.choice(3, n, p=[0.58, 0.39, 0.03])]
    sizes = [size_class(s) for s in staff]
    per_staff = np.array(
        [{"flanders": 0.020, "wallonia": 0.025, "brussels": 0.03}[r] for r in regions]
    )
    need = staff * per_staff * rng.gamma(3.0, 1 / 3.0, n)
    return staff, regions, sizes, need


def coverage(level: float, runs: int, response_rate: float, seed: int = 11) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for run in range(runs):
        staff, regions, sizes, need = synthetic_zones(rng)
        answered = rng.random(len(staff)) < response_rate
        strata = strata_for(regions, sizes, answered)
        result = estimate_total(
            need, staff, answered, strata, replicates=400, level=level, seed=run
        )
        hits += result.low <= need.sum() <= result.high
    return hits / runs


def test_the_true_total_lies_inside_the_90_percent_interval_about_90_percent_of_the_time():
    """300 federations, a quarter of the zones silent: coverage close to 90 %."""
    rate = coverage(0.90, runs=300, response_rate=0.75)
    print(f"coverage of the 90 % interval: {rate:.3f}", file=sys.stderr)
    assert 0.84 <= rate <= 0.96


def test_coverage_holds_with_half_of_the_zones_silent():
    """Half the zones answer: coverage still close to the stated 80 %."""
    rate = coverage(0.80, runs=200, response_rate=0.5, seed=5)
    print(f"coverage of the 80 % interval: {rate:.3f}", file=sys.stderr)
    assert 0.72 <= rate <= 0.88


def test_a_full_response_gives_the_exact_total_and_no_spread():
    """Every zone answered: nothing is estimated."""
    rng = np.random.default_rng(1)
    staff, regions, sizes, need = synthetic_zones(rng)
    answered = np.ones(len(staff), dtype=bool)
    result = estimate_total(need, staff, answered, strata_for(regions, sizes, answered))
    assert np.isclose(result.total, need.sum())
    assert np.isclose(result.low, result.high)
    assert result.estimated == 0


def test_small_strata_are_merged_until_each_has_three_respondents():
    """A size class with two respondents joins the rest of its region; a country where
    a region stays too small becomes one stratum."""
    regions = ["flanders"] * 6 + ["brussels"] * 4
    sizes = ["small"] * 4 + ["large"] * 2 + ["small"] * 4
    answered = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], dtype=bool)
    labels = strata_for(regions, sizes, answered)
    assert set(labels[:6]) == {"flanders|*"}
    assert set(labels[6:]) == {"brussels|small"}
    answered[7] = False
    assert set(strata_for(regions, sizes, answered)) == {"*|*"}


def test_an_outlier_is_flagged_and_still_counted():
    """A zone reporting ten times the usual need per staff member is flagged, not dropped."""
    staff = np.full(20, 100.0)
    need = np.full(20, 2.0) + np.linspace(0, 0.5, 20)
    need[3] = 20.0
    answered = np.ones(20, dtype=bool)
    flags = outliers(need, staff, answered)
    assert flags.tolist() == [i == 3 for i in range(20)]
    result = estimate_total(need, staff, answered, np.array(["*|*"] * 20, dtype=object))
    assert np.isclose(result.total, need.sum())


def test_zones_reporting_a_cost_are_not_all_flagged_when_most_report_none():
    """Most zones expect no one-off cost (MAD 0): the usual costs are not outliers, the one
    far above them is."""
    staff = np.full(20, 100.0)
    cost = np.zeros(20)
    cost[12:19] = [1000, 1200, 900, 1100, 1300, 800, 1000]
    cost[19] = 50000
    answered = np.ones(20, dtype=bool)
    assert np.flatnonzero(outliers(cost, staff, answered)).tolist() == [19]
    assert not outliers(np.zeros(20), staff, answered).any()


def test_the_interval_of_all_zones_is_the_totals_and_groups_get_theirs_from_the_same_draws():
    """interval_of on every zone gives back the total's interval; a region's contains its own
    estimate."""
    from memorandum.impact.estimation import interval_of

    rng = np.random.default_rng(3)
    staff, regions, sizes, need = synthetic_zones(rng)
    answered = rng.random(len(staff)) < 0.7
    result = estimate_total(need, staff, answered, strata_for(regions, sizes, answered))
    everything = np.ones(len(staff), dtype=bool)
    assert np.allclose(interval_of(result, everything), (result.low, result.high))
    flanders = np.array([r == "flanders" for r in regions])
    low, high = interval_of(result, flanders)
    assert low <= result.imputed[flanders].sum() <= high
    assert high - low < result.high - result.low


def test_a_regions_true_total_lies_inside_its_interval_about_as_often_as_stated():
    """200 federations, a quarter silent: Wallonia's interval covers its true total at
    close to 90 %, as the total's does."""
    from memorandum.impact.estimation import interval_of

    rng = np.random.default_rng(17)
    hits = 0
    runs = 200
    for run in range(runs):
        staff, regions, sizes, need = synthetic_zones(rng)
        answered = rng.random(len(staff)) < 0.75
        strata = strata_for(regions, sizes, answered)
        result = estimate_total(need, staff, answered, strata, replicates=400, seed=run)
        wallonia = np.array([r == "wallonia" for r in regions])
        low, high = interval_of(result, wallonia)
        hits += low <= need[wallonia].sum() <= high
    print(f"coverage of Wallonia's 90 % interval: {hits / runs:.3f}", file=sys.stderr)
    assert 0.82 <= hits / runs <= 0.97
