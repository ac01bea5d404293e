"""Reads for the dashboard and the follow-up pages (a few queries, no N+1)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from memorandum.catalogue.models import Edition, Recommendation, WorkDomain
from memorandum.roadmap.models import (
    Indicator,
    Initiative,
    InitiativeLink,
    InitiativeStatus,
    Milestone,
    PointOfAttention,
)


def with_details(initiatives: QuerySet) -> QuerySet:
    """Initiatives with what list pages show of them, fetched in a fixed number of queries."""
    return (
        initiatives.with_last_update()
        .select_related("edition", "lead_zone")
        .prefetch_related(
            Prefetch(
                "links", queryset=InitiativeLink.objects.select_related("recommendation__domain")
            ),
            "milestones",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("measurements")),
        )
    )


@dataclass
class StatusRow:
    label: str
    counts: Counter = field(default_factory=Counter)
    url: str = ""
    obj: object = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(status, 0) for status in InitiativeStatus.values]


def status_by_domain(edition: Edition, initiatives: list[Initiative]) -> list[StatusRow]:
    """Per work domain, how many initiatives (serving one of its recommendations) have each status."""
    rows = {
        d.pk: StatusRow(f"{d.number}. {d.name}", obj=d)
        for d in WorkDomain.objects.filter(edition=edition)
    }
    for initiative in initiatives:
        for domain_id in {link.recommendation.domain_id for link in initiative.links.all()}:
            if domain_id in rows:
                rows[domain_id].counts[initiative.status] += 1
    return list(rows.values())


def status_by_recommendation(
    recommendations: list[Recommendation], initiatives: list[Initiative]
) -> list[StatusRow]:
    rows = {r.pk: StatusRow(f"{r.code} {r.title}", obj=r) for r in recommendations}
    for initiative in initiatives:
        for link in initiative.links.all():
            if link.recommendation_id in rows:
                rows[link.recommendation_id].counts[initiative.status] += 1
    return list(rows.values())


def uncovered(
    recommendations: list[Recommendation], all_initiatives: QuerySet
) -> list[Recommendation]:
    """Recommendations that no initiative (of any status except dropped) serves yet."""
    covered = set(
        InitiativeLink.objects.filter(initiative__in=all_initiatives)
        .exclude(initiative__status=InitiativeStatus.DROPPED)
        .values_list("recommendation_id", flat=True)
    )
    return [r for r in recommendations if r.pk not in covered]


def overdue_milestones(initiatives: QuerySet) -> QuerySet:
    return (
        Milestone.objects.overdue()
        .filter(initiative__in=initiatives)
        .select_related("initiative__edition")
    )


def open_points(initiatives: QuerySet) -> QuerySet:
    return (
        PointOfAttention.objects.filter(initiative__in=initiatives, resolved=False)
        .select_related("initiative__edition", "raised_by")
        .order_by("-raised_on", "-id")
    )


def indicators_of(initiatives: QuerySet) -> list[Indicator]:
    return list(
        Indicator.objects.filter(initiative__in=initiatives)
        .select_related("initiative__edition")
        .prefetch_related("measurements")
        .order_by("initiative__start_date", "initiative_id", "id")
    )


def follow_up(recommendation: Recommendation, initiatives: QuerySet) -> list[Initiative]:
    """The initiatives serving one recommendation, for its follow-up page."""
    return list(
        with_details(initiatives.filter(recommendations=recommendation)).prefetch_related(
            "updates__author"
        )
    )


def recommendations_by_domain(recommendations: list[Recommendation]) -> dict:
    groups: dict = defaultdict(list)
    for recommendation in recommendations:
        groups[recommendation.domain].append(recommendation)
    return dict(groups)


def timeline_rows(initiatives: list[Initiative]) -> tuple[list, list]:
    """Bars (label, start, end, status) and milestones (label, due, done) for the timeline chart."""
    bars, marks = [], []
    for initiative in initiatives:
        label = f"#{initiative.pk} {initiative.title}"
        bars.append((label, initiative.start_date, initiative.end_date, initiative.status))
        marks += [(label, m.due_date, m.done_date is not None) for m in initiative.milestones.all()]
    return bars, marks
