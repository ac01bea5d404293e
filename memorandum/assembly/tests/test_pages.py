"""Every page of the two apps renders with the demo data, for each role that may see it."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from memorandum.assembly.models import Meeting
from memorandum.consultation.models import Proposal
from memorandum.survey.tests.helpers import through_the_worker
from memorandum.test import BaseTestCase


class PagesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("demo_consultation", seed=1, stdout=StringIO())
        call_command("demo_assembly", seed=1, stdout=StringIO())

    def test_the_secretariat_opens_every_page_in_each_language(self):
        self.login(self.secretariat)
        slug = self.edition.slug
        meeting = Meeting.objects.filter(published=False).first()
        decision = meeting.pending_decisions().get()
        proposal = Proposal.objects.first()
        names = [
            ("consultation:proposals", []),
            ("consultation:proposal_new", []),
            ("consultation:import", []),
            ("consultation:duplicates", []),
            ("consultation:merges", []),
            ("consultation:events", []),
            ("consultation:event_new", []),
            ("consultation:proposal", [proposal.pk]),
            ("consultation:provenance", ["R1"]),
            ("assembly:meetings", []),
            ("assembly:meeting_new", []),
            ("assembly:adopted", []),
            ("assembly:meeting", [meeting.pk]),
            ("assembly:meeting_edit", [meeting.pk]),
            ("assembly:agenda_item_new", [meeting.pk]),
            ("assembly:publish", [meeting.pk]),
            ("assembly:recommendation", ["R1"]),
            ("assembly:meeting_delete", [meeting.pk]),
            ("assembly:decision_correct", [meeting.pk, decision.item_id, decision.pk]),
        ]
        for lang in ("nl", "fr", "en"):
            for name, args in names:
                url = f"/{lang}" + reverse(name, args=[slug, *args])[3:]
                self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_the_duplicate_finder_pairs_the_near_duplicates_of_the_demo(self):
        self.login(self.secretariat)
        url = reverse("consultation:duplicates", args=[self.edition.slug])
        through_the_worker(self, self.client.get, url)  # the worker computes the pairs
        response = self.client.get(url)
        self.assertGreater(len(response.context["pairs"]), 0)
        self.assertTrue(
            all(
                pair.match.score >= response.context["threshold"]
                for pair in response.context["pairs"]
            )
        )

    def test_the_public_reads_the_published_demo_minutes(self):
        meeting = Meeting.objects.first()
        response = self.client.get(
            reverse("assembly:meeting", args=[self.edition.slug, meeting.pk])
        )
        self.assertContains(response, "synthetische aanwezigheden en stemmingen")
        self.assertEqual(
            self.client.get(
                reverse("assembly:minutes", args=[self.edition.slug, meeting.pk, "fr", "docx"])
            ).status_code,
            200,
        )
