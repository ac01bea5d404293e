import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import override_settings

from memorandum.accounts.models import Invitation
from memorandum.audit.models import Action, AuditEntry
from memorandum.catalogue import roles
from memorandum.catalogue.models import Province
from memorandum.test import PASSWORD, BaseTestCase, make_user, run_queued_tasks

User = get_user_model()
STRONG = "kastanje-wandeling-2029"


def manager_outside_the_secretariat():
    """Someone allowed to manage accounts without being in the secretariat group."""
    user = make_user("helper", None)
    user.user_permissions.add(Permission.objects.get(codename="manage_accounts"))
    return user


class AccountsTestCase(BaseTestCase):
    def invite(self, **overrides):
        data = {
            "first_name": "Jan",
            "last_name": "Peeters",
            "email": "Jan.Peeters@zone.example",
            "preferred_language": "nl",
            "roles": [roles.CORPS_CHIEF],
            "zone": self.zones[2].pk,
            "province": "",
            "organisation": "",
        }
        data.update(overrides)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/nl/accounts/invite/", data)

    def link_in(self, message) -> str:
        return re.search(r"https?://\S+/accounts/welcome/\S+/", message.body).group(0)


class PermissionTestCase(AccountsTestCase):
    def test_only_the_secretariat_manages_accounts(self):
        urls = [
            "/nl/accounts/",
            "/nl/accounts/invite/",
            f"/nl/accounts/{self.chief.pk}/",
            f"/nl/accounts/{self.chief.pk}/deactivate/",
        ]
        for user in (self.chief, self.coordinator, self.assembly, self.partner, self.outsider):
            self.login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 403, (user.username, url))
            response = self.client.post(f"/nl/accounts/{self.chief.pk}/deactivate/")
            self.assertEqual(response.status_code, 403)
        self.chief.refresh_from_db()
        self.assertTrue(self.chief.is_active)
        self.client.logout()
        for url in urls:
            self.assertRedirects(self.client.get(url), f"/nl/login/?next={url}")
        self.login(self.secretariat)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_every_signed_in_person_has_my_account_and_visitors_are_sent_to_sign_in(self):
        self.assertRedirects(
            self.client.get("/nl/accounts/me/"), "/nl/login/?next=/nl/accounts/me/"
        )
        self.login(self.partner)
        self.assertContains(self.client.get("/nl/accounts/me/"), "Partnerorganisatie")

    def test_the_menu_shows_accounts_and_audit_log_to_the_secretariat_only(self):
        self.login(self.chief)
        page = self.client.get("/nl/accounts/me/").content.decode()
        self.assertNotIn('href="/nl/accounts/"', page)
        self.assertNotIn('href="/nl/audit/"', page)
        self.login(self.secretariat)
        page = self.client.get("/nl/accounts/me/").content.decode()
        self.assertIn('href="/nl/accounts/"', page)
        self.assertIn('href="/nl/audit/"', page)


class InviteTestCase(AccountsTestCase):
    def setUp(self):
        self.login(self.secretariat)

    def test_an_invitation_creates_an_account_without_password_and_the_worker_mails_the_link(self):
        response = self.invite()
        self.assertRedirects(response, "/nl/accounts/")
        user = User.objects.get(email="Jan.Peeters@zone.example")
        self.assertEqual(user.username, "jan.peeters@zone.example")
        self.assertFalse(user.has_usable_password())
        self.assertEqual(user.profile.zone, self.zones[2])
        self.assertEqual(list(user.groups.values_list("name", flat=True)), [roles.CORPS_CHIEF])
        self.assertEqual(Invitation.objects.get(user=user).invited_by, self.secretariat)
        entry = AuditEntry.objects.get(action=Action.ACCOUNT_INVITED)
        self.assertEqual((entry.actor, entry.object_id), (self.secretariat, str(user.pk)))
        self.assertEqual(len(mail.outbox), 0, "the request does not send mail")

        self.assertEqual(run_queued_tasks(), 1)
        [message] = mail.outbox
        self.assertEqual(message.to, ["Jan.Peeters@zone.example"])
        self.assertEqual(message.from_email, "memorandum@localhost")
        self.assertIn("kies uw wachtwoord", message.subject)
        self.assertIn("Uw rol: Korpschef — ", message.body)
        self.assertIn("Vaste Commissie van de Lokale Politie", message.body)
        html, mimetype = message.alternatives[0]
        self.assertEqual(mimetype, "text/html")
        self.assertIn(self.link_in(message), html)
        self.assertEqual(Invitation.objects.get(user=user).send_count, 1)

    def test_the_invitation_is_written_in_the_invitees_language(self):
        self.invite(preferred_language="fr", email="marie@zone.example")
        run_queued_tasks()
        [message] = mail.outbox
        self.assertIn("choisissez votre mot de passe", message.subject)
        self.assertIn("/fr/accounts/welcome/", message.body)
        self.assertIn("Commission permanente de la Police locale", message.body)

    def test_a_duplicate_email_is_refused_and_nothing_is_created(self):
        before = User.objects.count()
        response = self.invite(email="CHIEF@example.invalid")
        self.assertContains(response, "Er bestaat al een account met dit e-mailadres.")
        self.assertEqual(User.objects.count(), before)
        self.assertFalse(AuditEntry.objects.filter(action=Action.ACCOUNT_INVITED).exists())
        run_queued_tasks()
        self.assertEqual(mail.outbox, [])

    def test_each_role_asks_for_its_zone_province_or_organisation(self):
        before = User.objects.count()
        response = self.invite(
            roles=[roles.CORPS_CHIEF, roles.PROVINCIAL_COORDINATOR, roles.PARTNER], zone=""
        )
        self.assertContains(response, "Een korpschef heeft een politiezone nodig.")
        self.assertContains(response, "Een provinciaal coördinator heeft een provincie nodig.")
        self.assertContains(response, "Een partner heeft een organisatie nodig.")
        self.assertEqual(User.objects.count(), before)

    def test_a_bad_email_or_an_unknown_role_is_a_form_error_not_a_crash(self):
        response = self.invite(email="not an address")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["email"])
        response = self.invite(roles=["superuser"])
        self.assertTrue(response.context["form"].errors["roles"])
        response = self.invite(zone="999999")
        self.assertTrue(response.context["form"].errors["zone"])


class SetPasswordTestCase(AccountsTestCase):
    def setUp(self):
        self.login(self.secretariat)
        self.invite()
        run_queued_tasks()
        self.user = User.objects.get(email="Jan.Peeters@zone.example")
        self.path = self.link_in(mail.outbox[-1]).split("://", 1)[1].split("/", 1)[1]
        self.path = "/" + self.path
        self.client.logout()

    def test_the_invitee_chooses_a_password_and_signs_in_with_the_email_address(self):
        self.assertContains(self.client.get(self.path), "Kies uw wachtwoord")
        response = self.client.post(self.path, {"new_password1": STRONG, "new_password2": STRONG})
        self.assertRedirects(response, "/nl/login/")
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(STRONG))
        self.assertIsNotNone(Invitation.objects.get(user=self.user).accepted_at)
        self.assertTrue(AuditEntry.objects.filter(action=Action.PASSWORD_SET).exists())
        signed_in = self.client.post(
            "/nl/login/", {"username": "jan.peeters@zone.example", "password": STRONG}
        )
        self.assertEqual(signed_in.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.user.pk)

    def test_a_weak_password_is_refused_with_django_validators_and_nothing_changes(self):
        for weak in ("12345678", "password", "peeters", "short"):
            response = self.client.post(self.path, {"new_password1": weak, "new_password2": weak})
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.context["form"].errors, weak)
        response = self.client.post(self.path, {"new_password1": STRONG, "new_password2": "x"})
        self.assertTrue(response.context["form"].errors)
        self.user.refresh_from_db()
        self.assertFalse(self.user.has_usable_password())

    def test_a_used_link_no_longer_works(self):
        self.client.post(self.path, {"new_password1": STRONG, "new_password2": STRONG})
        response = self.client.get(self.path)
        self.assertContains(response, "De link is al gebruikt", status_code=400)
        response = self.client.post(
            self.path, {"new_password1": "a" + STRONG, "new_password2": "a" + STRONG}
        )
        self.assertEqual(response.status_code, 400)
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(STRONG))

    def test_an_expired_link_says_so(self):
        with override_settings(ACCOUNT_INVITATION_DAYS=-1):
            response = self.client.get(self.path)
        self.assertContains(response, "De link is vervallen.", status_code=400)

    def test_a_damaged_link_says_so(self):
        response = self.client.get(self.path[:-6] + "xx/")
        self.assertContains(response, "De link is onvolledig of fout.", status_code=400)

    def test_sending_the_invitation_again_makes_the_earlier_link_useless(self):
        self.login(self.secretariat)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/nl/accounts/{self.user.pk}/resend/")
        run_queued_tasks()
        new_path = "/" + self.link_in(mail.outbox[-1]).split("://", 1)[1].split("/", 1)[1]
        self.client.logout()
        self.assertEqual(self.client.get(self.path).status_code, 400)
        self.assertEqual(self.client.get(new_path).status_code, 200)
        self.assertTrue(AuditEntry.objects.filter(action=Action.INVITATION_RESENT).exists())

    def test_a_deactivated_invitee_cannot_use_the_link(self):
        self.user.is_active = False
        self.user.save()
        self.assertEqual(self.client.get(self.path).status_code, 400)


class RolesTestCase(AccountsTestCase):
    def setUp(self):
        self.login(self.secretariat)
        self.url = f"/nl/accounts/{self.chief.pk}/"

    def post(self, user=None, **changes):
        user = user or self.chief
        profile = user.profile
        data = {
            "first_name": user.first_name or "Chris",
            "last_name": user.last_name or "Chef",
            "email": user.email,
            "preferred_language": profile.preferred_language,
            "roles": list(user.groups.exclude(name=roles.PUBLIC).values_list("name", flat=True)),
            "zone": profile.zone_id or "",
            "province": profile.province_id or "",
            "organisation": profile.organisation,
        }
        data.update(changes)
        return self.client.post(f"/nl/accounts/{user.pk}/", data)

    def test_giving_and_taking_roles_is_logged_with_their_scope(self):
        province = Province.objects.get(code="WVL")
        response = self.post(roles=[roles.PROVINCIAL_COORDINATOR], province=province.pk)
        self.assertRedirects(response, self.url)
        self.chief.refresh_from_db()
        self.assertEqual(
            list(self.chief.groups.values_list("name", flat=True)), [roles.PROVINCIAL_COORDINATOR]
        )
        self.assertEqual(self.chief.profile.province, province)
        granted = AuditEntry.objects.get(action=Action.ROLE_GRANTED)
        revoked = AuditEntry.objects.get(action=Action.ROLE_REVOKED)
        self.assertEqual(granted.details["role"], roles.PROVINCIAL_COORDINATOR)
        self.assertEqual(granted.details["scope"], str(province))
        self.assertEqual(revoked.details["scope"], str(self.zones[0]))
        self.assertIn("Provinciaal coördinator", granted.summary())

    def test_giving_the_secretariat_role_opens_the_back_office(self):
        self.post(roles=[roles.CORPS_CHIEF, roles.SECRETARIAT])
        self.chief.refresh_from_db()
        self.assertTrue(self.chief.is_staff)
        self.post(roles=[roles.CORPS_CHIEF])
        self.chief.refresh_from_db()
        self.assertFalse(self.chief.is_staff)

    def test_a_chief_without_a_zone_is_refused_and_nothing_changes(self):
        response = self.post(zone="", first_name="Veranderd")
        self.assertContains(response, "Een korpschef heeft een politiezone nodig.")
        self.chief.refresh_from_db()
        self.assertEqual(self.chief.profile.zone, self.zones[0])
        self.assertNotEqual(self.chief.first_name, "Veranderd")
        self.assertFalse(AuditEntry.objects.filter(action__startswith="account.").exists())

    def test_an_email_taken_by_another_account_is_refused(self):
        response = self.post(email="PARTNER@example.invalid")
        self.assertContains(response, "Er bestaat al een account met dit e-mailadres.")

    def test_the_secretariat_cannot_take_away_its_own_role(self):
        response = self.post(user=self.secretariat, roles=[roles.ASSEMBLY_MEMBER])
        self.assertContains(response, "U kunt uw eigen rol secretariaat niet intrekken.")
        self.assertTrue(self.secretariat.groups.filter(name=roles.SECRETARIAT).exists())

    def test_the_last_secretariat_member_keeps_the_role(self):
        self.login(manager_outside_the_secretariat())
        response = self.post(user=self.secretariat, roles=[])
        self.assertContains(response, "laatste actieve lid van het secretariaat")
        self.assertTrue(self.secretariat.groups.filter(name=roles.SECRETARIAT).exists())
        make_user("second_secretary", roles.SECRETARIAT)
        self.assertEqual(self.post(user=self.secretariat, roles=[]).status_code, 302)
        self.assertFalse(self.secretariat.groups.filter(name=roles.SECRETARIAT).exists())


class DeactivateTestCase(AccountsTestCase):
    def setUp(self):
        self.login(self.secretariat)

    def test_the_confirmation_page_changes_nothing_and_the_post_deactivates(self):
        url = f"/nl/accounts/{self.chief.pk}/deactivate/"
        self.assertContains(self.client.get(url), "kan zich niet meer aanmelden")
        self.chief.refresh_from_db()
        self.assertTrue(self.chief.is_active)
        self.assertRedirects(self.client.post(url), f"/nl/accounts/{self.chief.pk}/")
        self.chief.refresh_from_db()
        self.assertFalse(self.chief.is_active)
        self.assertTrue(AuditEntry.objects.filter(action=Action.ACCOUNT_DEACTIVATED).exists())

    def test_a_deactivated_person_cannot_sign_in_and_loses_an_open_session(self):
        from django.test import Client

        chief_browser = Client()
        chief_browser.force_login(self.chief)
        self.client.post(f"/nl/accounts/{self.chief.pk}/deactivate/")
        refused = Client().post("/nl/login/", {"username": "chief", "password": PASSWORD})
        self.assertEqual(refused.status_code, 200)  # the form again: no session
        self.assertNotIn("_auth_user_id", refused.client.session)
        response = chief_browser.get("/nl/accounts/me/")
        self.assertEqual(response.status_code, 302)

    def test_reactivating_lets_the_person_in_again(self):
        self.client.post(f"/nl/accounts/{self.chief.pk}/deactivate/")
        self.client.post(f"/nl/accounts/{self.chief.pk}/reactivate/")
        self.chief.refresh_from_db()
        self.assertTrue(self.chief.is_active)
        self.assertTrue(AuditEntry.objects.filter(action=Action.ACCOUNT_REACTIVATED).exists())

    def test_nobody_deactivates_their_own_account(self):
        response = self.client.post(f"/nl/accounts/{self.secretariat.pk}/deactivate/")
        self.assertContains(response, "U kunt uw eigen account niet deactiveren.", status_code=400)
        self.secretariat.refresh_from_db()
        self.assertTrue(self.secretariat.is_active)

    def test_the_last_secretariat_member_cannot_be_deactivated(self):
        self.login(manager_outside_the_secretariat())
        url = f"/nl/accounts/{self.secretariat.pk}/deactivate/"
        response = self.client.post(url)
        self.assertContains(response, "laatste actieve lid van het secretariaat", status_code=400)
        self.secretariat.refresh_from_db()
        self.assertTrue(self.secretariat.is_active)
        make_user("second_secretary", roles.SECRETARIAT)
        self.assertEqual(self.client.post(url).status_code, 302)
        self.secretariat.refresh_from_db()
        self.assertFalse(self.secretariat.is_active)


class ListTestCase(AccountsTestCase):
    def setUp(self):
        self.login(self.secretariat)

    def shown(self, **query):
        response = self.client.get("/nl/accounts/", query)
        self.assertEqual(response.status_code, 200)
        return {row["user"].username for row in response.context["rows"]}

    def test_the_list_searches_and_filters_by_role_zone_and_status(self):
        self.invite()
        self.assertEqual(self.shown(q="peeters"), {"jan.peeters@zone.example"})
        self.assertEqual(
            self.shown(role=roles.CORPS_CHIEF), {"chief", "other_chief", "jan.peeters@zone.example"}
        )
        self.assertEqual(self.shown(zone=self.zones[0].pk), {"chief"})
        self.assertEqual(self.shown(status="invited"), {"jan.peeters@zone.example"})
        self.chief.is_active = False
        self.chief.save()
        self.assertEqual(self.shown(status="inactive"), {"chief"})
        self.assertIn("secretariat", self.shown(status="active"))
        self.assertEqual(self.shown(role="nonsense"), self.shown())  # a bad filter is ignored


class MyAccountTestCase(AccountsTestCase):
    def test_a_person_changes_their_name_and_language(self):
        self.login(self.chief)
        response = self.client.post(
            "/nl/accounts/me/",
            {"first_name": "Christine", "last_name": "Korpschef", "preferred_language": "fr"},
        )
        self.assertRedirects(response, "/nl/accounts/me/")
        self.chief.refresh_from_db()
        self.assertEqual(self.chief.first_name, "Christine")
        self.assertEqual(self.chief.profile.preferred_language, "fr")
        entry = AuditEntry.objects.get(action=Action.ACCOUNT_CHANGED)
        self.assertEqual(entry.actor, self.chief)

    def test_a_change_on_my_profile_is_audited_as_on_my_account(self):
        self.login(self.chief)
        response = self.client.post(
            "/nl/profile/", {"preferred_language": "fr", "show_name_publicly": "on"}
        )
        self.assertRedirects(response, "/nl/profile/")
        entry = AuditEntry.objects.get(action=Action.ACCOUNT_CHANGED)
        self.assertEqual((entry.actor, entry.object_id), (self.chief, str(self.chief.pk)))
        self.assertEqual(
            entry.details["fields"],
            {"preferred_language": ["nl", "fr"], "show_name_publicly": [False, True]},
        )

    def test_saving_my_profile_unchanged_records_nothing(self):
        self.login(self.chief)
        self.client.post("/nl/profile/", {"preferred_language": "nl"})
        self.assertFalse(AuditEntry.objects.filter(action=Action.ACCOUNT_CHANGED).exists())

    def test_my_account_leaves_the_choice_of_a_public_name_alone(self):
        self.chief.profile.show_name_publicly = True
        self.chief.profile.save()
        self.login(self.chief)
        self.client.post(
            "/nl/accounts/me/",
            {"first_name": "Christine", "last_name": "Korpschef", "preferred_language": "nl"},
        )
        self.chief.profile.refresh_from_db()
        self.assertTrue(self.chief.profile.show_name_publicly)
        entry = AuditEntry.objects.get(action=Action.ACCOUNT_CHANGED)
        self.assertNotIn("show_name_publicly", entry.details["fields"])

    def test_a_person_changes_their_password(self):
        self.login(self.chief)
        response = self.client.post(
            "/nl/accounts/me/password/",
            {"old_password": "wrong", "new_password1": STRONG, "new_password2": STRONG},
        )
        self.assertTrue(response.context["form"].errors["old_password"])
        response = self.client.post(
            "/nl/accounts/me/password/",
            {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
        )
        self.assertRedirects(response, "/nl/accounts/me/")
        self.chief.refresh_from_db()
        self.assertTrue(self.chief.check_password(STRONG))
        self.assertTrue(AuditEntry.objects.filter(action=Action.PASSWORD_CHANGED).exists())
        self.assertEqual(self.client.get("/nl/accounts/me/").status_code, 200)  # still signed in


class AccountWithoutProfileTestCase(AccountsTestCase):
    def test_an_account_made_outside_the_product_is_listed_and_edited(self):
        root = User.objects.create_superuser("root", "root@example.invalid", PASSWORD)
        self.login(self.secretariat)
        self.assertContains(self.client.get("/nl/accounts/"), "root@example.invalid")
        self.assertEqual(self.client.get(f"/nl/accounts/{root.pk}/").status_code, 200)
        response = self.client.post(
            f"/nl/accounts/{root.pk}/",
            {
                "first_name": "Ro",
                "last_name": "Ot",
                "email": "root@example.invalid",
                "preferred_language": "fr",
                "roles": [roles.ASSEMBLY_MEMBER],
            },
        )
        self.assertRedirects(response, f"/nl/accounts/{root.pk}/")
        root.refresh_from_db()
        self.assertEqual(root.profile.preferred_language, "fr")
        self.assertTrue(root.is_staff, "a superuser keeps the back office")


class RaceTestCase(AccountsTestCase):
    def test_an_address_taken_between_the_check_and_the_save_is_a_clear_error(self):
        from unittest import mock

        User.objects.create_user("taken@zone.example", "", PASSWORD)  # e.g. a parallel request
        self.login(self.secretariat)
        with mock.patch("memorandum.accounts.services.email_taken", return_value=False):
            with mock.patch("memorandum.accounts.forms.email_taken", return_value=False):
                response = self.invite(email="Taken@zone.example")
        self.assertContains(response, "Er bestaat al een account met dit e-mailadres.")
        self.assertEqual(User.objects.filter(username="taken@zone.example").count(), 1)
        self.assertFalse(AuditEntry.objects.filter(action=Action.ACCOUNT_INVITED).exists())


class InvitePresetTestCase(AccountsTestCase):
    def test_a_link_can_preset_role_and_zone_and_bad_values_are_harmless(self):
        self.login(self.secretariat)
        zone = self.zones[4]
        response = self.client.get(f"/nl/accounts/invite/?roles=corps_chief&zone={zone.pk}")
        self.assertContains(response, 'value="corps_chief" id="id_roles_1" checked')
        self.assertContains(response, f'<option value="{zone.pk}" selected>')
        response = self.client.get("/nl/accounts/invite/?roles=root&zone=abc&province=x")
        self.assertEqual(response.status_code, 200)
        # A control character anywhere in the address is refused before any view runs.
        response = self.client.get("/nl/accounts/invite/?roles=root&zone=abc&province=%00")
        self.assertEqual(response.status_code, 400)


class LinkAfterReactivationTestCase(BaseTestCase):
    def test_a_link_sent_before_a_deactivation_stays_dead_after_reactivation(self):
        from memorandum.accounts import services, tokens

        invitee = get_user_model().objects.create_user("late@example.invalid")
        invitee.set_unusable_password()
        invitee.save()
        link = tokens.make_token(invitee)
        self.assertEqual(tokens.check_token(link), invitee)
        services.deactivate_account(user=invitee, by=self.secretariat)
        services.reactivate_account(user=invitee, by=self.secretariat)
        self.assertEqual(tokens.check_token(link), tokens.LinkProblem.USED)


class NameWhateverCaseTestCase(AccountsTestCase):
    """One account per name, capitals aside: sign-in could not tell "Chief" from "chief"."""

    def test_the_database_refuses_a_name_that_differs_only_in_capitals(self):
        from django.db import IntegrityError, transaction

        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.create_user(self.chief.username.upper(), password=STRONG)

    def test_the_model_check_names_the_clash_in_words(self):
        from django.core.exceptions import ValidationError

        clash = User(username=self.chief.username.title())
        with self.assertRaisesMessage(ValidationError, "hoofdletters buiten beschouwing"):
            clash.validate_constraints()

    def test_inviting_a_case_variant_of_an_account_name_is_a_form_error(self):
        make_user("jan.peeters@zone.example", None)
        self.login(self.secretariat)
        response = self.invite(email="JAN.Peeters@Zone.example")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "bestaat al")
        self.assertEqual(
            User.objects.filter(username__iexact="jan.peeters@zone.example").count(), 1
        )
