"""What the follow-up says when the next edition is started (``catalogue/succession.py``).

:func:`achieved` is the one rule that decides, from the roadmap, whether a recommendation
of the previous edition was achieved: the confirmation page states it in words
(:data:`ACHIEVED_RULE`) and the service applies it. :func:`running` and
:func:`initiatives_carry_over` carry the initiatives still running into the new edition.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import Edition, Recommendation
from memorandum.lib.bilingual import copy_texts
from memorandum.roadmap.models import (
    Indicator,
    Initiative,
    InitiativeLink,
    InitiativeStatus,
    Milestone,
)

ACHIEVED_RULE = _(
    "A recommendation counts as achieved when the follow-up shows it finished: at least one "
    "initiative serves it, every initiative serving it is done (status “Done” or progress "
    "100 %) or dropped, and the finished ones together cover the whole recommendation (one "
    "serves it as a whole, or together they serve every action line). Every other adopted "
    "recommendation (no initiative, an initiative still planned, ongoing, at risk or blocked, "
    "only dropped initiatives, or only some action lines finished) is carried over."
)


def is_finished(initiative: Initiative) -> bool:
    """Done, or at 100 % without being dropped."""
    if initiative.status == InitiativeStatus.DROPPED:
        return False
    return initiative.status == InitiativeStatus.DONE or initiative.progress >= 100


def is_running(initiative: Initiative) -> bool:
    """Neither finished nor dropped: it goes on in the next edition."""
    return initiative.status != InitiativeStatus.DROPPED and not is_finished(initiative)


def achieved(recommendations: list[Recommendation]) -> set[int]:
    """The ids of the recommendations that :data:`ACHIEVED_RULE` calls achieved."""
    links: dict[int, list[InitiativeLink]] = defaultdict(list)
    for link in InitiativeLink.objects.filter(recommendation__in=recommendations).select_related(
        "initiative"
    ):
        links[link.recommendation_id].append(link)
    done = set()
    for recommendation in recommendations:
        served = links.get(recommendation.pk, [])
        if any(is_running(link.initiative) for link in served):
            continue
        finished = [link for link in served if is_finished(link.initiative)]
        if not finished:
            continue
        if any(not link.action_lines for link in finished):
            done.add(recommendation.pk)
            continue
        lines = {n for link in finished for n in link.action_lines}
        wanted = set(range(1, len(recommendation.action_items("nl")) + 1))
        if wanted <= lines:
            done.add(recommendation.pk)
    return done


def running(edition: Edition) -> QuerySet[Initiative]:
    """The edition's initiatives still running (see :func:`is_running`), in roadmap order."""
    return (
        Initiative.objects.filter(edition=edition)
        .exclude(status__in=[InitiativeStatus.DONE, InitiativeStatus.DROPPED])
        .filter(progress__lt=100)
        .prefetch_related(
            "owners",
            "links",
            Prefetch("milestones", queryset=Milestone.objects.filter(done_date__isnull=True)),
            "indicators",
        )
    )


def initiatives_carry_over(
    *,
    initiatives: list[Initiative],
    target: Edition,
    successors: dict[int, Recommendation],
    by,
) -> list[Initiative]:
    """Copy running initiatives into ``target``, each linked to its origin.

    ``successors`` maps an old recommendation's id to its copy in ``target``; links to a
    recommendation that was not carried over are left out. Owners, status, progress, dates,
    the milestones not yet done and the indicators' definitions come along; updates,
    measurements and points of attention stay with the origin, which the copy links to.
    Called inside the succession's transaction.
    """
    copies = []
    for origin in initiatives:
        copy = Initiative(
            edition=target,
            carried_over_from=origin,
            lead_organisation=origin.lead_organisation,
            lead_zone_id=origin.lead_zone_id,
            partners=origin.partners,
            start_date=origin.start_date,
            end_date=origin.end_date,
            status=origin.status,
            progress=origin.progress,
            is_public=origin.is_public,
            is_synthetic=origin.is_synthetic,
            **copy_texts(origin, Initiative),
        )
        copy._history_user = by
        copy._change_reason = f"Carried over from initiative {origin.pk}"
        copy.save()
        copy.owners.set(origin.owners.all())
        InitiativeLink.objects.bulk_create(
            InitiativeLink(
                initiative=copy,
                recommendation=successors[link.recommendation_id],
                action_lines=link.action_lines,
            )
            for link in origin.links.all()
            if link.recommendation_id in successors
        )
        for milestone in origin.milestones.all():
            Milestone.objects.create(
                initiative=copy, due_date=milestone.due_date, **copy_texts(milestone, Milestone)
            )
        for indicator in origin.indicators.all():
            Indicator.objects.create(
                initiative=copy,
                unit=indicator.unit,
                baseline=indicator.baseline,
                target=indicator.target,
                direction=indicator.direction,
                **copy_texts(indicator, Indicator),
            )
        copies.append(copy)
    return copies
