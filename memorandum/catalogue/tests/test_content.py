from django.utils import translation

from memorandum.catalogue.models import Recommendation, normalise_for_search
from memorandum.test import BaseTestCase


class ContentFallbackTestCase(BaseTestCase):
    def test_it_shows_french_when_french_exists(self):
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        with translation.override("fr"):
            self.assertEqual(r1.title.lang, "fr")
            self.assertFalse(r1.title.is_fallback)

    def test_it_falls_back_to_dutch_and_says_so(self):
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        with translation.override("fr"):
            self.assertEqual(r1.context.lang, "nl")
            self.assertTrue(r1.context.is_fallback)

    def test_english_readers_get_dutch_marked_as_fallback(self):
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        with translation.override("en"):
            self.assertEqual(r1.title, r1.title_nl)
            self.assertTrue(r1.title.is_fallback)

    def test_the_french_page_marks_the_dutch_context(self):
        response = self.client.get("/fr/editions/2024-2028/recommendations/R1/")
        self.assertContains(response, 'class="fallback" lang="nl"')
        self.assertContains(response, "Un financement optimal et durable")


class ActionItemsTestCase(BaseTestCase):
    def test_sub_items_nest_under_their_action(self):
        r5 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=5)
        items = r5.action_items("nl")
        self.assertEqual(items[0]["text"], "door haar systematisch te betrekken")
        self.assertEqual(len(items[0]["children"]), 2)
        self.assertTrue(items[1]["text"].startswith("en door haar representativiteit"))

    def test_the_seed_has_seven_recommendations_and_five_commitments(self):
        kinds = list(
            self.edition.recommendations.order_by("-kind", "number").values_list("kind", "number")
        )
        self.assertEqual(
            kinds,
            [("recommendation", n) for n in range(1, 8)] + [("commitment", n) for n in range(1, 6)],
        )


class SearchTestCase(BaseTestCase):
    def test_normalising_drops_accents_and_case(self):
        self.assertEqual(
            normalise_for_search("Één Politiezorg, «cyberveilige»"), "een politiezorg cyberveilige"
        )

    def test_every_word_must_match_in_any_language(self):
        found = Recommendation.objects.filter(edition=self.edition).search("i-Police")
        self.assertEqual([r.code for r in found], ["R2"])
        found = Recommendation.objects.filter(edition=self.edition).search("financement durable")
        self.assertIn("R1", [r.code for r in found])

    def test_accents_do_not_matter(self):
        found = Recommendation.objects.filter(edition=self.edition).search("technologieen")
        self.assertIn("C1", [r.code for r in found])


class EscapingTestCase(BaseTestCase):
    def test_markup_typed_into_a_content_text_is_shown_not_run(self):
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        r1.context_nl = "Eerste alinea <script>alert(1)</script>\n\nTweede <b>alinea</b>"
        r1.title_fr = "Titre <img src=x onerror=alert(1)>"
        r1.save()
        for lang in ("nl", "fr"):
            response = self.client.get(f"/{lang}/editions/2024-2028/recommendations/R1/")
            self.assertNotContains(response, "<script>alert(1)</script>")
            self.assertNotContains(response, "<img src=x")
            self.assertNotContains(response, "<b>alinea</b>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        response = self.client.get("/nl/editions/2024-2028/memorandum/")
        self.assertNotContains(response, "<script>alert(1)</script>")
