"""The assembly demo: two published meetings adopting the twelve items, one pending amendment."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from memorandum.assembly.models import Decision, Meeting
from memorandum.assembly.services import adopted_catalogue
from memorandum.catalogue.models import Recommendation
from memorandum.test import BaseTestCase


class DemoTestCase(BaseTestCase):
    def test_the_demo_adopts_the_twelve_items_in_two_published_meetings_once(self):
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        call_command("demo_assembly", seed=2, stdout=StringIO())
        meetings = list(Meeting.objects.filter(edition=self.edition))
        self.assertEqual(
            [timezone.localtime(m.starts_at).date().isoformat() for m in meetings],
            ["2023-06-13", "2023-07-11", "2025-03-18"],
        )
        self.assertTrue(all(m.is_synthetic and m.has_quorum() for m in meetings))
        self.assertEqual([m.published for m in meetings], [True, True, False])
        self.assertEqual(
            Decision.objects.published().filter(carried=True, kind="adopt").count(), 12
        )
        self.assertEqual(len(adopted_catalogue(self.edition)), 12)
        # The March 2025 amendment of R1 is pending: the catalogue keeps the published text.
        pending = Decision.objects.pending().get()
        self.assertEqual((pending.kind, pending.item.recommendation), ("amend", r1))
        self.assertEqual(Recommendation.objects.get(pk=r1.pk).context_nl, r1.context_nl)
        call_command("demo_assembly", seed=2, stdout=StringIO())
        self.assertEqual(Meeting.objects.count(), 3)
        self.assertEqual(Decision.objects.count(), 13)
