"""In the browser: the pages that refuse a request, and an import's problem list."""

from django.urls import reverse
from playwright.sync_api import FilePayload

from memorandum.test import BrowserTestCase
from memorandum.tests import hostile


class RefusedRequestBrowserTestCase(BrowserTestCase):
    def test_an_address_with_a_nul_character_gets_a_readable_page(self):
        response = self.page.goto(
            self.url(reverse("catalogue:catalogue", args=[self.edition.slug]) + "?q=%00")
        )
        self.assertEqual(response.status, 400)
        self.assertIn("controleteken", self.page.inner_text("main"))
        self.assert_accessible()
        # The way out is reachable from the keyboard.
        self.page.focus("main .way-back a")
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.assertNotIn("%00", self.page.url)

    def test_a_zip_bomb_sent_to_the_catalogue_import_gets_the_problem_list(self):
        self.log_in(self.secretariat)
        self.page.goto(self.url(reverse("catalogue:import", args=[self.edition.slug])))
        name, content = hostile.zip_bomb()
        self.page.set_input_files(
            "input[type=file]",
            FilePayload(
                name=name,
                mimeType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                buffer=content,
            ),
        )
        self.page.click("main form button.primary")
        self.page.wait_for_selector("[role=alert]")
        self.assertIn("uitgepakt", self.page.inner_text("[role=alert]"))
        self.assert_accessible()
