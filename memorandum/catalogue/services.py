"""Writes on the catalogue that other apps share."""

from __future__ import annotations

from django.db.models import Max

from memorandum.catalogue.models import Edition, Recommendation


def next_number(edition: Edition, kind: str) -> int:
    """The first free number for a new recommendation (or commitment) of the edition."""
    current = Recommendation.objects.filter(edition=edition, kind=kind).aggregate(
        top=Max("number")
    )["top"]
    return (current or 0) + 1


def latest_history_id(recommendation: Recommendation) -> int | None:
    """The id of the recommendation's newest history row: what a decision or merge saw."""
    latest = recommendation.history.order_by("-history_date", "-history_id").first()
    return latest.history_id if latest else None
