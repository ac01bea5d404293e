from django.core.management.base import BaseCommand, CommandError

from memorandum.assembly.demo import load_demo
from memorandum.catalogue.models import Edition


class Command(BaseCommand):
    help = (
        "Add the General Assembly meetings of 13 June and 11 July 2023 (real dates) to the 2024-2028 demo edition, "
        "with synthetic attendance and votes adopting its twelve recommendations and commitments. "
        "Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Seed for the synthetic attendance and votes (default 1).",
        )
        parser.add_argument(
            "--edition", default="2024-2028", help="Slug of the edition (default 2024-2028)."
        )

    def handle(self, *args, seed: int, edition: str, **options):
        target = Edition.objects.filter(slug=edition).first()
        if target is None:
            raise CommandError(f"No edition '{edition}': run load_demo first.")
        created = load_demo(target, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"General Assembly: {created} new meetings (synthetic attendance and votes)."
            )
        )
