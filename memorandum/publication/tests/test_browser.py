"""The memorandum pages in a real browser: accessible, usable with the keyboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from memorandum.publication.models import PublicationVersion
from memorandum.publication.services import version_publish, version_render
from memorandum.publication.tests.helpers import counted_survey
from memorandum.test import BrowserTestCase, run_queued_tasks


class MemorandumPageBrowserTestCase(BrowserTestCase):
    def test_the_page_is_accessible_and_every_download_is_reachable_with_the_keyboard(self):
        version_render(version_publish(edition=self.edition))
        self.page.goto(self.url(f"/fr/editions/{self.edition.slug}/memorandum/"))
        self.assert_accessible()
        with translation.override("fr"):
            wanted = {
                reverse("publication:version_file", args=[self.edition.slug, 1, lang, fmt])
                for lang in ("nl", "fr")
                for fmt in ("pdf", "docx")
            }
        reached = set()
        for _ in range(40):
            self.page.keyboard.press("Tab")
            href = self.page.evaluate("document.activeElement.getAttribute('href')")
            if href in wanted:
                reached.add(href)
            if reached == wanted:
                break
        self.assertEqual(reached, wanted)
        with self.page.expect_download() as download:
            self.page.keyboard.press("Enter")
        self.assertTrue(download.value.suggested_filename.startswith("memorandum-2024-2028-v1-"))

    def test_the_page_before_any_version_is_accessible(self):
        self.page.goto(self.url(f"/nl/editions/{self.edition.slug}/memorandum/"))
        self.assertIn("nog geen versie", self.page.content())
        self.assert_accessible()


class PublishBrowserTestCase(BrowserTestCase):
    def test_the_secretariat_previews_chooses_a_survey_confirms_and_publishes(self):
        survey = counted_survey(self.edition)
        version_render(version_publish(edition=self.edition))
        self.log_in(self.secretariat)
        self.page.goto(self.url(f"/nl/editions/{self.edition.slug}/memorandum/preview/"))
        self.assert_accessible()
        self.page.check(f"input[name=survey][value='{survey.pk}']")
        self.page.click("form.filters button")
        self.assertIn("Enquêteresultaat", self.page.inner_text(".diff-summary"))
        self.assert_accessible()
        self.page.click("a.button.primary")  # "Publish version 2…"
        self.page.wait_for_url("**/memorandum/publish/**")
        self.assert_accessible()
        # Keyboard only: the chosen survey is already selected; submit the form.
        self.page.focus("form.stack button.primary")
        self.page.keyboard.press("Enter")
        self.page.wait_for_selector("text=Wat er zal gebeuren")
        self.assertIn("Versie 2 van het memorandum wordt aangemaakt", self.page.content())
        self.assert_accessible()
        self.page.click("form.stack button.primary")
        self.page.wait_for_url("**/memorandum/versions/2/")
        self.assertTrue(PublicationVersion.objects.filter(number=2, survey=survey).exists())
        self.assertIn("worden aangemaakt", self.page.content())
        run_queued_tasks()
        self.page.reload()
        self.assertIn("Versie 2", self.page.inner_text("h1"))
        self.assert_accessible()
        # The list of versions shows both, each with its survey.
        rows = self.page.inner_text("section.versions")
        self.assertIn("Geen enquêteresultaat", rows)
        self.assertIn("Prioriteitenbevraging 2023", rows)
