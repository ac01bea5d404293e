"""Benchmark: render the full synthetic edition (219 recommendations) next to the demo edition.

Both are rendered in the same run, in the same process, so the ratio says how rendering
time grows with the size of the memorandum (the demo has 12 items) on this machine.
The 219-item PDF is also set against the peer: WeasyPrint laying out a plain document of
the same text (same words, paragraphs and headings, no cover, contents, running headers,
footnotes or tags), so the ratio says what the memorandum's own layout costs. The goal
is a 219-item PDF in under 5 seconds on an idle machine.
Runs standalone in a throw-away SQLite database:

    python bench/publication.py [--repeat 3] [--recommendations 219] [--peer-only]
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


def plain_html(html: str) -> str:
    """The same text as a plain document: headings and paragraphs, default styles."""
    import re

    body = html.split("<main>", 1)[-1]
    body = re.sub(r"<(style|svg)\b.*?</\1>", "", body, flags=re.S)
    body = re.sub(r"<(h[1-6])\b[^>]*>", r"<\1>", body)
    body = re.sub(r"</?(?!h[1-6]\b|/h[1-6]\b|p\b|/p\b)[a-zA-Z][^>]*>", " ", body)
    return f"<!doctype html><html lang='nl'><body>{body}</body></html>"


def phases(html: str, **write_options) -> dict[str, float]:
    """CPU seconds of WeasyPrint's two phases for ``html``: layout (styles, boxes, pages)
    and writing (drawing, tags, PDF objects), with the cycle collector paused as in
    ``render_pdf``. CPU time, not wall time: on a machine shared with other processes it
    is the part of the wait this process is responsible for."""
    from weasyprint import HTML

    from memorandum.publication.pdf import cycle_collection_paused

    with cycle_collection_paused():
        start = time.process_time()
        rendered = HTML(string=html).render()
        laid_out = time.process_time()
        rendered.write_pdf(**write_options)
    return {
        "layout": laid_out - start,
        "write": time.process_time() - laid_out,
        "pages": len(rendered.pages),
    }


def best_phases(html: str, repeat: int, **write_options) -> dict[str, float]:
    runs = [phases(html, **write_options) for _ in range(repeat)]
    return min(runs, key=lambda run: run["layout"] + run["write"])


def peer(edition, repeat: int) -> None:
    """The 219-item PDF against WeasyPrint on a plain document of the same text."""
    from weasyprint import HTML

    from memorandum.publication.document import build_document
    from memorandum.publication.html import render_print
    from memorandum.publication.pdf import cycle_collection_paused, render_pdf

    doc = build_document(edition, "nl")
    html = render_print(doc)
    plain = plain_html(html)
    ours = timed(lambda: render_pdf(build_document(edition, "nl")), repeat)

    def plain_pdf():
        # With the collector paused as render_pdf pauses it, so the ratio compares layouts.
        with cycle_collection_paused():
            HTML(string=plain).write_pdf()

    theirs = timed(plain_pdf, repeat)
    print(
        f"\npdf    memorandum ({len(doc.recommendations) + len(doc.commitments)} items) {ours:>8.3f} s;"
        f" plain WeasyPrint document of the same text {theirs:>8.3f} s;"
        f" ratio {ours / theirs:.2f}× (goal: under 5 s)"
    )
    start = time.process_time()
    for _ in range(repeat):
        render_print(build_document(edition, "nl"))
    template = (time.process_time() - start) / repeat
    mine = best_phases(html, repeat, pdf_variant="pdf/ua-1")
    untagged = best_phases(html, repeat)
    bare = best_phases(plain, repeat)
    total, total_plain = (
        template + mine["layout"] + mine["write"],
        bare["layout"] + bare["write"],
    )
    print(
        "\nWhere the time goes (CPU seconds, best of each; wall time above includes waiting"
        " for the other processes on this machine):\n"
        f"  {'':<34} {'memorandum':>10} {'plain':>8} {'ratio':>7}\n"
        f"  {'data and template (ours only)':<34} {template:>10.2f} {'-':>8}\n"
        f"  {'WeasyPrint layout':<34} {mine['layout']:>10.2f} {bare['layout']:>8.2f}"
        f" {mine['layout'] / bare['layout']:>6.1f}×\n"
        f"  {'WeasyPrint drawing + PDF, tagged':<34} {mine['write']:>10.2f} {bare['write']:>8.2f}"
        f" {mine['write'] / bare['write']:>6.1f}×\n"
        f"  {'  of which PDF/UA tags':<34} {mine['write'] - untagged['write']:>10.2f}\n"
        f"  {'total':<34} {total:>10.2f} {total_plain:>8.2f} {total / total_plain:>6.1f}×\n"
        f"  {'pages':<34} {mine['pages']:>10} {bare['pages']:>8}"
    )


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
    parser.add_argument(
        "--peer-only",
        action="store_true",
        help="Only the 219-item PDF against plain WeasyPrint, with where the time goes.",
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
        if not args.peer_only:
            print(
                f"Rendering the memorandum, best of {args.repeat} runs"
                " (build the document + render), seconds:"
            )
            print(f"{'format':<6} {'edition':<26} {'seconds':>8} {'size':>18}")
        ratios = {}
        for fmt in () if args.peer_only else ("pdf", "docx", "html"):
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
        if ratios:
            print(
                f"\nThe synthetic edition has {items:.0f}× the items of the demo; rendering takes "
                + ", ".join(f"{fmt} {ratio:.1f}×" for fmt, ratio in ratios.items())
                + f" (geometric mean {statistics.geometric_mean(ratios.values()):.1f}×)."
            )
        peer(synthetic, args.repeat)


if __name__ == "__main__":
    main()
