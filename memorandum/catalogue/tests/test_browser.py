from memorandum.test import BrowserTestCase


class CatalogueInTheBrowserTestCase(BrowserTestCase):
    def test_a_visitor_searches_opens_a_recommendation_and_switches_language(self):
        page = self.page
        page.goto(self.url("/nl/editions/2024-2028/catalogue/"))
        self.assert_accessible()
        page.fill("#id_q", "herfinancieren")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=1 item")
        # Enter also fires the search's delayed keyup request; its pushState would cancel
        # a navigation that started before it.
        page.wait_for_load_state("networkidle")
        page.get_by_role("link", name="R1 Een optimale en duurzame financiering").click()
        page.wait_for_url("**/recommendations/R1/")
        self.assertIn("Een optimale en duurzame financiering", page.inner_text("h1"))
        self.assertIn("door de politie te herfinancieren", page.inner_text("main"))
        self.assert_accessible()

        page.locator(".lang-switch a[lang=fr]").click()
        page.wait_for_url("**/fr/editions/2024-2028/recommendations/R1/")
        self.assertIn("Un financement optimal et durable", page.inner_text("h1"))
        self.assertEqual(page.get_attribute("html", "lang"), "fr")
        # The context has no French text yet: the Dutch one is shown and marked as such.
        fallback = page.locator(".fallback[lang=nl]").first
        self.assertTrue(fallback.is_visible())
        self.assert_accessible()

    def test_the_catalogue_can_be_used_with_the_keyboard(self):
        page = self.page
        page.goto(self.url("/nl/editions/2024-2028/catalogue/"))
        page.keyboard.press("Tab")
        self.assertEqual(page.evaluate("document.activeElement.className"), "skip-link")
        page.keyboard.press("Enter")
        page.focus("#id_kind")
        page.select_option("#id_kind", "commitment")
        page.wait_for_selector("text=5 items")
        self.assertNotIn("Een optimale en duurzame financiering", page.inner_text("#results"))

    def test_the_edition_page_passes_axe(self):
        self.page.goto(self.url("/fr/editions/2024-2028/"))
        self.assertIn("2024-2028", self.page.inner_text("h1"))
        self.assert_accessible()


class NextEditionInTheBrowserTestCase(BrowserTestCase):
    """The secretariat starts the next edition, in Dutch and in French, with axe-core on the
    form, the confirmation, the new edition and the "what changed" page."""

    def start_next_edition(self, lang: str, title: str) -> None:
        self.log_in(self.secretariat, lang)
        self.assertIn(title, self.start_edition_2029_2033(lang))
        self.page.locator("a[href$='/editions/2029-2033/changes/']").click()
        self.page.wait_for_url("**/editions/2029-2033/changes/")
        self.assert_accessible()

    def test_in_dutch(self):
        self.start_next_edition("nl", "Editie 2029-2033 starten vanuit 2024-2028?")
        self.assertIn("Wat veranderde sinds het vorige memorandum", self.page.inner_text("h1"))
        self.assertIn("Overgedragen", self.page.inner_text("main"))

    def test_in_french(self):
        self.start_next_edition("fr", "Commencer l’édition 2029-2033 à partir de 2024-2028")
        self.assertIn("Ce qui a changé depuis le mémorandum précédent", self.page.inner_text("h1"))
        self.assertIn("Reportées", self.page.inner_text("main"))


class ProcessPageInTheBrowserTestCase(BrowserTestCase):
    def test_the_process_page_passes_axe_in_dutch_and_french(self):
        from memorandum.catalogue.demo import load_phase_dates

        load_phase_dates(self.edition)
        page = self.page
        page.goto(self.url("/nl/editions/2024-2028/"))
        page.get_by_role("link", name="Het proces: data, voortgang en volgende stappen").click()
        page.wait_for_url("**/nl/editions/2024-2028/process/")
        self.assertIn("Het proces van deze editie", page.inner_text("h1"))
        self.assertIn("tussen midden mei en begin juni 2023", page.inner_text("main").lower())
        self.assert_accessible()
        page.goto(self.url("/fr/editions/2024-2028/process/"))
        self.assertIn("Le processus de cette édition", page.inner_text("h1"))
        self.assertEqual(page.get_attribute("html", "lang"), "fr")
        self.assert_accessible()

    def test_the_secretariat_moves_the_edition_with_the_keyboard_only(self):
        from memorandum.catalogue.models import Phase

        self.set_phase(Phase.PUBLISHED)
        self.log_in(self.secretariat)
        page = self.page
        page.goto(self.url("/nl/editions/2024-2028/process/"))
        self.assert_accessible()
        link = page.get_by_role("link", name="Naar de fase “Opvolging”…")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/process/next/")
        self.assert_accessible()
        # The confirmation's button has the focus: Enter moves the edition.
        page.keyboard.press("Enter")
        page.wait_for_url("**/nl/editions/2024-2028/process/")
        self.assertIn("De editie is nu in de fase “Opvolging”", page.inner_text("main"))
        self.edition.refresh_from_db()
        self.assertEqual(self.edition.phase, Phase.FOLLOW_UP)

    def test_the_secretariat_plans_a_phase_with_the_keyboard_and_is_told_what_is_wrong(self):
        from memorandum.catalogue.models import EditionPhase, Phase

        self.log_in(self.secretariat)
        page = self.page
        page.goto(self.url("/fr/editions/2024-2028/process/"))
        summary = page.locator("#plan-consolidation-heading")
        summary.focus()
        page.keyboard.press("Enter")  # opens the form
        page.locator("#id_plan-consolidation-planned_start").fill("2029-10-01")
        page.locator("#id_plan-consolidation-planned_end").fill("2029-04-01")
        page.locator("#id_plan-consolidation-planned_end").press("Enter")
        page.wait_for_load_state()
        self.assertIn("La fin prévue", page.inner_text("main"))
        self.assertEqual(page.input_value("#id_plan-consolidation-planned_start"), "2029-10-01")
        self.assert_accessible()
        page.locator("#id_plan-consolidation-planned_end").fill("2029-12-01")
        page.locator("#id_plan-consolidation-planned_end").press("Enter")
        page.wait_for_url("**/fr/editions/2024-2028/process/#phase-consolidation")
        self.assertIn("sont enregistrées", page.inner_text("main"))
        self.assert_accessible()
        row = EditionPhase.objects.get(edition=self.edition, phase=Phase.CONSOLIDATION)
        self.assertEqual(str(row.planned_end), "2029-12-01")
