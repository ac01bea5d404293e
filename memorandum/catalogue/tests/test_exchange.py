import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from memorandum.catalogue import exchange
from memorandum.catalogue.models import Edition, Recommendation
from memorandum.test import BaseTestCase


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests read the import messages in English."""


def snapshot(edition):
    """Everything the catalogue holds, comparable across editions."""
    tables = exchange.catalogue_tables(edition)
    return json.dumps(tables, sort_keys=True, default=str)


class RoundTripTestCase(BaseTestCase):
    def fresh_edition(self):
        return Edition.objects.create(
            slug="copy", title_nl="Kopie", period_start=2024, period_end=2028
        )

    def test_json_round_trip_reproduces_the_catalogue(self):
        target = self.fresh_edition()
        result = exchange.import_file(target, "c.json", exchange.export_json(self.edition))
        self.assertEqual(result.problems, [])
        self.assertEqual(snapshot(target), snapshot(self.edition))

    def test_xlsx_round_trip_reproduces_the_catalogue(self):
        target = self.fresh_edition()
        result = exchange.import_file(target, "c.xlsx", exchange.export_xlsx(self.edition))
        self.assertEqual(result.problems, [])
        self.assertEqual(snapshot(target), snapshot(self.edition))

    def test_csv_round_trip_reproduces_the_recommendations(self):
        csv_bytes = exchange.export_csv(self.edition)
        self.assertTrue(csv_bytes.startswith("\ufeff".encode()))
        before = snapshot(self.edition)
        Recommendation.objects.filter(edition=self.edition).delete()
        result = exchange.import_file(self.edition, "c.csv", csv_bytes)
        self.assertEqual(result.problems, [])
        self.assertEqual(snapshot(self.edition), before)

    def test_importing_an_export_again_changes_nothing_and_adds_no_version(self):
        versions = Recommendation.history.count()
        result = exchange.import_file(self.edition, "c.json", exchange.export_json(self.edition))
        self.assertEqual((result.problems, result.created, result.updated), ([], {}, {}))
        self.assertEqual(Recommendation.history.count(), versions)

    def test_same_catalogue_same_xlsx_bytes(self):
        self.assertEqual(exchange.export_xlsx(self.edition), exchange.export_xlsx(self.edition))

    def test_the_export_is_semicolon_separated_and_a_comma_separated_csv_is_read_too(self):
        text = exchange.export_csv(self.edition).decode("utf-8-sig")
        import csv

        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[0], list(exchange.COLUMNS["recommendations"]))
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        result = exchange.import_file(self.edition, "c.csv", out.getvalue().encode("utf-8"))
        self.assertEqual(result.problems, [])

    def test_a_sheet_with_only_some_columns_leaves_the_others_alone(self):
        content = b"kind;number;domain;title_nl\r\nrecommendation;1;3;Een duurzame financiering\r\ncommitment;6;2;Nieuw engagement\r\n"
        result = exchange.import_file(self.edition, "partial.csv", content)
        self.assertEqual(result.problems, [])
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        self.assertEqual(r1.title_nl, "Een duurzame financiering")
        self.assertIn("door de politie te herfinancieren", r1.actions_nl)
        self.assertEqual(r1.status, "adopted")
        c6 = Recommendation.objects.get(edition=self.edition, kind="commitment", number=6)
        self.assertEqual((c6.status, c6.domain.number), ("draft", 2))


class BadFileTestCase(BaseTestCase):
    def setUp(self):
        self.before = snapshot(self.edition)
        header = exchange.COLUMNS["recommendations"]
        self.header = header

    def csv_file(self, rows, header=None, encoding="utf-8"):
        import csv

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header or self.header)
        writer.writerows(rows)
        return out.getvalue().encode(encoding)

    def row(self, **values):
        base = {c: "" for c in self.header}
        base.update(
            kind="recommendation",
            number="1",
            domain="3",
            title_nl="Een optimale en duurzame financiering",
            status="adopted",
        )
        base.update(values)
        return [base[c] for c in self.header]

    def assert_issue(self, result, row, column, words):
        self.assertFalse(result.ok)
        matching = [i for i in result.problems if i.row == row and i.column == column]
        self.assertTrue(
            matching, f"no issue at row {row} column {column}: {[str(i) for i in result.problems]}"
        )
        self.assertIn(words, matching[0].message)
        self.assertEqual(snapshot(self.edition), self.before, "a bad file changed the catalogue")

    def test_missing_column(self):
        header = [c for c in self.header if c != "title_nl"]
        rows = [[v for c, v in zip(self.header, self.row(), strict=True) if c != "title_nl"]]
        result = exchange.import_file(self.edition, "f.csv", self.csv_file(rows, header))
        self.assert_issue(result, 1, "title_nl", "missing")

    def test_unknown_domain(self):
        result = exchange.import_file(
            self.edition, "f.csv", self.csv_file([self.row(), self.row(number="8", domain="42")])
        )
        self.assert_issue(result, 3, "domain", "Unknown work domain 42")

    def test_duplicate_number(self):
        result = exchange.import_file(
            self.edition, "f.csv", self.csv_file([self.row(title_nl="A"), self.row(title_nl="B")])
        )
        self.assert_issue(result, 3, "number", "row 2")

    def test_empty_required_cell(self):
        result = exchange.import_file(
            self.edition,
            "f.csv",
            self.csv_file([self.row(title_nl="Nieuw"), self.row(number="9", title_nl="")]),
        )
        self.assert_issue(result, 3, "title_nl", "empty")

    def test_latin1_file_is_refused_with_advice(self):
        result = exchange.import_file(
            self.edition,
            "f.csv",
            self.csv_file([self.row(title_nl="Één nieuwe")], encoding="latin-1"),
        )
        self.assert_issue(result, 2, None, "UTF-8")

    def test_utf8_with_bom_is_accepted(self):
        content = "\ufeff".encode() + self.csv_file(
            [self.row(number="8", title_nl="Één nieuwe aanbeveling")]
        )
        result = exchange.import_file(self.edition, "f.csv", content)
        self.assertEqual(result.problems, [])
        self.assertEqual(
            Recommendation.objects.get(
                edition=self.edition, kind="recommendation", number=8
            ).title_nl,
            "Één nieuwe aanbeveling",
        )

    def test_one_bad_row_among_good_ones_imports_nothing(self):
        rows = [self.row(number="8", title_nl="Goed"), self.row(number="9", kind="wish")]
        result = exchange.import_file(self.edition, "f.csv", self.csv_file(rows))
        self.assert_issue(result, 3, "kind", "not allowed")
        self.assertFalse(
            Recommendation.objects.filter(
                edition=self.edition, number=8, kind="recommendation"
            ).exists()
        )

    def test_not_a_number(self):
        result = exchange.import_file(
            self.edition, "f.csv", self.csv_file([self.row(number="twee")])
        )
        self.assert_issue(result, 2, "number", "whole number")

    def test_xlsx_errors_name_sheet_row_and_column(self):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "recommendations"
        sheet.append(self.header)
        sheet.append(self.row(domain="11"))
        out = io.BytesIO()
        workbook.save(out)
        result = exchange.import_file(self.edition, "f.xlsx", out.getvalue())
        self.assert_issue(result, 2, "domain", "Unknown work domain 11")
        self.assertEqual(result.problems[0].sheet, "recommendations")

    def test_xlsx_missing_column_in_a_sheet(self):
        workbook = load_workbook(io.BytesIO(exchange.export_xlsx(self.edition)))
        workbook["domains"].delete_cols(2)
        out = io.BytesIO()
        workbook.save(out)
        result = exchange.import_file(self.edition, "f.xlsx", out.getvalue())
        self.assert_issue(result, 1, "name_nl", "missing")

    def test_broken_files_are_explained(self):
        for name, content, words in (
            ("f.xlsx", b"not a zip", "Excel"),
            ("f.json", b"{broken", "Invalid JSON"),
            ("f.json", b'{"a": 1}', "not a catalogue file"),
            ("f.pdf", b"%PDF", "Unknown file type"),
            ("f.csv", b"", "empty"),
        ):
            result = exchange.import_file(self.edition, name, content)
            self.assertFalse(result.ok, name)
            self.assertIn(words, result.problems[0].message, name)
        self.assertEqual(snapshot(self.edition), self.before)

    def test_json_with_unknown_reference_number(self):
        document = json.loads(exchange.export_json(self.edition))
        document["recommendations"][0]["references"] = [999]
        result = exchange.import_file(self.edition, "f.json", json.dumps(document).encode())
        self.assert_issue(result, 1, "references", "999")


class ImportPageTestCase(BaseTestCase):
    def test_a_bad_upload_shows_the_problems_and_keeps_everything(self):
        self.login(self.secretariat)
        before = snapshot(self.edition)
        content = b"kind,number,domain\nrecommendation,1,3\n"
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = self.client.post(
            "/nl/editions/2024-2028/import/", {"file": SimpleUploadedFile("bad.csv", content)}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "title_nl")
        self.assertContains(response, 'role="alert"')
        self.assertEqual(snapshot(self.edition), before)

    def test_a_good_upload_imports_and_says_what_changed(self):
        self.login(self.secretariat)
        from django.core.files.uploadedfile import SimpleUploadedFile

        content = exchange.export_json(self.edition).replace(
            b"door de politie te herfinancieren", b"door de politie opnieuw te financieren"
        )
        response = self.client.post(
            "/nl/editions/2024-2028/import/",
            {"file": SimpleUploadedFile("ok.json", content)},
            follow=True,
        )
        self.assertContains(response, "Import voltooid. aanbevelingen: 0 nieuw, 1 bijgewerkt.")
        self.assertIn(
            "opnieuw te financieren",
            Recommendation.objects.get(
                edition=self.edition, kind="recommendation", number=1
            ).actions_nl,
        )

    def test_downloads_have_the_right_type(self):
        for fmt, ctype in (
            ("xlsx", "spreadsheetml"),
            ("csv", "text/csv"),
            ("json", "application/json"),
        ):
            response = self.client.get(f"/nl/editions/2024-2028/export.{fmt}")
            self.assertEqual(response.status_code, 200)
            self.assertIn(ctype, response["Content-Type"])
        self.assertEqual(self.client.get("/nl/editions/2024-2028/export.exe").status_code, 404)


def test_office_files_carry_no_save_time():
    """The save time openpyxl writes into the properties is replaced by a fixed date."""
    import zipfile

    from memorandum.lib.files import with_fixed_zip_dates

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "docProps/core.xml",
            '<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-28T23:50:01Z'
            '</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-28T23:50:02Z'
            "</dcterms:modified></cp:coreProperties>",
        )
    fixed = zipfile.ZipFile(io.BytesIO(with_fixed_zip_dates(buffer.getvalue())))
    core = fixed.read("docProps/core.xml").decode()
    assert "2026" not in core
    assert core.count("2000-01-01T00:00:00Z") == 2
    assert fixed.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
