"""The assembly demo: two meetings on the real dates adopting the twelve items, once."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from memorandum.assembly.models import Decision, Meeting
from memorandum.assembly.services import adopted_catalogue
from memorandum.test import BaseTestCase


class DemoTestCase(BaseTestCase):
    def test_the_demo_adopts_the_twelve_items_in_two_synthetic_meetings_once(self):
        call_command("demo_assembly", seed=2, stdout=StringIO())
        meetings = list(Meeting.objects.filter(edition=self.edition))
        self.assertEqual(
            [timezone.localtime(m.starts_at).date().isoformat() for m in meetings],
            ["2023-06-13", "2023-07-11"],
        )
        self.assertTrue(all(m.is_synthetic and m.has_quorum() for m in meetings))
        self.assertEqual(Decision.objects.filter(carried=True, kind="adopt").count(), 12)
        self.assertEqual(len(adopted_catalogue(self.edition)), 12)
        call_command("demo_assembly", seed=2, stdout=StringIO())
        self.assertEqual(Meeting.objects.count(), 2)
        self.assertEqual(Decision.objects.count(), 12)
