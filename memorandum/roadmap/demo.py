"""A realistic, clearly synthetic roadmap for the demo edition (used by ``demo_roadmap``),
from ``memorandum/demo/data/roadmap.json``.

Dates are fixed inside the 2024-2028 period so that running the command again, on any
day, updates the same rows instead of adding new ones. Measurements and updates dated
after today are left out.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from memorandum.catalogue.models import Edition, PoliceZone, Recommendation
from memorandum.demo import day, read
from memorandum.roadmap.models import (
    Indicator,
    Initiative,
    InitiativeLink,
    Measurement,
    Milestone,
    PointOfAttention,
    Update,
    today,
)


def _parse_serves(edition: Edition, serves: str) -> dict:
    selection: dict = {}
    for token in serves.split(","):
        code, _sep, line = token.strip().partition(".")
        kind = "recommendation" if code[0] == "R" else "commitment"
        rec = Recommendation.objects.filter(
            edition=edition, kind=kind, number=int(code[1:])
        ).first()
        if rec is not None:
            selection.setdefault(rec, [])
            if line:
                selection[rec].append(int(line))
    return selection


@transaction.atomic
def build_demo_roadmap(edition: Edition, seed: int) -> int:
    """Create or refresh the synthetic initiatives; returns how many there are."""
    rng = random.Random(seed)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["secretariat", "partner", "chief"])
    }
    chief_zone = (
        getattr(getattr(users.get("chief"), "profile", None), "zone", None)
        or PoliceZone.objects.first()
    )
    now = today()
    data = read("roadmap")
    measured_on = [day(value) for value in data["measured_on"]]
    updates = data["updates"]
    for row in data["initiatives"]:
        title_nl, title_fr, owner, status = (
            row["title_nl"], row["title_fr"], row["owner"], row["status"]
        )  # fmt: skip
        start, end = day(row["start"]), day(row["end"])
        initiative, _created = Initiative.objects.update_or_create(
            edition=edition,
            title_nl=title_nl,
            is_synthetic=True,
            defaults={
                "title_fr": title_fr,
                "lead_organisation": row["lead"],
                "partners": row["partners"],
                "start_date": start,
                "end_date": end,
                "status": status,
                "progress": row["progress"],
                "is_public": row["public"],
                "lead_zone": chief_zone if owner == "chief" else None,
                "description_nl": f"Synthetisch voorbeeld voor de demonstratie: “{title_nl}”.",
                "description_fr": f"Exemple synthétique pour la démonstration : « {title_fr} ».",
            },
        )
        for rec, lines in _parse_serves(edition, row["serves"]).items():
            InitiativeLink.objects.update_or_create(
                initiative=initiative, recommendation=rec, defaults={"action_lines": lines}
            )
        if owner in users:
            initiative.owners.set([users[owner]])
        for milestone in row["milestones"]:
            due = day(milestone["due"])
            Milestone.objects.update_or_create(
                initiative=initiative,
                title_nl=milestone["title_nl"],
                defaults={
                    "title_fr": milestone["title_fr"],
                    "due_date": due,
                    "done_date": (
                        due - dt.timedelta(days=rng.randint(0, 20)) if milestone["done"] else None
                    ),
                },
            )
        if indicator := row["indicator"]:
            ind, _c = Indicator.objects.update_or_create(
                initiative=initiative,
                name_nl=indicator["name_nl"],
                defaults={
                    key: indicator[key]
                    for key in ("name_fr", "unit", "baseline", "target", "direction")
                },
            )
            for date, value in zip(measured_on, indicator["values"], strict=False):
                if date <= now:
                    Measurement.objects.update_or_create(
                        indicator=ind,
                        date=date,
                        defaults={
                            "value": Decimal(value),
                            "note": "synthetisch / synthétique",
                            "recorded_by": users.get(owner),
                        },
                    )
        author = users.get(owner)
        for n in range(rng.randint(1, 3)):
            date = start + dt.timedelta(days=120 * (n + 1) + rng.randint(0, 30))
            if date > now or (end and status in ("done", "dropped") and date > end):
                continue
            text = updates[(n + len(title_nl)) % len(updates)]
            text_nl, text_fr = text["nl"], text["fr"]
            Update.objects.update_or_create(
                initiative=initiative,
                date=date,
                defaults={
                    "author": author,
                    "text": f"{text_nl}\n\n{text_fr}",
                    "status_before": status,
                },
            )
    _points(edition, users, data["points"])
    return Initiative.objects.filter(edition=edition, is_synthetic=True).count()


def _points(edition: Edition, users: dict, points: list[dict]) -> None:
    for point in points:
        initiative = Initiative.objects.filter(
            edition=edition, title_nl=point["initiative"], is_synthetic=True
        ).first()
        if initiative:
            PointOfAttention.objects.get_or_create(
                initiative=initiative,
                text=point["text"],
                defaults={"raised_by": users.get(point["raised_by"])},
            )
