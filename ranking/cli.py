"""``memorandum-rank``: rank the ballots of a file from the command line."""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from .bootstrap import bootstrap
from .io import ParseError, load
from .rank import METHODS, rank, rank_by_group
from .result import Result
from .types import JSONDict

__all__ = ["build_parser", "main", "run"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``memorandum-rank``."""
    p = argparse.ArgumentParser(
        prog="memorandum-rank",
        description="Turn a file of ballots into a priority order.",
        epilog="File kinds: PrefLib .soc/.soi/.toc/.toi/.cat, ballot .csv and .json "
        "(see docs/ranking.md).",
    )
    p.add_argument("file", help="ballot file")
    p.add_argument("--method", "-m", required=True, choices=list(METHODS), help="ranking method")
    p.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="bootstrap replicates for rank intervals and top-k probabilities",
    )
    p.add_argument("--seed", type=int, default=1, help="bootstrap seed (default 1)")
    p.add_argument(
        "--top-k",
        type=int,
        default=None,
        metavar="K",
        help="show the first K ranks; bootstrap reports P(rank <= K) (default 10)",
    )
    p.add_argument("--level", type=float, default=0.95, help="bootstrap interval level")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--by-group", action="store_true", help="also rank within each group label")
    p.add_argument("--question", help="question to use from a wiki-survey CSV")
    p.add_argument(
        "--alpha",
        type=float,
        default=None,
        help="L2 penalty of Plackett-Luce / Bradley-Terry (default 1e-6, as choix)",
    )
    p.add_argument(
        "--ties",
        choices=("ignore", "half"),
        default=None,
        help='Bradley-Terry: how to count "can\'t decide" (default ignore)',
    )
    return p


def _options(args: argparse.Namespace) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if args.alpha is not None:
        if args.method not in ("plackett-luce", "bradley-terry"):
            raise ValueError("--alpha only applies to plackett-luce and bradley-terry")
        opts["alpha"] = args.alpha
    if args.ties is not None:
        if args.method != "bradley-terry":
            raise ValueError("--ties only applies to bradley-terry")
        opts["ties"] = args.ties
    return opts


def _table(res: Result, top_k: int | None, boot: JSONDict | None) -> str:
    text = res.table(top_k)
    if boot is None:
        return text
    lines = text.splitlines()
    head, body, tail = lines[0], lines[1:-1], lines[-1]
    k = boot["top_k"]
    out = [f"{head}  rank {int(boot['level'] * 100)}%  P(top {k})"]
    for line in body:
        cid = line.split()[1]
        lo, hi = boot["rank_interval"][cid]
        out.append(f"{line}  [{lo}, {hi}]  {boot['p_top_k'][cid]:.3f}")
    out.append(tail)
    out.append(f"bootstrap: {boot['n']} replicates, seed {boot['seed']}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.bootstrap < 0:
            raise ValueError("--bootstrap must be >= 0")
        if args.top_k is not None and args.top_k < 1:
            raise ValueError("--top-k must be >= 1")
        opts = _options(args)
        profile = load(args.file, question=args.question)
        res = rank(profile, args.method, **opts)
        boot = None
        if args.bootstrap:
            boot = bootstrap(
                profile,
                args.method,
                n=args.bootstrap,
                seed=args.seed,
                top_k=args.top_k or 10,
                level=args.level,
                **opts,
            ).to_dict()
        groups = rank_by_group(profile, args.method, **opts) if args.by_group else None
    except ParseError as exc:
        print(f"memorandum-rank: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"memorandum-rank: error: {args.file}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"memorandum-rank: error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        doc = res.to_dict()
        if boot is not None:
            doc["bootstrap"] = boot
        if groups is not None:
            doc["groups"] = {g: r.to_dict() for g, r in groups.items()}
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(_table(res, args.top_k, boot))
        for g, r in (groups or {}).items():
            print(f"\ngroup {g}:")
            print(r.table(args.top_k))
    return 0


def run() -> None:
    """Console entry point of ``memorandum-rank``: :func:`main` as a whole process.

    A run is one read, one count and one write, so the process is tuned for that: freed
    memory is kept for the next chunk instead of being handed back to the system and
    faulted in again (glibc only), and once the output is flushed the process ends
    without tearing down numpy's modules, which on a short run costs about a tenth of it.
    """
    _keep_freed_memory()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _keep_freed_memory() -> None:
    try:
        # The process's own symbols include libc's: ``ctypes.util.find_library`` would run
        # ldconfig in a subprocess, a tenth of a short run's CPU time.
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return  # not glibc: the defaults apply
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 1 << 26)
    mallopt(m_trim_threshold, 1 << 27)


if __name__ == "__main__":  # pragma: no cover
    run()
