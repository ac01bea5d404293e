"""The public memorandum page of an edition and its downloads, per role."""

from __future__ import annotations

from django.urls import reverse

from memorandum.catalogue.models import Phase
from memorandum.publication.services import version_publish, version_render
from memorandum.test import BaseTestCase


class PublishedTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = version_publish(edition=cls.edition)
        version_render(cls.version)

    def page(self, lang: str = "nl") -> str:
        return f"/{lang}/editions/{self.edition.slug}/memorandum/"


class MemorandumPageTestCase(PublishedTestCase):
    def test_anyone_reads_the_published_version_with_download_buttons(self):
        response = self.client.get(self.page())
        self.assertContains(
            response,
            '<h2 id="recommendations-h" class="section">Aanbevelingen aan de overheden</h2>',
            html=False,
        )
        self.assertContains(response, "Dit is de huidige versie.")
        for lang in ("nl", "fr"):
            for fmt in ("pdf", "docx", "html"):
                self.assertContains(
                    response,
                    reverse("publication:version_file", args=[self.edition.slug, 1, lang, fmt]),
                )

    def test_the_french_page_shows_the_french_document_and_marks_dutch_stand_ins(self):
        response = self.client.get(self.page("fr"))
        self.assertContains(response, "Recommandations aux autorités")
        self.assertContains(response, "notamment\u202f:")
        self.assertContains(
            response, '<div class="fallback" lang="nl"><p><span class="marker">[NL]</span>'
        )
        self.assertContains(
            response, "Les textes marqués [NL] n’existent pas encore dans cette langue"
        )

    def test_the_english_page_says_the_document_is_shown_in_dutch(self):
        response = self.client.get(self.page("en"))
        self.assertContains(response, "it is shown here in Dutch")
        self.assertContains(response, '<article class="memorandum-document" lang="nl-BE">')

    def test_only_adopted_recommendations_are_in_a_version(self):
        item = self.edition.recommendations.get(kind="recommendation", number=2)
        item.status = "postponed"
        item.save()
        version = version_publish(edition=self.edition)
        response = self.client.get(version.get_absolute_url())
        self.assertNotContains(response, item.title_nl)
        self.assertContains(response, "6 aanbevelingen aan de overheden")

    def test_downloads_are_pdf_and_word_files_named_after_the_edition_and_version(self):
        for fmt, content_type, magic in (
            ("pdf", "application/pdf", b"%PDF"),
            ("docx", "application/vnd.openxmlformats", b"PK"),
        ):
            with self.subTest(fmt=fmt):
                response = self.client.get(
                    reverse("publication:version_file", args=[self.edition.slug, 1, "fr", fmt])
                )
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response["Content-Type"].startswith(content_type))
                self.assertIn(
                    f'filename="memorandum-2024-2028-v1-fr.{fmt}"', response["Content-Disposition"]
                )
                self.assertTrue(response.content.startswith(magic))

    def test_an_unknown_language_or_format_is_not_found(self):
        for lang, fmt in (("de", "pdf"), ("nl", "odt")):
            with self.subTest(lang=lang, fmt=fmt):
                response = self.client.get(
                    reverse("publication:download", args=[self.edition.slug, lang, fmt])
                )
                self.assertEqual(response.status_code, 404)

    def test_an_unpublished_edition_is_hidden_from_the_public_and_partners(self):
        self.edition.phase = Phase.CONSOLIDATION
        self.edition.save()
        file = reverse("publication:version_file", args=[self.edition.slug, 1, "nl", "docx"])
        for user in (None, self.outsider, self.partner):
            with self.subTest(user=user and user.username):
                self.client.logout()
                if user:
                    self.login(user)
                self.assertEqual(self.client.get(self.page()).status_code, 404)
                self.assertEqual(self.client.get(file).status_code, 404)
        # Members who prepare the edition still read what was published.
        for user in (self.secretariat, self.chief, self.coordinator, self.assembly):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertContains(self.client.get(self.page()), "Versie 1")
        self.assertEqual(self.client.get(file).status_code, 200)

    def test_the_edition_menu_links_to_the_memorandum(self):
        response = self.client.get(self.edition.get_absolute_url())
        self.assertContains(response, f'href="{self.page()}"')


class DownloadButtonsTagTestCase(PublishedTestCase):
    def test_any_edition_page_can_show_the_latest_versions_download_buttons(self):
        from django.template import Context, Template
        from django.test import RequestFactory
        from django.utils import translation

        template = Template("{% load publication %}{% memorandum_downloads edition %}")
        with translation.override("nl"):
            html = template.render(
                Context({"edition": self.edition, "request": RequestFactory().get("/")})
            )
        self.assertIn(
            'href="/nl/editions/2024-2028/memorandum/versions/1/fr.docx" '
            'download="memorandum-2024-2028-v1-fr.docx"',
            html,
        )
        self.assertIn(
            'class="button primary" href="/nl/editions/2024-2028/memorandum/versions/1/nl.pdf"',
            html,
        )
