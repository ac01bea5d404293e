"""Benchmark of the ranking engine against pref_voting and choix.

Times building the profile plus Borda, Copeland, Schulze, Ranked Pairs and Plackett-Luce on
219 candidates with 185, 10,000 and 100,000 ballots, complete rankings and top-10 ballots,
and the same tasks in pref_voting / choix where they finish in reasonable time (see
``--reference-max``).  Prints times, the ratios and whether the winners agree.

Usage::

    python bench/ranking.py            # full run (the references take several minutes)
    python bench/ranking.py --quick    # small sizes, under a minute
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ranking import (  # noqa: E402
    Profile,
    borda,
    copeland,
    kemeny,
    plackett_luce,
    ranked_pairs,
    schulze,
    support_matrix,
)

M = 219
MARGIN_METHODS = ["borda", "copeland", "schulze", "ranked-pairs"]  # the compared four


def generate(n: int, k: int | None, seed: int) -> np.ndarray:
    """Plackett-Luce ballots (Gumbel trick) over M candidates, optionally cut at top k."""
    rng = np.random.default_rng(seed)
    strengths = np.linspace(0.0, 3.0, M)
    width = M if k is None else k
    out = np.empty((n, width), dtype=np.int16)  # chunks keep the generator's memory small
    for s in range(0, n, 10_000):
        rows = min(10_000, n - s)
        out[s : s + rows] = np.argsort(-(rng.gumbel(size=(rows, M)) + strengths), axis=1)[:, :width]
    return out


CLOCK = time.perf_counter  # --clock cpu switches to process CPU time (shared machines)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Time of one call (after a garbage collection) on the chosen clock, and its value."""
    gc.collect()
    t = CLOCK()
    out = fn()
    return CLOCK() - t, out


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(orders: np.ndarray) -> dict[str, Any]:
    """Our timings: profile, support matrix, each margin method on it, Plackett-Luce."""
    t_build, prof = timed(lambda: Profile.from_orders(orders, n_candidates=M))
    t_support, s = timed(lambda: support_matrix(prof))
    times, winners = {"build": t_build, "support": t_support}, {}
    for name, fn in (
        ("schulze", schulze),
        ("borda", borda),
        ("copeland", copeland),
        ("ranked-pairs", ranked_pairs),
        ("kemeny", kemeny),
    ):
        times[name], res = timed(lambda fn=fn: fn(prof, support=s))
        winners[name] = res.winners
    times["pl"], pl = timed(lambda: plackett_luce(prof))
    winners["plackett-luce"] = pl.winners
    times["margin"] = t_support + sum(times[k] for k in MARGIN_METHODS)
    return {
        **times,
        "winners": winners,
        "pl_scores": np.array([pl.scores[c] for c in prof.candidates]),
        "pl_converged": pl.details["converged"],
    }


def ref_pref_voting(orders: np.ndarray, full: bool) -> dict[str, Any]:
    """pref_voting: profile, Schulze (beat_path), Borda, Copeland, Ranked Pairs."""
    from pref_voting.c1_methods import copeland
    from pref_voting.margin_based_methods import beat_path, ranked_pairs_tb
    from pref_voting.profiles import Profile as PVProfile
    from pref_voting.profiles_with_ties import ProfileWithTies
    from pref_voting.scoring_methods import borda, borda_for_profile_with_ties

    if full:
        t_build, prof = timed(lambda: PVProfile(orders.tolist()))
    else:

        def build():
            p = ProfileWithTies(
                [{int(c): i for i, c in enumerate(row)} for row in orders],
                candidates=list(range(M)),
            )
            p.use_extended_strict_preference()
            return p

        t_build, prof = timed(build)
    t_schulze, w_s = timed(lambda: beat_path(prof))
    bfun = borda if full else borda_for_profile_with_ties
    t_b, w_b = timed(lambda: bfun(prof))
    t_c, w_c = timed(lambda: copeland(prof))
    t_r, w_r = timed(lambda: ranked_pairs_tb(prof))
    return {
        "build": t_build,
        "schulze": t_schulze,
        "borda": t_b,
        "copeland": t_c,
        "ranked-pairs": t_r,
        "margin": t_schulze + t_b + t_c + t_r,
        "winners": {"schulze": w_s, "borda": w_b, "copeland": w_c, "ranked-pairs": w_r},
    }


def ref_choix(orders: np.ndarray, full: bool) -> dict[str, Any]:
    """choix: Plackett-Luce with the same penalised objective as ours (``opt_*``, BFGS).

    The data are top-1 choices from the not-yet-ranked set (``opt_rankings`` for complete
    rankings).  choix's unpenalised ILSR does not converge here: with 219 candidates and
    short ballots some candidates are never chosen, so the plain MLE does not exist.
    """
    import choix

    def fit():
        if full:
            return choix.opt_rankings(M, [list(r) for r in orders], alpha=1e-6, method="BFGS")
        everyone = set(range(M))
        data = []
        for row in orders:
            left = set(everyone)
            for c in row:
                left.discard(int(c))
                data.append((int(c), sorted(left)))
        return choix.opt_top1(M, data, alpha=1e-6, method="BFGS")

    t, params = timed(fit)
    return {"pl": t, "pl_scores": params - params.mean()}


def winners_text(ours_w: dict[str, list[str]], ref_w: dict[str, list[int]]) -> str:
    agree = [m for m in ref_w if sorted(int(c) for c in ours_w[m]) == sorted(ref_w[m])]
    differ = [m for m in ref_w if m not in agree]
    return "winners agree" if not differ else f"winners DIFFER: {', '.join(differ)}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="185 and 2,000 ballots only")
    p.add_argument("--sizes", type=int, nargs="*", help="ballot counts (default 185 10000 100000)")
    p.add_argument(
        "--reference-max",
        type=int,
        nargs=3,
        metavar=("PV_FULL", "PV_TOP10", "CHOIX"),
        default=None,
        help="largest ballot count run in pref_voting (full / top-10) "
        "and choix (default 10000 185 185; --quick: 2000 185 185)",
    )
    p.add_argument(
        "--choix-full",
        action="store_true",
        help="also fit complete rankings in choix (its BFGS needs many minutes)",
    )
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall time (default) or process CPU time, steadier on a busy machine",
    )
    args = p.parse_args(argv)
    global CLOCK
    CLOCK = time.perf_counter if args.clock == "wall" else time.process_time
    sizes = args.sizes or ([185, 2000] if args.quick else [185, 10_000, 100_000])
    ref_max = args.reference_max or ([2000, 185, 185] if args.quick else [10_000, 185, 185])

    print(f"ranking benchmark: {M} candidates, sizes {sizes}, seed {args.seed}, {args.clock} clock")
    print(
        f"references: pref_voting full <= {ref_max[0]}, pref_voting top-10 <= {ref_max[1]}, "
        f"choix <= {ref_max[2]} ballots\n"
    )
    rows = []
    for kind, k in (("full", None), ("top-10", 10)):
        for n in sizes:
            orders = generate(n, k, args.seed)
            mine = ours(orders)
            rows.append((kind, n, mine))
            print(
                f"[{kind:6} n={n:>7}] ours: profile {mine['build']:.3f}s, support "
                f"{mine['support']:.3f}s, schulze {mine['schulze']:.3f}s, borda "
                f"{mine['borda']:.3f}s, copeland {mine['copeland']:.3f}s, ranked pairs "
                f"{mine['ranked-pairs']:.3f}s, kemeny {mine['kemeny']:.3f}s | "
                f"profile+schulze {mine['build'] + mine['support'] + mine['schulze']:.3f}s, "
                f"profile+all margin methods {mine['build'] + mine['margin'] + mine['kemeny']:.3f}s"
                f" | plackett-luce {mine['pl']:.3f}s (converged {mine['pl_converged']}) | "
                f"peak RSS {peak_rss_mib():.0f} MiB"
            )
            del orders
    print()
    for kind, n, mine in rows:
        full = kind == "full"
        orders = generate(n, None if full else 10, args.seed)
        if n <= (ref_max[0] if full else ref_max[1]):
            ref = ref_pref_voting(orders, full)
            ours_ps = mine["build"] + mine["support"] + mine["schulze"]
            ref_ps = ref["build"] + ref["schulze"]
            ours_all = mine["build"] + mine["margin"]
            ref_all = ref["build"] + ref["margin"]
            per = ", ".join(f"{k} {ref[k]:.2f}s" for k in ("build", *MARGIN_METHODS))
            print(f"[{kind:6} n={n:>7}] pref_voting: {per}")
            print(
                f"[{kind:6} n={n:>7}]   ratio profile+schulze: {ref_ps:.2f}s / {ours_ps:.3f}s = "
                f"x{ref_ps / ours_ps:.0f}; profile+borda+copeland+schulze+ranked pairs: "
                f"{ref_all:.2f}s / {ours_all:.3f}s = x{ref_all / ours_all:.0f}; "
                f"{winners_text(mine['winners'], ref['winners'])}"
            )
        if n <= ref_max[2] and (not full or args.choix_full):
            ref = ref_choix(orders, full)
            diff = np.abs(ref["pl_scores"] - mine["pl_scores"]).max()
            top_same = list(np.argsort(-ref["pl_scores"])[:10]) == list(
                np.argsort(-mine["pl_scores"])[:10]
            )
            print(
                f"[{kind:6} n={n:>7}] choix opt_top1/opt_rankings (BFGS) plackett-luce {ref['pl']:.2f}s "
                f"(x{ref['pl'] / mine['pl']:.1f} ours), max |centred log-strength diff| "
                f"{diff:.1e}, same top-10: {top_same}"
            )
        sys.stdout.flush()
    print(f"\npeak RSS of the whole run: {peak_rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
