"""Close and count: the request closes, the worker counts, the page follows."""

from unittest import mock

from memorandum.survey import casting
from memorandum.survey.models import CountStatus, SurveyStatus, Tally, TallyRun
from memorandum.survey.tests.helpers import make_survey, ranking
from memorandum.test import BaseTestCase, run_queued_tasks


class CountInTheWorkerTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)
        for zone, first in zip(self.zones[:3], ["R3", "R3", "R1"], strict=True):
            casting.ballot_save(
                survey=self.survey, zone=zone, payload=ranking([first]), submit=True
            )
        self.base = f"/en/editions/2024-2028/surveys/{self.survey.pk}"
        self.login(self.secretariat)

    def close(self):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"{self.base}/do/close/", follow=True)

    def test_closing_returns_at_once_and_the_page_shows_the_count_in_progress(self):
        response = self.close()
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, SurveyStatus.CLOSED)
        self.assertFalse(Tally.objects.exists(), "nothing is counted in the request")
        self.assertContains(response, "The ballots are being counted")
        self.assertContains(response, 'data-count-status="queued"')
        self.assertContains(response, 'hx-trigger="every 2s"')
        fragment = self.client.get(f"{self.base}/count/", headers={"HX-Request": "true"})
        self.assertEqual(fragment.status_code, 200)  # keep polling
        self.assertContains(fragment, "<progress")

    def test_the_worker_counts_and_the_polling_stops_with_a_link_to_the_results(self):
        self.close()
        self.assertEqual(run_queued_tasks(), 1)
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, SurveyStatus.TALLIED)
        run = TallyRun.objects.get()
        self.assertEqual((run.status, run.progress), (CountStatus.DONE, 100))
        self.assertEqual(run.tally.ballot_count, 3)
        fragment = self.client.get(f"{self.base}/count/", headers={"HX-Request": "true"})
        self.assertEqual(fragment.status_code, 286)  # htmx: stop polling
        self.assertContains(fragment, f"{self.base}/results/", status_code=286)
        self.assertEqual(self.client.get(f"{self.base}/results/").status_code, 200)

    def test_a_failed_count_shows_its_reason_and_can_be_started_again(self):
        self.close()
        with mock.patch(
            "memorandum.survey.services.tally_bridge.compute",
            side_effect=MemoryError("out of memory in the bootstrap"),
        ):
            run_queued_tasks()
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, SurveyStatus.CLOSED)
        page = self.client.get(f"{self.base}/")
        self.assertContains(page, "The count failed")
        self.assertContains(page, "out of memory in the bootstrap")
        self.assertContains(page, "Count again")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"{self.base}/do/count/")
        run_queued_tasks()
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, SurveyStatus.TALLIED)
        self.assertEqual(
            list(TallyRun.objects.order_by("id").values_list("status", flat=True)),
            [CountStatus.FAILED, CountStatus.DONE],
        )

    def test_a_count_job_run_twice_counts_once(self):
        self.close()
        run = TallyRun.objects.get()
        from memorandum.survey.counting import count_run

        self.assertEqual(count_run(run.pk), "counted")
        self.assertEqual(count_run(run.pk, takeover=True), "nothing to do")
        self.assertEqual(Tally.objects.count(), 1)

    def test_an_open_survey_cannot_be_counted_again(self):
        response = self.client.post(f"{self.base}/do/count/", follow=True)
        self.assertContains(response, "Only a closed survey")
        self.assertFalse(TallyRun.objects.exists())
