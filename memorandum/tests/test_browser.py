"""In the browser: the pages keep working under the Content-Security-Policy, and the sign-in
protection pages are accessible."""

from axes.models import AccessAttempt
from django.test import override_settings
from playwright.sync_api import expect

from memorandum.survey.tests.helpers import invite, link, make_survey
from memorandum.test import PASSWORD, BrowserTestCase


class ContentSecurityPolicyInBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.violations: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def test_htmx_filters_and_ballot_drag_and_drop_work_under_the_policy(self):
        page = self.page
        page.goto(self.url("/nl/editions/2024-2028/catalogue/"))
        page.locator("#id_q").press_sequentially("herfinancieren")  # htmx: results follow typing
        page.wait_for_selector("text=1 item")

        survey = make_survey(self.edition)
        _invitation, raw = invite(survey, self.zones[0])
        page.set_viewport_size({"width": 1280, "height": 2200})
        page.goto(self.url(link(raw)))
        overall = page.locator("ol[data-list=overall]")
        # items start "not ranked yet": rank two, then drag the second above the first
        page.get_by_role("button", name="Rank R4", exact=True).click()
        page.get_by_role("button", name="Rank C5", exact=True).click()
        overall.locator("li[data-code=C5] .item-text").drag_to(
            overall.locator("li[data-code=R4] .item-text")
        )
        expect(overall.locator("li").first).to_have_attribute("data-code", "C5")
        expect(page.locator("#draft-status")).to_contain_text("Draft saved")  # htmx POST

        self.log_in(self.secretariat)
        page.goto(self.url("/nl/editions/2024-2028/roadmap/"))
        page.goto(self.url("/admin/catalogue/recommendation/"))
        expect(page.locator("#result_list")).to_be_visible()
        self.assertEqual(self.violations, [])


class SignInProtectionInBrowserTestCase(BrowserTestCase):
    def test_the_secretariat_unlocks_an_account_from_an_accessible_page(self):
        AccessAttempt.objects.create(
            username="chief",
            ip_address="10.0.0.1",
            user_agent="test",
            http_accept="*/*",
            path_info="/nl/login/",
            get_data="",
            post_data="",
            failures_since_start=5,
        )
        self.log_in(self.secretariat)
        self.page.get_by_role("link", name="Vergrendelde aanmeldingen").click()
        expect(self.page.locator("table.data")).to_contain_text("Vergrendeld")
        self.assert_accessible()
        self.page.get_by_role("button", name="Account chief ontgrendelen").click()
        expect(self.page.locator(".messages")).to_contain_text("Account chief ontgrendeld.")
        self.assertFalse(AccessAttempt.objects.exists())

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_the_lock_out_page_says_what_happened_and_is_accessible(self):
        for _ in range(2):
            self.page.goto(self.url("/fr/login/"))
            self.page.fill("input[name=username]", "chief")
            self.page.fill("input[name=password]", "wrong-" + PASSWORD)
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        expect(self.page.locator("h1")).to_have_text("Connexion verrouillée")
        expect(self.page.locator("main")).to_contain_text("secrétariat")
        self.assert_accessible()

    @override_settings(GUESS_LIMIT=1)
    def test_the_too_many_attempts_page_is_accessible(self):
        from django.core.cache import cache

        cache.clear()
        self.addCleanup(cache.clear)
        self.page.goto(self.url(link("not-a-real-token", "nl")))
        response = self.page.goto(self.url(link("another-wrong-token", "nl")))
        self.assertEqual(response.status, 429)
        expect(self.page.locator("h1")).to_have_text("Te veel pogingen")
        self.assert_accessible()


class SmallScreenBrowserTestCase(BrowserTestCase):
    """On a 390 px phone the site header and the main pages fit the screen: no sideways scroll."""

    PAGES = (
        "/{lang}/",
        "/{lang}/editions/2024-2028/",
        "/{lang}/editions/2024-2028/catalogue/",
        "/{lang}/editions/2024-2028/memorandum/",
        "/{lang}/editions/2024-2028/roadmap/",
    )

    def assert_fits(self, path: str, width: int = 390) -> None:
        self.page.goto(self.url(path))
        scroll, header = self.page.evaluate(
            "[document.documentElement.scrollWidth,"
            " document.querySelector('.site-header').scrollWidth]"
        )
        self.assertLessEqual(header, width, f"the header of {path} is {header} px wide")
        self.assertLessEqual(scroll, width, f"{path} is {scroll} px wide")

    def test_the_header_and_main_pages_fit_a_390_px_screen_for_visitors_and_the_secretariat(self):
        self.page.set_viewport_size({"width": 390, "height": 844})
        for path in self.PAGES:
            self.assert_fits(path.format(lang="fr"))
        self.assert_accessible()
        self.log_in(self.secretariat, "fr")  # the longest menu: 14 entries, in French
        for path in self.PAGES:
            self.assert_fits(path.format(lang="fr"))
        self.assert_accessible()
        self.assert_fits("/nl/editions/2024-2028/")
        self.assert_accessible()
