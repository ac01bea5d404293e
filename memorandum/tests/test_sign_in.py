"""Sign-in that resists guessing: lock-outs per account and per address, unlocking by the
secretariat, limits on guessing invitation links and receipts, session fixation and logout."""

from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import override_settings

from memorandum.survey import casting, services
from memorandum.survey.tests.helpers import invite, link, make_survey
from memorandum.test import PASSWORD, BaseTestCase

LOGIN = "/nl/login/"
ADMIN_LOGIN = "/admin/login/"


@override_settings(AXES_FAILURE_LIMIT=3)
class LockOutTestCase(BaseTestCase):
    def fail(self, url=LOGIN, username="chief", address="10.0.0.1"):
        return self.client.post(
            url, {"username": username, "password": "wrong-guess"}, REMOTE_ADDR=address
        )

    def test_wrong_passwords_lock_the_account_even_for_the_right_password(self):
        for _ in range(2):
            self.assertEqual(self.fail().status_code, 200)
        with self.assertLogs("memorandum.signin", "WARNING") as logged:
            response = self.fail()
        self.assertEqual(response.status_code, 429)
        self.assertIn("locked out: account=chief address=10.0.0.1", "\n".join(logged.output))
        self.assertContains(response, "secretariaat", status_code=429)
        self.assertTemplateUsed(response, "base.html")
        response = self.client.post(
            LOGIN, {"username": "chief", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
        )
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_account_counter_ignores_the_case_and_spaces_of_the_name(self):
        for name, address in (
            ("chief", "10.0.3.1"),
            ("Chief", "10.0.3.2"),
            (" CHIEF ", "10.0.3.3"),
        ):
            self.fail(username=name, address=address)
        response = self.client.post(
            LOGIN, {"username": "chief", "password": PASSWORD}, REMOTE_ADDR="10.0.3.4"
        )
        self.assertEqual(response.status_code, 429)

    def test_the_name_signs_in_whatever_its_case(self):
        response = self.client.post(
            LOGIN, {"username": " Chief", "password": PASSWORD}, REMOTE_ADDR="10.0.4.1"
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.chief.pk))

    def test_one_address_guessing_many_accounts_is_locked(self):
        for name in ("chief", "partner", "assembly"):
            self.fail(username=name, address="10.0.0.7")
        response = self.client.post(
            LOGIN, {"username": "coordinator", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
        )
        self.assertEqual(response.status_code, 429)
        response = self.client.post(
            LOGIN, {"username": "coordinator", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
        )
        self.assertEqual(response.status_code, 302)

    def test_the_lock_out_message_is_in_the_readers_language(self):
        for lang, words, address in (
            ("fr", "secrétariat", "10.0.2.1"),
            ("en", "secretariat", "10.0.2.2"),
        ):
            for _ in range(3):
                response = self.fail(url=f"/{lang}/login/", username=f"x-{lang}", address=address)
            self.assertContains(response, words, status_code=429)

    def test_the_admin_login_is_locked_the_same_way(self):
        for _ in range(3):
            response = self.fail(url=ADMIN_LOGIN, username="secretariat")
        self.assertEqual(response.status_code, 429)
        response = self.client.post(
            ADMIN_LOGIN, {"username": "secretariat", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
        )
        self.assertEqual(response.status_code, 429)

    def test_the_login_page_says_what_happens_after_failures(self):
        self.assertContains(self.client.get(LOGIN), "3 mislukte pogingen")

    def test_the_secretariat_sees_and_lifts_a_lock_out_and_it_is_logged(self):
        for _ in range(3):
            self.fail()
        self.login(self.secretariat)
        page = self.client.get("/nl/sign-in/lock-outs/")
        self.assertContains(page, "chief")
        self.assertContains(page, "Vergrendeld")
        with self.assertLogs("memorandum.signin", "WARNING") as logged:
            response = self.client.post("/nl/sign-in/lock-outs/", {"username": "chief"})
        self.assertRedirects(response, "/nl/sign-in/lock-outs/")
        self.assertIn("unlocked by secretariat", logged.output[0])
        self.assertFalse(AccessAttempt.objects.filter(username="chief").exists())
        self.client.logout()
        response = self.client.post(
            LOGIN, {"username": "chief", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        )
        self.assertEqual(response.status_code, 302)

    def test_an_account_typed_with_capitals_is_unlocked_too(self):
        for _ in range(3):
            self.fail(username="Chief")
        self.login(self.secretariat)
        with self.assertLogs("memorandum.signin", "WARNING"):
            self.client.post("/nl/sign-in/lock-outs/", {"username": "Chief "})
        self.assertFalse(AccessAttempt.objects.filter(username="chief").exists())
        self.client.logout()
        response = self.client.post(
            LOGIN, {"username": "chief", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        )
        self.assertEqual(response.status_code, 302)

    def test_what_was_typed_in_the_name_field_is_never_stored(self):
        """A password typed into the name field stays in no table; a name no account has
        is counted under a short digest, so guessing it again is still counted."""
        typed = "My-Secret-Pass-1"
        for _ in range(3):
            response = self.fail(username=typed, address="10.0.5.1")
        self.assertEqual(response.status_code, 429)
        attempt = AccessAttempt.objects.get(ip_address="10.0.5.1")
        self.assertRegex(attempt.username, r"^\?[0-9a-f]{16}$")
        self.assertNotIn(typed.lower(), attempt.post_data.lower())
        self.assertNotIn(typed.lower(), attempt.get_data.lower())
        self.fail(username="Chief", address="10.0.5.2")
        self.assertTrue(AccessAttempt.objects.filter(username="chief").exists())

    def test_a_name_too_long_for_any_column_is_a_failed_sign_in_not_an_error(self):
        """Django's login form does not limit the name's length (PostgreSQL refused axes'
        row of 10,000 characters with a 500)."""
        response = self.fail(username="x" * 10_000, address="10.0.5.3")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(AccessAttempt.objects.get(ip_address="10.0.5.3").username), 17)
        # Past SQLite's longest LIKE pattern (50,000 bytes), on the site's and the admin's login.
        for url in (LOGIN, "/admin/login/"):
            self.assertEqual(
                self.fail(url, username="x" * 100_000, address="10.0.5.4").status_code, 200
            )

    def test_an_unknown_name_is_unlocked_by_what_the_secretariat_types(self):
        for _ in range(3):
            self.fail(username="No-Such-Account", address="10.0.5.4")
        self.login(self.secretariat)
        with self.assertLogs("memorandum.signin", "WARNING"):
            self.client.post("/nl/sign-in/lock-outs/", {"username": "no-such-account"})
        self.assertFalse(AccessAttempt.objects.filter(ip_address="10.0.5.4").exists())

    @override_settings(PROXY_COUNT=1)
    def test_a_forwarded_address_that_is_no_address_counts_the_connection(self):
        response = self.client.post(
            LOGIN,
            {"username": "chief", "password": "wrong-guess"},
            REMOTE_ADDR="10.0.5.5",
            HTTP_X_FORWARDED_FOR="not-an-address",
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(AccessAttempt.objects.filter(ip_address="10.0.5.5").exists())

    def test_the_secretariat_can_lift_an_address(self):
        for name in ("a", "b", "c"):
            self.fail(username=name, address="10.0.0.9")
        self.login(self.secretariat)
        self.client.post("/nl/sign-in/lock-outs/", {"ip_address": "10.0.0.9"})
        self.assertFalse(AccessAttempt.objects.filter(ip_address="10.0.0.9").exists())

    def test_unlocking_without_a_choice_is_a_clear_bad_request(self):
        self.login(self.secretariat)
        # A NUL in the name answered 500 on PostgreSQL (outside probe).
        response = self.client.post("/nl/sign-in/lock-outs/", {"username": "a\x00b"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.post("/nl/sign-in/lock-outs/", {}).status_code, 400)
        response = self.client.post("/nl/sign-in/lock-outs/", {"ip_address": "not-an-address"})
        self.assertEqual(response.status_code, 400)

    def test_a_control_character_is_named_as_the_reason_in_each_language(self):
        self.login(self.secretariat)
        expected = {
            "nl": "De accountnaam bevat een controleteken",
            "fr": "Le nom du compte contient un caractère de contrôle",
            "en": "The account name contains a control character",
        }
        for lang, text in expected.items():
            response = self.client.post(f"/{lang}/sign-in/lock-outs/", {"username": "chief\x07"})
            self.assertContains(response, text, status_code=400)
        response = self.client.post("/fr/sign-in/lock-outs/", {"ip_address": "10.0.0.1\x00"})
        self.assertContains(
            response, "L’adresse contient un caractère de contrôle", status_code=400
        )
        response = self.client.post("/nl/sign-in/lock-outs/", {"ip_address": "10.0.0.999"})
        self.assertContains(response, "Dit is geen IP-adres", status_code=400)

    def test_other_roles_cannot_see_or_lift_lock_outs(self):
        for user in (self.chief, self.partner, self.assembly, self.coordinator, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get("/nl/sign-in/lock-outs/").status_code, 403)
            self.assertEqual(
                self.client.post("/nl/sign-in/lock-outs/", {"username": "x"}).status_code, 403
            )
        self.client.logout()
        self.assertRedirects(
            self.client.get("/nl/sign-in/lock-outs/"),
            "/nl/login/?next=/nl/sign-in/lock-outs/",
        )

    def test_signing_in_to_another_account_does_not_wipe_the_failures_against_a_victim(self):
        """An insider cannot guess a colleague's password forever by signing in to their own
        account between guesses: failures expire with the cool-off, not with a sign-in."""
        for _ in range(2):
            self.fail(username="other_chief")
        signed_in = self.client.post(
            LOGIN, {"username": "chief", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        )
        self.assertEqual(signed_in.status_code, 302)
        self.client.logout()
        self.assertEqual(self.fail(username="other_chief").status_code, 429)


class SessionTestCase(BaseTestCase):
    def test_signing_in_gives_a_new_session_key(self):
        """Session fixation: a key planted before sign-in is worthless after it."""
        self.client.get(LOGIN)
        session = self.client.session
        session["planted"] = "yes"
        session.save()
        before = session.session_key
        self.client.post(LOGIN, {"username": "chief", "password": PASSWORD})
        self.assertIn("_auth_user_id", self.client.session)
        self.assertNotEqual(self.client.session.session_key, before)

    def test_logging_out_ends_the_session_and_needs_a_post(self):
        self.client.post(LOGIN, {"username": "chief", "password": PASSWORD})
        key = self.client.session.session_key
        self.assertEqual(self.client.get("/nl/logout/").status_code, 405)
        self.client.post("/nl/logout/")
        self.assertNotIn("_auth_user_id", self.client.session)
        from django.contrib.sessions.models import Session

        self.assertFalse(Session.objects.filter(session_key=key).exists())
        response = self.client.get("/nl/editions/2024-2028/import/")
        self.assertEqual(response.status_code, 302)


@override_settings(GUESS_LIMIT=3)
class GuessLimitTestCase(BaseTestCase):
    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)
        self.survey = make_survey(self.edition)
        _, self.token = invite(self.survey, self.zones[0])

    def test_wrong_invitation_links_from_one_address_end_in_429(self):
        for n in range(3):
            self.assertEqual(self.client.get(link(f"wrong-{n}")).status_code, 404)
        response = self.client.get(link("wrong-4"))
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Retry-After"], "600")
        self.assertContains(response, "Too many attempts", status_code=429)
        # Another address is not affected, and right links never count.
        self.assertEqual(self.client.get(link(self.token), REMOTE_ADDR="10.2.2.2").status_code, 200)

    def test_opening_the_right_link_many_times_is_never_limited(self):
        for _ in range(6):
            self.assertEqual(self.client.get(link(self.token)).status_code, 200)

    def test_receipt_checks_that_miss_end_in_429(self):
        for zone in self.zones[1:4]:
            casting.ballot_save(
                survey=self.survey,
                zone=zone,
                payload={"overall": ["R1"], "within": {}},
                submit=True,
            )
        services.survey_close(survey=self.survey)
        url = f"/fr/editions/2024-2028/surveys/{self.survey.pk}/results/"
        for n in range(3):
            self.assertEqual(self.client.get(url, {"receipt": f"{n:064x}"}).status_code, 200)
        response = self.client.get(url, {"receipt": "f" * 64})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Trop de tentatives", status_code=429)
        self.assertEqual(self.client.get(url).status_code, 200)  # the results stay readable


class SignInNameTestCase(BaseTestCase):
    """The guess counter and sign-in agree on which account a typed name means."""

    def test_a_case_variant_is_counted_under_the_accounts_own_name(self):
        from memorandum.lib.security import sign_in_name

        self.assertEqual(sign_in_name(None, {"username": " CHIEF "}), "chief")

    def test_a_spelling_the_database_folds_onto_an_account_shares_its_counter(self):
        from django.db import connection

        from memorandum.lib.security import account_name, sign_in_name

        # PostgreSQL's upper() folds the dotless "ı" onto "I", which Python's lower() keeps:
        # whatever the database matches must be counted under the one account it means.
        typed = "chıef"
        if account_name(typed) is None:
            self.skipTest(f"{connection.vendor} does not fold 'ı' onto 'i'")
        self.assertEqual(sign_in_name(None, {"username": typed}), "chief")
