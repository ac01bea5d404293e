"""Pairwise ballots: one answer per pair and zone, and how often each pair was shown.

A pairwise payload is ``{"choices": [[a, b, winner-or-None], …]}``. A zone answers each
unordered pair at most once: answering it again replaces the earlier answer (its latest
answer counts), so posting the same comparison 300 times weighs as much as posting it once.
:func:`latest_answers` applies the same rule when counting, so ballots stored before the
rule existed cannot stuff a pair either.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

from django.db import connection

from memorandum.survey.models import PairCount, Survey, SurveyItem

Choice = tuple[str, str, str | None]


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
    """How many zones have answered each pair (kept by :func:`pair_counts_update`)."""
    rows = PairCount.objects.filter(survey=survey).values_list("first", "second", "zones")
    return Counter({(a, b): n for a, b, n in rows})


def pair_counts_update(survey: Survey, before: list, after: list) -> None:
    """Count the pairs a zone's ballot answers now and did not before, and stop counting
    those it answered before and no longer does (a save built on an older read of the
    ballot replaces it), so the counts stay what counting every ballot again would give.

    Called inside the ballot's transaction; one statement per changed pair, so zones
    saving at the same moment never lose a count (the pairs are taken in one order, so two
    ballots never wait for each other's rows crosswise)."""
    now = {pair_key(a, b) for a, b, _w in after}
    then = {pair_key(a, b) for a, b, _w in before}
    q = connection.ops.quote_name
    table, key = q(PairCount._meta.db_table), f"{q('survey_id')}, {q('first')}, {q('second')}"
    zones = q("zones")
    with connection.cursor() as cursor:
        for first, second in sorted(now ^ then):
            if (first, second) in now:
                cursor.execute(
                    f"INSERT INTO {table} ({key}, {zones}) VALUES (%s, %s, %s, 1) "
                    f"ON CONFLICT ({key}) DO UPDATE SET {zones} = {table}.{zones} + 1",
                    [survey.pk, first, second],
                )
            else:
                cursor.execute(
                    f"UPDATE {table} SET {zones} = {zones} - 1 WHERE {q('survey_id')} = %s "
                    f"AND {q('first')} = %s AND {q('second')} = %s AND {zones} > 0",
                    [survey.pk, first, second],
                )


def next_pair(
    items: list[SurveyItem], mine: list, survey: Survey, *, seed: str
) -> tuple[SurveyItem, SurveyItem] | None:
    """A pair this zone has not answered, the one all zones have answered least first.

    Like a wiki survey, this spreads comparisons evenly so every pair gets information,
    instead of asking the same popular pairs over and over. None when every pair is
    answered.
    """
    codes = [i.code for i in items]
    my_counts = Counter(pair_key(a, b) for a, b, _w in mine)
    pairs = [pair_key(a, b) for a, b in itertools.combinations(codes, 2)]
    if not pairs or all(my_counts[p] for p in pairs):
        return None
    all_counts = pair_counts(survey)
    rng = random.Random(f"{seed}:{len(mine)}")
    rng.shuffle(pairs)
    best = min(pairs, key=lambda p: (my_counts[p], all_counts[p]))
    a, b = best if rng.random() < 0.5 else best[::-1]  # which side shows first is random too
    by_code = {i.code: i for i in items}
    return by_code[a], by_code[b]
