"""Hostile uploads against every import: a clear problem, nothing written, and quickly.

The files are built in :mod:`memorandum.tests.hostile`: truncated and bomb ZIPs, sheets of
100,000 rows or 20,000 columns or a declared million rows, entity declarations (billion
laughs, external entities, a declaration hidden behind a long comment), broken XML, bad
cell references and types, huge numbers, wrong encodings, NUL characters, JSON nested
100,000 deep.
"""

from __future__ import annotations

import time

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from memorandum.catalogue.exchange import import_file
from memorandum.consultation.importer import import_proposals
from memorandum.lib import spreadsheets
from memorandum.roadmap.exchange import import_xlsx
from memorandum.test import BaseTestCase
from memorandum.tests import hostile

# Generous for a loaded 2-core CI machine; the point is "bounded", not "fast".
SECONDS = 10


def row_counts() -> dict[str, int]:
    """Rows of every table of our apps: what an import may change."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("catalogue", "consultation", "roadmap")
    }


class HostileFilesTestCase(BaseTestCase):
    def importers(self, name: str):
        yield "catalogue", lambda content: import_file(self.edition, name, content).problems
        if name.endswith(".xlsx"):
            yield (
                "roadmap",
                lambda content: import_xlsx(self.edition, content, self.partner).problems,
            )
            yield (
                "consultation",
                lambda content: (
                    import_proposals(self.edition, content, by=self.secretariat).problems
                ),
            )

    def assert_refused_cleanly(self, build):
        name, content = build()
        before = row_counts()
        for importer, run in self.importers(name):
            with self.subTest(file=build.__name__, importer=importer):
                started = time.monotonic()
                issues = run(content)
                self.assertLess(time.monotonic() - started, SECONDS)
                self.assertTrue(issues, "a hostile file was accepted")
                self.assertTrue(all(str(i.message) for i in issues))
                self.assertEqual(row_counts(), before)

    def test_hostile_workbooks_are_refused_by_every_import(self):
        for build in hostile.XLSX_FILES:
            self.assert_refused_cleanly(build)

    def test_hostile_csv_and_json_files_are_refused_by_the_catalogue_import(self):
        for build in hostile.CATALOGUE_ONLY_FILES:
            self.assert_refused_cleanly(build)

    def test_the_upload_pages_answer_a_hostile_file_with_the_problem_list(self):
        pages = [
            (self.secretariat, reverse("catalogue:import", args=[self.edition.slug])),
            (self.partner, reverse("roadmap:import", args=[self.edition.slug])),
            (self.secretariat, reverse("consultation:import", args=[self.edition.slug])),
        ]
        for user, url in pages:
            self.login(user)
            for build in (hostile.zip_bomb, hostile.billion_laughs, hostile.broken_sheet_xml):
                name, content = build()
                with self.subTest(url=url, file=name):
                    response = self.client.post(
                        url, {"file": SimpleUploadedFile(name, content)}, HTTP_ACCEPT_LANGUAGE="nl"
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, 'role="alert"')

    def test_a_legitimate_workbook_bigger_than_the_quick_scan_still_reads(self):
        # 5,000 rows of text: under every limit, so it must be read, not refused.
        rows = hostile._header_row() + "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{"x" * 40}</t></is></c></row>'
            for n in range(2, 5_002)
        )
        content = hostile.with_parts({hostile.SHEET_PARTS[0]: hostile._xml(rows)})
        workbook = spreadsheets.open_workbook(content)
        try:
            self.assertEqual(len(spreadsheets.sheet_rows(workbook.worksheets[0])), 5_001)
        finally:
            workbook.close()


class OpenpyxlIsDefusedTestCase(BaseTestCase):
    def test_openpyxl_parses_through_defusedxml(self):
        import openpyxl

        self.assertTrue(openpyxl.DEFUSEDXML)
