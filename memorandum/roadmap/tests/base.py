"""Shared set-up for the roadmap tests: two initiatives with different owners and visibility."""

import datetime as dt
import tempfile
from decimal import Decimal

from django.test import override_settings

from memorandum.catalogue.models import Recommendation
from memorandum.roadmap.models import Indicator, Initiative, InitiativeLink, Milestone
from memorandum.roadmap.services import initiative_record_update
from memorandum.test import BaseTestCase


def build_initiatives(target, edition, owner, other_owner) -> None:
    """The roadmap every roadmap test starts from, set as attributes of ``target`` (a test
    class or a test): a public initiative of ``owner`` on R1 with a milestone and an indicator,
    and a private one of ``other_owner`` on the second action line of R2."""
    target.r1 = Recommendation.objects.get(edition=edition, kind="recommendation", number=1)
    target.r2 = Recommendation.objects.get(edition=edition, kind="recommendation", number=2)
    target.public_initiative = Initiative.objects.create(
        edition=edition,
        title_nl="Nieuwe financieringswet",
        title_fr="Nouvelle loi de financement",
        lead_organisation="VCLP",
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2027, 12, 31),
        status="ongoing",
        progress=30,
        is_public=True,
    )
    target.public_initiative.owners.add(owner)
    InitiativeLink.objects.create(initiative=target.public_initiative, recommendation=target.r1)
    target.private_initiative = Initiative.objects.create(
        edition=edition,
        title_nl="Interne pilot i-Police",
        lead_organisation="Federale Politie",
        start_date=dt.date(2024, 6, 1),
        status="planned",
        progress=0,
        is_public=False,
    )
    target.private_initiative.owners.add(other_owner)
    InitiativeLink.objects.create(
        initiative=target.private_initiative, recommendation=target.r2, action_lines=[2]
    )
    target.milestone = Milestone.objects.create(
        initiative=target.public_initiative,
        title_nl="Ontwerp klaar",
        due_date=dt.date(2025, 1, 31),
    )
    target.indicator = Indicator.objects.create(
        initiative=target.public_initiative,
        name_nl="Zones met nieuwe dotatie",
        unit="zones",
        baseline=Decimal(0),
        target=Decimal(185),
        direction="up",
    )


class RoadmapTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_initiatives(cls, cls.edition, cls.chief, cls.other_chief)

    def setUp(self) -> None:
        super().setUp()
        # Each test its own empty attachments folder: a file another test stored under the
        # same name would make this one's stored name differ.
        folder = self.enterContext(tempfile.TemporaryDirectory(prefix="roadmap-attachments-"))
        self.enterContext(override_settings(ROADMAP_ATTACHMENTS_ROOT=folder))

    def record(self, initiative, user, **kwargs):
        return initiative_record_update(
            initiative=initiative, author=user, text=kwargs.pop("text", "Vooruitgang"), **kwargs
        )
