"""The member register: export, import all or nothing, mergers that keep history."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from memorandum.audit.models import Action, AuditEntry
from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.register import COLUMNS, export_csv, export_xlsx, import_register
from memorandum.survey import services as survey_services
from memorandum.survey.models import Participation
from memorandum.survey.participation import participation
from memorandum.survey.tests.helpers import make_survey
from memorandum.test import BaseTestCase, xlsx

URL = "/nl/zones/register/"


def snapshot() -> list[tuple]:
    return list(
        PoliceZone.objects.order_by("code").values_list(
            "code",
            "name_nl",
            "name_fr",
            "province_id",
            "language",
            "personnel",
            "population",
            "email",
            "delegate_email",
            "merged_into_id",
            "ended_on",
        )
    )


def row(**values) -> list:
    base = {
        "code": "N001",
        "name_nl": "Nieuwe zone",
        "name_fr": "Nouvelle zone",
        "province": "WVL",
        "region": "flanders",
        "language": "nl",
        "personnel": 120,
        "population": 50000,
        "chief_email": "chef@example.invalid",
        "delegate_email": "",
        "merged_into": "",
        "ended_on": "",
    }
    base.update(values)
    return [base[c] for c in COLUMNS]


def register_file(*rows: list) -> bytes:
    return xlsx({"zones": [COLUMNS, *rows]})


class RegisterRoundTripTestCase(BaseTestCase):
    def test_importing_the_xlsx_export_changes_nothing(self):
        before = snapshot()
        result = import_register("register.xlsx", export_xlsx())
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(result.counts(), [])
        self.assertEqual(snapshot(), before)

    def test_importing_the_csv_export_changes_nothing(self):
        content = export_csv()
        self.assertTrue(content.startswith("\ufeff".encode()))
        self.assertIn(b"code;name_nl;name_fr;province;region", content)
        before = snapshot()
        result = import_register("register.csv", content)
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(result.counts(), [])
        self.assertEqual(snapshot(), before)

    def test_a_name_like_a_formula_stays_text_and_round_trips(self):
        zone = self.zones[0]
        zone.name_fr = "=HYPERLINK(1)"
        zone.save()
        self.assertIn(b"'=HYPERLINK(1)", export_csv())
        result = import_register("register.csv", export_csv())
        self.assertEqual(result.counts(), [])

    def test_a_new_code_adds_a_zone_and_a_changed_row_updates_it(self):
        first = self.zones[0]
        changed = row(
            code=first.code,
            name_nl=first.name,
            province=first.province.code,
            language=first.language,
            personnel=first.personnel + 1,
            population=first.population,
            chief_email=first.email,
        )
        result = import_register("register.xlsx", register_file(row(), changed))
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(result.counts(), [("zones", 1, 1)])
        new = PoliceZone.objects.get(code="N001")
        self.assertEqual(
            (new.name_nl, new.name_fr, new.province.code), ("Nieuwe zone", "Nouvelle zone", "WVL")
        )
        first.refresh_from_db()
        self.assertEqual(first.email, "zone001@example.invalid")

    def test_the_province_may_be_written_by_name_and_the_region_by_its_label(self):
        result = import_register(
            "r.xlsx", register_file(row(province="Flandre occidentale", region="Vlaams Gewest"))
        )
        self.assertTrue(result.ok, result.problems)


class RegisterProblemsTestCase(BaseTestCase):
    def problems(self, *rows, lang="nl"):
        with translation.override(lang):
            result = import_register("register.xlsx", register_file(*rows))
            return [(p.row, p.column, str(p.message)) for p in result.problems]

    def test_each_bad_cell_is_named_by_row_and_column(self):
        cases = [
            (row(province="XX"), "province"),
            (row(region="wallonia"), "region"),
            (row(chief_email="not an address"), "chief_email"),
            (row(language="en"), "language"),
            (row(personnel=-3), "personnel"),
            (row(code=""), "code"),
            (row(merged_into="NOPE", ended_on="2025-01-01"), "merged_into"),
            (row(merged_into="S002"), "ended_on"),
            (row(merged_into="N001", ended_on="2025-01-01"), "merged_into"),
            (row(ended_on="31/02/2025"), "ended_on"),
        ]
        for bad, column in cases:
            with self.subTest(column=column, row=bad):
                found = self.problems(bad)
                self.assertEqual([(r, c) for r, c, _m in found], [(2, column)], found)

    def test_messages_are_in_dutch_and_in_french(self):
        nl = self.problems(row(province="XX"), row(region="wallonia"), lang="nl")
        fr = self.problems(row(province="XX"), row(region="wallonia"), lang="fr")
        self.assertIn("Onbekende provincie", nl[0][2])
        self.assertIn("Province inconnue", fr[0][2])
        self.assertIn("ligt in het gewest", nl[1][2])
        self.assertIn("se situe dans la région", fr[1][2])

    def test_a_code_twice_in_the_file_is_refused(self):
        found = self.problems(row(), row())
        self.assertEqual(found[0][:2], (3, "code"))

    def test_a_missing_column_is_named(self):
        content = xlsx({"zones": [["code", "name_nl", "language"], ["N1", "X", "nl"]]})
        result = import_register("r.xlsx", content)
        self.assertEqual([(p.row, p.column) for p in result.problems], [(1, "province")])

    def test_one_bad_row_means_nothing_is_written(self):
        first = self.zones[0]
        before = snapshot()
        changed = row(code=first.code, name_nl="Hernoemd", province=first.province.code)
        result = import_register(
            "r.xlsx", register_file(row(), changed, row(code="N002", province="XX"))
        )
        self.assertFalse(result.ok)
        self.assertEqual(snapshot(), before)

    def test_an_unknown_file_type_is_refused(self):
        result = import_register("r.txt", b"code")
        self.assertFalse(result.ok)


class MergerTestCase(BaseTestCase):
    def test_a_merger_ends_the_old_zones_and_keeps_their_history(self):
        survey = make_survey(self.edition)
        old_a, old_b, other = self.zones[0], self.zones[1], self.zones[2]
        Participation.objects.create(survey=survey, zone=old_a, voted_on=dt.date(2025, 1, 5))
        merged = [
            row(
                code=z.code,
                name_nl=z.name,
                province=z.province.code,
                language=z.language,
                personnel=z.personnel,
                population=z.population,
                chief_email=z.email,
                merged_into="N001",
                ended_on="2026-01-01",
            )
            for z in (old_a, old_b)
        ]
        result = import_register("r.xlsx", register_file(row(), *merged))
        self.assertTrue(result.ok, result.problems)
        new = PoliceZone.objects.get(code="N001")
        old_a.refresh_from_db()
        self.assertEqual((old_a.merged_into, old_a.ended_on), (new, dt.date(2026, 1, 1)))
        self.assertEqual(set(new.merged_from.all()), {old_a, old_b})
        entry = AuditEntry.objects.get(action=Action.ZONES_MERGED)
        self.assertEqual(
            (entry.object_id, sorted(entry.details["merged"])),
            (str(new.pk), sorted([old_a.code, old_b.code])),
        )
        # what the old zone did stays its own; a zone not in the file is still there
        self.assertEqual(Participation.objects.get(survey=survey).zone, old_a)
        self.assertTrue(PoliceZone.objects.filter(pk=other.pk, ended_on=None).exists())
        # the export says so, and importing it again changes nothing
        self.assertIn(b"N001;2026-01-01", export_csv())
        self.assertEqual(import_register("r.csv", export_csv()).counts(), [])

    def test_an_ended_zone_is_not_invited_to_a_new_survey(self):
        ended = self.zones[3]
        ended.ended_on = dt.date(2026, 1, 1)
        ended.merged_into = self.zones[4]
        ended.save()
        survey = make_survey(self.edition)
        count, _skipped = survey_services.invitations_send(survey=survey)
        invited = set(survey.invitations.values_list("zone_id", flat=True))
        self.assertNotIn(ended.pk, invited)
        self.assertEqual(count, len(self.zones) - 1)
        self.assertNotIn(ended, [row["zone"] for row in participation(survey)["missing"]])

    def test_a_zone_cannot_merge_into_a_zone_that_ended(self):
        ended = self.zones[3]
        ended.ended_on = dt.date(2026, 1, 1)
        ended.save()
        result = import_register(
            "r.xlsx", register_file(row(merged_into=ended.code, ended_on="2026-02-01"))
        )
        self.assertEqual([(p.row, p.column) for p in result.problems], [(2, "merged_into")])


class RegisterPageTestCase(BaseTestCase):
    def upload(self, content: bytes, name: str = "register.xlsx"):
        return self.client.post(URL, {"file": SimpleUploadedFile(name, content)})

    def test_only_the_secretariat_imports_and_exports(self):
        for user in (self.chief, self.coordinator, self.assembly, self.partner, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(URL).status_code, 403)
            self.assertEqual(self.client.get(URL + "export.csv").status_code, 403)
            self.assertEqual(self.upload(register_file(row())).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)
        self.assertFalse(PoliceZone.objects.filter(code="N001").exists())

    def test_the_accounts_page_links_to_the_register(self):
        self.login(self.secretariat)
        self.assertContains(self.client.get("/nl/accounts/"), URL)

    def test_an_import_is_logged_and_creates_no_account(self):
        self.login(self.secretariat)
        response = self.upload(register_file(row(chief_email="nieuw@example.invalid")))
        self.assertRedirects(response, URL)
        entry = AuditEntry.objects.get(action=Action.IMPORTED)
        self.assertEqual(entry.details["what"], "member_register")
        self.assertFalse(
            self.chief.__class__.objects.filter(email__iexact="nieuw@example.invalid").exists()
        )
        page = self.client.get(URL)
        new = PoliceZone.objects.get(code="N001")
        self.assertContains(page, "nieuw@example.invalid")
        self.assertContains(page, f"/nl/accounts/invite/?roles=corps_chief&amp;zone={new.pk}")

    def test_a_bad_file_shows_its_problems_and_changes_nothing(self):
        self.login(self.secretariat)
        response = self.upload(register_file(row(province="XX")))
        self.assertContains(response, "Onbekende provincie")
        self.assertFalse(PoliceZone.objects.filter(code="N001").exists())
        self.assertFalse(AuditEntry.objects.filter(action=Action.IMPORTED).exists())

    def test_an_export_is_logged_as_personal_data(self):
        self.login(self.secretariat)
        for fmt in ("xlsx", "csv"):
            response = self.client.get(f"{URL}export.{fmt}")
            self.assertEqual(response.status_code, 200)
            self.assertIn("member-register", response["Content-Disposition"])
        self.assertEqual(AuditEntry.objects.filter(action=Action.PERSONAL_DATA_EXPORTED).count(), 2)
        self.assertEqual(self.client.get(f"{URL}export.json").status_code, 404)
