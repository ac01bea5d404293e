from memorandum.catalogue.management.base import DemoCommand
from memorandum.consultation.demo import load_demo


class Command(DemoCommand):
    help = (
        "Add the consultation of the 2024-2028 demo edition: the three real consultation events "
        "(October 2022, March 2023, April 2023) and synthetic proposals from synthetic zones, "
        "about two thirds merged into the twelve recommendations. Running it again adds nothing."
    )

    seed_help = "Seed for the synthetic proposals (default 1)."
    takes_edition = True

    def handle(self, *args, seed: int, edition: str, **options):
        counts = load_demo(self.demo_edition(edition), seed=seed)
        self.success(
            f"Consultation: {counts['events']} events, {counts['proposals']} new synthetic "
            f"proposals, {counts['merges']} merges."
        )
