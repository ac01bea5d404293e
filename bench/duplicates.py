"""Benchmark: the scoring behind the duplicates page, for 600 open proposals, next to a plain peer.

The duplicates page does not score in the request: the worker's scan
(``memorandum.consultation.duplicates.compute_pairs``, queued by ``scan_for``) calls
``similar_items`` once per set of texts, and the page shows the stored pairs. This times
that call.

Builds 600 proposals (two thirds Dutch, one third French) from the demo's proposal texts
(``memorandum/demo/data/consultation.json``) with the demo's prefixes, and the demo
catalogue's recommendations, without a database. Then times:

1. the named peer: a plain scoring, both rapidfuzz ratios over every pair of a language and
   every pair across the two languages in each direction, with no score cut-off and no
   cache;
2. ``similar_items`` as the scan calls it, with an empty cache (texts never scored);
3. the same again (a scan of texts already scored, e.g. asked again after a lost job: the
   score matrices come from the cache under a digest of the texts).

Prints seconds and the ratios; asserts nothing about time (no wall-clock limits anywhere).

Usage::

    .venv/bin/python bench/duplicates.py             # 600 proposals
    .venv/bin/python bench/duplicates.py --count 200
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorandum.settings")
os.environ.setdefault("MEMORANDUM_ENV", "development")


def build(count: int, seed: int = 1):
    data = json.loads((ROOT / "memorandum/demo/data/consultation.json").read_text("utf-8"))
    catalogue = json.loads(
        (ROOT / "memorandum/catalogue/fixtures/demo_2024_2028.json").read_text("utf-8")
    )
    rng = random.Random(seed)
    texts = {lang: [i for row in data["proposals"] for i in row[lang]] for lang in ("nl", "fr")}
    proposals = []
    for pk in range(count):
        lang = "fr" if pk % 3 == 0 else "nl"
        item = rng.choice(texts[lang])
        prefix = rng.choice(data["prefixes"][lang])
        proposals.append(
            SimpleNamespace(pk=pk, language=lang, title=item["title"], text=prefix + item["text"])
        )
    fields = ("title", "objective", "actions")
    recommendations = [
        SimpleNamespace(
            pk=n,
            **{f"{f}_{lang}": r.get(f"{f}_{lang}") or "" for f in fields for lang in ("nl", "fr")},
        )
        for n, r in enumerate(catalogue["recommendations"])
    ]
    return proposals, recommendations


def peer(proposals, recommendations) -> None:
    """A plain scoring: full matrices, both directions across languages, no cache."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from memorandum.consultation import similarity as s

    def full(a, b):
        one = process.cdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=1)
        two = process.cdist(a, b, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=1)
        return (one + two) / 2

    learned = s._aligned(tuple(s.parallel_texts(recommendations)))
    texts = {p.pk: s.normalise(s.proposal_text(p)) for p in proposals}
    dutch = {
        p.pk: s.split_compounds(texts[p.pk])
        if p.language == "nl"
        else s.french_as_dutch(texts[p.pk], learned)
        for p in proposals
    }
    for lang in ("nl", "fr"):
        mine = [p for p in proposals if p.language == lang]
        other = [p for p in proposals if p.language != lang]
        full([texts[p.pk] for p in mine], [texts[p.pk] for p in mine])
        full([dutch[p.pk] for p in mine], [dutch[p.pk] for p in other])
        full(
            [texts[p.pk] for p in mine],
            [s.normalise(s.recommendation_text(r, lang)) for r in recommendations],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600, help="number of open proposals")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.cache import cache

    from memorandum.consultation.similarity import DUPLICATE_THRESHOLD, similar_items

    proposals, recommendations = build(args.count)
    cache.clear()
    similar_items(proposals[:5], recommendations)  # warm the glossary and the word caches

    def timed(run) -> float:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start

    scan = lambda: similar_items(  # noqa: E731
        proposals, recommendations, limit=10, minimum=DUPLICATE_THRESHOLD
    )
    before = timed(lambda: peer(proposals, recommendations))
    cache.clear()
    first = timed(scan)
    again = timed(scan)
    print(f"{args.count} proposals, {len(recommendations)} recommendations")
    print(f"peer (full matrices, no cache): {before:6.2f} s")
    print(f"scan, texts never scored:      {first:6.2f} s  ({before / first:.1f}x faster)")
    print(f"scan, texts already scored:    {again:6.2f} s  ({before / again:.0f}x faster)")


if __name__ == "__main__":
    main()
