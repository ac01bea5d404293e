"""The walk of issue 15, as a new secretariat does it, on a 390 px phone, with axe-core on
every page: import a register of 185 zones, invite a corps chief and give roles, start
edition 2029-2033 from 2024-2028, open a survey over 219 recommendations, vote on it as the
corps chief with the keyboard only, and find each act in the audit log."""

from __future__ import annotations

import datetime as dt
import random
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from memorandum.test import BrowserTestCase, run_queued_tasks, xlsx

PHONE = {"width": 390, "height": 844}
STRONG = "zomerbries-over-de-schelde-29"

# A few real municipalities per province: zone names are built from them (realistic, but
# the register as a whole is made up).
TOWNS = {
    "ANT": ("Antwerpen", "Mechelen", "Turnhout", "Geel", "Lier", "Mol", "Boom", "Kapellen"),
    "LIM": ("Hasselt", "Genk", "Tongeren", "Lommel", "Bilzen", "Maasmechelen", "Beringen"),
    "OVL": ("Gent", "Aalst", "Dendermonde", "Eeklo", "Lokeren", "Ronse", "Deinze", "Zele"),
    "WVL": ("Brugge", "Kortrijk", "Oostende", "Ieper", "Roeselare", "Tielt", "Poperinge"),
    "VBR": ("Leuven", "Vilvoorde", "Halle", "Aarschot", "Tienen", "Zaventem", "Dilbeek"),
    "BRU": ("Brussel-Elsene", "Zuid", "Noord", "Montgomery", "Marlow", "Midi"),
    "WBR": ("Wavre", "Nivelles", "Ottignies", "Tubize", "Jodoigne", "Braine-l'Alleud"),
    "HAI": ("Charleroi", "Mons", "Tournai", "Mouscron", "La Louvière", "Ath", "Binche"),
    "LIE": ("Liège", "Seraing", "Verviers", "Huy", "Herstal", "Waremme", "Spa"),
    "LUX": ("Arlon", "Bastogne", "Marche-en-Famenne", "Neufchâteau", "Virton"),
    "NAM": ("Namur", "Dinant", "Ciney", "Gembloux", "Philippeville", "Andenne"),
}
# The innermost elements that reach past the screen's right edge, to say what overflows.
WIDER_THAN_THE_SCREEN = """(width) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width))
  .slice(0, 5)
  .map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> ${(e.textContent || '').trim().slice(0, 40)}`)"""
FRENCH = {"WBR", "HAI", "LIE", "LUX", "NAM"}


def register_of_185_zones() -> tuple[list[str], list[list]]:
    """A member register of 185 zones, spread over the provinces as the real ones are."""
    from memorandum.catalogue.register import COLUMNS
    from memorandum.catalogue.synthetic import PROVINCES, zone_counts

    rng = random.Random(2029)
    rows = []
    code = 5260
    for (province, _nl, _fr, _region, _share), count in zip(
        PROVINCES, zone_counts(185), strict=True
    ):
        towns = TOWNS[province]
        for index in range(count):
            code += 1
            town = towns[index % len(towns)]
            if index >= len(towns):
                town = f"{town}/{towns[(index * 3 + 1) % len(towns)]} {index // len(towns)}"
            language = "fr" if province in FRENCH else "nl"
            if province == "BRU":
                language = "nl-fr"
            if province == "LIE" and index >= count - 2:
                language = "de"  # the two German-speaking zones
            slug = re.sub(r"[^a-z]+", "-", town.lower()).strip("-")
            population = int(min(max(rng.lognormvariate(10.75, 0.55), 9_000), 600_000))
            rows.append(
                {
                    "code": str(code),
                    "name_nl": f"PZ {town}",
                    "name_fr": f"ZP {town}",
                    "province": province,
                    "region": "",
                    "language": language,
                    "personnel": max(20, population * 16 // 10_000),
                    "population": population,
                    "chief_email": f"korpschef.{code}@pz-{slug}.be",
                    "delegate_email": f"secretariaat.{code}@pz-{slug}.be" if index % 4 == 0 else "",
                    "merged_into": "",
                    "ended_on": "",
                }
            )
    return COLUMNS, [[row[column] for column in COLUMNS] for row in rows]


def catalogue_of_219_items() -> bytes:
    """The 219 recommendations of a full-size memorandum (synthetic, adopted), as the
    catalogue's XLSX export: the file a secretariat imports into its new edition."""
    from memorandum.catalogue.exchange import export_xlsx
    from memorandum.catalogue.models import Status
    from memorandum.catalogue.synthetic import generate_edition

    source = generate_edition(themes=21, recommendations=219, seed=15, slug="draft-2029")
    source.recommendations.update(status=Status.ADOPTED)
    content = export_xlsx(source)
    source.recommendations.all().delete()
    source.delete()
    return content


class SecretariatWalkTestCase(BrowserTestCase):
    """One walk from an empty register to a counted ballot, logged."""

    def check(self, page=None) -> None:
        """axe-core finds nothing serious and the page fits the 390 px screen."""
        page = page or self.page
        self.assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(WIDER_THAN_THE_SCREEN, PHONE["width"])
            self.fail(f"{page.url} is {width} px wide; too wide: {wide}")

    def setUp(self):
        super().setUp()
        self.context.close()
        self.context = self.browser.new_context(locale="nl-BE", viewport=PHONE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)

    def test_a_new_secretariat_runs_an_edition_from_the_register_to_the_ballots(self):
        try:
            self.walk()
        except Exception:
            errors = self.page.locator(".errors, .errorlist").all_inner_texts()
            print(self.page.url, errors, self.page.inner_text("main")[:1500])
            raise

    def walk(self):
        self.log_in(self.secretariat)
        self.check()
        chief_email = self.import_the_register()
        chief = self.invite_the_chief(chief_email)
        self.start_the_next_edition()
        survey_url = self.open_a_survey_over_219_items()
        voting_started = timezone.now()
        self.vote_as_the_chief_with_the_keyboard(chief_email, survey_url)
        self.read_the_audit_log(chief, voting_started)

    def import_the_register(self) -> str:
        page = self.page
        page.goto(self.url("/nl/accounts/"))
        self.check()
        page.get_by_role("link", name="Ledenregister (import, export)").click()
        page.wait_for_url("**/zones/register/")
        expect(page.locator("main")).to_contain_text(f"{len(self.zones)} politiezones")
        self.check()
        columns, rows = register_of_185_zones()
        page.set_input_files(
            "#id_file",
            {
                "name": "ledenregister-2029.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx({"zones": [columns, *rows]}),
            },
        )
        page.get_by_role("button", name="Controleren en importeren").click()
        page.wait_for_selector("text=185 nieuw")
        total = len(self.zones) + 185
        expect(page.locator("main")).to_contain_text(f"{total} politiezones zijn vandaag lid")
        self.check()
        # The French page says the same.
        page.goto(self.url("/fr/zones/register/"))
        expect(page.locator("main")).to_contain_text(f"{total} zones de police")
        self.check()
        page.goto(self.url("/nl/zones/register/"))
        # Every imported chief still needs an account: invite the first one from the list.
        first = rows[0]
        page.get_by_role("link", name=f"De korpschef van {first[0]} uitnodigen").click()
        page.wait_for_url("**/accounts/invite/**")
        self.assertEqual(page.input_value("#id_email"), first[columns.index("chief_email")])
        return first[columns.index("chief_email")]

    def invite_the_chief(self, email: str):
        from django.contrib.auth import get_user_model

        page = self.page
        self.check()
        page.fill("#id_first_name", "Ann")
        page.fill("#id_last_name", "Vermeulen")
        expect(page.get_by_label("Korpschef")).to_be_checked()
        page.get_by_role("button", name="De uitnodiging versturen").click()
        page.wait_for_url("**/accounts/")
        expect(page.locator("main")).to_contain_text("Ann Vermeulen is uitgenodigd")
        self.check()

        run_queued_tasks()
        message = mail.outbox[-1]
        self.assertEqual(message.to, [email])
        path = re.search(r"https?://[^/\s]+(/\S+/accounts/welcome/\S+/)", message.body).group(1)
        newcomer = self.new_page(locale="nl-BE", viewport=PHONE)
        newcomer.goto(self.url(path))
        expect(newcomer.locator("h1")).to_contain_text("Kies uw wachtwoord")
        self.check(newcomer)
        newcomer.fill("#id_new_password1", STRONG)
        newcomer.fill("#id_new_password2", STRONG)
        newcomer.keyboard.press("Enter")
        newcomer.wait_for_url("**/login/**")
        self.check(newcomer)

        # The secretariat makes her coordinator of her province as well.
        chief = get_user_model().objects.get(email=email)
        page.goto(self.url(f"/nl/accounts/{chief.pk}/"))
        self.check()
        page.get_by_label("Provinciaal coördinator").check()
        page.select_option("#id_province", label="Antwerpen")
        page.locator("main form.stack button.primary").click()
        page.wait_for_selector("text=Het account is bewaard.")
        self.check()
        return chief

    def start_the_next_edition(self) -> None:
        self.start_edition_2029_2033(check=self.check)
        page = self.page
        page.goto(self.url("/nl/editions/2029-2033/changes/"))
        expect(page.locator("h1")).to_contain_text("Wat veranderde sinds het vorige memorandum")
        self.check()

    def open_a_survey_over_219_items(self) -> str:
        page = self.page
        # The draft catalogue of 2029-2033: 219 items, adopted by the General Assembly.
        page.goto(self.url("/nl/editions/2029-2033/import/"))
        self.check()
        page.set_input_files(
            "#id_file",
            {
                "name": "catalogus-2029-2033.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": catalogue_of_219_items(),
            },
        )
        page.get_by_role("button", name="Controleren en importeren").click()
        page.wait_for_url("**/editions/2029-2033/catalogue/")
        # The twelve items carried over from 2024-2028 get the new texts; 207 are new.
        expect(page.locator(".messages")).to_contain_text("aanbevelingen: 207 nieuw, 12 bijgewerkt")
        self.check()
        from memorandum.catalogue.models import Edition, Status

        edition = Edition.objects.get(slug="2029-2033")
        self.assertEqual(edition.recommendations.filter(status=Status.ADOPTED).count(), 219)

        # The edition moves from the consultation to the prioritisation.
        page.goto(self.url("/nl/editions/2029-2033/process/"))
        self.check()
        page.get_by_role("link", name="Naar de fase “Prioritering”…").click()
        page.wait_for_url("**/process/next/")
        self.check()
        page.keyboard.press("Enter")
        page.wait_for_url("**/nl/editions/2029-2033/process/")
        self.check()

        page.goto(self.url("/nl/editions/2029-2033/surveys/new/"))
        self.check()
        today = dt.date.today()
        page.get_by_label("Opent op").fill(f"{today - dt.timedelta(days=1):%Y-%m-%d}T09:00")
        page.get_by_label("Sluit op").fill(f"{today + dt.timedelta(days=21):%Y-%m-%d}T23:59")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("heading", name="De 219 punten die bij het openen")).to_be_visible()
        self.check()
        page.get_by_role("link", name="De bevraging openen").click()
        self.check()
        page.get_by_role("button", name="De bevraging openen").click()
        expect(page.get_by_role("heading", name="De 219 punten op het stembiljet")).to_be_visible()
        self.check()
        survey_url = page.url
        page.get_by_role("link", name="Uitnodigingen sturen aan zones die nog niet").click()
        zones = len(self.zones) + 185
        expect(page.locator("h1")).to_contain_text(str(zones))
        self.check()
        page.keyboard.press("Enter")  # the button has the focus
        expect(page.locator("[data-mail-summary]")).to_contain_text(f"0 verstuurd, {zones}")
        run_queued_tasks()
        page.reload()
        expect(page.locator("[data-mail-summary]")).to_contain_text(f"{zones} verstuurd")
        self.check()
        return survey_url

    def vote_as_the_chief_with_the_keyboard(self, email: str, survey_url: str) -> None:
        chief = self.new_page(locale="nl-BE", viewport=PHONE)
        chief.goto(self.url("/nl/login/"))
        self.check(chief)
        chief.focus("input[name=username]")
        chief.keyboard.type(email)
        chief.keyboard.press("Tab")
        chief.keyboard.type(STRONG)
        chief.keyboard.press("Enter")
        chief.wait_for_url(lambda url: "/login/" not in url)
        self.check(chief)
        chief.goto(self.url("/nl/editions/2029-2033/surveys/"))
        self.check(chief)
        vote = chief.get_by_role("link", name="Invullen voor mijn zone")
        vote.first.focus()
        chief.keyboard.press("Enter")
        chief.wait_for_url("**/ballot/")
        self.check(chief)
        codes = chief.locator("ol[data-list=overall] > li").evaluate_all(
            "items => items.map(item => item.dataset.code)"
        )
        self.assertEqual(len(codes), 219)
        chosen = codes[::22]  # ten items from all over the catalogue
        for code in chosen:
            chief.get_by_role("button", name=f"{code} rangschikken", exact=True).focus()
            chief.keyboard.press("Enter")
        expect(chief.locator("#rank-announcer")).to_contain_text(f"{chosen[-1]} staat nu op plaats")
        # The last one goes up twice, with Enter on its "up" button.
        chief.keyboard.press("Enter")
        chief.keyboard.press("Enter")
        self.check(chief)
        chief.get_by_role("button", name="Mijn stembiljet indienen").focus()
        chief.keyboard.press("Enter")
        expect(chief.locator("[data-receipt]")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        self.check(chief)

        from memorandum.survey.models import Ballot

        ballot = Ballot.objects.get(survey__edition__slug="2029-2033")
        self.assertTrue(ballot.is_submitted)
        self.assertEqual(
            ballot.payload["overall"][:10], [*chosen[:7], chosen[9], chosen[7], chosen[8]]
        )

    def read_the_audit_log(self, chief, voting_started) -> None:
        """Each act of the walk is in the log, found with the log's own filter; the ballot is
        not (a ballot is never logged: that would tie a zone to its answers)."""
        from memorandum.audit.models import AuditEntry

        page = self.page
        page.goto(self.url("/nl/audit/"))
        self.check()
        acts = [
            ("data.imported", "ledenregister-2029.xlsx"),
            ("account.invited", "Ann Vermeulen"),
            ("account.password_set", "Ann Vermeulen"),
            ("account.role_granted", "Provinciaal coördinator"),
            ("edition.created", "2029-2033"),
            ("data.imported", "catalogus-2029-2033.xlsx"),
            ("edition.phase_changed", "Prioritering"),
            ("survey.opened", "Prioriteiten van Memorandum 2029-2033"),
            ("survey.invitations_sent", "Prioriteiten van Memorandum 2029-2033"),
        ]
        for action, words in acts:
            page.select_option("#id_action", action)
            page.locator("form.filters button").click()
            page.wait_for_url(f"**action={action}**")
            expect(page.locator("main table")).to_contain_text(words)
        self.check()
        since = AuditEntry.objects.filter(created_at__gte=voting_started)
        self.assertEqual(set(since.values_list("action", flat=True)), {"auth.sign_in"})
        page.goto(self.url("/fr/audit/?action=account.role_granted"))
        expect(page.locator("main table")).to_contain_text("Coordinateur provincial")
        self.check()
