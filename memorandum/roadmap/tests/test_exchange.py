"""The follow-up form as XLSX: export, fill in offline, import (all or nothing)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from memorandum.roadmap import services
from memorandum.roadmap.exchange import COLUMNS, export_xlsx, import_xlsx
from memorandum.roadmap.exchange.importer import HISTORY_REASON
from memorandum.roadmap.models import Initiative, Measurement, Milestone, Update
from memorandum.roadmap.tests.base import RoadmapTestCase


class FollowUpFormTestCase(RoadmapTestCase):
    def workbook(self):
        content = export_xlsx(
            self.edition, Initiative.objects.filter(edition=self.edition).order_by("id")
        )
        return load_workbook(BytesIO(content))

    def save(self, workbook) -> bytes:
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def set(self, workbook, sheet: str, row: int, column: str, value) -> None:
        workbook[sheet].cell(row=row, column=COLUMNS[sheet].index(column) + 1).value = value

    def snapshot(self):
        return (
            list(
                Initiative.objects.values_list(
                    "title_nl", "status", "progress", "start_date"
                ).order_by("id")
            ),
            list(Milestone.objects.values_list("title_nl", "due_date", "done_date").order_by("id")),
            Measurement.objects.count(),
            Update.objects.count(),
        )

    def issues(self, result):
        return [(i.sheet, i.row, i.column) for i in result.problems]

    def test_importing_an_unchanged_export_changes_nothing(self):
        before = self.snapshot()
        result = import_xlsx(self.edition, self.save(self.workbook()), self.secretariat)
        self.assertTrue(result.ok, result.problems)
        self.assertEqual((result.created, result.updated), ({}, {}))
        self.assertEqual(self.snapshot(), before)

    def test_a_filled_in_form_updates_rows_and_adds_new_ones(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "status", "At risk")
        self.set(wb, "initiatives", 2, "progress", 55)
        self.set(wb, "initiatives", 2, "update_text", "Vertraging bij de FOD")
        self.set(wb, "initiatives", 2, "recommendations", "R1, R3.2")
        wb["initiatives"].append(
            [
                None,
                "C1",
                "Proeftuin drones",
                "",
                "",
                "",
                "VCLP",
                "",
                "",
                dt.date(2025, 2, 1),
                None,
                "planned",
                0,
                "",
            ]
        )
        self.set(wb, "milestones", 2, "done_date", "03/02/2025")
        wb["milestones"].append(
            [None, self.public_initiative.pk, "", "Wet gestemd", "", "2026-12-31", None]
        )
        wb["measurements"].append(
            [None, self.indicator.pk, "", "", "", "", dt.date(2025, 12, 31), "42,5", "telling"]
        )
        result = import_xlsx(self.edition, self.save(wb), self.secretariat)
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(result.created, {"initiatives": 1, "milestones": 1, "measurements": 1})
        self.assertEqual(result.updated, {"initiatives": 1, "milestones": 1})
        self.public_initiative.refresh_from_db()
        self.assertEqual(
            (self.public_initiative.status, self.public_initiative.progress), ("at_risk", 55)
        )
        self.assertEqual(self.public_initiative.serves(), ["R1", "R3.2"])
        update = self.public_initiative.updates.get()
        self.assertEqual(
            (update.text, update.author, update.status_after),
            ("Vertraging bij de FOD", self.secretariat, "at_risk"),
        )
        self.assertEqual(Milestone.objects.get(pk=self.milestone.pk).done_date, dt.date(2025, 2, 3))
        self.assertEqual(self.indicator.measurements.get().value, Decimal("42.50"))
        self.assertEqual(Initiative.objects.get(title_nl="Proeftuin drones").serves(), ["C1"])
        # and the export of the result imports cleanly again
        again = import_xlsx(self.edition, self.save(self.workbook()), self.secretariat)
        self.assertEqual((again.problems, again.updated, again.created), ([], {}, {}))

    def test_uploading_the_same_filled_in_form_twice_adds_its_progress_note_once(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "update_text", "Overleg met de FOD gestart")
        content = self.save(wb)
        first = import_xlsx(self.edition, content, self.secretariat)
        self.assertEqual(first.updated, {"initiatives": 1})
        again = import_xlsx(self.edition, content, self.secretariat)
        self.assertTrue(again.ok, again.problems)
        self.assertEqual((again.created, again.updated), ({}, {}))
        # the same note with other white space is the same note
        self.set(wb, "initiatives", 2, "update_text", "  Overleg met de FOD\ngestart ")
        self.assertEqual(import_xlsx(self.edition, self.save(wb), self.secretariat).updated, {})
        self.assertEqual(
            list(self.public_initiative.updates.values_list("text", flat=True)),
            ["Overleg met de FOD gestart"],
        )

    def test_the_same_note_is_recorded_again_on_another_day_or_another_initiative(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "update_text", "Geen nieuws")
        import_xlsx(self.edition, self.save(wb), self.secretariat)
        self.public_initiative.updates.update(date=dt.date(2020, 1, 1))
        self.set(wb, "initiatives", 3, "update_text", "Geen nieuws")
        result = import_xlsx(self.edition, self.save(wb), self.secretariat)
        self.assertEqual(result.updated, {"initiatives": 2})
        self.assertEqual(Update.objects.filter(text="Geen nieuws").count(), 3)

    def test_a_bad_file_changes_nothing_and_says_what_is_wrong_where(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "status", "bezig")
        self.set(wb, "initiatives", 2, "recommendations", "R1, R9")
        self.set(wb, "initiatives", 2, "progress", 150)
        self.set(wb, "initiatives", 3, "start_date", "gisteren")
        self.set(wb, "initiatives", 3, "title_nl", None)
        self.set(wb, "initiatives", 3, "progress", "veel")
        self.set(wb, "milestones", 2, "due_date", "31 februari")
        self.set(wb, "measurements", 2, "value", "twaalf")
        self.set(wb, "measurements", 2, "date", "2025-06-30")
        before = self.snapshot()
        result = import_xlsx(self.edition, self.save(wb), self.secretariat)
        self.assertEqual(self.snapshot(), before)
        self.assertCountEqual(
            self.issues(result),
            [
                ("initiatives", 2, "status"),
                ("initiatives", 2, "recommendations"),
                ("initiatives", 2, "progress"),
                ("initiatives", 3, "start_date"),
                ("initiatives", 3, "title_nl"),
                ("initiatives", 3, "progress"),
                ("milestones", 2, "due_date"),
                ("measurements", 2, "value"),
            ],
        )
        messages = " ".join(i.message for i in result.problems)
        self.assertIn("“R9”", messages)
        self.assertIn("planned, ongoing, at_risk", messages)
        self.assertIn("“gisteren” is geen datum", messages)
        self.assertIn("hoogstens 100", messages)

    def test_text_that_looks_like_a_formula_is_exported_as_text(self):
        Initiative.objects.filter(pk=self.public_initiative.pk).update(
            title_nl='=HYPERLINK("http://evil.invalid","klik")'
        )
        cell = self.workbook()["initiatives"].cell(
            row=2, column=COLUMNS["initiatives"].index("title_nl") + 1
        )
        self.assertEqual(cell.data_type, "s")
        result = import_xlsx(self.edition, self.save(self.workbook()), self.secretariat)
        self.assertEqual((result.problems, result.updated), ([], {}))

    def test_a_missing_column_is_reported(self):
        wb = self.workbook()
        wb["initiatives"].delete_cols(COLUMNS["initiatives"].index("status") + 1)
        result = import_xlsx(self.edition, self.save(wb), self.secretariat)
        self.assertEqual(self.issues(result), [("initiatives", 1, "status")])

    def test_a_file_that_is_not_xlsx_is_refused(self):
        for content in (b"id;status\n1;done\n", b"PK\x03\x04 broken zip", b""):
            result = import_xlsx(self.edition, content, self.secretariat)
            self.assertEqual(len(result.problems), 1)
            self.assertIn("geen leesbaar Excel-bestand", result.problems[0].message)

    def test_unknown_ids_are_reported(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "id", 9999)
        self.set(wb, "milestones", 2, "initiative", 8888)
        result = import_xlsx(self.edition, self.save(wb), self.secretariat)
        self.assertCountEqual(
            self.issues(result), [("initiatives", 2, "id"), ("milestones", 2, "initiative")]
        )

    def test_an_id_that_appears_twice_is_reported(self):
        wb = self.workbook()
        wb["initiatives"].append([cell.value for cell in wb["initiatives"][2]])
        result = import_xlsx(self.edition, self.save(wb), self.secretariat)
        self.assertEqual(self.issues(result), [("initiatives", 4, "id")])

    def test_owners_may_import_only_rows_of_their_own_initiatives(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "progress", 40)  # chief's own
        self.set(wb, "initiatives", 3, "progress", 10)  # other_chief's
        wb["initiatives"].append(
            [
                None,
                "C1",
                "Eigen idee",
                "",
                "",
                "",
                "Zone",
                "",
                "",
                "2025-01-01",
                None,
                "planned",
                0,
                "",
            ]
        )
        result = import_xlsx(self.edition, self.save(wb), self.chief)
        self.assertEqual(self.issues(result), [("initiatives", 3, None), ("initiatives", 4, "id")])
        self.assertIn("alleen de beheerders ervan en het secretariaat", result.problems[0].message)
        self.public_initiative.refresh_from_db()
        self.assertEqual(self.public_initiative.progress, 30)

    def test_a_refused_row_names_the_initiative_in_the_readers_language_or_marks_the_other(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 3, "progress", 10)  # other_chief's, no French title
        with translation.override("fr"):
            result = import_xlsx(self.edition, self.save(wb), self.chief)
            self.assertIn("« [NL] Interne pilot i-Police »", result.problems[0].message)
            Initiative.objects.filter(pk=self.private_initiative.pk).update(
                title_fr="Pilote interne i-Police"
            )
            result = import_xlsx(self.edition, self.save(wb), self.chief)
            self.assertIn("« Pilote interne i-Police »", result.problems[0].message)

    def test_initiatives_are_created_and_changed_through_the_services_with_their_history(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "partners", "FOD Binnenlandse Zaken")
        self.set(wb, "initiatives", 3, "recommendations", "R1")
        wb["initiatives"].append(
            [None, "C1", "Proeftuin drones", "", "", "", "VCLP", "", "", "2025-02-01", None]
            + ["planned", 0, ""]
        )
        with mock.patch(
            "memorandum.roadmap.exchange.importer.initiative_create",
            wraps=services.initiative_create,
        ) as create:
            result = import_xlsx(self.edition, self.save(wb), self.secretariat)
        self.assertEqual((result.created, result.updated), ({"initiatives": 1}, {"initiatives": 2}))
        create.assert_called_once()
        new = Initiative.objects.get(title_nl="Proeftuin drones")
        self.assertEqual(new.serves(), ["C1"])
        self.assertEqual(
            [(v.history_type, v.history_user, v.history_change_reason) for v in new.history.all()],
            [("+", self.secretariat, HISTORY_REASON)],
        )
        changed = self.public_initiative.history.first()
        self.assertEqual(
            (changed.partners, changed.history_user, changed.history_change_reason),
            ("FOD Binnenlandse Zaken", self.secretariat, HISTORY_REASON),
        )
        # a row whose only change is what it serves leaves no new version of the initiative
        self.assertEqual(self.private_initiative.history.count(), 1)
        self.assertEqual(self.private_initiative.serves(), ["R1"])

    def test_rows_of_other_initiatives_that_change_nothing_are_skipped(self):
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "progress", 40)
        result = import_xlsx(self.edition, self.save(wb), self.chief)
        self.assertTrue(result.ok, result.problems)
        self.public_initiative.refresh_from_db()
        self.assertEqual(self.public_initiative.progress, 40)

    def test_the_import_page_lists_problems_and_reports_success(self):
        self.login(self.chief)
        page = "/nl/editions/2024-2028/roadmap/import/"
        response = self.client.post(page, {"file": SimpleUploadedFile("form.xlsx", b"nonsense")})
        self.assertContains(response, "er werd niets geïmporteerd")
        wb = self.workbook()
        self.set(wb, "initiatives", 2, "status", "done")
        response = self.client.post(
            page, {"file": SimpleUploadedFile("form.xlsx", self.save(wb))}, follow=True
        )
        self.assertContains(response, "initiatieven: 0 nieuw, 1 bijgewerkt")
        self.public_initiative.refresh_from_db()
        self.assertEqual(
            (self.public_initiative.status, self.public_initiative.progress), ("done", 100)
        )
