"""The duplicates page at scale: a fixed number of queries, however many proposals."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from memorandum.consultation.tests.helpers import make_proposal
from memorandum.test import BaseTestCase, InEnglish


class DuplicatesPageTestCase(InEnglish, BaseTestCase):
    def queries_for_the_page(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"/en/editions/{self.edition.slug}/proposals/duplicates/")
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def add(self, count: int) -> None:
        for n in range(count):
            zone = self.zones[n % len(self.zones)]
            make_proposal(self.edition, zone, title=f"Herfinanciering van de politie {n}")
            make_proposal(
                self.edition,
                zone,
                language="fr",
                title=f"Refinancement de la police locale {n}",
                text="La dotation fédérale doit couvrir les missions des zones.",
            )

    def test_the_number_of_queries_does_not_grow_with_the_proposals(self):
        self.login(self.secretariat)
        self.add(3)
        few = self.queries_for_the_page()
        self.add(12)
        response = self.client.get(f"/en/editions/{self.edition.slug}/proposals/duplicates/")
        self.assertContains(response, "Refinancement de la police locale")
        self.assertEqual(self.queries_for_the_page(), few)
