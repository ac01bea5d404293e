"""The secretariat starts the next edition in the product: form, confirmation, new edition,
and the "what changed" page and annex."""

import datetime as dt
import io
import zipfile

from django.urls import reverse
from django.utils import translation

from memorandum.catalogue.models import Edition, Phase, Recommendation, Status
from memorandum.catalogue.succession import edition_start_next
from memorandum.publication.document import build_document
from memorandum.publication.html import render_body
from memorandum.publication.word import render_docx
from memorandum.roadmap.models import Initiative, InitiativeLink
from memorandum.test import BaseTestCase

FORM = {
    "slug": "2029-2033",
    "title_nl": "Memorandum van de Lokale Politie 2029-2033",
    "title_fr": "Mémorandum de la Police Locale 2029-2033",
    "period_start": "2029",
    "period_end": "2033",
}


class NextEditionPagesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.r1 = Recommendation.objects.get(edition=cls.edition, kind="recommendation", number=1)
        done = Initiative.objects.create(
            edition=cls.edition,
            title_nl="Financieringswet gestemd",
            lead_organisation="VCLP",
            start_date=dt.date(2024, 3, 1),
            status="done",
            progress=100,
        )
        InitiativeLink.objects.create(initiative=done, recommendation=cls.r1)

    def form(self, **changes):
        return FORM | {"source": str(self.edition.pk)} | changes

    def test_only_the_secretariat_may_start_an_edition(self):
        for user in (self.chief, self.assembly, self.partner):
            self.login(user)
            self.assertEqual(self.client.get(reverse("catalogue:next_edition")).status_code, 403)
            response = self.client.post(reverse("catalogue:next_edition"), self.form())
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Edition.objects.filter(slug="2029-2033").exists())

    def test_the_form_shows_the_rule_and_starts_from_the_chosen_edition(self):
        self.login(self.secretariat)
        response = self.client.get(reverse("catalogue:next_edition") + "?from=2024-2028")
        self.assertContains(response, "geldt als gerealiseerd")
        self.assertContains(response, f'<option value="{self.edition.pk}" selected>')

    def test_the_confirmation_lists_what_is_copied_and_carried_over_then_the_edition_starts(self):
        self.login(self.secretariat)
        url = reverse("catalogue:next_edition")
        response = self.client.post(url, self.form())
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Edition.objects.filter(slug="2029-2033").exists())  # not yet
        page = response.content.decode()
        self.assertIn("11 aanbevelingen en engagementen overgedragen", page)
        self.assertIn("R2", page)
        self.assertIn("1 gerealiseerd, niet overgedragen", page)
        self.assertIn("10 werkgebieden", page)
        self.assertIn('name="confirm"', page)

        response = self.client.post(url, self.form(confirm="1"))
        new = Edition.objects.get(slug="2029-2033")
        self.assertRedirects(response, new.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(new.phase, Phase.CONSULTATION)
        self.assertEqual(new.recommendations.count(), 11)
        page = self.client.get(new.get_absolute_url()).content.decode()
        self.assertIn("Editie 2029-2033 is gestart.", page)
        self.assertIn(reverse("catalogue:changes", args=[new.slug]), page)

    def test_a_refusal_is_shown_on_the_form_in_french(self):
        self.login(self.secretariat)
        with translation.override("fr"):
            url = reverse("catalogue:next_edition")
        response = self.client.post(url, self.form(slug="2024-2028", confirm="1"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "existe déjà")
        self.assertEqual(Edition.objects.count(), 1)

    def test_an_overlapping_period_is_refused_before_the_confirmation(self):
        self.login(self.secretariat)
        response = self.client.post(
            reverse("catalogue:next_edition"), self.form(period_start="2027")
        )
        self.assertContains(response, "moet beginnen na het einde van 2024-2028")
        self.assertNotContains(response, 'name="confirm"')


class WhatChangedTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.running = Initiative.objects.create(
            edition=cls.edition,
            title_nl="Loopt nog",
            lead_organisation="VCLP",
            start_date=dt.date(2024, 3, 1),
            status="ongoing",
            progress=50,
        )
        cls.new = edition_start_next(
            source=cls.edition,
            slug="2029-2033",
            texts={"title_nl": "Memorandum 2029-2033", "title_fr": "Mémorandum 2029-2033"},
            period_start=2029,
            period_end=2033,
            by=cls.secretariat,
        )
        items = Recommendation.objects.filter(edition=cls.new)
        items.filter(kind="recommendation", number=1).update(status=Status.ADOPTED)
        items.filter(kind="recommendation", number=2).update(status=Status.MERGED)

    def test_members_see_the_page_of_an_edition_in_consultation_visitors_do_not(self):
        url = reverse("catalogue:changes", args=[self.new.slug])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.chief)
        response = self.client.get(url)
        self.assertContains(response, "Wat veranderde sinds het vorige memorandum")
        self.assertContains(response, "Samengevoegd")

    def test_an_edition_without_a_previous_one_has_no_such_page(self):
        self.login(self.secretariat)
        url = reverse("catalogue:changes", args=[self.edition.slug])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_carried_over_recommendation_links_to_its_origin(self):
        self.login(self.secretariat)
        r1 = Recommendation.objects.get(edition=self.new, kind="recommendation", number=1)
        response = self.client.get(r1.get_absolute_url())
        self.assertContains(response, "Overgedragen van R1 van editie 2024-2028")

    def test_the_publication_has_the_annex_in_html_and_docx_and_the_source_has_none(self):
        doc = build_document(self.new, "fr")
        self.assertEqual(doc.sections[-2].anchor, "changes")
        self.assertEqual([g.key for g in doc.changes.groups], ["carried", "merged"])
        html = render_body(doc)
        self.assertIn('id="changes"', html)
        self.assertIn("Ce qui a changé depuis le mémorandum précédent", html)
        with zipfile.ZipFile(io.BytesIO(render_docx(build_document(self.new, "nl")))) as docx:
            body = docx.read("word/document.xml").decode()
        self.assertIn("Wat veranderde sinds het vorige memorandum", body)
        self.assertIsNone(build_document(self.edition, "nl").changes)

    def test_the_carried_over_initiative_links_to_its_origin(self):
        self.login(self.secretariat)
        copy = Initiative.objects.get(edition=self.new)
        response = self.client.get(copy.get_absolute_url())
        self.assertContains(response, "Overgedragen van")
        self.assertContains(response, self.running.get_absolute_url())
