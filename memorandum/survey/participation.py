"""Who has answered a survey: the response rate overall, per region and per province, the
zones still to answer, and the counts a tally freezes. Reads only; the writes that change
them are in :mod:`memorandum.survey.services`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from memorandum.catalogue.models import PoliceZone, Province, Region
from memorandum.survey.contract import GroupCount, ParticipationCounts
from memorandum.survey.models import BallotStatus, Invitation, InvitationMail, MailStatus, Survey


@dataclass
class GroupRate:
    key: str
    label: str
    expected: int
    voted: int

    @property
    def rate(self) -> float:
        return self.voted / self.expected if self.expected else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.rate)


def participation(survey: Survey) -> dict:
    """Response rate overall, per region and per province, and the zones still to answer."""
    # today's zones, and the ended ones this survey reached before they merged
    zones = list(
        PoliceZone.objects.filter(
            Q(ended_on=None)
            | Q(pk__in=survey.invitations.values("zone_id"))
            | Q(pk__in=survey.participations.values("zone_id"))
        )
        .select_related("province")
        .order_by("province__region", "province__code", "code")
    )
    voted = set(survey.participations.values_list("zone_id", flat=True))
    drafts = set(
        survey.ballots.filter(status=BallotStatus.DRAFT, zone__isnull=False).values_list(
            "zone_id", flat=True
        )
    )
    provinces = {p.code: p for p in Province.objects.all()}
    by_region: dict[str, GroupRate] = {}
    by_province: dict[str, GroupRate] = {}
    for zone in zones:
        province = zone.province
        region = by_region.setdefault(
            province.region, GroupRate(province.region, str(Region(province.region).label), 0, 0)
        )
        prov = by_province.setdefault(
            province.code, GroupRate(province.code, str(provinces[province.code].name), 0, 0)
        )
        for group in (region, prov):
            group.expected += 1
            group.voted += zone.pk in voted
    invitations = {i.zone_id: i for i in survey.invitations.prefetch_related("mails")}
    missing = [
        {"zone": z, "invitation": invitations.get(z.pk), "has_draft": z.pk in drafts}
        for z in zones
        if z.pk not in voted
    ]
    remindable = sum(1 for row in missing if row["invitation"] and not row["invitation"].is_revoked)
    return {
        "remindable": remindable,
        "overall": GroupRate("all", _("All zones"), len(zones), len(voted & {z.pk for z in zones})),
        "regions": list(by_region.values()),
        "provinces": list(by_province.values()),
        "missing": missing,
        "drafts": len(drafts),
    }


def participation_counts(survey: Survey) -> ParticipationCounts:
    """The participation a tally freezes (labels in the language of the count)."""
    data = participation(survey)

    def rows(groups: list[GroupRate]) -> list[GroupCount]:
        return [GroupCount(g.key, str(g.label), g.expected, g.voted) for g in groups]

    return ParticipationCounts(
        expected=data["overall"].expected,
        voted=data["overall"].voted,
        regions=rows(data["regions"]),
        provinces=rows(data["provinces"]),
    )


def remindable(survey: Survey) -> list[Invitation]:
    """Active invitations of zones that have not answered, with someone to write to."""
    voted = survey.participations.values_list("zone_id", flat=True)
    pending = InvitationMail.objects.pending().values_list("invitation_id", flat=True)
    return [
        invitation
        for invitation in survey.invitations.active()
        .select_related("zone", "survey")
        .exclude(zone_id__in=voted)
        .exclude(pk__in=pending)
        if invitation.recipient
    ]


def mail_counts(
    survey: Survey, *, rows: list[tuple[Invitation, InvitationMail | None]] | None = None
) -> dict[str, int]:
    """How many invitations have their last e-mail in each status (``rows``: the
    invitations with their last e-mail, when the caller has them already)."""
    if rows is None:
        rows = [(i, i.latest_mail()) for i in survey.invitations.prefetch_related("mails")]
    counts = {status: 0 for status in MailStatus.values}
    for _invitation, last in rows:
        if last is not None:
            counts[last.status] += 1
    return counts


def ballot_counts(survey: Survey) -> dict[str, int]:
    rows = survey.ballots.order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
