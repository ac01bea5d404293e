"""Writes on the catalogue that other apps share."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from memorandum.catalogue.models import Edition, Recommendation


def next_number(edition: Edition, kind: str) -> int:
    """The first free number for a new recommendation (or commitment) of the edition.

    Call it in the transaction that saves the new row: there, the edition's row is locked
    first, so a second creation in the same edition at the same moment waits until this one
    commits and then gets the number after it (PostgreSQL; SQLite lets one writer in at a
    time). Outside a transaction (a provisional number to validate a form) nothing is locked.
    """
    if not transaction.get_autocommit():
        list(Edition.objects.select_for_update().filter(pk=edition.pk).values_list("pk"))
    current = Recommendation.objects.filter(edition=edition, kind=kind).aggregate(
        top=Max("number")
    )["top"]
    return (current or 0) + 1


def latest_history_id(recommendation: Recommendation) -> int | None:
    """The id of the recommendation's newest history row: what a decision or merge saw."""
    latest = recommendation.history.order_by("-history_date", "-history_id").first()
    return latest.history_id if latest else None
