"""Demo data for the General Assembly of the 2024-2028 edition.

The two meeting dates (13 June and 11 July 2023) are real, from the memorandum's
timeline; their minutes are published, so their decisions are what the demo catalogue
shows. Everything else is invented and the meetings are marked synthetic: the hour, which
items were on which agenda, the attendance and the votes. A third, invented meeting (March
2025) has an amendment recorded but its minutes not published, to show a pending decision:
the secretariat and assembly members see it, visitors do not.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from memorandum.assembly.models import AgendaItem, Meeting
from memorandum.assembly.services import publish_minutes, record_decision
from memorandum.catalogue import roles
from memorandum.catalogue.models import Edition, Phase, PoliceZone, Recommendation
from memorandum.catalogue.phases import standing_in

BRUSSELS = ZoneInfo("Europe/Brussels")

MEETINGS = [
    (dt.datetime(2023, 6, 13, 10, 0, tzinfo=BRUSSELS), "recommendation"),
    (dt.datetime(2023, 7, 11, 10, 0, tzinfo=BRUSSELS), "commitment"),
]
PENDING_MEETING = dt.datetime(2025, 3, 18, 14, 0, tzinfo=BRUSSELS)
PENDING_NOTE_NL = (
    "Synthetische demovergadering (datum, aanwezigheden, stemmingen en amendement zijn verzonnen): "
    "de notulen zijn niet gepubliceerd, dus de beslissing is nog niet openbaar."
)
PENDING_NOTE_FR = (
    "Réunion de démonstration synthétique (date, présences, votes et amendement inventés) : "
    "le procès-verbal n'est pas publié, la décision n'est donc pas encore publique."
)
AMENDMENT_NL = "Synthetisch voorbeeld van een amendement: de Algemene Vergadering vraagt een jaarlijkse stand van zaken."
AMENDMENT_FR = (
    "Exemple synthétique d'amendement : l'Assemblée générale demande un état des lieux annuel."
)

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
    """Create the two meetings with their agenda and adoption votes; return how many were new.

    The decisions replay the consolidation of 2023: the edition stands in that phase while
    they are recorded, then returns to its own (follow-up in the demo)."""
    with standing_in(edition, Phase.CONSOLIDATION):
        return _load(edition, seed=seed)


def _load(edition: Edition, *, seed: int) -> int:
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
            defaults=_synthetic_meeting(zones, NOTE_NL, NOTE_FR),
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
        publish_minutes(meeting=meeting, by=secretariat)
    created_count += _pending_meeting(edition, zones, secretariat, rng)
    return created_count


def _pending_meeting(edition: Edition, zones, secretariat, rng: random.Random) -> int:
    """A later meeting whose amendment of R1 waits for its minutes (not published)."""
    recommendation = Recommendation.objects.filter(
        edition=edition, kind="recommendation", number=1
    ).first()
    if recommendation is None:
        return 0
    meeting, created = Meeting.objects.get_or_create(
        edition=edition,
        starts_at=PENDING_MEETING,
        defaults=_synthetic_meeting(zones, PENDING_NOTE_NL, PENDING_NOTE_FR),
    )
    if not created:
        return 0
    present = rng.sample(zones, k=int(len(zones) * 0.7))
    meeting.zones_present.set(present)
    item = AgendaItem.objects.create(meeting=meeting, order=1, recommendation=recommendation)
    texts = {
        f: getattr(recommendation, f)
        for f in ("title_nl", "title_fr", "objective_nl", "objective_fr")
        + ("actions_nl", "actions_fr", "context_nl", "context_fr")
    }
    texts["context_nl"] = f"{texts['context_nl']}\n\n{AMENDMENT_NL}".strip()
    texts["context_fr"] = f"{texts['context_fr']}\n\n{AMENDMENT_FR}".strip()
    against = rng.randint(0, len(present) // 15)
    record_decision(
        item=item,
        kind="amend",
        votes_for=len(present) - against,
        votes_against=against,
        abstentions=0,
        by=secretariat,
        texts=texts,
    )
    return 1


def _synthetic_meeting(zones, note_nl: str, note_fr: str) -> dict:
    """The fields of a synthetic meeting of all these zones: quorum half of them, simple majority."""
    return {
        "eligible_members": len(zones),
        "quorum_kind": "fraction",
        "quorum_value": "0.5",
        "majority_rule": "simple",
        "is_synthetic": True,
        "notes_nl": note_nl,
        "notes_fr": note_fr,
    }
