import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from memorandum.audit.models import Action, AuditEntry, AuditLogIsAppendOnly
from memorandum.audit.services import record
from memorandum.catalogue import exchange
from memorandum.test import PASSWORD, BaseTestCase


class RecordTestCase(BaseTestCase):
    def test_an_entry_keeps_who_what_which_object_and_from_where(self):
        request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
        request.user = self.secretariat
        entry = record(Action.ROLE_GRANTED, request=request, target=self.chief, role="corps_chief")
        self.assertEqual(entry.actor, self.secretariat)
        self.assertEqual(entry.actor_label, "secretariat")
        self.assertEqual(entry.object_id, str(self.chief.pk))
        self.assertEqual(entry.object_label, "chief")
        self.assertEqual(entry.ip_address, "198.51.100.7")
        self.assertEqual(entry.details, {"role": "corps_chief"})

    def test_without_actor_or_request_the_system_acted(self):
        entry = record(Action.PUBLISHED, target=self.edition)
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.who, "anoniem / systeem")

    def test_an_unknown_action_is_refused(self):
        with self.assertRaises(ValueError):
            record("something.else")

    def test_the_summary_reads_in_the_readers_language(self):
        from django.utils import translation

        entry = record(
            Action.ROLE_GRANTED, actor=self.secretariat, target=self.chief, role="corps_chief"
        )
        with translation.override("fr"):
            self.assertIn("Chef de corps", entry.summary())
        with translation.override("nl"):
            self.assertIn("Korpschef", entry.summary())

    def test_an_entry_survives_the_deletion_of_its_object_and_actor(self):
        someone = get_user_model().objects.create_user("temp", "t@example.invalid", PASSWORD)
        entry = record(Action.ACCOUNT_CHANGED, actor=someone, target=someone, fields={})
        someone.delete()
        entry = AuditEntry.objects.get(pk=entry.pk)
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.actor_label, "temp")
        self.assertEqual(entry.object_label, "temp")


class AppendOnlyTestCase(BaseTestCase):
    def setUp(self):
        self.entry = record(Action.SIGN_IN, actor=self.chief, target=self.chief)

    def test_an_entry_cannot_be_saved_again(self):
        self.entry.object_label = "rewritten"
        with self.assertRaises(AuditLogIsAppendOnly):
            self.entry.save()
        self.assertEqual(AuditEntry.objects.get(pk=self.entry.pk).object_label, "chief")

    def test_an_entry_cannot_be_deleted(self):
        with self.assertRaises(AuditLogIsAppendOnly):
            self.entry.delete()
        with self.assertRaises(AuditLogIsAppendOnly):
            AuditEntry.objects.all().delete()
        with self.assertRaises(AuditLogIsAppendOnly):
            AuditEntry.objects.update(object_label="x")
        self.assertTrue(AuditEntry.objects.filter(pk=self.entry.pk).exists())

    def test_the_back_office_offers_neither_change_nor_delete(self):
        request = RequestFactory().get("/")
        request.user = get_user_model().objects.create_superuser(
            "root", "r@example.invalid", PASSWORD
        )
        admin = site._registry[AuditEntry]
        self.assertFalse(admin.has_add_permission(request))
        self.assertFalse(admin.has_change_permission(request, self.entry))
        self.assertFalse(admin.has_delete_permission(request, self.entry))

    @pytest.mark.postgres
    def test_on_postgresql_the_database_refuses_updates_and_deletes(self):
        if connection.vendor != "postgresql":
            self.skipTest("the trigger exists on PostgreSQL only")
        from django.db import DatabaseError

        for sql in (
            "UPDATE audit_auditentry SET object_label = 'x' WHERE id = %s",
            "DELETE FROM audit_auditentry WHERE id = %s",
        ):
            with self.assertRaises(DatabaseError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [self.entry.pk])
        self.assertEqual(AuditEntry.objects.get(pk=self.entry.pk).object_label, "chief")


class SignInTestCase(BaseTestCase):
    def test_sign_in_failed_sign_in_and_sign_out_are_recorded_with_the_address(self):
        self.client.post(
            "/nl/login/", {"username": "chief", "password": "wrong"}, REMOTE_ADDR="203.0.113.5"
        )
        self.client.post(
            "/nl/login/", {"username": "chief", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5"
        )
        self.client.post("/nl/logout/", REMOTE_ADDR="203.0.113.5")
        entries = list(AuditEntry.objects.order_by("id"))
        self.assertEqual(
            [e.action for e in entries], [Action.SIGN_IN_FAILED, Action.SIGN_IN, Action.SIGN_OUT]
        )
        self.assertEqual({e.ip_address for e in entries}, {"203.0.113.5"})
        failed = entries[0]
        self.assertIsNone(failed.actor)
        self.assertEqual(failed.details, {"username": "chief"})
        self.assertNotIn("wrong", str(failed.details))
        self.assertEqual(entries[1].actor, self.chief)

    def test_a_name_that_is_no_account_is_not_written_down(self):
        """People type their password into the name field; the log keeps no such text."""
        self.client.post("/nl/login/", {"username": "Geheim2024!", "password": "x"})
        self.client.post("/nl/login/", {"username": " CHIEF", "password": "x"})
        unknown, known = AuditEntry.objects.order_by("id")
        self.assertNotIn("Geheim", str(unknown.details) + unknown.summary())
        self.assertIn("onbekend account", unknown.summary())
        self.assertEqual(
            (known.details, known.object_id), ({"username": "chief"}, str(self.chief.pk))
        )


class LogPageTestCase(BaseTestCase):
    url = "/nl/audit/"

    def setUp(self):
        self.old = record(Action.SIGN_IN, actor=self.chief, target=self.chief)
        self.grant = record(
            Action.ROLE_GRANTED, actor=self.secretariat, target=self.partner, role="partner"
        )
        self.formula = record(
            Action.IMPORTED,
            actor=self.secretariat,
            target=self.edition,
            what="catalogue",
            file='=HYPERLINK("http://evil")',
        )

    def test_only_the_secretariat_reads_the_log(self):
        for user in (self.chief, self.coordinator, self.assembly, self.partner, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user.username)
            self.assertEqual(self.client.get(self.url + "export.csv").status_code, 403)
        self.client.logout()
        self.assertRedirects(self.client.get(self.url), f"/nl/login/?next={self.url}")
        self.login(self.secretariat)
        response = self.client.get(self.url)
        self.assertContains(response, "Rol gegeven")
        self.assertContains(response, f'href="/nl/accounts/{self.partner.pk}/"')

    def test_the_log_filters_by_action_user_object_dates_and_text(self):
        self.login(self.secretariat)
        today = timezone.localdate()

        def shown(**query):
            response = self.client.get(self.url, query)
            self.assertEqual(response.status_code, 200)
            return {e.pk for e in response.context["page"].object_list}

        self.assertEqual(shown(action=Action.ROLE_GRANTED), {self.grant.pk})
        self.assertEqual(shown(who="chief"), {self.old.pk})
        self.assertEqual(shown(q="HYPERLINK"), {self.formula.pk})
        kind = self.grant.content_type_id
        self.assertEqual(shown(kind=kind, object_id=self.partner.pk), {self.grant.pk})
        self.assertLessEqual(
            {self.old.pk, self.grant.pk, self.formula.pk}, shown(date_from=today, date_to=today)
        )
        self.assertEqual(shown(date_from=today + timedelta(days=1)), set())

    def test_an_impossible_date_range_is_explained(self):
        self.login(self.secretariat)
        response = self.client.get(self.url, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
        self.assertContains(response, "De einddatum ligt voor de begindatum.")
        response = self.client.get(self.url, {"date_from": "not a date"})
        self.assertEqual(response.status_code, 200)

    def test_the_csv_export_suits_belgian_excel_and_carries_no_formula(self):
        self.login(self.secretariat)
        response = self.client.get(self.url + "export.csv", {"action": Action.IMPORTED})
        content = response.content
        self.assertTrue(content.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(len(rows), 2)
        self.assertIn('file: =HYPERLINK("http://evil")', rows[1][-1])  # inside a cell: inert
        self.assertTrue(all(not cell.startswith(("=", "+", "-", "@")) for cell in rows[1]))
        exported = AuditEntry.objects.filter(action=Action.AUDIT_LOG_EXPORTED).get()
        self.assertEqual(exported.details["rows"], 1)

    def test_the_xlsx_export_keeps_formulas_as_text(self):
        from openpyxl import load_workbook

        record(Action.IMPORTED, actor=self.secretariat, target_label="=1+1", what="catalogue")
        self.login(self.secretariat)
        response = self.client.get(self.url + "export.xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for row in sheet.iter_rows() for cell in row]
        self.assertIn("=1+1", values)
        self.assertFalse(any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row))

    def test_an_export_with_wrong_filters_explains_instead_of_guessing(self):
        self.login(self.secretariat)
        response = self.client.get(self.url + "export.csv", {"date_from": "31-31-2026"})
        self.assertContains(response, "Verbeter de filters", status_code=400)
        self.assertFalse(AuditEntry.objects.filter(action=Action.AUDIT_LOG_EXPORTED).exists())

    def test_an_unknown_export_format_is_not_found(self):
        self.login(self.secretariat)
        self.assertEqual(self.client.get(self.url + "export.pdf").status_code, 404)


class RecordedActsTestCase(BaseTestCase):
    def test_a_catalogue_import_is_recorded(self):
        self.login(self.secretariat)
        upload = SimpleUploadedFile("catalogue.json", exchange.export_json(self.edition))
        self.client.post("/nl/editions/2024-2028/import/", {"file": upload})
        entry = AuditEntry.objects.get(action=Action.IMPORTED)
        self.assertEqual(entry.actor, self.secretariat)
        self.assertEqual(entry.details["file"], "catalogue.json")
        self.assertEqual(entry.object_id, str(self.edition.pk))


class BackOfficeTestCase(BaseTestCase):
    def test_a_change_in_the_back_office_is_recorded(self):
        from memorandum.catalogue.models import Addressee

        addressee = Addressee.objects.filter(edition=self.edition).first()
        self.login(self.secretariat)
        url = f"/admin/catalogue/addressee/{addressee.pk}/change/"
        form = self.client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
        data.update({"name_nl": "Gewijzigd via beheer", "edition": addressee.edition_id})
        self.client.post(url, data)
        entry = AuditEntry.objects.filter(action=Action.BACK_OFFICE_CHANGE).first()
        self.assertIsNotNone(entry, "the change was saved and mirrored")
        self.assertEqual(entry.actor, self.secretariat)
        self.assertEqual(entry.object_id, str(addressee.pk))
        self.assertEqual(entry.details["change"], "changed")
        self.assertIn("Gewijzigd in het beheer", entry.summary())
