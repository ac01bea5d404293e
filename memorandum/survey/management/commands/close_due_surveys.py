from django.core.management.base import BaseCommand
from django.utils import timezone

from memorandum.survey import services
from memorandum.survey.models import Survey, SurveyStatus


class Command(BaseCommand):
    help = (
        "Close every open survey whose closing time has passed and queue its count for the worker (run it every "
        "few minutes from cron). Ballots are already refused after the closing time; this only makes the results "
        "appear without waiting for the secretariat to click 'Close and count now'."
    )

    def handle(self, *args, **options):
        due = Survey.objects.filter(status=SurveyStatus.OPEN, closes_at__lte=timezone.now())
        for survey in due:
            services.survey_close_and_count(survey=survey)
            self.stdout.write(f"Closed “{survey.title}”; its count is queued for the worker.")
        if not due:
            self.stdout.write("No survey to close.")
