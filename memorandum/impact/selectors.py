"""Reads of the impact app: rounds with their participation, notes per recommendation.

Every list is read with a fixed number of queries (no N+1): participation is one query for
the invitations (with zones and provinces) and one for the estimates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from memorandum.impact.models import (
    EstimateRound,
    ImpactInvitation,
    Mission,
    RoundStatus,
    ZoneEstimate,
)


@dataclass(frozen=True)
class ParticipationRow:
    invitation: ImpactInvitation
    estimate: ZoneEstimate | None

    @property
    def state(self) -> str:
        if self.estimate is None:
            return _("No answer yet")
        return _("Submitted") if self.estimate.is_submitted else _("Draft")


def participation(round_: EstimateRound) -> list[ParticipationRow]:
    invitations = round_.invitations.select_related("zone__province").prefetch_related("mails")
    estimates = {e.zone_id: e for e in round_.estimates.all()}
    return [ParticipationRow(i, estimates.get(i.zone_id)) for i in invitations]


def counted_rounds(recommendations) -> dict[int, list[EstimateRound]]:
    """Counted rounds of missions related to each recommendation (recommendation pk → rounds)."""
    through = Mission.recommendations.through.objects.filter(
        recommendation__in=recommendations
    ).values_list("recommendation_id", "mission_id")
    links: dict[int, list[int]] = {}
    for rec, mission in through:
        links.setdefault(mission, []).append(rec)
    rounds = EstimateRound.objects.filter(
        mission__in=links, status=RoundStatus.COUNTED
    ).select_related("mission__edition")
    found: dict[int, list[EstimateRound]] = {}
    for round_ in rounds:
        for rec in links[round_.mission_id]:
            found.setdefault(rec, []).append(round_)
    return found


def recommendation_notices(user, recommendations) -> dict[int, list]:
    """The catalogue's overlay: the impact note of each counted round of a related mission."""
    from memorandum.catalogue.notices import Notice

    if not user.has_perm("impact.view_impact"):
        return {}
    notices: dict[int, list] = {}
    for pk, rounds in counted_rounds(recommendations).items():
        for round_ in rounds:
            url = reverse("impact:report", args=[round_.mission.edition.slug, round_.pk])
            text = _("Impact note: %(title)s") % {"title": round_.mission.title}
            notices.setdefault(pk, []).append(Notice(text=text, url=url, badge=_("impact note")))
    return notices
