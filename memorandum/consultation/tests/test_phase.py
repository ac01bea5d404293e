"""Proposals are submitted during the consultation only, by the form and by import."""

from django.urls import reverse

from memorandum.catalogue.models import Phase
from memorandum.consultation.importer import import_proposals
from memorandum.consultation.models import Proposal
from memorandum.test import BaseTestCase, InEnglish


class ProposalPhaseTestCase(InEnglish, BaseTestCase):
    def data(self):
        return {
            "language": "nl",
            "domain": self.edition.domains.get(number=2).pk,
            "title": "Meer wijkagenten",
            "text": "Versterk de wijkwerking.",
        }

    def test_outside_the_consultation_the_form_says_why_and_saves_nothing(self):
        self.login(self.chief)
        url = reverse("consultation:proposal_new", args=[self.edition.slug])
        self.assertContains(self.client.get(url), "only be submitted during the consultation")
        response = self.client.post(url, self.data())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "in the phase “Follow-up”")
        self.assertFalse(Proposal.objects.filter(title="Meer wijkagenten").exists())

    def test_during_the_consultation_the_form_registers_the_proposal(self):
        self.set_phase(Phase.CONSULTATION)
        self.login(self.chief)
        url = reverse("consultation:proposal_new", args=[self.edition.slug])
        self.assertNotContains(self.client.get(url), "only be submitted during")
        self.client.post(url, self.data())
        self.assertTrue(Proposal.objects.filter(title="Meer wijkagenten").exists())

    def test_an_import_outside_the_consultation_is_refused_before_reading_the_file(self):
        result = import_proposals(self.edition, b"not even a workbook", by=self.secretariat)
        self.assertEqual(len(result.problems), 1)
        self.assertIn("only be submitted during the consultation", result.problems[0].message)
