from django.core.management.base import BaseCommand, CommandError

from memorandum.catalogue.management.base import add_zones_argument
from memorandum.catalogue.synthetic import generate_edition, generate_zones


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic data at full scale, labelled synthetic: police zones spread over the ten "
        "provinces and the Brussels-Capital Region with realistic sizes, and an edition with 10 work domains, "
        "the given number of themes and recommendations. The same seed gives the same data."
    )

    def add_arguments(self, parser):
        add_zones_argument(parser)
        parser.add_argument("--themes", type=int, default=21, help="Number of themes (default 21).")
        parser.add_argument(
            "--recommendations",
            type=int,
            default=219,
            help="Number of recommendations (default 219).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--slug", default=None, help="Slug of the edition (default synthetic-SEED)."
        )

    def handle(self, *args, zones, themes, recommendations, seed, slug, **options):
        for name, value in (("--zones", zones), ("--recommendations", recommendations)):
            if value < 1:
                raise CommandError(f"{name} must be at least 1.")
        if themes < 0:
            raise CommandError("--themes cannot be negative.")
        zone_list = generate_zones(zones, seed)
        edition = generate_edition(
            themes=themes, recommendations=recommendations, seed=seed, slug=slug
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(zone_list)} synthetic zones; synthetic edition “{edition.slug}” with "
                f"{edition.domains.count()} domains and {edition.recommendations.count()} recommendations."
            )
        )
