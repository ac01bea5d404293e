"""Imports too big to check in a request: the worker checks and applies them, the page
follows its progress and ends with the same counts or problems."""

import io
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from memorandum.audit.models import AuditEntry
from memorandum.catalogue.exchange import catalogue_tables, export_csv, export_xlsx
from memorandum.catalogue.models import Recommendation
from memorandum.imports.models import ImportJob
from memorandum.lib.importing import declared_rows, needs_worker
from memorandum.test import BaseTestCase, run_queued_tasks


@override_settings(IMPORT_IN_REQUEST_ROWS=10)
class BackgroundImportTestCase(BaseTestCase):
    def upload(self, name: str, content: bytes, user=None):
        self.login(user or self.secretariat)
        url = reverse("catalogue:import", args=[self.edition.slug])
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"file": SimpleUploadedFile(name, content)})

    def changed_export(self) -> bytes:
        return export_csv(self.edition).replace(
            b"door de politie te herfinancieren", b"door de politie opnieuw te financieren"
        )

    def test_a_big_file_is_imported_by_the_worker_and_the_page_shows_the_counts(self):
        before = catalogue_tables(self.edition)
        response = self.upload("big.csv", self.changed_export())
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("imports:job", args=[job.pk]))
        self.assertEqual(catalogue_tables(self.edition), before, "nothing before the worker")
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, 'hx-trigger="every 2s"')
        self.assertContains(page, "Wachten op de verwerking")
        self.assertEqual(run_queued_tasks(), 1)
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertNotContains(page, "hx-trigger")
        self.assertContains(page, "<td>aanbevelingen</td><td>0</td><td>1</td>", html=False)
        self.assertIn(
            "opnieuw te financieren",
            Recommendation.objects.get(
                edition=self.edition, kind="recommendation", number=1
            ).actions_nl,
        )
        job.refresh_from_db()
        self.assertEqual((job.status, bytes(job.content)), ("done", b""))
        entry = AuditEntry.objects.filter(action="data.imported").latest("pk")
        self.assertEqual(entry.details["updated"], {"recommendations": 1})

    def test_htmx_stops_polling_when_the_import_is_over(self):
        self.upload("big.csv", self.changed_export())
        url = reverse("imports:job", args=[ImportJob.objects.get().pk])
        self.assertEqual(self.client.get(url, headers={"HX-Request": "true"}).status_code, 200)
        run_queued_tasks()
        self.assertEqual(self.client.get(url, headers={"HX-Request": "true"}).status_code, 286)

    def test_a_big_bad_file_shows_its_problems_and_changes_nothing(self):
        before = catalogue_tables(self.edition)
        content = self.changed_export().replace(b"recommendation;1;3", b"recommendation;1;42")
        self.upload("big.csv", content)
        run_queued_tasks()
        job = ImportJob.objects.get()
        self.assertEqual(job.status, "refused")
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, 'role="alert"')
        self.assertContains(page, "42")
        self.assertEqual(catalogue_tables(self.edition), before)

    def test_a_write_that_fails_in_the_worker_changes_nothing_and_says_so(self):
        before = catalogue_tables(self.edition)
        self.upload("big.csv", self.changed_export())
        with mock.patch.object(Recommendation, "save", side_effect=RuntimeError("disk full")):
            run_queued_tasks()
        job = ImportJob.objects.get()
        self.assertEqual(job.status, "failed")
        page = self.client.get(reverse("imports:job", args=[job.pk]))
        self.assertContains(page, "niets geïmporteerd")
        self.assertEqual(catalogue_tables(self.edition), before)

    def test_only_the_uploader_sees_the_job(self):
        self.upload("big.csv", self.changed_export())
        url = reverse("imports:job", args=[ImportJob.objects.get().pk])
        self.login(self.chief)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_small_file_is_still_imported_in_the_request(self):
        content = b"kind;number;domain;title_nl\r\ncommitment;6;2;Nieuw engagement\r\n"
        response = self.upload("small.csv", content)
        self.assertRedirects(
            response,
            reverse("catalogue:catalogue", args=[self.edition.slug]),
            fetch_redirect_response=False,
        )
        self.assertFalse(ImportJob.objects.exists())

    def test_the_follow_up_form_and_proposals_go_to_the_worker_too(self):
        self.login(self.secretariat)
        for name in ("roadmap:import", "consultation:import"):
            url = reverse(name, args=[self.edition.slug])
            with (
                override_settings(IMPORT_IN_REQUEST_BYTES=100),
                self.captureOnCommitCallbacks(execute=True),
            ):
                response = self.client.post(
                    url, {"file": SimpleUploadedFile("f.xlsx", export_xlsx(self.edition))}
                )
            job = ImportJob.objects.latest("pk")
            self.assertRedirects(response, reverse("imports:job", args=[job.pk]))
        run_queued_tasks()
        # the catalogue workbook is neither a follow-up form nor a proposals sheet
        self.assertEqual(
            set(ImportJob.objects.values_list("kind", "status")),
            {("follow_up", "refused"), ("proposals", "refused")},
        )


class ThresholdTestCase(BaseTestCase):
    def test_rows_are_counted_from_what_the_file_declares(self):
        self.assertEqual(declared_rows("c.csv", b"a\n1\n2\n"), 3)
        self.assertGreater(declared_rows("c.xlsx", export_xlsx(self.edition)), 12)
        self.assertEqual(declared_rows("c.xlsx", b"not a zip"), 0)

    @override_settings(IMPORT_IN_REQUEST_ROWS=10)
    def test_files_every_import_refuses_stay_in_the_request(self):
        self.assertTrue(needs_worker("c.xlsx", export_xlsx(self.edition)))
        self.assertFalse(needs_worker("c.xlsx", b"not a zip"))
        self.assertFalse(needs_worker("c.csv", b"a\n" * 6000))


class RecoveryTestCase(BaseTestCase):
    def test_an_import_the_queue_lost_is_queued_again_and_runs_once(self):
        from django.core.management import call_command

        self.login(self.secretariat)
        with override_settings(IMPORT_IN_REQUEST_ROWS=10):
            # no captureOnCommitCallbacks: the job is stored but never reaches the queue
            self.client.post(
                reverse("catalogue:import", args=[self.edition.slug]),
                {"file": SimpleUploadedFile("big.csv", export_csv(self.edition))},
            )
        out = io.StringIO()
        call_command("recover_jobs", minutes=0, stdout=out)
        self.assertIn("1 imports", out.getvalue())
        call_command("recover_jobs", minutes=0, stdout=io.StringIO())
        self.assertEqual(run_queued_tasks(), 2)
        self.assertEqual(ImportJob.objects.get().status, "done")
