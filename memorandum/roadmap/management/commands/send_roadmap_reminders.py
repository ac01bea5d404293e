from django.core.management.base import BaseCommand
from django.db import transaction

from memorandum.roadmap.models import today
from memorandum.roadmap.reminders import digests
from memorandum.roadmap.tasks import send_roadmap_digest


class Command(BaseCommand):
    help = (
        "Queue for the worker one e-mail digest per owner of follow-up initiatives (in their preferred "
        "language) of overdue milestones and of open initiatives without an update for --days days. Schedule "
        "it, e.g. weekly with cron; the worker (db_worker or rqworker) sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=60,
            help="An initiative needs an update after this many days (default 60).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get what; queue nothing."
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        on = today()
        found = digests(days, on)
        if dry_run:
            for digest in found:
                self.stdout.write(
                    f"{digest.user.email}: {len(digest.overdue)} overdue milestones, {len(digest.stale)} initiatives to update"
                )
            return
        with transaction.atomic():  # one commit for every job row of the database queue
            for digest in found:
                send_roadmap_digest.enqueue(digest.user.pk, days, on.isoformat())
        self.stdout.write(self.style.SUCCESS(f"Queued {len(found)} digests for the worker."))
