"""Whole-process benchmark of ``memorandum-rank`` against pref_voting, from the same files.

Writes PrefLib files of Plackett-Luce ballots over 219 candidates, then runs, each in its
own process and timed from process start to JSON written (CPU time and peak memory of that
process, as ``os.wait4`` reports them):

* ours: ``python -m ranking.cli FILE --method M --format json`` (what a user runs);
  each measurement is the best of ``--repeat`` runs (3), for both sides;
* pref_voting: ``Profile.from_preflib(FILE)`` + ``beat_path`` + the winners as JSON.

Prints each run, the ratios and the issue's targets with PASS/MISS.  Exit status 1 if the
winners of the two disagree (and, with ``--check``, if a target is missed).

Usage::

    python bench/ranking.py            # the targets: 10,000 and 100,000 ballots (minutes)
    python bench/ranking.py --quick    # small files, for CI: well under a minute
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
M = 219
GIB = 2**30

PREF_VOTING = """
import json, sys
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles import Profile
profile = Profile.from_preflib(sys.argv[1])
json.dump({"winners": [int(c) for c in beat_path(profile)]}, sys.stdout)
"""


@dataclass
class Run:
    """CPU seconds and peak resident memory of one process, and its JSON output."""

    cpu: float
    peak: int
    output: dict[str, object]


def generate(n: int, k: int | None, seed: int) -> Any:
    """Plackett-Luce ballots (Gumbel trick) over M candidates, optionally cut at top k."""
    import numpy as np

    rng = np.random.default_rng(seed)
    strengths = np.linspace(0.0, 3.0, M)
    width = M if k is None else k
    out = np.empty((n, width), dtype=np.int16)
    for s in range(0, n, 10_000):
        rows = min(10_000, n - s)
        noisy = rng.gumbel(size=(rows, M)) + strengths
        out[s : s + rows] = np.argsort(-noisy, axis=1)[:, :width]
    return out


def write_preflib(path: Path, orders: Any) -> None:
    """A PrefLib file, one line per ballot (count 1), candidates numbered from 1."""
    kind = path.suffix[1:]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"# FILE NAME: {path.name}\n# DATA TYPE: {kind}\n")
        fh.write(f"# NUMBER ALTERNATIVES: {M}\n")
        fh.writelines(f"# ALTERNATIVE NAME {i}: Item {i}\n" for i in range(1, M + 1))
        fh.write(f"# NUMBER VOTERS: {len(orders)}\n# NUMBER UNIQUE ORDERS: {len(orders)}\n")
        for s in range(0, len(orders), 10_000):
            block = orders[s : s + 10_000] + 1
            fh.writelines("1: " + ",".join(map(str, row)) + "\n" for row in block.tolist())


#: Children keep their compiled bytecode in a private cache, as an installed package has
#: its .pyc files: the first (warm-up) run compiles, the measured runs do not.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "rank-bench-pycache")


def run(args: list[str]) -> Run:
    """Run a process; its CPU time (user + system) and peak RSS from ``os.wait4``."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.PIPE, cwd=ROOT, env=CHILD_ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.returncode:
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err}")
        out.seek(0)
        output = json.loads(out.read() or b"{}")
    return Run(usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, output)


REPEAT = 3  # --repeat: each measurement is the best of this many runs


def best(args: list[str]) -> Run:
    """The run with the least CPU time of ``REPEAT`` runs (peak memory: the largest)."""
    runs = [run(args) for _ in range(REPEAT)]
    fastest = min(runs, key=lambda r: r.cpu)
    return Run(fastest.cpu, max(r.peak for r in runs), fastest.output)


def ours(path: Path, method: str) -> Run:
    """``memorandum-rank`` on the file (run as a module, so this checkout is measured)."""
    return best(
        [sys.executable, "-m", "ranking.cli", str(path), "--method", method, "--format", "json"]
    )


def theirs(path: Path) -> Run:
    """pref_voting's whole process on the same file."""
    return best([sys.executable, "-c", PREF_VOTING, str(path)])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="2,000 and 20,000 ballots (CI)")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement, best CPU time kept (3)"
    )
    p.add_argument("--keep", metavar="DIR", help="write the files to DIR and keep them")
    p.add_argument("--write", help=argparse.SUPPRESS)  # internal: [[path, n, k], ...]
    args = p.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)
    if args.write:
        for i, (path, n, k) in enumerate(json.loads(args.write)):
            write_preflib(Path(path), generate(n, k or None, args.seed + i))
        return 0
    small, large = (2_000, 20_000) if args.quick else (10_000, 100_000)
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rank-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    files = {
        "warm-up": workdir / "warm-up.soc",
        "small": workdir / f"complete-{small}.soc",
        "large": workdir / f"complete-{large}.soc",
        "top10": workdir / f"top10-{large}.soi",
    }
    # Written by a child process: a child's peak memory as the kernel reports it starts
    # from its parent's, so this process keeps no large arrays.
    spec = [(str(files["warm-up"]), 50, 0), (str(files["small"]), small, 0)]
    spec.append((str(files["large"]), large, 0))
    spec.append((str(files["top10"]), large, 10))
    subprocess.run(
        [sys.executable, __file__, "--write", json.dumps(spec), "--seed", str(args.seed)],
        check=True,
    )
    print(
        f"ranking benchmark: {M} candidates, whole processes, CPU time (user + system), "
        f"best of {REPEAT} runs each"
    )
    for f in files.values():
        print(f"  {f.name}: {f.stat().st_size / 2**20:.1f} MiB")
    print()

    results: list[tuple[str, bool]] = []
    agree = True

    run(
        [
            sys.executable,
            "-m",
            "ranking.cli",
            str(files["warm-up"]),
            "-m",
            "schulze",
            "--format",
            "json",
        ]
    )
    run([sys.executable, "-c", PREF_VOTING, str(files["warm-up"])])  # fill bytecode caches
    mine, ref = ours(files["small"], "schulze"), theirs(files["small"])
    # pref_voting numbers the candidates of a PrefLib file from 0, the file from 1.
    same = sorted(int(c) - 1 for c in mine.output["winners"]) == ref.output["winners"]  # type: ignore[union-attr]
    agree &= same
    ratio = ref.cpu / mine.cpu
    print(f"{small:>7,} complete, schulze: ours {mine.cpu:.2f} s, {mine.peak / 2**20:.0f} MiB")
    print(
        f"{small:>7,} complete, pref_voting from_preflib + beat_path: {ref.cpu:.2f} s, "
        f"{ref.peak / 2**20:.0f} MiB"
    )
    print(f"  ratio x{ratio:.0f}; winners {'agree' if same else 'DIFFER'}")
    results.append(
        (
            f"{small:,} x {M} complete, Schulze: at least x50 faster than pref_voting "
            f"(x{ratio:.0f})",
            ratio >= 50,
        )
    )

    for method in ("schulze", "borda"):
        r = ours(files["large"], method)
        print(f"{large:>7,} complete, {method}: ours {r.cpu:.2f} s, {r.peak / 2**20:.0f} MiB")
        results.append(
            (
                f"{large:,} x {M} complete, {method.title()}: under 5 s CPU "
                f"({r.cpu:.2f} s) and 1 GiB ({r.peak / 2**20:.0f} MiB)",
                r.cpu < 5 and r.peak < GIB,
            )
        )
    r = ours(files["top10"], "schulze")
    print(f"{large:>7,} top-10, schulze: ours {r.cpu:.2f} s, {r.peak / 2**20:.0f} MiB")
    results.append((f"{large:,} top-10 ballots: under 1 s CPU ({r.cpu:.2f} s)", r.cpu < 1))
    r = ours(files["large"], "plackett-luce")
    print(
        f"{large:>7,} complete, plackett-luce: ours {r.cpu:.2f} s, {r.peak / 2**20:.0f} MiB, "
        f"converged {r.output.get('details', {}).get('converged')}"
    )  # type: ignore[union-attr]
    results.append(
        (f"Plackett-Luce on {large:,} complete rankings: under 5 s ({r.cpu:.2f} s)", r.cpu < 5)
    )

    print("\ntargets" + (" (sizes of --quick: indicative only)" if args.quick else "") + ":")
    for text, ok in results:
        print(f"  {verdict(ok)}  {text}")
    if not args.keep:
        for f in files.values():
            f.unlink()
        workdir.rmdir()
    if not agree:
        print("winners of ours and pref_voting DIFFER", file=sys.stderr)
        return 1
    return 1 if args.check and not all(ok for _, ok in results) else 0


if __name__ == "__main__":
    sys.exit(main())
