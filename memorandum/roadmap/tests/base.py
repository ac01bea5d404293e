"""Shared set-up for the roadmap tests: two initiatives with different owners and visibility."""

import datetime as dt
import tempfile
from decimal import Decimal

from django.test import override_settings

from memorandum.catalogue.models import Recommendation
from memorandum.roadmap.models import Indicator, Initiative, InitiativeLink, Milestone
from memorandum.roadmap.services import initiative_record_update
from memorandum.test import BaseTestCase


@override_settings(ROADMAP_ATTACHMENTS_ROOT=tempfile.mkdtemp(prefix="roadmap-test-attachments-"))
class RoadmapTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.r1 = Recommendation.objects.get(edition=cls.edition, kind="recommendation", number=1)
        cls.r2 = Recommendation.objects.get(edition=cls.edition, kind="recommendation", number=2)
        cls.public_initiative = Initiative.objects.create(
            edition=cls.edition,
            title_nl="Nieuwe financieringswet",
            title_fr="Nouvelle loi de financement",
            lead_organisation="VCLP",
            start_date=dt.date(2024, 3, 1),
            end_date=dt.date(2027, 12, 31),
            status="ongoing",
            progress=30,
            is_public=True,
        )
        cls.public_initiative.owners.add(cls.chief)
        InitiativeLink.objects.create(initiative=cls.public_initiative, recommendation=cls.r1)
        cls.private_initiative = Initiative.objects.create(
            edition=cls.edition,
            title_nl="Interne pilot i-Police",
            lead_organisation="Federale Politie",
            start_date=dt.date(2024, 6, 1),
            status="planned",
            progress=0,
            is_public=False,
        )
        cls.private_initiative.owners.add(cls.other_chief)
        InitiativeLink.objects.create(
            initiative=cls.private_initiative, recommendation=cls.r2, action_lines=[2]
        )
        cls.milestone = Milestone.objects.create(
            initiative=cls.public_initiative,
            title_nl="Ontwerp klaar",
            due_date=dt.date(2025, 1, 31),
        )
        cls.indicator = Indicator.objects.create(
            initiative=cls.public_initiative,
            name_nl="Zones met nieuwe dotatie",
            unit="zones",
            baseline=Decimal(0),
            target=Decimal(185),
            direction="up",
        )

    def record(self, initiative, user, **kwargs):
        return initiative_record_update(
            initiative=initiative, author=user, text=kwargs.pop("text", "Vooruitgang"), **kwargs
        )
