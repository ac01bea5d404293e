"""The duplicates page at scale: computed by the worker, then a fixed number of queries,
however many proposals."""

from datetime import timedelta
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from memorandum.consultation import duplicates
from memorandum.consultation.models import DuplicateScan
from memorandum.consultation.tests.helpers import make_proposal
from memorandum.survey.tests.helpers import through_the_worker
from memorandum.test import BaseTestCase, InEnglish, run_queued_tasks


class DuplicatesPageTestCase(InEnglish, BaseTestCase):
    def url(self) -> str:
        return f"/en/editions/{self.edition.slug}/proposals/duplicates/"

    def ready_page(self):
        """The page once the worker has computed the scan of the current texts."""
        through_the_worker(self, self.client.get, self.url())
        return self.client.get(self.url())

    def queries_for_the_page(self) -> int:
        self.ready_page()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url())
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
        self.assertContains(self.ready_page(), "Refinancement de la police locale")
        self.assertEqual(self.queries_for_the_page(), few)

    def test_the_first_view_says_the_pairs_are_being_computed_and_polls(self):
        self.login(self.secretariat)
        self.add(2)
        with self.captureOnCommitCallbacks(execute=True):
            page = self.client.get(self.url())
        self.assertContains(page, "being computed in the background")
        self.assertContains(page, 'hx-trigger="every 2s"')
        self.assertNotContains(page, "Herfinanciering van de politie 1")
        poll = self.client.get(self.url(), headers={"HX-Request": "true"})
        self.assertEqual(poll.status_code, 200)
        self.assertEqual(run_queued_tasks(), 1)
        poll = self.client.get(self.url(), headers={"HX-Request": "true"})
        self.assertEqual(poll.status_code, 286)  # htmx stops polling
        self.assertContains(poll, "Herfinanciering van de politie 1", status_code=286)
        self.assertNotContains(self.client.get(self.url()), 'hx-trigger="every 2s"')

    def test_an_unchanged_set_of_texts_is_computed_once(self):
        self.login(self.secretariat)
        self.add(2)
        self.ready_page()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.get(self.url())
        self.assertEqual(run_queued_tasks(), 0)
        self.assertEqual(DuplicateScan.objects.count(), 1)

    def test_a_new_proposal_gives_a_new_computation_and_drops_the_old_one(self):
        self.login(self.secretariat)
        self.add(2)
        self.ready_page()
        make_proposal(self.edition, self.zones[0], title="Herfinanciering van de politie 99")
        self.assertContains(through_the_worker(self, self.client.get, self.url()), "being computed")
        self.assertContains(self.client.get(self.url()), "Herfinanciering van de politie 99")
        self.assertEqual(DuplicateScan.objects.count(), 1)

    def test_a_scan_whose_job_was_lost_is_queued_again(self):
        self.login(self.secretariat)
        self.add(1)
        self.client.get(self.url())  # queued on a commit that never comes: the job is lost
        self.assertEqual(run_queued_tasks(), 0)
        DuplicateScan.objects.update(requested_at=timezone.now() - timedelta(minutes=20))
        self.assertContains(self.ready_page(), "Herfinanciering van de politie 0")

    def test_a_scan_whose_texts_changed_before_the_worker_ran_is_dropped_not_computed(self):
        self.login(self.secretariat)
        self.add(2)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.get(self.url())  # asks for the scan of these texts
        asked = DuplicateScan.objects.get()
        make_proposal(self.edition, self.zones[0], title="Herfinanciering van de politie 99")
        with mock.patch.object(
            duplicates, "compute_pairs", wraps=duplicates.compute_pairs
        ) as compute:
            self.assertEqual(run_queued_tasks(), 1)
        compute.assert_not_called()
        self.assertFalse(DuplicateScan.objects.filter(pk=asked.pk).exists())
        # The page asks for the scan of the current texts, and shows their pairs.
        self.assertContains(through_the_worker(self, self.client.get, self.url()), "being computed")
        self.assertContains(self.client.get(self.url()), "Herfinanciering van de politie 99")
        scan = DuplicateScan.objects.get()
        self.assertEqual(scan.texts_key, duplicates.texts_key(self.edition))

    def test_pairs_of_texts_that_changed_while_computing_are_discarded(self):
        self.login(self.secretariat)
        self.add(2)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.get(self.url())
        compute_pairs = duplicates.compute_pairs

        def a_proposal_arrives_meanwhile(edition):
            pairs = compute_pairs(edition)
            make_proposal(edition, self.zones[0], title="Herfinanciering van de politie 99")
            return pairs

        with mock.patch.object(duplicates, "compute_pairs", a_proposal_arrives_meanwhile):
            self.assertEqual(run_queued_tasks(), 1)
        self.assertFalse(DuplicateScan.objects.exists())
        self.assertContains(through_the_worker(self, self.client.get, self.url()), "being computed")
        self.assertContains(self.client.get(self.url()), "Herfinanciering van de politie 99")
