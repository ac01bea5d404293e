"""Pairwise ballots: one answer per pair and zone, and how often each pair was shown.

A pairwise payload is ``{"choices": [[a, b, winner-or-None], …]}``. A zone answers each
unordered pair at most once: answering it again replaces the earlier answer (its latest
answer counts), so posting the same comparison 300 times weighs as much as posting it once.
:func:`latest_answers` applies the same rule when counting, so ballots stored before the
rule existed cannot stuff a pair either.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from memorandum.survey.models import Survey

Choice = tuple[str, str, str | None]

# The pair counts of all zones only steer which pair is asked next; they may be this old.
PAIR_COUNTS_MAX_AGE = timedelta(seconds=60)


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The unordered pair: ``("R1", "R2")`` whichever side was shown first."""
    return (a, b) if a < b else (b, a)


def latest_answers(choices: list) -> list[Choice]:
    """One answer per pair, the latest, in the order the pairs were last answered."""
    latest: dict[tuple[str, str], Choice] = {}
    for a, b, winner in choices:
        key = pair_key(a, b)
        latest.pop(key, None)  # re-inserted at the end: the order follows the last answer
        latest[key] = (a, b, winner)
    return list(latest.values())


def record_answer(choices: list, a: str, b: str, winner: str | None) -> list[list]:
    """The choices with this pair's answer replaced (or added when it is new)."""
    key = pair_key(a, b)
    kept = [list(c) for c in latest_answers(choices) if pair_key(c[0], c[1]) != key]
    return [*kept, [a, b, winner]]


def answered_pairs(choices: list) -> int:
    return len({pair_key(a, b) for a, b, _w in choices})


def pair_counts(survey: Survey) -> Counter:
    """How many zones have answered each pair, from every ballot of the survey.

    Reading every ballot's payload on each page view would cost more the more zones
    answer; the counts are shared through the cache and recomputed at most once a minute
    per survey (a little staleness only makes the next pair slightly less well spread).
    """
    created = survey.created_at.isoformat() if survey.created_at else ""
    bucket = int(timezone.now().timestamp() // PAIR_COUNTS_MAX_AGE.total_seconds())
    key = f"survey:{survey.pk}:{created}:pair-counts:{bucket}"
    counts = cache.get(key)
    if counts is None:
        counts = Counter()
        for payload in survey.ballots.values_list("payload", flat=True).iterator():
            choices = (payload or {}).get("choices", [])
            counts.update({pair_key(a, b) for a, b, _w in choices})
        cache.set(key, counts, int(PAIR_COUNTS_MAX_AGE.total_seconds()) * 2)
    return counts
