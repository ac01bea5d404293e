"""Synthetic ballots that look like a real survey, always labelled synthetic.

Each zone's order is drawn from a Plackett-Luce model (Gumbel trick: utility plus Gumbel
noise, sorted) around a latent priority of the items, shifted a little per region, so
the results show real-looking agreement, disagreement and uncertainty.
"""

from __future__ import annotations

import math
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from memorandum.catalogue.models import PoliceZone, Region
from memorandum.survey.ballots import groups_of
from memorandum.survey.casting import zone_weight
from memorandum.survey.items import survey_items
from memorandum.survey.models import Ballot, BallotStatus, Participation, Survey, SurveyItem

# Latent utilities by catalogue position (financing and staff first, as in the seed's
# foreword), and what each region values a little more or less.
BASE_UTILITY = [2.6, 1.9, 1.2, 1.0, 0.4, 2.2, 1.5, 0.9, 0.3, 0.6, 0.2, 0.1]
REGION_SHIFT = {
    Region.FLANDERS: {1: 0.5, 8: 0.3},
    Region.WALLONIA: {2: 0.7, 9: 0.4, 1: -0.3},
    Region.BRUSSELS: {4: 0.9, 10: 0.6},
}


# For the 2024-2028 items by code: financing and staff first, as the foreword stresses.
CODE_UTILITY = {
    "R1": 2.6,
    "R6": 2.3,
    "R3": 1.9,
    "R2": 1.6,
    "R7": 1.4,
    "R4": 1.2,
    "C1": 0.9,
    "R5": 0.8,
    "C3": 0.6,
    "C2": 0.5,
    "C4": 0.3,
    "C5": 0.1,
}


def utilities(codes: list[str], region: str) -> list[float]:
    n_items = len(codes)
    base = [
        CODE_UTILITY.get(
            code, BASE_UTILITY[i % len(BASE_UTILITY)] - 0.05 * (i // len(BASE_UTILITY))
        )
        for i, code in enumerate(codes)
    ]
    for index, shift in REGION_SHIFT.get(region, {}).items():
        if index < n_items:
            base[index] += shift
    return base


def sample_order(codes: list[str], utility: list[float], rng: random.Random) -> list[str]:
    """One Plackett-Luce draw: sort by utility plus standard Gumbel noise."""
    keyed = [
        (u - math.log(-math.log(rng.random() or 1e-12)), c)
        for c, u in zip(codes, utility, strict=True)
    ]
    return [c for _k, c in sorted(keyed, reverse=True)]


def ranking_payload(items: list[SurveyItem], order: list[str]) -> dict:
    position = {c: i for i, c in enumerate(order)}
    within = {
        g["key"]: sorted((i.code for i in g["items"]), key=position.__getitem__)
        for g in groups_of(items)
        if len(g["items"]) > 1
    }
    return {"overall": order, "within": within}


@transaction.atomic
def fill_with_ballots(
    survey: Survey, zones: list[PoliceZone], *, seed: int, submitted_at=None
) -> int:
    """Give each zone a submitted synthetic ranking ballot (the survey must be synthetic)."""
    if not survey.is_synthetic:
        raise ValueError("synthetic ballots go only into a survey marked synthetic")
    rng = random.Random(seed)
    if survey.uses_weight_classes and not survey.weight_classes:
        survey.weight_classes = survey.compute_weight_classes()
        survey.save(update_fields=["weight_classes"])
    items = survey_items(survey)
    codes = [i.code for i in items]
    start, end = survey.opens_at, min(survey.closes_at, timezone.now())
    ballots, participations = [], []
    for zone in zones:
        order = sample_order(codes, utilities(codes, zone.province.region), rng)
        when = submitted_at or start + (end - start) * rng.random()
        # The same rules as a real anonymous ballot: no zone, the class weight, no time.
        stored_at = survey.opens_at if survey.is_anonymous else when
        ballot = Ballot(
            survey=survey,
            zone=None if survey.is_anonymous else zone,
            province=zone.province.code,
            region=zone.province.region,
            weight=zone_weight(survey, zone),
            payload=ranking_payload(items, order),
            status=BallotStatus.SUBMITTED,
            submitted_at=stored_at,
            cast_by="" if survey.is_anonymous else "synthetic",
        )
        ballot.receipt = ballot.compute_receipt()
        ballots.append(ballot)
        participations.append(
            Participation(survey=survey, zone=zone, voted_on=timezone.localdate(when))
        )
    Ballot.objects.bulk_create(ballots)
    if survey.is_anonymous:
        Ballot.objects.filter(survey=survey, zone=None).update(updated_at=F("submitted_at"))
    Participation.objects.bulk_create(participations)
    return len(ballots)
