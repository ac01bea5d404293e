from django.core.management.base import BaseCommand
from django.utils import timezone

from memorandum.impact import services
from memorandum.impact.models import EstimateRound, RoundStatus


class Command(BaseCommand):
    help = (
        "Close every open estimate round whose deadline has passed and queue its count for the "
        "worker (run it every few minutes from cron, like close_due_surveys). Estimates are "
        "already refused after the deadline; this only makes the report appear without waiting "
        "for the secretariat to click 'Close and count'."
    )

    def handle(self, *args, **options):
        due = list(
            EstimateRound.objects.filter(status=RoundStatus.OPEN, closes_at__lte=timezone.now())
        )
        for round_ in due:
            services.round_close(round=round_)
            self.stdout.write(f"Closed “{round_}”; its count is queued for the worker.")
        if not due:
            self.stdout.write("No round to close.")
