from memorandum.assembly.demo import load_demo
from memorandum.catalogue.management.base import EditionDemoCommand


class Command(EditionDemoCommand):
    help = (
        "Add the General Assembly meetings of 13 June and 11 July 2023 (real dates) to the 2024-2028 demo edition, "
        "with synthetic attendance and votes adopting its twelve recommendations and commitments. "
        "Running it again adds nothing."
    )

    seed_help = "Seed for the synthetic attendance and votes (default 1)."

    def fill(self, edition, seed: int) -> str:
        created = load_demo(edition, seed=seed)
        return f"General Assembly: {created} new meetings (synthetic attendance and votes)."
