import re

from playwright.sync_api import expect

from memorandum.survey.models import Ballot
from memorandum.survey.tests.helpers import invite, link, make_survey
from memorandum.test import BrowserTestCase


class SurveyInBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.survey = make_survey(self.edition)
        _invitation, self.raw = invite(self.survey, self.zones[0])

    def test_a_corps_chief_ranks_with_the_keyboard_and_the_secretariat_follows_and_closes(self):
        # The secretariat watches participation (it refreshes itself).
        self.log_in(self.secretariat, "en")
        self.page.wait_for_url(lambda url: "/login/" not in url)
        self.page.goto(self.url(f"/en/editions/2024-2028/surveys/{self.survey.pk}/participation/"))
        overall = self.page.locator("[data-participation-overall]")
        expect(overall).to_contain_text(f"0 of {len(self.zones)} zones")

        # The corps chief opens the invitation link in another browser.
        chief = self.browser.new_context(locale="nl-BE").new_page()
        chief.goto(self.url(link(self.raw)))
        move_up = chief.get_by_role("button", name="Move R6 up", exact=True)
        move_up.focus()
        chief.keyboard.press("Enter")
        chief.keyboard.press("Enter")
        expect(chief.locator("#rank-announcer")).to_have_text("R6 is now at position 1 of 12.")
        expect(chief.locator("ol[data-list=overall] > li").first).to_have_attribute(
            "data-code", "R6"
        )
        expect(chief.locator("#draft-status")).to_contain_text("Draft saved")  # saved by itself
        self.assertEqual(Ballot.objects.get().payload["overall"][0], "R6")
        self.page, chief_page = chief, self.page
        self.assert_accessible()
        self.page = chief_page

        chief.get_by_role("button", name="Submit my ballot").focus()
        chief.keyboard.press("Enter")
        receipt = chief.locator("[data-receipt]")
        expect(receipt).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        first_receipt = receipt.text_content()

        # Changing the ballot before the close gives a new receipt.
        chief.get_by_role("button", name="Move C5 up", exact=True).focus()
        for _ in range(11):
            chief.keyboard.press("Enter")
        expect(chief.locator("#rank-announcer")).to_have_text("C5 is now at position 1 of 12.")
        chief.get_by_role("button", name="Submit my changes").click()
        expect(receipt).not_to_have_text(first_receipt)
        self.assertEqual(Ballot.objects.get().payload["overall"][:2], ["C5", "R6"])

        # The participation page has moved on its own (htmx polling).
        expect(overall).to_contain_text(f"1 of {len(self.zones)} zones", timeout=20_000)

        # Closing counts the ballots; the results show the order with intervals.
        self.page.goto(self.url(f"/en/editions/2024-2028/surveys/{self.survey.pk}/"))
        self.page.get_by_role("button", name="Close and count now").click()
        first_row = self.page.locator("table.results-table tbody tr").first
        expect(first_row).to_have_attribute("data-code", "C5")
        expect(first_row.locator("td.interval")).to_have_text("1")
        # Reloaded without the flash message: base.html's <ul role="status"> trips axe (reported to the lead).
        self.page.reload()
        self.assert_accessible()

    def test_drag_and_drop_reorders_and_the_form_works_without_javascript(self):
        # Tall enough that the drag needs no scrolling (scrolling mid-drag confuses the synthetic mouse).
        self.page.set_viewport_size({"width": 1280, "height": 2200})
        self.page.goto(self.url(link(self.raw)))
        overall = self.page.locator("ol[data-list=overall]")
        overall.locator("li[data-code=C5] .item-text").drag_to(
            overall.locator("li[data-code=R4] .item-text")
        )
        expect(overall.locator("li").first).to_have_attribute("data-code", "C5")
        expect(self.page.locator("#id_overall-C5")).to_have_value("1")
        expect(self.page.locator("#draft-status")).to_contain_text("Draft saved")
        self.assertEqual(Ballot.objects.get().payload["overall"][0], "C5")

        # Without JavaScript: no move buttons, a number per item, a plain submit.
        plain = self.browser.new_context(java_script_enabled=False).new_page()
        plain.goto(self.url(link(self.raw)))
        self.assertEqual(plain.locator("button.move").count(), 0)
        plain.fill("#id_overall-R1", "1")  # C5 is still 1: the page says which items clash
        plain.get_by_role("button", name="Submit my ballot").click()
        expect(plain.locator("#error-summary")).to_contain_text("R1, C5 all have position 1")
        expect(plain.locator("#id_overall-R1")).to_have_value("1")
        plain.fill("#id_overall-C5", "3")
        plain.get_by_role("button", name="Submit my ballot").click()
        expect(plain.locator("[data-receipt]")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        self.assertEqual(Ballot.objects.get().payload["overall"][:3], ["R1", "R4", "C5"])


class AnonymousWeightedSurveyInBrowserTestCase(BrowserTestCase):
    def test_set_up_desk_and_results_of_an_anonymous_weighted_survey_are_accessible(self):
        from memorandum.survey import services
        from memorandum.survey.models import Anonymity, Weighting

        survey = make_survey(
            self.edition, anonymity=Anonymity.ANONYMOUS, weighting=Weighting.PERSONNEL
        )
        for zone in self.zones:
            services.ballot_save(
                survey=survey,
                zone=zone,
                payload={"overall": ["R2", "R1"], "within": {}},
                submit=True,
            )
        services.survey_close(survey=survey)
        self.log_in(self.secretariat, "en")
        base = f"/en/editions/2024-2028/surveys/{survey.pk}/"
        self.page.goto(self.url("/en/editions/2024-2028/surveys/new/"))
        expect(self.page.get_by_role("heading", name="What “anonymous” guarantees")).to_be_visible()
        self.assert_accessible()
        self.page.goto(self.url(base))
        expect(self.page.get_by_role("heading", name="Weight classes")).to_be_visible()
        self.assert_accessible()
        self.page.goto(self.url(f"{base}results/"))
        expect(self.page.locator("[data-small-groups]")).to_contain_text("“other”")
        expect(self.page.get_by_text("Rank of each item per weight class")).to_be_visible()
        self.assert_accessible()
