"""The consultation demo: real events, synthetic proposals, idempotent."""

from io import StringIO

from django.core.management import call_command

from memorandum.consultation.models import ConsultationEvent, Merge, Proposal
from memorandum.test import BaseTestCase


class DemoTestCase(BaseTestCase):
    def test_the_demo_adds_real_events_and_labelled_proposals_once(self):
        call_command("demo_consultation", seed=3, stdout=StringIO())
        self.assertEqual(
            [e.date.isoformat() for e in ConsultationEvent.objects.filter(edition=self.edition)],
            ["2022-10-01", "2023-03-01", "2023-04-01"],
        )
        count = Proposal.objects.count()
        self.assertGreater(count, 40)
        self.assertFalse(Proposal.objects.filter(is_synthetic=False).exists())
        self.assertEqual(Merge.objects.count(), 12)
        self.assertTrue(Proposal.objects.filter(status="new").exists())
        self.assertTrue(set(Proposal.objects.values_list("language", flat=True)) == {"nl", "fr"})
        call_command("demo_consultation", seed=3, stdout=StringIO())
        self.assertEqual(Proposal.objects.count(), count)
        self.assertEqual(ConsultationEvent.objects.count(), 3)
