"""The memorandum page in a real browser: accessible, downloads reachable with the keyboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from memorandum.test import BrowserTestCase


class MemorandumPageBrowserTestCase(BrowserTestCase):
    def test_the_page_is_accessible_and_every_download_is_reachable_with_the_keyboard(self):
        self.page.goto(self.url(f"/fr/editions/{self.edition.slug}/memorandum/"))
        self.assert_accessible()
        with translation.override("fr"):
            wanted = {
                reverse("publication:download", args=[self.edition.slug, lang, fmt])
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
        self.assertTrue(download.value.suggested_filename.startswith("memorandum-2024-2028-"))
