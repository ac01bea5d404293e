"""In the browser: a corps chief answers through the link (a bad value first), and the
report page reads well; both pages pass axe."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from memorandum.impact.counting import aggregate
from memorandum.impact.models import (
    CountRun,
    CountStatus,
    EstimateRound,
    ImpactInvitation,
    Mission,
    RoundStatus,
    ZoneEstimate,
)
from memorandum.impact.synthetic import fill_with_estimates
from memorandum.test import BrowserTestCase


class ImpactInBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.mission = Mission.objects.create(
            edition=self.edition,
            title_nl="Nieuwe opdracht",
            title_fr="Nouvelle mission",
            source_text="Omzendbrief COL 1/2026",
            questions_nl="Hoeveel personeel?",
            is_synthetic=True,
        )
        now = timezone.now()
        self.round = EstimateRound.objects.create(
            mission=self.mission,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
            status=RoundStatus.OPEN,
            replicates=200,
        )
        invitation = ImpactInvitation(round=self.round, zone=self.zones[0])
        self.raw = invitation.new_token()
        invitation.save()

    def test_a_corps_chief_corrects_a_bad_value_and_submits(self):
        self.page.goto(self.url(f"/en/impact/estimate/{self.raw}/"))
        staff = self.zones[0].personnel
        self.page.get_by_label("Recurring staff need (FTE)").fill(str(staff + 5))
        self.page.get_by_label("Hours per year, operational staff (hours/year)").fill("1200")
        self.page.get_by_role("button", name="Save draft").click()
        expect(self.page.locator("#error-summary")).to_contain_text("whole staff")
        self.assertFalse(ZoneEstimate.objects.exists())
        self.assert_accessible()
        self.page.get_by_label("Recurring staff need (FTE)").fill("1.5")
        self.page.get_by_label("Hours per year, CALog staff (hours/year)").fill("300")
        self.page.get_by_label("One-off cost (EUR)").fill("20000")
        self.page.get_by_label("Earliest feasible start").fill("2027-03-01")
        self.page.get_by_label("3 – feasible with difficulty").check()
        self.page.get_by_role("button", name="Submit").click()
        expect(self.page.locator(".messages")).to_contain_text("Your estimate is submitted")
        self.assertTrue(ZoneEstimate.objects.get().is_submitted)
        self.assert_accessible()

    def test_the_report_page_is_accessible(self):
        fill_with_estimates(
            self.round, fte_per_100=1, one_off_per_staff=50, response_rate=0.8, seed=2
        )
        CountRun.objects.create(
            round=self.round,
            status=CountStatus.DONE,
            results=aggregate(self.round),
            finished_at=timezone.now(),
        )
        EstimateRound.objects.filter(pk=self.round.pk).update(status=RoundStatus.COUNTED)
        self.log_in(self.assembly, "en")
        self.page.goto(self.url(f"/en/editions/2024-2028/impact/rounds/{self.round.pk}/report/"))
        expect(self.page.locator("h1")).to_have_text("Impact report")
        expect(self.page.get_by_text("Method", exact=True)).to_be_visible()
        self.assert_accessible()
