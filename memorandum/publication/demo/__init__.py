"""The publication's own demo content for the 2024-2028 edition.

The catalogue fixture holds the memorandum's structure and texts; this package adds what
a printed edition needs on top of it and what the catalogue demo does not carry: the
chair's foreword as published (with its footnote), the French translation of every
contextual element and reference title, the addressees' honorifics, the survey window as
approximately as the source gives it, and a colophon that says what is synthetic.
``demo_publication`` applies it before publishing version 1.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from memorandum.catalogue.models import Edition

CONTENT = Path(__file__).resolve().parent / "edition_2024_2028.json"


@transaction.atomic
def apply_demo_content(edition: Edition, path: Path = CONTENT) -> int:
    """Write the demo content onto ``edition``; returns how many rows were changed."""
    content = json.loads(path.read_text())
    changed = _update(edition, content["edition"])
    for event in content["timeline"]:
        keys = {"kind": event["kind"], "date": event["date"]}
        for row in edition.timeline.filter(**keys):
            changed += _update(row, {k: v for k, v in event.items() if k not in keys})
    for table, manager, keys in (
        ("addressees", edition.addressees, ("order",)),
        ("references", edition.references, ("order",)),
        ("recommendations", edition.recommendations, ("kind", "number")),
    ):
        rows = {tuple(getattr(r, k) for k in keys): r for r in manager.all()}
        for values in content[table]:
            row = rows.get(tuple(values[k] for k in keys))
            if row is not None:
                changed += _update(row, {k: v for k, v in values.items() if k not in keys})
    return changed


def _update(obj, values: dict) -> int:
    if all(str(getattr(obj, name) or "") == str(value or "") for name, value in values.items()):
        return 0
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save(update_fields=list(values))
    return 1
