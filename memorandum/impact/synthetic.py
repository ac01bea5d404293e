"""Synthetic estimates for the demo and the tests, always labelled synthetic.

Each zone's need is proportional to its staff with skewed noise (a gamma of mean 1), so the
demo's report looks like a real one: some zones silent, a few answers far from the others.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from memorandum.catalogue.models import PoliceZone
from memorandum.impact.models import EstimateRound, Feasibility, ImpactInvitation, ZoneEstimate

COMMENTS = [
    (
        "Zonder bijkomende capaciteit gaat dit ten koste van de wijkwerking.",
        "Sans capacité supplémentaire, cela se fera au détriment du travail de quartier.",
    ),
    (
        "De opleiding van het personeel vraagt minstens zes maanden.",
        "La formation du personnel demande au moins six mois.",
    ),
    (
        "Haalbaar als de federale ICT-toepassing tijdig beschikbaar is.",
        "Faisable si l'application ICT fédérale est disponible à temps.",
    ),
    (
        "Wij kunnen dit opvangen binnen de bestaande ploegen.",
        "Nous pouvons l'absorber dans les équipes existantes.",
    ),
    (
        "Er is geen budget voorzien in de begroting van dit jaar.",
        "Aucun budget n'est prévu au budget de cette année.",
    ),
    (
        "Samenwerking met de naburige zones zou de kost beperken.",
        "Une collaboration avec les zones voisines limiterait le coût.",
    ),
]


def invite_all(round_: EstimateRound) -> dict[int, str]:
    """Invitations for every zone without mailing them (the demo prints one link);
    returns zone pk → raw token."""
    tokens, invitations = {}, []
    for zone in PoliceZone.objects.all():
        invitation = ImpactInvitation(round=round_, zone=zone, sent_at=timezone.now())
        tokens[zone.pk] = invitation.new_token()
        invitations.append(invitation)
    ImpactInvitation.objects.bulk_create(invitations)
    return tokens


def fill_with_estimates(
    round_: EstimateRound,
    *,
    fte_per_100: float,
    one_off_per_staff: float,
    response_rate: float,
    seed: int,
    skip: set[int] = frozenset(),
) -> int:
    """Submitted synthetic estimates from about ``response_rate`` of the zones (not those in
    ``skip``), plus a few drafts; returns how many were submitted."""
    rng = random.Random(seed)
    rows, submitted = [], 0
    start = timezone.localdate() + dt.timedelta(days=90)
    for zone in PoliceZone.objects.order_by("code"):
        draw = rng.random()
        if zone.pk in skip or draw > response_rate + 0.05:
            continue
        factor = rng.gammavariate(3.0, 1 / 3.0)
        if rng.random() < 0.02:
            factor *= 8  # an answer far from the others, for the outlier check
        fte = min(zone.personnel * fte_per_100 / 100 * factor, zone.personnel)
        feasibility = rng.choices(list(Feasibility.values), weights=[1, 3, 4, 3, 1])[0]
        comment = (
            rng.choice(COMMENTS)[0 if zone.language == "nl" else 1] if rng.random() < 0.4 else ""
        )
        is_submitted = draw <= response_rate
        submitted += is_submitted
        rows.append(
            ZoneEstimate(
                round=round_,
                zone=zone,
                fte=Decimal(str(round(fte, 2))),
                hours_operational=int(fte * 1000 * rng.uniform(0.6, 0.9)),
                hours_calog=int(fte * 1000 * rng.uniform(0.1, 0.4)),
                one_off_eur=Decimal(
                    round(zone.personnel * one_off_per_staff * rng.gammavariate(2, 0.5))
                ),
                earliest_start=start + dt.timedelta(days=rng.randrange(0, 400)),
                feasibility=feasibility,
                comments=comment,
                submitted_at=timezone.now() if is_submitted else None,
                cast_by="Synthetisch / synthétique",
            )
        )
    ZoneEstimate.objects.bulk_create(rows)
    return submitted
