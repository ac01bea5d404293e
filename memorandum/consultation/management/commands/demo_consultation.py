from memorandum.catalogue.management.base import EditionDemoCommand
from memorandum.consultation.demo import load_demo


class Command(EditionDemoCommand):
    help = (
        "Add the consultation of the 2024-2028 demo edition: the three real consultation events "
        "(October 2022, March 2023, April 2023) and synthetic proposals from synthetic zones, "
        "about two thirds merged into the twelve recommendations. Running it again adds nothing."
    )

    seed_help = "Seed for the synthetic proposals (default 1)."

    def fill(self, edition, seed: int) -> str:
        counts = load_demo(edition, seed=seed)
        return (
            f"Consultation: {counts['events']} events, {counts['proposals']} new synthetic "
            f"proposals, {counts['merges']} merges."
        )
