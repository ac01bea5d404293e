from memorandum.catalogue.management.base import EditionDemoCommand
from memorandum.roadmap.demo import build_demo_roadmap


class Command(EditionDemoCommand):
    help = (
        "Create a realistic synthetic follow-up roadmap for the 2024-2028 demo edition: initiatives (labelled "
        "synthetic) for most but not all recommendations, milestones (some overdue), indicators with measurements, "
        "updates by the demo accounts. Running it again updates instead of duplicating."
    )

    seed_help = "Seed for the random parts (default 1)."

    def fill(self, edition, seed: int) -> str:
        count = build_demo_roadmap(edition, seed)
        return f"Synthetic roadmap for {edition.slug}: {count} initiatives."
