"""The demo: what ``make demo`` (``manage.py load_demo``) puts in the database.

The content lives in data files, the code that stores it in each app's ``demo.py``:

- ``memorandum/catalogue/fixtures/demo_2024_2028.json``: the 2024-2028 edition as
  published (domains, themes, addressees, references, recommendations), in the catalogue's
  own import format;
- ``memorandum/demo/data/<app>.json``: the synthetic parts of the other apps (consultation
  proposals, roadmap initiatives …), each with an ``about`` note saying what is real and
  what is invented.

:data:`STEPS` is the order in which ``load_demo`` runs the apps' demo commands, and why.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# (command, why it comes here). Each step only reads what the steps before it made.
STEPS: list[tuple[str, str]] = [
    ("demo_accounts", "people first: every later step attributes its work to someone"),
    ("demo_consultation", "proposals from the zones, merged into the recommendations"),
    ("demo_survey", "the priority survey over the recommendations, voted and counted"),
    ("demo_assembly", "the General Assembly decides on the recommendations"),
    ("demo_roadmap", "follow-up initiatives serve the adopted recommendations"),
    ("demo_impact", "impact estimates of new missions, pinned on R1 and its follow-up"),
    ("demo_publication", "last: its version 1 freezes what every other step has made"),
]


@cache
def read(name: str) -> dict:
    """The demo data file ``data/<name>.json``."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def day(value: str | None) -> dt.date | None:
    """An ISO date from a data file (``2024-03-01``; ``2024-03`` is the first of the month)."""
    if not value:
        return None
    return dt.date.fromisoformat(value if len(value) > 7 else f"{value}-01")
