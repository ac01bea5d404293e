"""A corps chief votes on a survey of 219 items with the keyboard only, on a 390 px phone,
in Dutch and in French."""

import re

from playwright.sync_api import expect

from memorandum.survey.models import Ballot
from memorandum.survey.tests.helpers import invite, link, make_survey
from memorandum.test import BrowserTestCase

WORDS = {
    "nl": {
        "rank": "{} rangschikken",
        "up": "{} hoger plaatsen",
        "read": "{} lezen",
        "moved": "{} staat nu op plaats {} van 10.",
        "first": "{} staat al eerst.",
        "submit": "Mijn stembiljet indienen",
        "objective": "Doelstelling",
    },
    "fr": {
        "rank": "Classer {}",
        "up": "Monter {}",
        "read": "Lire {}",
        "moved": "{} est maintenant en position {} sur 10.",
        "first": "{} est déjà en premier.",
        "submit": "Envoyer mon bulletin",
        "objective": "Objectif",
    },
}


class FullScaleBallotInBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        from memorandum.catalogue.models import Status
        from memorandum.catalogue.synthetic import generate_edition

        edition = generate_edition(themes=21, recommendations=219, seed=15)
        edition.recommendations.update(status=Status.ADOPTED)
        self.survey = make_survey(edition, is_synthetic=True)
        self.codes = list(
            self.survey.frozen_items.order_by("position").values_list("code", flat=True)
        )
        self.assertEqual(len(self.codes), 219)

    def vote_with_the_keyboard_on_a_phone(self, lang: str, zone) -> None:
        words = WORDS[lang]
        _invitation, raw = invite(self.survey, zone)
        page = self.new_page(locale=f"{lang}-BE", viewport={"width": 390, "height": 844})
        page.goto(self.url(link(raw, lang)))
        self.assert_fits_the_screen(page)

        # Nothing is ranked until the chief ranks it.
        inputs = page.locator("ol[data-list=overall] .position-input")
        expect(inputs.first).to_have_value("")

        # The text of an item opens inside the ballot (Enter on its summary).
        last = self.codes[-1]
        item = page.locator(f"ol[data-list=overall] li[data-code='{last}']")
        summary = item.locator("summary")
        expect(summary).to_contain_text(words["read"].format(last))
        summary.focus()
        page.keyboard.press("Enter")
        expect(item.get_by_role("heading", name=words["objective"])).to_be_visible()
        self.assert_fits_the_screen(page)

        # "Rank" the last item of the catalogue: it becomes number 1, focus on its "Up".
        page.get_by_role("button", name=words["rank"].format(last), exact=True).focus()
        page.keyboard.press("Enter")
        announcer = page.locator("#rank-announcer")
        expect(announcer).to_have_text(words["moved"].format(last, 1))
        up = page.get_by_role("button", name=words["up"].format(last), exact=True)
        expect(up).to_be_focused()
        # Up at the top keeps the focus and does nothing: a second Enter never moves it back.
        page.keyboard.press("Enter")
        expect(announcer).to_have_text(words["first"].format(last))
        expect(up).to_be_focused()
        expect(page.locator("ol[data-list=overall] > li").first).to_have_attribute(
            "data-code", last
        )

        # Nine more, each added after the others; then the second one goes up to the top
        # and stays there when Enter is pressed again.
        for code in self.codes[100:109]:
            page.get_by_role("button", name=words["rank"].format(code), exact=True).focus()
            page.keyboard.press("Enter")
        second = self.codes[100]
        page.get_by_role("button", name=words["up"].format(second), exact=True).focus()
        page.keyboard.press("Enter")
        expect(announcer).to_have_text(words["moved"].format(second, 1))
        page.keyboard.press("Enter")
        expect(announcer).to_have_text(words["first"].format(second))
        self.assert_fits_the_screen(page)
        self.assert_accessible(page)

        page.get_by_role("button", name=words["submit"]).focus()
        page.keyboard.press("Enter")
        expect(page.locator("[data-receipt]")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        self.assert_fits_the_screen(page)
        ballot = Ballot.objects.get(survey=self.survey, zone=zone)
        self.assertEqual(ballot.payload["overall"], [second, last, *self.codes[101:109]])

    def assert_fits_the_screen(self, page) -> None:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 0, "the page is wider than the screen")

    def test_a_corps_chief_votes_with_the_keyboard_on_a_phone_in_dutch(self):
        self.vote_with_the_keyboard_on_a_phone("nl", self.zones[0])

    def test_a_corps_chief_votes_with_the_keyboard_on_a_phone_in_french(self):
        self.vote_with_the_keyboard_on_a_phone("fr", self.zones[1])
