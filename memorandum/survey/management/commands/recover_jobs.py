from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from memorandum.impact import services as impact
from memorandum.impact.mail import OUTBOX as IMPACT_OUTBOX
from memorandum.imports.services import imports_requeue_stuck
from memorandum.publication.services import versions_requeue_unrendered
from memorandum.survey import counting, mail


class Command(BaseCommand):
    help = (
        "Queue again the survey and impact e-mails, counts, publication renderings and imports that a stopped worker left behind: e-mails still waiting, or "
        "left 'sending', and counts still waiting or running, for longer than --minutes. None is done twice: each "
        "job finds what was already done. With the database queue, jobs that were running in a stopped worker "
        "are marked failed (they would show as running forever). Run it when the worker starts (make demo does, "
        "with --minutes 0) and every few minutes from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=settings.SURVEY_MAIL_STUCK_MINUTES,
            help="Only what has waited this long (default SURVEY_MAIL_STUCK_MINUTES, 10). "
            "Use 0 only when no worker is running.",
        )

    def handle(self, *args, minutes: int, **options):
        stale = self._fail_stale_database_jobs(minutes)
        mails = mail.mails_requeue_stuck(minutes=minutes)
        mails += IMPACT_OUTBOX.requeue_stuck(minutes=minutes)
        counts = counting.runs_requeue_stuck(minutes=minutes)
        counts += impact.count_runs_requeue(minutes=minutes)
        renders = versions_requeue_unrendered(minutes=minutes)
        imports = imports_requeue_stuck(minutes=minutes)
        self.stdout.write(
            f"Queued again: {mails} e-mails, {counts} counts, {renders} publication renderings, "
            f"{imports} imports; "
            f"{stale} interrupted jobs marked failed."
        )

    def _fail_stale_database_jobs(self, minutes: int) -> int:
        if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
            return 0
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(
            status="RUNNING", started_at__lte=timezone.now() - timedelta(minutes=minutes)
        ).update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="memorandum.WorkerStopped",
            traceback="The worker stopped while it ran this job; recover_jobs queued its work again.",
        )
