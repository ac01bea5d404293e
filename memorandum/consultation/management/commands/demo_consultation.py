from django.core.management.base import BaseCommand, CommandError

from memorandum.catalogue.models import Edition
from memorandum.consultation.demo import load_demo


class Command(BaseCommand):
    help = (
        "Add the consultation of the 2024-2028 demo edition: the three real consultation events "
        "(October 2022, March 2023, April 2023) and synthetic proposals from synthetic zones, "
        "about two thirds merged into the twelve recommendations. Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed for the synthetic proposals (default 1)."
        )
        parser.add_argument(
            "--edition", default="2024-2028", help="Slug of the edition (default 2024-2028)."
        )

    def handle(self, *args, seed: int, edition: str, **options):
        target = Edition.objects.filter(slug=edition).first()
        if target is None:
            raise CommandError(f"No edition '{edition}': run load_demo first.")
        counts = load_demo(target, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Consultation: {counts['events']} events, {counts['proposals']} new synthetic proposals, {counts['merges']} merges."
            )
        )
