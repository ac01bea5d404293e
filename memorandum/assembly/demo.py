"""Demo data for the General Assembly of the 2024-2028 edition.

The two meeting dates (13 June and 11 July 2023) are real, from the memorandum's
timeline. Everything else is invented and the meetings are marked synthetic: the hour,
which items were on which agenda, the attendance and the votes.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from memorandum.assembly.models import AgendaItem, Meeting
from memorandum.assembly.services import record_decision
from memorandum.catalogue import roles
from memorandum.catalogue.models import Edition, PoliceZone, Recommendation

BRUSSELS = ZoneInfo("Europe/Brussels")

MEETINGS = [
    (dt.datetime(2023, 6, 13, 10, 0, tzinfo=BRUSSELS), "recommendation"),
    (dt.datetime(2023, 7, 11, 10, 0, tzinfo=BRUSSELS), "commitment"),
]

NOTE_NL = (
    "Synthetische demogegevens: de datum van de vergadering is echt, maar het uur, de agenda per vergadering, "
    "de aanwezigheden en de stemmingen zijn verzonnen."
)
NOTE_FR = (
    "Données de démonstration synthétiques : la date de la réunion est réelle, mais l'heure, l'ordre du jour par réunion, "
    "les présences et les votes sont inventés."
)


@transaction.atomic
def load_demo(edition: Edition, *, seed: int) -> int:
    """Create the two meetings with their agenda and adoption votes; return how many were new."""
    rng = random.Random(seed)
    zones = list(PoliceZone.objects.filter(is_synthetic=True).order_by("code"))
    secretariat = (
        get_user_model().objects.filter(groups__name=roles.SECRETARIAT).order_by("pk").first()
    )
    if not zones or secretariat is None:
        return 0
    created_count = 0
    for starts_at, kind in MEETINGS:
        meeting, created = Meeting.objects.get_or_create(
            edition=edition,
            starts_at=starts_at,
            defaults={
                "eligible_members": len(zones),
                "quorum_kind": "fraction",
                "quorum_value": "0.5",
                "majority_rule": "simple",
                "published": True,
                "is_synthetic": True,
                "notes_nl": NOTE_NL,
                "notes_fr": NOTE_FR,
            },
        )
        if not created:
            continue
        created_count += 1
        present = rng.sample(zones, k=int(len(zones) * rng.uniform(0.6, 0.8)))
        meeting.zones_present.set(present)
        recommendations = Recommendation.objects.filter(edition=edition, kind=kind).order_by(
            "number"
        )
        for order, recommendation in enumerate(recommendations, start=1):
            item = AgendaItem.objects.create(
                meeting=meeting,
                order=order,
                recommendation=recommendation,
                survey_results=f"Synthetisch voorbeeld / exemple synthétique: {rng.randint(1, 12)}/12 (enquête).",
            )
            against = rng.randint(0, len(present) // 15)
            abstain = rng.randint(0, len(present) // 10)
            record_decision(
                item=item,
                kind="adopt",
                votes_for=len(present) - against - abstain,
                votes_against=against,
                abstentions=abstain,
                by=secretariat,
            )
    return created_count
