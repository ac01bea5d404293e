from django.core.management.base import BaseCommand

from memorandum.roadmap.reminders import digest_message, digests


class Command(BaseCommand):
    help = (
        "E-mail each owner of follow-up initiatives one digest (in their preferred language) of overdue "
        "milestones and of open initiatives without an update for --days days. Schedule it, e.g. weekly with cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=60,
            help="An initiative needs an update after this many days (default 60).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get what; send nothing."
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        sent = 0
        for digest in digests(days):
            if dry_run:
                self.stdout.write(
                    f"{digest.user.email}: {len(digest.overdue)} overdue milestones, {len(digest.stale)} initiatives to update"
                )
                continue
            digest_message(digest, days).send()
            sent += 1
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Sent {sent} digests."))
