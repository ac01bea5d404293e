"""Scores as the table prints them: integers as integers, large scores scaled and explained.

A Borda count or a number of first places is an integer and prints as "11", not "11,00";
a score weighted by staff numbers can run into the tens of millions and prints in millions
("54,1") with the unit in the column heading. The chart has its own formatting (charts.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MILLION = 1_000_000
THOUSAND = 1_000


@dataclass(frozen=True)
class ScoreFormat:
    """How one column of scores is printed: a divisor, decimals and a unit for the heading."""

    divisor: int = 1
    decimals: int = 2
    unit: str = ""

    def text(self, value: float) -> str:
        if not math.isfinite(value):
            return "—"
        return number_format(value / self.divisor, self.decimals, force_grouping=True)

    def heading(self, label: str) -> str:
        return f"{label} ({self.unit})" if self.unit else label


def score_format(values: list[float]) -> ScoreFormat:
    """The format that shows every value of the column with what it has and no more."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return ScoreFormat()
    largest = max(abs(v) for v in finite)
    if largest >= 10 * MILLION:
        return ScoreFormat(MILLION, 1, _("millions"))
    if largest >= 100 * THOUSAND:
        return ScoreFormat(THOUSAND, 0, _("thousands"))
    if all(float(v).is_integer() for v in finite):
        return ScoreFormat(1, 0)
    return ScoreFormat(1, 2)
