"""The ranking ballot: a top N overall and an order inside each theme or domain."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from operator import methodcaller

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import ranking
from memorandum.lib.validation import is_plain_number
from memorandum.survey import arrays
from memorandum.survey.ballots.base import (
    BallotKind,
    Parsed,
    groups_of,
    item_name,
    items_by_group,
    ranks_of,
)
from memorandum.survey.contract import WithinGroup
from memorandum.survey.models import TOP_N, BallotForm, SurveyItem


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
    asks_top = True

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
        name = item_name(items)
        top = top_size(len(items), top_n)
        return [f"{n}. {name(c)}" for n, c in enumerate(payload.get("overall", [])[:top], 1)]

    def within_groups(self, payloads, weights, items, method):
        """Ranking ballots also order the items inside each theme or domain: rank those lists."""
        within_method = method if ranking.METHODS[method].kind == "rankings" else "schulze"
        withins = list(map(methodcaller("get", "within", {}), payloads))
        out = {}
        for group, members in items_by_group(items).items():
            codes = [i.code for i in members]
            if len(codes) < 2:
                continue
            lists = [within.get(group, []) for within in withins]
            profile = ranking.Profile.from_orders(
                arrays.orders(lists, codes, len(codes)), codes, weights=weights
            )
            out[group] = WithinGroup(
                label=str(members[0].group_label),
                ranks=ranks_of(ranking.rank(profile, within_method)),
            )
        return out

    def asked(self):
        return _(
            "What we ask: put the items in order of priority, inside each theme or work domain "
            "and in an overall top list."
        )


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
