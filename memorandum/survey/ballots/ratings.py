"""The rating ballot: a level per item for each criterion."""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import ranking
from memorandum.survey import arrays
from memorandum.survey.ballots.base import BallotKind, Parsed, item_name
from memorandum.survey.models import RATING_CRITERIA, RATING_LEVELS, TOP_N, BallotForm


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

    def criteria_means(self, payloads, weights, codes):
        """Weighted mean level (0 = low … 3 = very high) per criterion, no opinion left out."""
        out = {}
        for name, levels in arrays.criteria(payloads, codes).items():
            given = ~np.isnan(levels)
            total = weights @ given
            sums = weights @ np.where(given, levels, 0.0)
            out[name] = {
                code: (round(float(sums[j] / total[j]), 3) if total[j] else None)
                for j, code in enumerate(codes)
            }
        return out

    def asked(self):
        return _("What we ask: rate each item for importance and urgency.")

    def summary(self, payload, items, *, top_n=TOP_N):
        name = item_name(items)
        levels = dict(RATING_LEVELS)
        lines = []
        for item in items:
            values = [
                f"{label}: {levels.get((payload.get(key) or {}).get(item.code), '—')}"
                for key, label in RATING_CRITERIA
            ]
            lines.append(f"{name(item.code)} ({', '.join(values)})")
        return lines
