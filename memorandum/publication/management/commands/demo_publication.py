from django.utils import timezone

from memorandum.catalogue.management.base import DemoCommand
from memorandum.catalogue.models import TimelineKind
from memorandum.publication.demo import apply_demo_content
from memorandum.publication.models import PublicationVersion
from memorandum.publication.services import publishable_surveys, version_publish, version_render


class Command(DemoCommand):
    help = (
        "Demo publication: first writes the publication's own demo content onto the 2024-2028 "
        "edition (the chair's foreword as published, French contexts and reference titles, "
        "honorifics, the approximate survey window, a colophon naming the synthetic parts), then publishes version 1 of the 2024-2028 memorandum, with the result of the "
        "counted survey held in the edition's survey window (the one the memorandum describes), and "
        "renders its PDF, Word and HTML files at once, so that the public memorandum page works right "
        "after load_demo. Does nothing when the edition already has a published version. load_demo runs "
        "it after every other demo command."
    )

    seed_help = "Unused; accepted like every demo_* command."

    def handle(self, *args, **options):
        edition = self.demo_edition()
        changed = apply_demo_content(edition)
        self.stdout.write(f"Publication demo content: rows updated: {changed}.")
        existing = PublicationVersion.objects.for_edition(edition).order_by("-number").first()
        if existing is not None:
            self.stdout.write(
                f"Version {existing.number} of the memorandum is already published. Nothing done."
            )
            return
        survey = self._memorandum_survey(edition)
        version = version_publish(edition=edition, survey=survey)
        written = version_render(version)
        self.success(
            f"Published version {version.number} of the memorandum "
            f"({'with the survey “' + str(survey.title) + '”' if survey else 'without a survey result'}); "
            f"{written} files rendered."
        )

    def _memorandum_survey(self, edition):
        """The counted survey that opened on the date of the timeline's survey event, if any."""
        window = edition.timeline.filter(kind=TimelineKind.SURVEY).order_by("date").first()
        if window is None:
            return None
        for survey in publishable_surveys(edition):
            if timezone.localtime(survey.opens_at).date() == window.date:
                return survey
        return None
