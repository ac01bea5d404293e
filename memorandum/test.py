"""Shared test set-up: the demo edition and one persona per role.

Every test case that needs data inherits from :class:`BaseTestCase`; browser tests from
:class:`BrowserTestCase`, which drives Debian's chromium through Playwright and can run
axe-core on any page.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from memorandum.catalogue import roles
from memorandum.catalogue.exchange import load_edition
from memorandum.catalogue.models import Edition, UserProfile
from memorandum.catalogue.synthetic import generate_zones


def run_queued_tasks() -> int:
    """Run every job waiting in the database queue, as the worker would, and return how
    many ran. The worker closes connections between jobs; inside a test's transaction
    that would end the test, so this one keeps the connection."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.exclude(status="READY").count()
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
        )
    return DBTaskResult.objects.exclude(status="READY").count() - before


DEMO_FIXTURE = Path(__file__).resolve().parent / "catalogue" / "fixtures" / "demo_2024_2028.json"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PASSWORD = "a-long-test-password-42"


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with these sheets (name: rows, the header first), as an upload's bytes."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_user(username: str, role: str | None, **profile) -> object:
    user = get_user_model().objects.create_user(username, f"{username}@example.invalid", PASSWORD)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if role == roles.SECRETARIAT:
        user.is_staff = True
        user.save()
    UserProfile.objects.create(user=user, **profile)
    return user


class Personas:
    """Builds the demo edition, a few synthetic zones and a user per role."""

    @classmethod
    def create_personas(cls) -> None:
        cls.edition, result = load_edition(DEMO_FIXTURE.read_bytes(), DEMO_FIXTURE.name)
        assert not result.problems, result.problems
        cls.zones = generate_zones(22, seed=7)
        cls.secretariat = make_user("secretariat", roles.SECRETARIAT)
        cls.chief = make_user("chief", roles.CORPS_CHIEF, zone=cls.zones[0])
        cls.other_chief = make_user("other_chief", roles.CORPS_CHIEF, zone=cls.zones[1])
        cls.coordinator = make_user("coordinator", roles.PROVINCIAL_COORDINATOR)
        cls.assembly = make_user("assembly", roles.ASSEMBLY_MEMBER)
        cls.partner = make_user("partner", roles.PARTNER, organisation="Federale Politie")
        cls.outsider = make_user("outsider", None)

    def set_phase(self, phase: str) -> None:
        """Put the demo edition (in follow-up) in ``phase`` for this test: the consultation
        for a test that submits proposals, the consolidation for one that records decisions
        (``memorandum.catalogue.phases`` says what each phase allows)."""
        self.edition.phase = phase
        self.edition.save(update_fields=["phase"])


class BaseTestCase(Personas, TestCase):
    edition: Edition

    @classmethod
    def setUpTestData(cls) -> None:
        cls.create_personas()

    def login(self, user) -> None:
        self.client.force_login(user)


class InEnglish:
    """Run a test case in English (URLs under /en/, messages in English) so assertions read plainly."""

    def setUp(self):
        super().setUp()
        self.enterContext(translation.override("en"))


class AppPagesTestCase(InEnglish, BaseTestCase):
    """The pages of one app for the demo edition, in English: ``url(name, *args)`` is the
    address of the page ``<app>:<name>`` (``app`` set by the subclass)."""

    app = ""

    def url(self, name: str, *args) -> str:
        return reverse(f"{self.app}:{name}", args=[self.edition.slug, *args])


class BrowserTestCase(Personas, StaticLiveServerTestCase):
    """A live server plus a Playwright page in Debian's chromium (headless)."""

    serialized_rollback = False

    @classmethod
    def setUpClass(cls) -> None:
        # Playwright's sync API runs an event loop in this thread, which Django's ORM guard
        # mistakes for async code; allowed for these classes only, restored afterwards.
        cls._async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls._playwright = sync_playwright().start()
        cls.browser = cls._playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls._playwright.stop()
        super().tearDownClass()
        if cls._async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls._async_unsafe

    def setUp(self) -> None:
        self.create_personas()
        self.context = self.browser.new_context(locale="nl-BE")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)

    def tearDown(self) -> None:
        self.context.close()

    def new_page(self, **context_options):
        """A page in a browser context of its own (another user, no JavaScript …), closed
        when the test ends."""
        context = self.browser.new_context(**context_options)
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    def url(self, path: str) -> str:
        return f"{self.live_server_url}{path}"

    def log_in(self, user, lang: str = "nl") -> None:
        self.page.goto(self.url(f"/{lang}/login/"))
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(lambda url: "/login/" not in url)

    def start_edition_2029_2033(self, lang: str = "nl", check=None) -> str:
        """As the logged-in secretariat, start edition 2029-2033 from 2024-2028's page through
        the next-edition form and its confirmation, with ``check`` (default
        :meth:`assert_accessible`) on every page; returns the confirmation's title and ends on
        the new edition's page."""
        page, check = self.page, check or self.assert_accessible
        page.goto(self.url(f"/{lang}/editions/2024-2028/"))
        check()
        page.locator("a[href*='next-edition']").click()
        page.wait_for_url("**/next-edition/?from=2024-2028")
        check()
        page.fill("#id_slug", "2029-2033")
        page.fill("#id_title_nl", "Memorandum 2029-2033")
        page.fill("#id_title_fr", "Mémorandum 2029-2033")
        page.fill("#id_period_start", "2029")
        page.fill("#id_period_end", "2033")
        page.locator("main form button.primary").click()
        page.wait_for_selector("#confirm-what")
        title = page.inner_text("h1")
        check()
        page.locator(".confirm-actions button[type=submit]").click()
        page.wait_for_url("**/editions/2029-2033/")
        check()
        return title

    def assert_accessible(self, page=None) -> None:
        """No serious or critical axe-core violations on ``page`` (the test's own page by
        default)."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page or self.page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        self.assertEqual(
            bad, [], "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in bad)
        )
