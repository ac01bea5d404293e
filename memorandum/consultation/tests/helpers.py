"""Small builders shared by the consultation tests."""

import datetime

from memorandum.catalogue.models import Recommendation
from memorandum.consultation.models import ConsultationEvent, Proposal


def make_event(edition, **fields) -> ConsultationEvent:
    defaults = {
        "kind": "conference",
        "title": "Conferentie van de korpschefs",
        "date": datetime.date(2022, 10, 14),
        "participants": 120,
    }
    return ConsultationEvent.objects.create(edition=edition, **{**defaults, **fields})


def make_proposal(edition, zone=None, **fields) -> Proposal:
    defaults = {
        "language": "nl",
        "title": "Herfinanciering van de lokale politie",
        "text": "De federale dotatie moet de opdrachten van de zones dekken.",
        "domain": edition.domains.get(number=3),
    }
    return Proposal.objects.create(edition=edition, zone=zone, **{**defaults, **fields})


def recommendation(edition, code: str = "R1") -> Recommendation:
    kind = "recommendation" if code[0] == "R" else "commitment"
    return Recommendation.objects.get(edition=edition, kind=kind, number=int(code[1:]))
