"""The demo's data files and the order of its steps."""

import json

from django.core.management import get_commands
from django.test import SimpleTestCase

from memorandum.demo import STEPS, day, read
from memorandum.test import DEMO_FIXTURE


def fixture_codes() -> set[str]:
    edition = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
    prefix = {"recommendation": "R", "commitment": "C"}
    return {f"{prefix[r['kind']]}{r['number']}" for r in edition["recommendations"]}


class DemoDataTestCase(SimpleTestCase):
    def test_load_demo_runs_every_demo_command_in_its_listed_order_publication_last(self):
        commands = {name for name in get_commands() if name.startswith("demo_")}
        self.assertEqual(commands, {name for name, _why in STEPS})
        self.assertEqual(STEPS[-1][0], "demo_publication")

    def test_the_demo_edition_names_the_ten_work_domains_of_the_memorandum(self):
        edition = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
        names = [d["name_nl"] for d in edition["domains"]]
        self.assertEqual(len(names), 10)
        self.assertIn("Nabijheidspolitie", names)
        self.assertTrue(all(d["name_fr"] for d in edition["domains"]))

    def test_consultation_proposals_name_recommendations_of_the_demo_edition(self):
        data = read("consultation")
        self.assertLessEqual({row["recommendation"] for row in data["proposals"]}, fixture_codes())
        for row in data["proposals"]:
            self.assertTrue(row["nl"] and row["fr"], row["recommendation"])
        self.assertTrue(all(day(event["month"]) for event in data["events"]))

    def test_roadmap_initiatives_serve_recommendations_of_the_demo_edition(self):
        data = read("roadmap")
        served = {
            token.strip().partition(".")[0]
            for row in data["initiatives"]
            for token in row["serves"].split(",")
        }
        self.assertLessEqual(served, fixture_codes())
        for row in data["initiatives"]:
            start, end = day(row["start"]), day(row["end"])
            self.assertTrue(end is None or start <= end, row["title_nl"])
            for milestone in row["milestones"]:
                self.assertIsNotNone(day(milestone["due"]))
        titles = {row["title_nl"] for row in data["initiatives"]}
        self.assertLessEqual({point["initiative"] for point in data["points"]}, titles)
