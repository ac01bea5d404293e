"""The four ballot forms, one class each, with the same small interface.

A ballot form knows how to read a posted ballot (:meth:`BallotKind.parse`), what its page
shows (:meth:`~BallotKind.context`, :attr:`~BallotKind.template_name`), how its ballots
become the ranking engine's profile (:meth:`~BallotKind.profile`) and which counting
methods fit it (:attr:`~BallotKind.methods`). The ballot page, the tally and the set-up
form ask :func:`kind_of` instead of switching on :class:`BallotForm` themselves.

A parser returns the JSON payload to store and the errors to show (keyed by field name,
each saying which item and why), and never guesses: a ballot with errors is shown again
with exactly what was typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import itemgetter, methodcaller
from typing import ClassVar

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import ranking
from memorandum.lib.validation import is_plain_number
from memorandum.survey import arrays, pairs
from memorandum.survey.models import (
    POINTS_BUDGET,
    RATING_CRITERIA,
    RATING_LEVELS,
    TOP_N,
    BallotForm,
    Survey,
    SurveyItem,
)


@dataclass
class Parsed:
    payload: dict
    errors: dict[str, str] = field(default_factory=dict)
    entered: dict[str, str] = field(default_factory=dict)
    # What a draft still lacks before it can be submitted (a draft is kept without it).
    todo: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def items_by_group(items: list[SurveyItem]) -> dict[str, list[SurveyItem]]:
    """The items by the key of their theme or domain, keeping catalogue order."""
    out: dict[str, list[SurveyItem]] = {}
    for item in items:
        out.setdefault(item.group, []).append(item)
    return out


def groups_of(items: list[SurveyItem]) -> list[dict]:
    """The items grouped by theme or domain, keeping catalogue order, with each group's label."""
    return [
        {"key": key, "label": members[0].group_label, "items": members}
        for key, members in items_by_group(items).items()
    ]


class BallotKind:
    """What differs between ballot forms; one instance per form in :data:`KINDS`."""

    form: ClassVar[str]
    # Counting methods that fit this form; the first is the default primary method.
    methods: ClassVar[tuple[str, ...]]

    @property
    def template_name(self) -> str:
        return f"survey/ballot_{self.form}.html"

    def comparison_methods(self, n_items: int) -> list[str]:
        """The methods shown next to the primary one (Kemeny only where it is exact)."""
        return [m for m in self.methods if m != "kemeny" or n_items <= ranking.KEMENY_EXACT_MAX]

    def parse(
        self, post, items: list[SurveyItem], stored: dict, action: str, *, top_n: int = TOP_N
    ) -> Parsed:
        """Read the posted ballot (``stored``: the payload on record, ``{}`` when none;
        ``top_n``: the survey's size of the top, read by the ranking ballot only)."""
        raise NotImplementedError

    def submits(self, action: str, stored_is_submitted: bool) -> bool:
        return action == "submit"

    def saves_as_draft(self, parsed: Parsed) -> bool:
        """May this (possibly incomplete) answer be kept as a draft?"""
        return set(parsed.errors) <= {"__all__"}

    def context(
        self, *, survey: Survey, zone, items: list[SurveyItem], payload: dict, parsed
    ) -> dict:
        """What the page shows: ``payload`` is what is on record or was just posted."""
        raise NotImplementedError

    def profile(
        self, payloads: list[dict], codes: list[str], *, weights, groups, top_n: int = TOP_N
    ):
        """The ballots as the ranking engine's profile."""
        raise NotImplementedError

    def summary(self, payload: dict, items: list[SurveyItem], *, top_n: int = TOP_N) -> list[str]:
        """The answers in a few lines, to check them before an anonymous submit."""
        raise NotImplementedError

    def after_save(self, *, survey: Survey, before: dict, after: dict) -> None:
        """Bookkeeping once a ballot is stored, inside its transaction."""

    draft_anchor: ClassVar[str] = ""
    # Does reading a posted ballot need the one on record (it adds to it)?
    reads_stored: ClassVar[bool] = False


def _name(items: list[SurveyItem]) -> Callable[[str], str]:
    titles = {i.code: str(i.title) for i in items}
    return lambda code: f"{code} {titles.get(code, '')}".strip()


# ------------------------------------------------------------------------------ ranking
class Ranking(BallotKind):
    """A top N overall (N = the survey's ``top_n``, or fewer items) and, inside each theme or
    domain, an optional order of the other items.

    Nothing is ranked until the chief ranks it: an empty position is "not ranked yet", and
    only a complete top N can be submitted (a draft keeps any part of it). Every counting
    method of this form reads truncated ballots (the unranked items share the last place),
    and the count reads only the top N, so nobody has to number 219 items.

    Inside a group, the items of the top N come first, in the top's order: the chief
    orders only the others. A typed group order that puts them otherwise is refused with a
    message, never corrected in silence.
    """

    form = BallotForm.RANKING
    methods = ("schulze", "borda", "copeland", "ranked-pairs", "kemeny", "irv", "plackett-luce")

    def parse(self, post, items, stored, action, *, top_n=TOP_N):
        codes = [i.code for i in items]
        top = top_size(len(codes), top_n)
        parsed = Parsed(payload={})
        overall = _positions(
            post, "overall", codes, lambda: _("Your top %(n)s") % {"n": top}, top, parsed
        )
        if len(overall) < top and "overall" not in parsed.errors:
            parsed.todo.append(
                ngettext(
                    "Your top %(n)s still needs %(count)s item.",
                    "Your top %(n)s still needs %(count)s items.",
                    top - len(overall),
                )
                % {"n": top, "count": top - len(overall)}
            )
            if action == "submit" and not _positions_failed(parsed, "overall-"):
                parsed.errors["overall"] = (
                    parsed.todo[-1]
                    + " "
                    + _("Give the positions 1 to %(n)s, each to one item.") % {"n": top}
                )
        within = {}
        for key, members in items_by_group(items).items():
            group_codes = [i.code for i in members]
            if len(group_codes) < 2:
                continue
            label = _group_label(members[0])
            typed = _positions(post, f"within-{key}", group_codes, label, len(group_codes), parsed)
            leading = [c for c in overall if c in set(group_codes)]
            order = leading + [c for c in typed if c not in leading]
            if [c for c in order if c in set(typed)] != typed:
                parsed.errors[f"within-{key}"] = _(
                    "%(group)s: your top %(n)s puts %(codes)s in this order, so they come "
                    "first in this group, in the same order. Change the numbers here or leave "
                    "those items empty."
                ) % {"group": label(), "n": top, "codes": ", ".join(leading)}
            if order:
                within[key] = order
        parsed.payload = {"overall": overall, "within": within}
        return parsed

    def context(self, *, survey, zone, items, payload, parsed):
        entered = parsed.entered if parsed else {}
        errors = parsed.errors if parsed else {}
        by_code = {i.code: i for i in items}
        top = top_size(len(items), survey.top_n)
        overall = [c for c in payload.get("overall", []) if c in by_code][:top]
        in_top = {c: n for n, c in enumerate(overall, start=1)}

        def rows(prefix, ranked, codes, leading=()):
            numbers = {c: n for n, c in enumerate(ranked, start=len(leading) + 1)}
            order = (
                list(leading) + ranked + [c for c in codes if c not in set(ranked) | set(leading)]
            )
            return [
                {
                    "item": by_code[c],
                    "position": entered.get(f"{prefix}-{c}", str(numbers.get(c, ""))),
                    "name": f"{prefix}-{c}",
                    "error": errors.get(f"{prefix}-{c}"),
                    "index": codes.index(c),
                    "in_top": in_top.get(c),
                }
                for c in order
            ]

        groups = []
        for g in groups_of(items):
            codes = [i.code for i in g["items"]]
            if len(codes) < 2:
                continue
            leading = [c for c in overall if c in set(codes)]
            stored = (payload.get("within") or {}).get(g["key"], [])
            ranked = [c for c in stored if c in set(codes) and c not in leading]
            name = f"within-{g['key']}"
            groups.append(
                {
                    "key": g["key"],
                    "label": g["label"],
                    "rows": rows(name, ranked, codes, leading),
                    "error": errors.get(name),
                    "name": name,
                }
            )
        return {
            "overall_rows": rows("overall", overall, [i.code for i in items]),
            "overall_error": errors.get("overall"),
            "group_lists": groups,
            "errors": errors,
            "top_n": top,
        }

    def profile(self, payloads, codes, *, weights, groups, top_n=TOP_N):
        overall = list(map(methodcaller("get", "overall", []), payloads))
        orders = arrays.orders(overall, codes, top_size(len(codes), top_n))
        return ranking.Profile.from_orders(orders, codes, weights=weights, groups=groups)

    def summary(self, payload, items, *, top_n=TOP_N):
        name = _name(items)
        top = top_size(len(items), top_n)
        return [f"{n}. {name(c)}" for n, c in enumerate(payload.get("overall", [])[:top], 1)]


def top_size(n_items: int, top_n: int = TOP_N) -> int:
    """How many items a ranking ballot ranks overall (and the count reads): the survey's
    ``top_n``, or every item when there are fewer."""
    return min(top_n, n_items)


def _group_label(item: SurveyItem) -> Callable[[], str]:
    """The label of the item's group, read when an error message asks for it: it is a
    translated lookup, and every ballot posted reads each group."""
    return lambda: str(item.group_label)


def _positions_failed(parsed: Parsed, prefix: str) -> bool:
    return any(name.startswith(prefix) for name in parsed.errors)


def _positions(
    post, prefix: str, codes: list[str], where: Callable[[], str], highest: int, parsed: Parsed
) -> list[str]:
    """Read an optional position per item (``<prefix>-<code>``): the ranked codes in order.
    ``where`` names the list in an error message (asked only when there is one).

    An empty box is "not ranked yet"; a number outside 1..``highest`` or a position given
    to two items is an error naming the items.
    """
    values: dict[str, int] = {}
    for code in codes:
        name = f"{prefix}-{code}"
        raw = (post.get(name) or "").strip()
        parsed.entered[name] = raw
        if not raw:
            continue
        number = int(raw) if is_plain_number(raw, 6) else 0
        if not 1 <= number <= highest:
            parsed.errors[name] = _(
                "%(where)s, %(code)s: give a position from 1 to %(n)s, or leave it empty."
            ) % {"where": where(), "code": code, "n": highest}
            continue
        values[code] = number
    for number, count in Counter(values.values()).items():
        if count > 1:
            same = [c for c in codes if values.get(c) == number]
            for code in same:
                parsed.errors[f"{prefix}-{code}"] = _(
                    "%(where)s: %(codes)s all have position %(n)s; give each item its own position."
                ) % {"where": where(), "codes": ", ".join(same), "n": number}
    index = {c: i for i, c in enumerate(codes)}
    return sorted(values, key=lambda c: (values[c], index[c]))


# ------------------------------------------------------------------------------- rating
class Rating(BallotKind):
    form = BallotForm.RATING
    methods = ("mean", "majority-judgment", "schulze", "borda")

    def parse(self, post, items, stored, action, *, top_n=TOP_N):
        parsed = Parsed(payload={name: {} for name, _label in RATING_CRITERIA})
        levels = {str(value) for value, _label in RATING_LEVELS}
        labels = dict(RATING_CRITERIA)
        missing = 0
        for item in items:
            for name, _label in RATING_CRITERIA:
                field_name = f"{name}-{item.code}"
                raw = (post.get(field_name) or "").strip()
                parsed.entered[field_name] = raw
                if raw == "none":
                    parsed.payload[name][item.code] = None
                elif raw in levels:
                    parsed.payload[name][item.code] = int(raw)
                elif raw or action == "submit":
                    # A draft may leave answers out; only a submission needs them all.
                    parsed.errors[field_name] = _(
                        "%(code)s, %(criterion)s: choose a level or “no opinion”."
                    ) % {"code": item.code, "criterion": labels[name]}
                if raw != "none" and raw not in levels:
                    missing += 1
        if missing:
            parsed.todo.append(
                ngettext(
                    "%(count)s answer is still missing.",
                    "%(count)s answers are still missing.",
                    missing,
                )
                % {"count": missing}
            )
        return parsed

    def context(self, *, survey, zone, items, payload, parsed):
        entered = parsed.entered if parsed else {}
        errors = parsed.errors if parsed else {}
        rows = []
        for item in items:
            criteria = []
            for name, label in RATING_CRITERIA:
                field_name = f"{name}-{item.code}"
                if parsed:
                    value = entered.get(field_name, "")
                else:
                    value = (payload.get(name) or {}).get(item.code, "")
                value = "none" if value is None else str(value)
                criteria.append(
                    {
                        "name": field_name,
                        "label": label,
                        "value": value,
                        "error": errors.get(field_name),
                    }
                )
            rows.append({"item": item, "criteria": criteria})
        return {"rating_rows": rows, "levels": RATING_LEVELS, "errors": errors}

    def profile(self, payloads, codes, *, weights, groups, top_n=TOP_N):
        scale = [str(i) for i in range(2 * (len(RATING_LEVELS) - 1) + 1)]
        return ranking.RatingProfile.from_array(
            arrays.combined_grades(payloads, codes), scale, codes, weights=weights, groups=groups
        )

    def summary(self, payload, items, *, top_n=TOP_N):
        name = _name(items)
        levels = dict(RATING_LEVELS)
        lines = []
        for item in items:
            values = [
                f"{label}: {levels.get((payload.get(key) or {}).get(item.code), '—')}"
                for key, label in RATING_CRITERIA
            ]
            lines.append(f"{name(item.code)} ({', '.join(values)})")
        return lines


# ------------------------------------------------------------------------------- points
class Points(BallotKind):
    form = BallotForm.POINTS
    methods = ("points", "schulze", "borda")

    def parse(self, post, items, stored, action, *, top_n=TOP_N):
        parsed = Parsed(payload={"points": {}})
        total = 0
        for item in items:
            name = f"points-{item.code}"
            raw = (post.get(name) or "").strip() or "0"
            parsed.entered[name] = raw
            try:
                value = int(raw)
            except ValueError:
                value = -1
            if not 0 <= value <= POINTS_BUDGET:
                parsed.errors[name] = _(
                    "%(code)s: give a whole number of points from 0 to %(max)s."
                ) % {"code": item.code, "max": POINTS_BUDGET}
                continue
            total += value
            if value:
                parsed.payload["points"][item.code] = value
        if not parsed.errors and total != POINTS_BUDGET:
            parsed.errors["__all__"] = _(
                "Your points add up to %(total)s; they must add up to exactly %(budget)s."
            ) % {"total": total, "budget": POINTS_BUDGET}
        return parsed

    def context(self, *, survey, zone, items, payload, parsed):
        entered = parsed.entered if parsed else {}
        errors = parsed.errors if parsed else {}
        points = payload.get("points", {})
        rows = [
            {
                "item": i,
                "name": f"points-{i.code}",
                "error": errors.get(f"points-{i.code}"),
                "value": entered.get(f"points-{i.code}", str(points.get(i.code, 0))),
            }
            for i in items
        ]
        total = sum(int(r["value"]) for r in rows if is_plain_number(r["value"], 6))
        return {"point_rows": rows, "total": total, "errors": errors}

    def profile(self, payloads, codes, *, weights, groups, top_n=TOP_N):
        points = arrays.matrix(list(map(methodcaller("get", "points", {}), payloads)), codes, 0.0)
        return ranking.PointsProfile.from_array(
            points, codes, budget=POINTS_BUDGET, weights=weights, groups=groups
        )

    def summary(self, payload, items, *, top_n=TOP_N):
        name = _name(items)
        points = payload.get("points", {})
        return [f"{name(c)}: {p}" for c, p in sorted(points.items(), key=lambda x: -x[1]) if p]


# ----------------------------------------------------------------------------- pairwise
class Pairwise(BallotKind):
    form = BallotForm.PAIRWISE
    methods = ("bradley-terry",)
    draft_anchor = "#pair"
    reads_stored = True

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


KINDS: dict[str, BallotKind] = {
    kind.form: kind for kind in (Ranking(), Rating(), Points(), Pairwise())
}


def kind_of(form: str) -> BallotKind:
    """The ballot form's strategy; a ``ValueError`` for a form that does not exist."""
    try:
        return KINDS[form]
    except KeyError:
        raise ValueError(f"unknown ballot form {form!r}") from None
