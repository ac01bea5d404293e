"""Demo data for the consultation of the 2024-2028 edition
(from ``memorandum/demo/data/consultation.json``).

The three consultation events are real (their months come from the memorandum's
timeline; the day is not known, so they are stored with month precision). The proposals
are invented — labelled synthetic — and written to read like what corps chiefs propose:
for each of the twelve recommendations a few Dutch and French phrasings, some of them
near-duplicates, so that duplicate detection and merging have something to show.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from memorandum.catalogue import roles
from memorandum.catalogue.models import DatePrecision, Edition, PoliceZone, Recommendation
from memorandum.consultation.models import ConsultationEvent, EventKind, Proposal
from memorandum.consultation.services import merge_proposals
from memorandum.demo import day, read


@transaction.atomic
def load_demo(edition: Edition, *, seed: int) -> dict[str, int]:
    """Create the events and the synthetic proposals (once), and merge about two thirds of them."""
    data = read("consultation")
    events = []
    for row in data["events"]:
        event, _ = ConsultationEvent.objects.get_or_create(
            edition=edition,
            kind=EventKind(row["kind"]),
            date=day(row["month"]),
            defaults={"title": row["title"], "precision": DatePrecision.MONTH},
        )
        events.append(event)
    if Proposal.objects.filter(edition=edition, is_synthetic=True).exists():
        return {"events": len(events), "proposals": 0, "merges": 0}
    rng = random.Random(seed)
    zones = list(PoliceZone.objects.filter(is_synthetic=True).select_related("province"))
    dutch = [z for z in zones if z.language in ("nl", "nl-fr")]
    french = [z for z in zones if z.language in ("fr", "nl-fr", "de")]
    if not dutch or not french:
        return {"events": len(events), "proposals": 0, "merges": 0}
    secretariat = (
        get_user_model().objects.filter(groups__name=roles.SECRETARIAT).order_by("pk").first()
    )
    created = merges = 0
    for row in data["proposals"]:
        code = row["recommendation"]
        recommendation = Recommendation.objects.filter(
            edition=edition,
            kind="recommendation" if code[0] == "R" else "commitment",
            number=int(code[1:]),
        ).first()
        if recommendation is None:
            continue
        batch = []
        for lang, pool in (("nl", dutch), ("fr", french)):
            prefixes = data["prefixes"][lang]
            for item in row[lang]:
                title, text = item["title"], item["text"]
                for zone in rng.sample(pool, k=min(len(pool), rng.randint(1, 3))):
                    event = rng.choice(events)
                    batch.append(
                        Proposal.objects.create(
                            edition=edition,
                            event=event,
                            zone=zone,
                            language=lang,
                            domain=recommendation.domain,
                            title=title,
                            text=rng.choice(prefixes) + text,
                            is_synthetic=True,
                        )
                    )
        created += len(batch)
        # Two thirds are merged into their recommendation; the rest stay new for the duplicate finder.
        to_merge = [p for p in batch if rng.random() < 0.67]
        if to_merge and secretariat is not None:
            merge_proposals(proposals=to_merge, into=recommendation, by=secretariat)
            merges += 1
    return {"events": len(events), "proposals": created, "merges": merges}
