"""The points ballot: a budget of points shared among the items."""

from __future__ import annotations

from operator import methodcaller

import numpy as np
from django.utils.translation import gettext as _

import ranking
from memorandum.lib.validation import is_plain_number
from memorandum.survey import arrays
from memorandum.survey.ballots.base import BallotKind, Parsed, item_name
from memorandum.survey.models import POINTS_BUDGET, TOP_N, BallotForm


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

    def for_method(self, profile, method):
        return profile if method == "points" else as_rankings(profile)

    def agreement_profile(self, profile):
        return as_rankings(profile)

    def asked(self):
        return _("What we ask: share 100 points among the items, more points to what matters more.")

    def summary(self, payload, items, *, top_n=TOP_N):
        name = item_name(items)
        points = payload.get("points", {})
        return [f"{name(c)}: {p}" for c, p in sorted(points.items(), key=lambda x: -x[1]) if p]


def as_rankings(profile: ranking.PointsProfile) -> ranking.Profile:
    """Points read as rankings with ties (more points ranks higher; no points is unranked)."""
    # The engine reads smaller as better and negative as unranked.
    ranks = np.where(profile.points > 0, POINTS_BUDGET - profile.points, -1).astype(np.int64)
    return ranking.Profile.from_ranks(
        ranks,
        profile.candidates,
        counts=profile.multiplicity,
        weights=profile.weights,
        groups=profile.groups,
    )
