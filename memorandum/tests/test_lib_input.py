"""The shared input toolkit: reading uploads, cell values, exports, validation rules."""

import datetime as dt
import io
from decimal import Decimal

from django.test import SimpleTestCase
from openpyxl import Workbook

from memorandum.lib import spreadsheets
from memorandum.lib.exports import SafeCSVWriter, csv_import_cell, neutralise_sheet, xlsx_row
from memorandum.lib.validation import date_problem, is_safe_link, url_problem


class SpreadsheetValuesTestCase(SimpleTestCase):
    def test_cells_no_database_or_renderer_can_hold_are_refused(self):
        for value in ("a\x00b", "bell\x07", 2**63, -(2**63), float("nan"), float("inf")):
            self.assertIsNotNone(spreadsheets.value_problem(value), repr(value))
        for value in ("tab\tand\nnewline", 2**63 - 1, 1.5, True, None, dt.date(2025, 1, 1)):
            self.assertIsNone(spreadsheets.value_problem(value), repr(value))

    def test_decimals_must_fit_their_field(self):
        def parse(value):
            return spreadsheets.parse_decimal(value, max_digits=14, decimal_places=2)

        self.assertEqual(parse("12,5"), Decimal("12.50"))
        self.assertEqual(parse(999999999999.99), Decimal("999999999999.99"))
        self.assertIsNone(parse("  "))
        for value in ("1e15", 1e15, "NaN", "inf", "-Infinity", "abc", True, "1e999999"):
            self.assertIsInstance(parse(value), str, repr(value))

    def test_json_depth_numbers_and_constants_are_bounded(self):
        self.assertEqual(spreadsheets.read_json(b'{"a": [1, 2.5]}'), {"a": [1, 2.5]})
        for content in (b"[" * 50 + b"]" * 50, b"[NaN]", b"[1e400]", b"[" + b"9" * 30 + b"]"):
            with self.assertRaises(spreadsheets.UnreadableFile):
                spreadsheets.read_json(content)

    def test_csv_rows_and_encoding_are_bounded(self):
        limits = spreadsheets.Limits(max_rows=3)
        self.assertEqual(
            spreadsheets.read_csv(b"a;b\n1;2\n", "t", limits), [["a", "b"], ["1", "2"]]
        )
        with self.assertRaises(spreadsheets.UnreadableFile):
            spreadsheets.read_csv(b"a\n1\n2\n3\n4\n", "t", limits)
        with self.assertRaises(spreadsheets.UnreadableFile):
            spreadsheets.read_csv("a\ncaf\xe9\n".encode("latin-1"), "t")


class ExportsTestCase(SimpleTestCase):
    def test_csv_cells_that_start_a_formula_get_an_apostrophe_and_lose_it_on_import(self):
        buffer = io.StringIO()
        SafeCSVWriter(buffer).writerow(["=1+1", "+1", "-1", "@A1", "\tx", "ok", -1, "a=b"])
        row = buffer.getvalue().strip().split(";")  # Belgian spreadsheets: semicolons
        self.assertEqual(row, ["'=1+1", "'+1", "'-1", "'@A1", "'\tx", "ok", "-1", "a=b"])
        self.assertEqual([csv_import_cell(v) for v in row[:4]], ["=1+1", "+1", "-1", "@A1"])

    def test_xlsx_cells_stay_text_and_lose_control_characters(self):
        sheet = Workbook().active
        sheet.append(xlsx_row(['=HYPERLINK("http://x")', "bell\x07", 3]))
        neutralise_sheet(sheet)
        self.assertEqual([c.data_type for c in sheet[1]], ["s", "s", "n"])
        self.assertEqual(sheet["B1"].value, "bell")


class ValidationTestCase(SimpleTestCase):
    def test_dates_between_1900_and_2200(self):
        self.assertIsNone(date_problem(dt.date(1900, 1, 1)))
        self.assertIsNone(date_problem(dt.datetime(2200, 12, 31, 23, 59)))
        self.assertIsNotNone(date_problem(dt.date(1, 1, 1)))
        self.assertIsNotNone(date_problem(dt.date(9999, 12, 31)))

    def test_only_web_addresses_are_links(self):
        self.assertIsNone(url_problem("https://example.org/a?b=c"))
        for value in ("javascript:alert(1)", "data:text/html,x", "ftp://x.org", "//x.org"):
            self.assertIsNotNone(url_problem(value), value)
        self.assertTrue(is_safe_link("mailto:a@example.org"))
        for value in ("javascript:alert(1)", "java\tscript:alert(1)", " JavaScript:x", ""):
            self.assertFalse(is_safe_link(value), value)
