"""Bulk import of proposals from a spreadsheet: all rows or nothing, with clear errors."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from memorandum.catalogue.models import Phase
from memorandum.consultation.importer import COLUMNS, import_proposals
from memorandum.consultation.models import Proposal
from memorandum.consultation.tests.helpers import make_event
from memorandum.test import BaseTestCase, InEnglish


def sheet(*rows, header=COLUMNS) -> bytes:
    book = Workbook()
    book.active.title = "proposals"
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ImportTestCase(InEnglish, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.set_phase(Phase.CONSULTATION)
        self.event = make_event(self.edition)
        self.zone = self.zones[0].code

    def good_row(self, **changes):
        row = {
            "zone": self.zone,
            "event": self.event.pk,
            "participant": "",
            "language": "nl",
            "domain": 3,
            "theme": "",
            "title": "Herfinanciering",
            "text": "Meer middelen voor de zones.",
        }
        row.update(changes)
        return [row[c] for c in COLUMNS]

    def test_a_good_file_creates_every_proposal(self):
        result = import_proposals(
            self.edition,
            sheet(self.good_row(), self.good_row(language="fr", title="Refinancement")),
            by=self.secretariat,
        )
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(result.created, {"proposals": 2})
        self.assertEqual(Proposal.objects.filter(event=self.event, zone__code=self.zone).count(), 2)

    def test_one_bad_row_imports_nothing_and_names_row_and_column(self):
        content = sheet(
            self.good_row(),
            self.good_row(domain=42),
            self.good_row(theme="9.9"),
            self.good_row(zone="X999"),
            self.good_row(event=999999),
            self.good_row(title=""),
            self.good_row(language="de"),
        )
        result = import_proposals(self.edition, content, by=self.secretariat)
        self.assertFalse(result.ok)
        self.assertEqual(Proposal.objects.count(), 0)
        found = {(e.row, e.column) for e in result.problems}
        self.assertEqual(
            found,
            {(3, "domain"), (4, "theme"), (5, "zone"), (6, "event"), (7, "title"), (8, "language")},
        )
        messages = " ".join(e.message for e in result.problems)
        self.assertIn("no work domain number 42", messages)
        self.assertIn("use one of: nl, fr", messages)
        self.assertIn("empty", messages)

    def test_a_file_that_is_not_xlsx_is_refused(self):
        result = import_proposals(self.edition, b"zone;title\nS001;x", by=self.secretariat)
        self.assertIn("not a readable Excel", result.problems[0].message)

    def test_missing_required_columns_are_named(self):
        result = import_proposals(
            self.edition, sheet(["S001", "x"], header=["zone", "title"]), by=self.secretariat
        )
        self.assertEqual(
            [(p.row, p.column) for p in result.problems],
            [(1, "language"), (1, "domain"), (1, "text")],
        )
        self.assertIn("“language” is missing", " ".join(p.message for p in result.problems))

    def test_a_file_without_an_optional_column_imports_it_as_empty(self):
        header = [c for c in COLUMNS if c not in ("event", "theme")]
        row = dict(zip(COLUMNS, self.good_row(), strict=True))
        result = import_proposals(
            self.edition, sheet([row[c] for c in header], header=header), by=self.secretariat
        )
        self.assertTrue(result.ok, result.problems)
        proposal = Proposal.objects.get()
        self.assertEqual(
            (proposal.event, proposal.theme, proposal.title), (None, None, "Herfinanciering")
        )

    def test_a_file_without_a_required_column_says_so_in_dutch_and_french(self):
        header = [c for c in COLUMNS if c != "text"]
        row = dict(zip(COLUMNS, self.good_row(), strict=True))
        content = sheet([row[c] for c in header], header=header)
        for language, expected in (
            ("nl", "De kolom “text” ontbreekt in de kopregel."),
            ("fr", "La colonne «\xa0text\xa0» manque dans la ligne d'en-tête."),
        ):
            with self.subTest(language=language), translation.override(language):
                result = import_proposals(self.edition, content, by=self.secretariat)
                self.assertEqual(
                    [(p.sheet, p.row, p.column, str(p.message)) for p in result.problems],
                    [("proposals", 1, "text", expected)],
                )
        self.assertEqual(Proposal.objects.count(), 0)

    def test_the_template_has_the_columns_and_the_accepted_values(self):
        self.login(self.secretariat)
        response = self.client.get(
            reverse("consultation:import_template", args=[self.edition.slug])
        )
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual([c.value for c in book["proposals"][1]], COLUMNS)
        values = [row for row in book["accepted values"].iter_rows(values_only=True)]
        self.assertIn(("event", self.event.pk, str(self.event)), values)

    def test_the_template_names_domains_in_the_readers_language(self):
        self.login(self.secretariat)
        domain = self.edition.domains.first()
        for language, name in (("nl", domain.name_nl), ("fr", domain.name_fr)):
            with self.subTest(language=language), translation.override(language):
                url = reverse("consultation:import_template", args=[self.edition.slug])
                book = load_workbook(io.BytesIO(self.client.get(url).content))
                values = list(book["accepted values"].iter_rows(values_only=True))
                self.assertIn(("domain", domain.number, name), values)

    def test_the_page_lists_the_problems_and_imports_nothing(self):
        self.login(self.secretariat)
        upload = SimpleUploadedFile("p.xlsx", sheet(self.good_row(domain="")))
        response = self.client.post(
            reverse("consultation:import", args=[self.edition.slug]), {"file": upload}
        )
        self.assertContains(response, "nothing was imported")
        self.assertContains(response, "This cell is empty")
        self.assertEqual(Proposal.objects.count(), 0)

    def test_the_page_imports_a_good_file(self):
        self.login(self.secretariat)
        upload = SimpleUploadedFile("p.xlsx", sheet(self.good_row()))
        response = self.client.post(
            reverse("consultation:import", args=[self.edition.slug]), {"file": upload}, follow=True
        )
        self.assertContains(response, "1 proposal imported.")
        self.assertEqual(Proposal.objects.get().author, self.secretariat)
