"""In a real browser: an owner records progress and the dashboards follow."""

from memorandum.roadmap.tests.base import build_initiatives
from memorandum.test import BrowserTestCase


class OwnerRecordsProgressTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        build_initiatives(self, self.edition, self.chief, self.other_chief)
        self.initiative = self.public_initiative
        self.root = "/nl/editions/2024-2028/roadmap/"
        self.initiative_path = f"{self.root}initiatives/{self.initiative.pk}/"

    def row(self, table: str, code: str):
        return self.page.locator(f"{table} tbody tr", has=self.page.locator(f"a:text-is('{code}')"))

    def test_an_owner_records_an_update_and_a_measurement(self):
        page = self.page
        self.log_in(self.chief)
        # log_in presses Enter and returns before the login POST has finished; wait for it so
        # the next navigation does not abort it.
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(self.url(self.root))
        self.assert_accessible()
        statuses = ["planned", "ongoing", "at_risk", "blocked", "done", "dropped"]
        cells = self.row("#status-by-recommendation", "R1").locator("td")
        self.assertEqual(cells.nth(statuses.index("ongoing")).inner_text(), "1")

        page.goto(self.url(self.initiative_path))
        self.assert_accessible()
        page.click(f"a[href='{self.initiative_path}update/']")
        page.fill(
            "textarea[name=text]", "Wetsontwerp besproken met de FOD; vertraging door de begroting."
        )
        page.select_option("select[name=status]", "at_risk")
        page.fill("input[name=progress]", "60")
        page.click("form button[type=submit].primary")
        page.wait_for_url(self.url(self.initiative_path))
        self.assertIn("vertraging door de begroting", page.inner_text("#main"))

        page.click(f"a[href='{self.initiative_path}measurements/new/']")
        page.fill("input[name=value]", "37,5")
        page.click("form button[type=submit].primary")
        page.wait_for_url(self.url(self.initiative_path))

        page.goto(self.url(self.root))
        cells = self.row("#status-by-recommendation", "R1").locator("td")
        self.assertEqual(cells.nth(statuses.index("at_risk")).inner_text(), "1")
        self.assertEqual(cells.nth(statuses.index("ongoing")).inner_text(), "0")
        self.assertIn("37,5", page.inner_text("#indicator-table"))

        # Filtering swaps the dashboard body in place (htmx) and keeps the address shareable.
        page.select_option("#id_status", "done")
        page.wait_for_url("**status=done**")
        page.wait_for_function(
            "document.querySelector('#dashboard-body .count').textContent.trim().startsWith('0')"
        )

        page.goto(self.url(f"{self.root}recommendations/R1/"))
        follow_up = page.inner_text("#follow-up-table")
        self.assertIn("60", follow_up)
        self.assertIn("Wetsontwerp besproken met de FOD", follow_up)
