from memorandum.catalogue.models import Edition, Phase, Recommendation, Status
from memorandum.test import BaseTestCase


class EditionPageTestCase(BaseTestCase):
    def test_it_shows_phase_and_timeline(self):
        response = self.client.get("/nl/editions/2024-2028/")
        self.assertContains(response, "Memorandum van de Lokale Politie 2024-2028")
        self.assertContains(response, 'aria-current="step"')
        self.assertContains(response, "13 juni 2023")
        self.assertContains(response, "oktober 2022")

    def test_home_goes_to_the_only_edition(self):
        response = self.client.get("/nl/")
        self.assertRedirects(response, "/nl/editions/2024-2028/")

    def test_unknown_edition_is_404(self):
        self.assertEqual(self.client.get("/nl/editions/nope/").status_code, 404)


class CatalogueBrowseTestCase(BaseTestCase):
    def test_it_lists_all_twelve_items_by_domain(self):
        response = self.client.get("/nl/editions/2024-2028/catalogue/")
        self.assertContains(response, "12 items")
        self.assertContains(response, "Een optimale en duurzame financiering")

    def test_it_filters_by_kind(self):
        response = self.client.get("/nl/editions/2024-2028/catalogue/?kind=commitment")
        self.assertContains(response, "5 items")
        self.assertNotContains(response, "Een optimale en duurzame financiering")

    def test_search_finds_by_words(self):
        response = self.client.get("/nl/editions/2024-2028/catalogue/?q=eindeloopbaanbeleid")
        self.assertContains(response, "1 item")
        self.assertContains(response, "De medewerkers op de eerste plaats")

    def test_htmx_gets_only_the_results(self):
        response = self.client.get(
            "/nl/editions/2024-2028/catalogue/?q=cyberveilige", headers={"HX-Request": "true"}
        )
        self.assertNotContains(response, "<html")
        self.assertContains(response, "R2")

    def test_bad_filter_values_are_ignored_not_500(self):
        response = self.client.get("/nl/editions/2024-2028/catalogue/?domain=abc&kind=xyz&page=999")
        self.assertEqual(response.status_code, 200)


class RecommendationPageTestCase(BaseTestCase):
    def test_it_shows_objective_actions_context_addressees_references(self):
        response = self.client.get("/nl/editions/2024-2028/recommendations/R1/")
        self.assertContains(response, "met name:")
        self.assertContains(response, "door de politie te herfinancieren")
        self.assertContains(response, "Context")
        self.assertContains(response, "Alexander De Croo")

    def test_codes_that_do_not_exist_are_404(self):
        for code in ("R99", "X1", "R", "Rabc"):
            self.assertEqual(
                self.client.get(f"/nl/editions/2024-2028/recommendations/{code}/").status_code, 404
            )


class VisibilityTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft_edition = Edition.objects.create(
            slug="2029-2033",
            title_nl="Memorandum 2029-2033",
            period_start=2029,
            period_end=2033,
            phase=Phase.CONSULTATION,
        )
        r7 = Recommendation.objects.get(edition=cls.edition, kind="recommendation", number=7)
        r7.status = Status.PROPOSED
        r7.save()

    def test_the_public_does_not_see_an_edition_in_consultation(self):
        self.assertEqual(self.client.get("/nl/editions/2029-2033/").status_code, 404)

    def test_a_corps_chief_sees_it(self):
        self.login(self.chief)
        self.assertEqual(self.client.get("/nl/editions/2029-2033/").status_code, 200)

    def test_the_public_does_not_see_items_that_are_not_adopted(self):
        self.assertEqual(
            self.client.get("/nl/editions/2024-2028/recommendations/R7/").status_code, 404
        )
        self.assertNotContains(
            self.client.get("/nl/editions/2024-2028/catalogue/"), "Een aantrekkelijke politie"
        )
        self.assertNotContains(
            self.client.get("/nl/editions/2024-2028/export.json"), "Een aantrekkelijke politie"
        )

    def test_assembly_members_see_them_with_their_status(self):
        self.login(self.assembly)
        response = self.client.get("/nl/editions/2024-2028/recommendations/R7/")
        self.assertContains(response, "status-proposed")

    def test_partners_see_only_published_content(self):
        self.login(self.partner)
        self.assertEqual(self.client.get("/nl/editions/2029-2033/").status_code, 404)
        self.assertEqual(
            self.client.get("/nl/editions/2024-2028/recommendations/R7/").status_code, 404
        )
