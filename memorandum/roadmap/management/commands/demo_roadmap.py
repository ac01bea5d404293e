from memorandum.catalogue.management.base import DemoCommand
from memorandum.roadmap.demo import build_demo_roadmap


class Command(DemoCommand):
    help = (
        "Create a realistic synthetic follow-up roadmap for the 2024-2028 demo edition: initiatives (labelled "
        "synthetic) for most but not all recommendations, milestones (some overdue), indicators with measurements, "
        "updates by the demo accounts. Running it again updates instead of duplicating."
    )

    seed_help = "Seed for the random parts (default 1)."
    takes_edition = True

    def handle(self, *args, seed: int, edition: str, **options):
        target = self.demo_edition(edition)
        count = build_demo_roadmap(target, seed)
        self.success(f"Synthetic roadmap for {target.slug}: {count} initiatives.")
