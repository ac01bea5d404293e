from django.core.management.base import BaseCommand, CommandError

from memorandum.catalogue.models import Edition
from memorandum.roadmap.demo import build_demo_roadmap


class Command(BaseCommand):
    help = (
        "Create a realistic synthetic follow-up roadmap for the 2024-2028 demo edition: initiatives (labelled "
        "synthetic) for most but not all recommendations, milestones (some overdue), indicators with measurements, "
        "updates by the demo accounts. Running it again updates instead of duplicating."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed for the random parts (default 1)."
        )
        parser.add_argument(
            "--edition", default="2024-2028", help="Slug of the edition (default 2024-2028)."
        )

    def handle(self, *args, seed: int, edition: str, **options):
        try:
            target = Edition.objects.get(slug=edition)
        except Edition.DoesNotExist as error:
            raise CommandError(f"No edition {edition!r}; run load_demo first.") from error
        count = build_demo_roadmap(target, seed)
        self.stdout.write(
            self.style.SUCCESS(f"Synthetic roadmap for {target.slug}: {count} initiatives.")
        )
