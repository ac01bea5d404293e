"""The pairwise ballot: one comparison at a time, which of two items is more urgent."""

from __future__ import annotations

from itertools import chain, repeat
from operator import itemgetter, methodcaller

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import ranking
from memorandum.survey import pairs
from memorandum.survey.ballots.base import BallotKind, Parsed
from memorandum.survey.models import TOP_N, BallotForm, SurveyItem


class Pairwise(BallotKind):
    form = BallotForm.PAIRWISE
    methods = ("bradley-terry",)
    draft_anchor = "#pair"
    reads_stored = True
    # A zone answers many comparisons: resample whole zones, not single comparisons.
    resamples_whole_ballots = True

    def submits(self, action, stored_is_submitted):
        # Each new comparison on a submitted ballot is submitted at once (with a new receipt).
        return action == "submit" or stored_is_submitted

    def parse(self, post, items, stored, action, *, top_n=TOP_N):
        if action == "submit":
            # One answer per pair, also for a draft stored before that rule.
            choices = [list(c) for c in pairs.latest_answers(stored.get("choices", []))]
            parsed = Parsed(payload={"choices": choices})
            if not choices:
                parsed.errors["__all__"] = _("Make at least one comparison before submitting.")
            return parsed
        return _parse_choice(post, items, stored)

    def context(self, *, survey, zone, items, payload, parsed):
        by_code = {i.code: i for i in items}
        # One answer per pair (the latest), whatever an older payload may hold.
        mine = pairs.latest_answers(payload.get("choices", []))
        pair = None
        if survey.accepts_answers():
            pair = pairs.next_pair(items, mine, survey, seed=f"{survey.pk}:{zone.pk}")
        answered = [
            {"a": by_code.get(a), "b": by_code.get(b), "winner": by_code.get(w) if w else None}
            for a, b, w in mine
            if a in by_code and b in by_code
        ]
        n = len(items)
        return {
            "pair": pair,
            "answered": answered,
            "pairs_answered": len(answered),
            "pairs_total": n * (n - 1) // 2,
            "errors": parsed.errors if parsed else {},
        }

    def profile(self, payloads, codes, *, weights, groups, top_n=TOP_N):
        n = len(payloads)
        # One answer per pair and zone (its latest): repeating a comparison never adds weight.
        lists = list(map(pairs.latest_answers, map(methodcaller("get", "choices", []), payloads)))
        lens = np.fromiter(map(len, lists), dtype=np.int64, count=n)
        choices = list(chain.from_iterable(lists))
        row = np.repeat(np.arange(n), lens)
        index = {c: i for i, c in enumerate(codes)}
        a = np.fromiter(map(index.get, map(itemgetter(0), choices), repeat(-1)), np.int64)
        b = np.fromiter(map(index.get, map(itemgetter(1), choices), repeat(-1)), np.int64)
        winner = np.fromiter(
            map(index.get, map(itemgetter(2), choices), repeat(-2)), np.int64, len(choices)
        )
        tie = np.fromiter((c[2] is None for c in choices), bool, len(choices))
        known = (a >= 0) & (b >= 0)
        if (known & ~tie & (winner != a) & (winner != b)).any():
            raise ValueError("a pairwise choice names neither of its two items")
        swap = ~tie & (winner == b)
        first, second = np.where(swap, b, a)[known], np.where(swap, a, b)[known]
        row = row[known]
        return ranking.PairwiseProfile.from_arrays(
            first,
            second,
            tie[known],
            codes,
            weights=weights[row],
            groups=None if groups is None else np.asarray(groups, dtype=object)[row].tolist(),
        )

    def agreement_profile(self, profile):
        return None  # Kendall's W reads orders; pairwise choices give none

    def asked(self):
        return _(
            "What we ask: in a series of pairs of items, choose each time the more urgent one."
        )

    def summary(self, payload, items, *, top_n=TOP_N):
        choices = payload.get("choices", [])
        return [
            ngettext("%(count)s comparison", "%(count)s comparisons", len(choices))
            % {"count": len(choices)}
        ]

    def after_save(self, *, survey, before, after):
        pairs.pair_counts_update(survey, before.get("choices", []), after.get("choices", []))


def _parse_choice(post, items: list[SurveyItem], stored: dict) -> Parsed:
    """One answer to "which is more urgent?": it replaces the zone's earlier answer to the pair."""
    codes = {i.code for i in items}
    a, b, choice = post.get("a", ""), post.get("b", ""), post.get("choice", "")
    choices = list(stored.get("choices", []))
    parsed = Parsed(payload={"choices": choices})
    if a not in codes or b not in codes or a == b or choice not in ("a", "b", "none"):
        parsed.errors["__all__"] = _("This comparison could not be read; please choose again.")
        return parsed
    winner = {"a": a, "b": b, "none": None}[choice]
    parsed.payload = {"choices": pairs.record_answer(choices, a, b, winner)}
    return parsed
