from memorandum.assembly.demo import load_demo
from memorandum.catalogue.management.base import DemoCommand


class Command(DemoCommand):
    help = (
        "Add the General Assembly meetings of 13 June and 11 July 2023 (real dates) to the 2024-2028 demo edition, "
        "with synthetic attendance and votes adopting its twelve recommendations and commitments. "
        "Running it again adds nothing."
    )

    seed_help = "Seed for the synthetic attendance and votes (default 1)."
    takes_edition = True

    def handle(self, *args, seed: int, edition: str, **options):
        created = load_demo(self.demo_edition(edition), seed=seed)
        self.success(f"General Assembly: {created} new meetings (synthetic attendance and votes).")
