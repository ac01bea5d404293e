"""The files as software reads them: PDF tags and outline, Word opened by LibreOffice.

The PDF checks read the structure tree with pikepdf: the document is tagged, passages in
the other language carry their own /Lang, table headers have a /Scope, the contents is
tagged /TOC with /TOCI entries and the bookmarks follow the document's structure. The
Word check converts the file with ``libreoffice --headless`` and reads the contents page
of the resulting PDF: the entries must be there without anyone updating a field.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import pikepdf

from memorandum.catalogue.models import Status
from memorandum.catalogue.synthetic import generate_edition
from memorandum.publication import document as document_module
from memorandum.publication import pdftags
from memorandum.publication.demo import apply_demo_content
from memorandum.publication.document import build_document
from memorandum.publication.pdf import layout, render_pdf
from memorandum.publication.tests.helpers import counted_survey, flat, pdf_text
from memorandum.publication.word import render_docx
from memorandum.test import BaseTestCase


def structure_elements(pdf: pikepdf.Pdf):
    """Every structure element of the tagged PDF, depth first."""
    stack = [pdf.Root.StructTreeRoot]
    seen = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
            continue
        if node.objgen != (0, 0):
            seen.add(node.objgen)
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)


def outline_depth(pdf: pikepdf.Pdf) -> int:
    def depth(items) -> int:
        return max((1 + depth(item.children) for item in items), default=0)

    with pdf.open_outline() as outline:
        return depth(outline.root)


CHAPTER_STARTS = {"section", "toc", "cover", "domain-title"}
# pdfua 0.1.3's empty-heading rule cannot decide on a heading whose /K is an array (as
# WeasyPrint writes them): its as_integer() calls getattr(array, "is_integer", False), and
# pikepdf 10 raises ValueError there instead of AttributeError. pdfua reports the rule as
# skipped; any other rule skipped would mean the checker could not read our file.
PDFUA_RULES_IT_CANNOT_READ = {"UA-14-001"}


def page_fills(rendered) -> list[tuple[float, bool]]:
    """(share of the page's text area used, whether the next page opens a chapter) per page."""
    from weasyprint.formatting_structure import boxes

    result = []
    for page in rendered.pages:
        box = page._page_box
        top, height = box.content_box_y(), box.height
        bottom, opens = top, False
        for child in box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for inner in child.descendants():
                classes = (
                    set((inner.element.get("class") or "").split())
                    if inner.element is not None
                    else set()
                )
                if getattr(inner, "is_first_fragment", True) and classes & CHAPTER_STARTS:
                    opens = opens or inner.position_y <= top + 5
                if isinstance(inner, (boxes.LineBox, boxes.ReplacedBox)):
                    bottom = max(bottom, inner.position_y + inner.margin_height())
        result.append(((bottom - top) / height, opens))
    return [
        (fill, result[i + 1][1] if i + 1 < len(result) else True)
        for i, (fill, _o) in enumerate(result)
    ]


class PdfStructureTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        apply_demo_content(cls.edition)
        survey = counted_survey(cls.edition)
        doc = build_document(cls.edition, "fr", survey=survey)
        cls.pdf_bytes = render_pdf(doc)
        cls.fills = page_fills(layout(doc))

    def setUp(self):
        super().setUp()
        self.pdf = pikepdf.open(io.BytesIO(self.pdf_bytes))

    def test_the_pdf_is_tagged_and_in_french(self):
        self.assertTrue(bool(self.pdf.Root.MarkInfo.Marked))
        self.assertEqual(str(self.pdf.Root.Lang), "fr-BE")
        self.assertIn("/StructTreeRoot", self.pdf.Root)

    def test_passages_in_another_language_carry_their_own_lang(self):
        languages = {str(e.Lang) for e in structure_elements(self.pdf) if "/Lang" in e}
        # A Dutch name inside a French addressee and an English reference title.
        self.assertIn("nl", languages)
        self.assertIn("en", languages)

    def test_every_table_header_cell_has_a_scope(self):
        headers = [e for e in structure_elements(self.pdf) if e.S == "/TH"]
        self.assertGreater(len(headers), 4)
        for header in headers:
            self.assertEqual(header.A.Scope, "/Column")

    def test_the_contents_is_tagged_as_a_table_of_contents(self):
        types = [str(e.S) for e in structure_elements(self.pdf)]
        self.assertIn("/TOC", types)
        self.assertGreaterEqual(types.count("/TOCI"), 8 + 12)

    def test_no_page_is_more_than_half_empty_except_at_a_chapter_end(self):
        for number, (fill, chapter_end) in enumerate(self.fills, start=1):
            if not chapter_end:
                self.assertGreaterEqual(fill, 0.5, f"page {number} is {fill:.0%} full")

    def test_the_bookmarks_hold_sections_and_items(self):
        self.assertEqual(outline_depth(self.pdf), 2)

    def test_the_pdfua_checker_finds_nothing(self):
        """The PDF/UA-1 rules pdfua (PyPI) can decide from the file find nothing to report."""
        import pdfua

        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(self.pdf_bytes)
            file.flush()
            report = pdfua.validate(file.name)
        self.assertEqual([(f.rule_id, f.message) for f in report.findings], [], "pdfua findings")
        skipped = {o.rule_id for o in report.outcomes if o.skipped_reason}
        self.assertLessEqual(skipped, PDFUA_RULES_IT_CANNOT_READ)


class FullEditionPageFillTestCase(BaseTestCase):
    """The 219-item edition (grouped by domain and theme), laid out once for the class."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        edition = generate_edition(themes=21, recommendations=219, seed=1)
        edition.recommendations.update(status=Status.ADOPTED)
        doc = build_document(edition, "nl")
        cls.grouped = doc.grouped
        cls.fills = page_fills(layout(doc))

    def test_no_page_of_the_219_item_edition_is_more_than_half_empty_except_at_a_chapter_end(self):
        self.assertTrue(self.grouped)
        self.assertGreater(len(self.fills), 40)
        half_empty = [
            f"page {number} is {fill:.0%} full"
            for number, (fill, chapter_end) in enumerate(self.fills, start=1)
            if not chapter_end and fill < 0.5
        ]
        self.assertEqual(half_empty, [])


class TaggerVersionTestCase(unittest.TestCase):
    """pdftags.py extends a private function of WeasyPrint: a change there must stop it loudly."""

    def test_the_installed_weasyprint_is_the_one_pdftags_extends(self):
        self.assertIsNone(pdftags.weasyprint_problem())

    def test_another_weasyprint_version_stops_the_pdf_with_a_clear_error(self):
        with mock.patch.object(pdftags.weasyprint, "__version__", "71.0"):
            with self.assertRaisesRegex(pdftags.UnsupportedWeasyPrint, "written for version 70"):
                pdftags.install()

    def test_a_changed_tagger_signature_stops_the_pdf_with_a_clear_error(self):
        def changed(box, parent, pdf, page_number, nums, tags):  # one parameter fewer
            yield from ()

        with mock.patch.object(pdftags.tags, "_build_box_tree", changed):
            with self.assertRaisesRegex(pdftags.UnsupportedWeasyPrint, "must be adapted"):
                pdftags.install()


class GroupedPdfStructureTestCase(BaseTestCase):
    def test_a_large_edition_is_grouped_by_domain_in_contents_bookmarks_and_numbers(self):
        with mock.patch.object(document_module, "CONTENTS_ITEMS_LIMIT", 5):
            doc = build_document(self.edition, "nl")
        self.assertTrue(doc.grouped)
        finance = next(d for d in doc.item_groups["recommendations"] if d.number == 3)
        self.assertEqual(str(finance.title), "Financiering")
        self.assertEqual(finance.themes[0].items[0].label, "3.1")
        data = render_pdf(doc)
        pdf = pikepdf.open(io.BytesIO(data))
        self.assertEqual(outline_depth(pdf), 3)  # section, domain, item (no themes here)
        contents = flat(pdf_text(data)).split("Inhoud", 1)[1][:1500]
        self.assertIn("3. Financiering", contents)


@unittest.skipUnless(shutil.which("libreoffice"), "LibreOffice is not installed")
class WordInLibreOfficeTestCase(BaseTestCase):
    def test_libreoffice_shows_the_contents_entries_without_updating_fields(self):
        apply_demo_content(self.edition)
        data = render_docx(build_document(self.edition, "fr"))
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "memorandum.docx"
            source.write_bytes(data)
            subprocess.run(
                [
                    "libreoffice",
                    f"-env:UserInstallation=file://{folder}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            converted = pdf_text((Path(folder) / "memorandum.pdf").read_bytes())
        text, text_pages = flat(converted), converted.split("\f")
        pages = [flat(page) for page in text_pages]
        contents = text.split("Table des matières", 1)[1].split("Monsieur Alexander De Croo")[0]
        # Each entry has the page number LibreOffice computed, and the addressees start on
        # their own page, the one the contents gives.
        numbered = {
            title: int(page)
            for title, page in re.findall(
                r"(À l’attention de|Avant-propos du président|Colophon) (\d+)", contents
            )
        }
        self.assertEqual(len(numbered), 3)
        # The 22 addressees stand on one page, the foreword on the next.
        self.assertEqual(numbered["Avant-propos du président"], numbered["À l’attention de"] + 1)
        self.assertTrue(pages[numbered["À l’attention de"] - 1].startswith("À l’attention de"))
        self.assertIn("Colophon", pages[numbered["Colophon"] - 1][:40])
        self.assertNotIn("Monsieur Alexander De Croo", pages[1])
        for entry in (
            "À l’attention de",
            "Recommandations aux autorités",
            "1. Un financement optimal et durable",
            "Les collaborateurs d’abord",
            "Principales références",
            "Colophon",
        ):
            self.assertIn(entry, contents)
        self.assertIn("près des trois quarts du personnel", text)
