"""Benchmark: render the full synthetic edition (219 recommendations) next to the demo edition.

Both are rendered in the same run, in the same process, so the ratio says how rendering
time grows with the size of the memorandum (the demo has 12 items) on this machine.
Runs standalone in a throw-away SQLite database:

    python bench/publication.py [--repeat 3] [--recommendations 219]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(folder: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "memorandum.settings"
    # A throw-away database on this machine: development settings, without DEBUG's overhead.
    os.environ["MEMORANDUM_ENV"] = "development"
    os.environ["DEBUG"] = "0"
    os.environ["MEMORANDUM_VAR_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite database
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(render, repeat: int) -> float:
    """Best of ``repeat`` runs, in seconds (the least disturbed by other processes)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=3, help="Runs per measurement; the best counts (default 3)."
    )
    parser.add_argument(
        "--recommendations",
        type=int,
        default=219,
        help="Size of the synthetic edition (default 219).",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(folder)
        from memorandum.catalogue.exchange import load_edition
        from memorandum.catalogue.models import Status
        from memorandum.catalogue.synthetic import generate_edition
        from memorandum.publication.document import build_document
        from memorandum.publication.formats import render
        from memorandum.test import DEMO_FIXTURE

        demo, _result = load_edition(DEMO_FIXTURE.read_bytes(), DEMO_FIXTURE.name)
        synthetic = generate_edition(themes=21, recommendations=args.recommendations, seed=1)
        # The generator makes proposals; the document holds adopted items only.
        synthetic.recommendations.update(status=Status.ADOPTED)
        editions = {"demo (12 items)": demo, f"synthetic ({args.recommendations} items)": synthetic}
        print(
            f"Rendering the memorandum, best of {args.repeat} runs (build the document + render), seconds:"
        )
        print(f"{'format':<6} {'edition':<26} {'seconds':>8} {'size':>18}")
        ratios = {}
        for fmt in ("pdf", "docx", "html"):
            results = {}
            for name, edition in editions.items():
                output = {}

                def run(edition=edition, output=output, fmt=fmt):
                    output["bytes"] = render(build_document(edition, "nl"), fmt)

                results[name] = timed(run, args.repeat)
                print(
                    f"{fmt:<6} {name:<26} {results[name]:>8.3f} {len(output['bytes']):>12,} bytes"
                )
            demo_time, synthetic_time = results.values()
            ratios[fmt] = synthetic_time / demo_time
            print(f"{fmt:<6} {'ratio synthetic / demo':<26} {ratios[fmt]:>8.1f}×")
        items = args.recommendations / 12
        print(
            f"\nThe synthetic edition has {items:.0f}× the items of the demo; rendering takes "
            + ", ".join(f"{fmt} {ratio:.1f}×" for fmt, ratio in ratios.items())
            + f" (geometric mean {statistics.geometric_mean(ratios.values()):.1f}×)."
        )


if __name__ == "__main__":
    main()
