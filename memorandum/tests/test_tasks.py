"""The worker set-up: jobs queued after commit run in the worker, not in the request."""

from django.core import mail
from django.db import transaction
from django.test import TestCase
from django_tasks import task

from memorandum.lib.tasks import enqueue_many_on_commit, enqueue_on_commit
from memorandum.test import run_queued_tasks


@task()
def send_test_mail(subject: str) -> str:
    mail.send_mail(subject, "body", None, ["someone@example.invalid"])
    return subject


class WorkerTestCase(TestCase):
    def test_a_job_queued_in_a_transaction_waits_for_the_commit_and_runs_in_the_worker(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with transaction.atomic():
                enqueue_on_commit(send_test_mail, "hello")
                self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(len(mail.outbox), 0, "nothing is sent before the worker runs")
        self.assertEqual(run_queued_tasks(), 1)
        self.assertEqual([m.subject for m in mail.outbox], ["hello"])

    def test_a_job_of_a_rolled_back_transaction_is_never_queued(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    enqueue_on_commit(send_test_mail, "lost")
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual(callbacks, [])
        self.assertEqual(run_queued_tasks(), 0)

    def test_many_jobs_are_queued_together_after_the_commit(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with transaction.atomic():
                enqueue_many_on_commit(send_test_mail, [("one",), ("two",), ("three",)])
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(run_queued_tasks(), 3)
        self.assertEqual(sorted(m.subject for m in mail.outbox), ["one", "three", "two"])
