import re

from django.core import mail

from memorandum.test import BrowserTestCase, run_queued_tasks

STRONG = "kastanje-wandeling-2029"


class AccountsInTheBrowserTestCase(BrowserTestCase):
    def test_the_secretariat_invites_a_chief_with_the_keyboard_and_the_invitee_sets_a_password(
        self,
    ):
        page = self.page
        self.log_in(self.secretariat)
        page.goto(self.url("/nl/accounts/"))
        self.assertIn("Accounts", page.inner_text("h1"))
        self.assert_accessible()

        page.get_by_role("link", name="Iemand uitnodigen").click()
        page.wait_for_url("**/accounts/invite/")
        self.assert_accessible()
        # Submitting a chief without a zone shows the errors, accessibly, and keeps the input.
        page.fill("#id_first_name", "Jan")
        page.fill("#id_last_name", "Peeters")
        page.fill("#id_email", "jan@zone.example")
        page.get_by_label("Korpschef").check()
        page.get_by_role("button", name="De uitnodiging versturen").press("Enter")
        page.wait_for_selector("text=Een korpschef heeft een politiezone nodig.")
        self.assertEqual(page.input_value("#id_first_name"), "Jan")
        self.assert_accessible()
        page.select_option("#id_zone", str(self.zones[3].pk))
        page.focus("#id_organisation")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url("**/accounts/")
        self.assertIn("Jan Peeters is uitgenodigd", page.inner_text("main"))
        self.assertIn("Uitgenodigd, nog geen wachtwoord", page.inner_text("table"))

        run_queued_tasks()
        link = re.search(r"https?://\S+/accounts/welcome/\S+/", mail.outbox[-1].body).group(0)
        path = "/" + link.split("://", 1)[1].split("/", 1)[1]
        self.context.clear_cookies()
        page.goto(self.url(path))
        self.assertIn("Kies uw wachtwoord", page.inner_text("h1"))
        self.assert_accessible()
        page.fill("#id_new_password1", "12345678")
        page.fill("#id_new_password2", "12345678")
        page.keyboard.press("Enter")
        page.wait_for_selector(".errors")
        self.assert_accessible()
        page.fill("#id_new_password1", STRONG)
        page.fill("#id_new_password2", STRONG)
        page.keyboard.press("Enter")
        page.wait_for_url("**/login/")
        page.fill("input[name=username]", "jan@zone.example")
        page.fill("input[name=password]", STRONG)
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(self.url(path))
        self.assertIn("Deze link werkt niet meer", page.inner_text("h1"))
        self.assert_accessible()

    def test_role_editing_deactivation_and_my_account_pass_axe(self):
        page = self.page
        self.log_in(self.secretariat)
        page.goto(self.url(f"/nl/accounts/{self.chief.pk}/"))
        self.assert_accessible()
        page.fill("#id_first_name", "Chris")
        page.fill("#id_last_name", "Korpschef")
        page.get_by_label("Lid van de Algemene Vergadering").check()
        page.locator("main form.stack button.primary").click()
        page.wait_for_selector("text=Het account is bewaard.")
        self.assertIn("Rol Lid van de Algemene Vergadering", page.inner_text("main"))
        page.get_by_role("link", name="Deactiveren…").click()
        page.wait_for_url("**/deactivate/")
        self.assert_accessible()
        page.get_by_role("button", name="Het account deactiveren").click()
        page.wait_for_selector("text=is gedeactiveerd")
        self.assertIn("Gedeactiveerd", page.inner_text("h1"))
        page.goto(self.url("/fr/accounts/me/"))
        self.assertIn("Mon compte", page.inner_text("h1"))
        self.assert_accessible()
        page.goto(self.url("/fr/accounts/me/password/"))
        self.assert_accessible()

    def test_the_audit_log_shows_the_acts_and_passes_axe(self):
        page = self.page
        self.log_in(self.secretariat)
        page.goto(self.url(f"/nl/accounts/{self.partner.pk}/deactivate/"))
        page.get_by_role("button", name="Het account deactiveren").click()
        page.wait_for_selector("text=is gedeactiveerd")
        page.get_by_role("link", name="Auditlog", exact=True).click()
        page.wait_for_url("**/audit/")
        text = page.inner_text("table")
        self.assertIn("Account gedeactiveerd", text)
        self.assertIn("secretariat heeft zich aangemeld", text)
        self.assert_accessible()
        page.select_option("#id_action", "account.deactivated")
        page.locator("form.filters button").click()
        page.wait_for_url("**action=account.deactivated**")
        self.assertIn("1 regel", page.inner_text("main"))
        self.assert_accessible()
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").click()
        self.assertTrue(download.value.suggested_filename.endswith(".csv"))
        page.goto(self.url("/fr/audit/"))
        self.assertIn("Journal d’audit", page.inner_text("h1"))
        self.assert_accessible()


class MemberRegisterInTheBrowserTestCase(BrowserTestCase):
    def test_the_secretariat_imports_a_bad_register_and_invites_a_chief_from_the_register(self):
        from memorandum.catalogue.tests.test_register import register_file, row

        page = self.page
        self.log_in(self.secretariat)
        page.goto(self.url("/nl/accounts/"))
        page.get_by_role("link", name="Ledenregister (import, export)").click()
        page.wait_for_url("**/zones/register/")
        self.assert_accessible()
        page.set_input_files(
            "#id_file",
            {
                "name": "r.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": register_file(row(province="XX")),
            },
        )
        page.get_by_role("button", name="Controleren en importeren").click()
        page.wait_for_selector("text=Onbekende provincie")
        self.assert_accessible()
        page.get_by_role("link", name=f"De korpschef van {self.zones[0].code} uitnodigen").click()
        page.wait_for_url("**/accounts/invite/**")
        self.assertEqual(page.input_value("#id_email"), self.zones[0].email)
