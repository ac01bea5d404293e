"""Weight classes: how a weighted survey stays anonymous.

In a survey weighted by personnel or population, an exact weight names its zone (the 185
populations are all different). An anonymous ballot therefore carries the weight of its
zone's *class* instead:

1. the zones are sorted by weight and cut into at most :data:`MAX_CLASSES` classes of about
   equal size (quantile classes: quintiles for the federation's 185 zones);
2. zones with the same weight always fall in the same class, and every class holds at least
   ``k`` zones (the survey's smallest group): a cut that would leave fewer moves up, and a
   last class that is too small joins the one before it;
3. a class counts with its **mean** weight (rounded to a whole number, at least 1), so the
   classes together weigh what the zones do.

The classes are frozen on the survey (``Survey.weight_classes``) when it opens, so a zone
whose personnel changes during the survey keeps the class it had. Fewer than two classes
means the weighting would change nothing: the set-up refuses the combination then.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MAX_CLASSES = 5


@dataclass(frozen=True)
class WeightClass:
    number: int  # 1 = the smallest weights
    low: float  # smallest zone weight in the class
    high: float  # largest zone weight in the class
    zones: int
    weight: float  # what each ballot of the class counts for

    def as_json(self) -> dict:
        return asdict(self)


def weight_classes(
    weights: list[float], k: int, *, max_classes: int = MAX_CLASSES
) -> list[WeightClass]:
    """Quantile classes of ``weights`` with at least ``k`` values each (see the module text).

    Returns an empty list when there are fewer than ``k`` values.
    """
    values = sorted(weights)
    n = len(values)
    if n < k or k < 1:
        return []
    count = max(1, min(max_classes, n // k))
    groups: list[list[float]] = []
    start = 0
    for c in range(1, count + 1):
        end = n if c == count else max(round(c * n / count), start + k)
        # Equal weights are never split between two classes.
        while 0 < end < n and values[end] == values[end - 1]:
            end += 1
        if start >= n:
            break
        groups.append(values[start:end])
        start = end
    if len(groups) > 1 and len(groups[-1]) < k:
        groups[-2].extend(groups.pop())
    return [
        WeightClass(
            number=i,
            low=g[0],
            high=g[-1],
            zones=len(g),
            weight=float(max(1, round(sum(g) / len(g)))),
        )
        for i, g in enumerate(groups, start=1)
    ]


def class_of(classes: list[dict], weight: float) -> dict:
    """The class (as stored on the survey) a zone of this weight belongs to."""
    for cls in classes:
        if weight <= cls["high"]:
            return cls
    return classes[-1]  # heavier than any zone was when the survey opened
