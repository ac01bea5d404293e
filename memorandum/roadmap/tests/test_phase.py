"""The roadmap is followed up during the edition's follow-up only."""

from django.urls import reverse

from memorandum.catalogue.models import Phase
from memorandum.catalogue.phases import PhaseRefused
from memorandum.roadmap.exchange import import_xlsx
from memorandum.roadmap.services import initiative_record_update
from memorandum.roadmap.tests.base import RoadmapTestCase
from memorandum.test import InEnglish


class FollowUpPhaseTestCase(InEnglish, RoadmapTestCase):
    def setUp(self):
        super().setUp()
        self.set_phase(Phase.PUBLISHED)

    def test_no_progress_update_before_the_follow_up(self):
        before = self.public_initiative.updates.count()
        with self.assertRaises(PhaseRefused) as caught:
            initiative_record_update(
                initiative=self.public_initiative, author=self.secretariat, text="Started."
            )
        self.assertIn("only be followed up during the follow-up", caught.exception.message)
        self.login(self.secretariat)
        url = reverse("roadmap:record_update", args=[self.edition.slug, self.public_initiative.pk])
        response = self.client.post(url, {"text": "Started.", "date": "2026-01-05"})
        self.assertContains(response, "in the phase “Published”")
        self.assertEqual(self.public_initiative.updates.count(), before)

    def test_a_follow_up_import_before_the_follow_up_is_refused(self):
        result = import_xlsx(self.edition, b"not read", self.secretariat)
        self.assertEqual(len(result.problems), 1)
        self.assertIn("only be followed up during the follow-up", result.problems[0].message)
