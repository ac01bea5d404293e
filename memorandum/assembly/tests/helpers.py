"""Small builders shared by the assembly tests."""

import datetime as dt
from zoneinfo import ZoneInfo

from memorandum.assembly.models import AgendaItem, Meeting
from memorandum.catalogue.models import Recommendation

BRUSSELS = ZoneInfo("Europe/Brussels")


def make_meeting(edition, zones, *, present: int = 6, eligible: int = 10, **fields) -> Meeting:
    defaults = {
        "starts_at": dt.datetime(2023, 6, 13, 14, 0, tzinfo=BRUSSELS),
        "place": "Brussel",
        "eligible_members": eligible,
        "quorum_kind": "fraction",
        "quorum_value": "0.5",
        "majority_rule": "simple",
    }
    meeting = Meeting.objects.create(edition=edition, **{**defaults, **fields})
    meeting.zones_present.set(zones[:present])
    return meeting


def item_for(meeting, code: str = "R1", order: int = 1) -> AgendaItem:
    kind = "recommendation" if code[0] == "R" else "commitment"
    rec = Recommendation.objects.get(edition=meeting.edition, kind=kind, number=int(code[1:]))
    return AgendaItem.objects.create(meeting=meeting, order=order, recommendation=rec)
