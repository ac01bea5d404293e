import re

from playwright.sync_api import expect

from memorandum.survey.models import Ballot
from memorandum.survey.tests.helpers import invite, link, make_survey
from memorandum.test import BrowserTestCase, run_queued_tasks


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

        # The corps chief opens the invitation link in another browser: nothing is ranked yet.
        chief = self.new_page(locale="nl-BE")
        chief.goto(self.url(link(self.raw)))
        chief.get_by_role("button", name="Rank R6", exact=True).focus()
        chief.keyboard.press("Enter")
        expect(chief.locator("#rank-announcer")).to_have_text("R6 is now at position 1 of 10.")
        # The focus is on "Move R6 up"; at the top a second Enter does not move it back.
        expect(chief.get_by_role("button", name="Move R6 up", exact=True)).to_be_focused()
        chief.keyboard.press("Enter")
        expect(chief.locator("#rank-announcer")).to_have_text("R6 is already first.")
        expect(chief.locator("ol[data-list=overall] > li").first).to_have_attribute(
            "data-code", "R6"
        )
        expect(chief.locator("#draft-status")).to_contain_text("Draft saved")  # saved by itself
        self.assertEqual(Ballot.objects.get().payload["overall"], ["R6"])
        self.assert_accessible(chief)

        for code in ["R1", "R2", "R3", "R4", "R5", "R7", "C1", "C2", "C3"]:
            chief.get_by_role("button", name=f"Rank {code}", exact=True).focus()
            chief.keyboard.press("Enter")
        expect(chief.locator("#rank-announcer")).to_have_text("C3 is now at position 10 of 10.")
        chief.get_by_role("button", name="Submit my ballot").focus()
        chief.keyboard.press("Enter")
        receipt = chief.locator("[data-receipt]")
        expect(receipt).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        first_receipt = receipt.text_content()

        # Changing the ballot before the close gives a new receipt.
        chief.get_by_role("button", name="Move C3 up", exact=True).focus()
        for _ in range(9):
            chief.keyboard.press("Enter")
        expect(chief.locator("#rank-announcer")).to_have_text("C3 is now at position 1 of 10.")
        chief.get_by_role("button", name="Submit my changes").click()
        expect(receipt).not_to_have_text(first_receipt)
        self.assertEqual(Ballot.objects.get().payload["overall"][:2], ["C3", "R6"])

        # The participation page has moved on its own (htmx polling).
        expect(overall).to_contain_text(f"1 of {len(self.zones)} zones", timeout=20_000)

        # Closing counts the ballots; the results show the order with intervals.
        self.page.goto(self.url(f"/en/editions/2024-2028/surveys/{self.survey.pk}/"))
        self.page.get_by_role("link", name="Close and count now").click()
        self.page.get_by_role("button", name="Close and count").click()
        status = self.page.locator("[data-count-status]")
        expect(status).to_have_attribute("data-count-status", "queued")
        run_queued_tasks()  # the worker counts; the page polls until it is done
        expect(status).to_have_attribute("data-count-status", "done", timeout=15_000)
        self.page.get_by_role("link", name="See the results").click()
        first_row = self.page.locator("table.results-table tbody tr").first
        expect(first_row).to_have_attribute("data-code", "C3")
        expect(first_row.locator("td.interval")).to_have_text("1")
        # Reloaded without the flash message: base.html's <ul role="status"> trips axe (reported to the lead).
        self.page.reload()
        self.assert_accessible()

    def test_drag_and_drop_reorders_and_the_form_works_without_javascript(self):
        # Tall enough that the drag needs no scrolling (scrolling mid-drag confuses the synthetic mouse).
        self.page.set_viewport_size({"width": 1280, "height": 2200})
        self.page.goto(self.url(link(self.raw)))
        overall = self.page.locator("ol[data-list=overall]")
        self.page.get_by_role("button", name="Rank R4", exact=True).click()
        self.page.get_by_role("button", name="Rank C5", exact=True).click()
        overall.locator("li[data-code=C5] .item-text").drag_to(
            overall.locator("li[data-code=R4] .item-text")
        )
        expect(overall.locator("li").first).to_have_attribute("data-code", "C5")
        expect(self.page.locator("#id_overall-C5")).to_have_value("1")
        expect(self.page.locator("#draft-status")).to_contain_text("Draft saved")
        self.assertEqual(Ballot.objects.get().payload["overall"], ["C5", "R4"])

        # Without JavaScript: no buttons, an optional number per item, a plain submit.
        plain = self.new_page(java_script_enabled=False)
        plain.goto(self.url(link(self.raw)))
        self.assertEqual(plain.locator("button.move").count(), 0)
        expect(plain.locator("#id_overall-R1")).to_have_value("")  # not ranked yet
        plain.fill("#id_overall-R1", "1")  # C5 is still 1: the page says which items clash
        plain.get_by_role("button", name="Submit my ballot").click()
        expect(plain.locator("#error-summary")).to_contain_text("R1, C5 all have position 1")
        expect(plain.locator("#id_overall-R1")).to_have_value("1")
        plain.fill("#id_overall-C5", "3")
        plain.get_by_role("button", name="Submit my ballot").click()
        expect(plain.locator("#error-summary")).to_contain_text("Your top 10 still needs 7 items.")
        for position, code in enumerate(["R2", "R3", "R5", "R6", "R7", "C1", "C2"], start=4):
            plain.fill(f"#id_overall-{code}", str(position))
        plain.get_by_role("button", name="Submit my ballot").click()
        expect(plain.locator("[data-receipt]")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        self.assertEqual(Ballot.objects.get().payload["overall"][:3], ["R1", "R4", "C5"])


class SurveyItemsInBrowserTestCase(BrowserTestCase):
    def test_the_secretariat_chooses_the_items_sees_them_frozen_and_is_warned_of_changes(self):
        from memorandum.catalogue.models import Phase, Recommendation, RecommendationKind, Status
        from memorandum.survey.models import Survey

        self.set_phase(Phase.PRIORITISATION)  # a survey is opened in the prioritisation
        self.log_in(self.secretariat, "en")
        self.page.goto(self.url("/en/editions/2024-2028/surveys/new/"))
        self.assert_accessible()
        self.page.get_by_label("Title in Dutch").fill("Prioriteiten 2031")
        self.page.get_by_label("Opens at").fill("2030-05-15T09:00")
        self.page.get_by_label("Closes at").fill("2030-06-05T23:59")
        c5 = self.page.get_by_role("checkbox", name=re.compile(r"^C5 "))
        expect(c5).to_be_checked()  # every published item is chosen by default
        c5.focus()
        self.page.keyboard.press("Space")
        self.page.get_by_role("button", name="Save").click()
        expect(
            self.page.get_by_role("heading", name="The 11 items opening will freeze")
        ).to_be_visible()
        self.assert_accessible()

        survey = Survey.objects.get(title_nl="Prioriteiten 2031")
        Survey.objects.filter(pk=survey.pk).update(opens_at=survey.opens_at.replace(year=2020))
        self.page.get_by_role("link", name="Open the survey").click()
        expect(self.page.get_by_text("Its 11 items are frozen as they stand now")).to_be_visible()
        self.page.get_by_role("button", name="Open the survey").click()
        expect(self.page.get_by_role("heading", name="The 11 items on the ballot")).to_be_visible()
        Recommendation.objects.create(
            edition=self.edition,
            kind=RecommendationKind.RECOMMENDATION,
            number=8,
            domain=self.edition.domains.first(),
            title_nl="Nieuwe aanbeveling 8",
            status=Status.ADOPTED,
        )
        self.page.reload()
        warning = self.page.locator(".catalogue-changes")
        expect(warning).to_contain_text("The catalogue has changed since this survey opened")
        expect(warning).to_contain_text("R8")
        self.assert_accessible()


class InvitationsInBrowserTestCase(BrowserTestCase):
    def test_the_secretariat_confirms_the_invitations_and_follows_each_e_mail(self):
        survey = make_survey(self.edition)
        self.log_in(self.secretariat, "en")
        self.page.goto(self.url(f"/en/editions/2024-2028/surveys/{survey.pk}/"))
        self.page.get_by_role("link", name="Send invitations to zones not yet invited").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(
            f"Send {len(self.zones)} invitations?"
        )
        self.assert_accessible()
        # The button has the focus: Enter sends.
        expect(
            self.page.get_by_role("button", name=f"Send {len(self.zones)} invitations")
        ).to_be_focused()
        self.page.keyboard.press("Enter")
        expect(self.page.locator("[data-mail-summary]")).to_contain_text(
            f"0 sent, {len(self.zones)} waiting"
        )
        run_queued_tasks()
        self.page.reload()
        expect(self.page.locator("[data-mail-summary]")).to_contain_text(f"{len(self.zones)} sent")
        expect(self.page.locator('[data-mail-status="sent"]')).to_have_count(len(self.zones))
        self.assert_accessible()
        # Revoking a link is a separate, confirmed act.
        self.page.get_by_role("link", name=f"Revoke the link of {self.zones[0].code}").click()
        expect(self.page.get_by_text("This cannot be undone.")).to_be_visible()
        self.assert_accessible()
        self.page.get_by_role("button", name="Revoke the link").click()
        expect(self.page.locator(f'tr[data-zone="{self.zones[0].code}"]')).to_contain_text(
            "revoked"
        )


class AnonymousSubmitInBrowserTestCase(BrowserTestCase):
    def test_the_final_anonymous_submit_says_it_cannot_be_changed_then_submits(self):
        from memorandum.survey.models import Anonymity

        survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        _invitation, raw = invite(survey, self.zones[0])
        self.page.goto(self.url(link(raw, "en")))
        for code in ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "C1", "C2", "C3"]:
            self.page.get_by_role("button", name=f"Rank {code}", exact=True).click()
        self.page.get_by_role("button", name="Submit my ballot").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(
            "Submit your anonymous ballot?"
        )
        expect(self.page.get_by_text("cannot be changed").first).to_be_visible()
        self.assert_accessible()
        self.assertFalse(Ballot.objects.get().is_submitted)
        self.page.get_by_role("button", name="Submit for good").click()
        expect(self.page.locator(".submitted")).to_be_visible()
        self.assertTrue(Ballot.objects.get().is_submitted)
        # Once submitted, the page no longer offers to change it.
        expect(self.page.get_by_text("it can no longer be changed")).to_be_visible()
        expect(self.page.get_by_text("You can change your answers until")).to_have_count(0)


class AnonymousWeightedSurveyInBrowserTestCase(BrowserTestCase):
    def test_set_up_desk_and_results_of_an_anonymous_weighted_survey_are_accessible(self):
        from memorandum.survey import casting, services
        from memorandum.survey.models import Anonymity, Weighting

        survey = make_survey(
            self.edition, anonymity=Anonymity.ANONYMOUS, weighting=Weighting.PERSONNEL
        )
        for zone in self.zones:
            casting.ballot_save(
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
