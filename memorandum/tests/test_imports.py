"""The one import toolkit: every import says the same thing about the same mistake, and
writes all or nothing."""

import io
from unittest import mock

from django import forms
from django.utils import translation
from openpyxl import load_workbook

from memorandum.catalogue.exchange import COLUMNS as CATALOGUE_COLUMNS
from memorandum.catalogue.exchange import catalogue_tables, import_file
from memorandum.catalogue.models import Phase, Recommendation, TimelineEvent
from memorandum.catalogue.phases import standing_in
from memorandum.consultation.importer import COLUMNS as PROPOSAL_COLUMNS
from memorandum.consultation.importer import import_proposals
from memorandum.consultation.models import Proposal
from memorandum.lib.importing import DateCell, ImportResult, missing_column
from memorandum.lib.spreadsheets import Problem
from memorandum.roadmap.exchange import COLUMNS as FOLLOW_UP_COLUMNS
from memorandum.roadmap.exchange import export_xlsx, import_xlsx
from memorandum.roadmap.models import Initiative, Milestone
from memorandum.roadmap.tests.base import RoadmapTestCase
from memorandum.test import xlsx


def too_long_message(limit: int) -> str:
    """What Django says about a text one character over ``limit``, in the active language."""
    try:
        forms.CharField(max_length=limit).clean("x" * (limit + 1))
    except forms.ValidationError as error:
        return error.messages[0]
    raise AssertionError("not refused")


class SameMistakeSameMessageTestCase(RoadmapTestCase):
    """A bad date, an over-long text and a missing required column, in each import."""

    def catalogue(self, case: str) -> list[Problem]:
        header = CATALOGUE_COLUMNS["timeline"]
        row = dict.fromkeys(header, "")
        row.update(date="2025-03-31", kind="other", title_nl="Studiedag")
        if case == "date":
            row["date"] = "gisteren"
        elif case == "long":
            row["title_nl"] = "x" * 201
        else:
            header = [c for c in header if c != "title_nl"]
        content = xlsx({"timeline": [header, [row[c] for c in header]]})
        return import_file(self.edition, "c.xlsx", content).problems

    def follow_up(self, case: str) -> list[Problem]:

        book = load_workbook(io.BytesIO(export_xlsx(self.edition, Initiative.objects.all())))
        sheet, columns = book["initiatives"], FOLLOW_UP_COLUMNS["initiatives"]
        if case == "date":
            sheet.cell(row=2, column=columns.index("start_date") + 1).value = "gisteren"
        elif case == "long":
            sheet.cell(row=2, column=columns.index("title_nl") + 1).value = "x" * 301
        else:
            sheet.delete_cols(columns.index("title_nl") + 1)
        out = io.BytesIO()
        book.save(out)
        return import_xlsx(self.edition, out.getvalue(), self.secretariat).problems

    def proposals(self, case: str) -> list[Problem]:
        header = PROPOSAL_COLUMNS
        row = {
            "zone": self.zones[0].code,
            "event": "",
            "participant": "",
            "language": "nl",
            "domain": 3,
            "theme": "",
            "title": "Herfinanciering",
            "text": "Meer middelen.",
        }
        if case == "long":
            row["title"] = "x" * 301
        else:
            header = [c for c in header if c != "title"]
        content = xlsx({"proposals": [header, [row[c] for c in header]]})
        with standing_in(self.edition, Phase.CONSULTATION):
            return import_proposals(self.edition, content, by=self.secretariat).problems

    def assert_one_problem(self, problems, sheet, row, column, message):
        self.assertEqual(
            [(p.sheet, p.row, p.column, str(p.message)) for p in problems],
            [(sheet, row, column, message)],
        )

    def test_the_same_mistake_gets_the_same_message_in_every_import_in_dutch_and_french(self):
        for language in ("nl", "fr"):
            with self.subTest(language=language), translation.override(language):
                bad_date = str(DateCell().error_messages["invalid"]) % {"value": "gisteren"}
                self.assertIn("gisteren", bad_date)
                self.assert_one_problem(self.catalogue("date"), "timeline", 2, "date", bad_date)
                self.assert_one_problem(
                    self.follow_up("date"), "initiatives", 2, "start_date", bad_date
                )
                self.assert_one_problem(
                    self.catalogue("long"), "timeline", 2, "title_nl", too_long_message(200)
                )
                self.assert_one_problem(
                    self.follow_up("long"), "initiatives", 2, "title_nl", too_long_message(300)
                )
                self.assert_one_problem(
                    self.proposals("long"), "proposals", 2, "title", too_long_message(300)
                )
                for problems, sheet, column in (
                    (self.catalogue("column"), "timeline", "title_nl"),
                    (self.follow_up("column"), "initiatives", "title_nl"),
                    (self.proposals("column"), "proposals", "title"),
                ):
                    expected = str(missing_column(sheet, column).message)
                    self.assert_one_problem(problems, sheet, 1, column, expected)
        with translation.override("fr"):
            self.assertIn("n’est pas une date", bad_date)
        self.assertEqual(Milestone.objects.filter(title_nl="x" * 301).count(), 0)


class ImportsAreAllOrNothingTestCase(RoadmapTestCase):
    def test_a_catalogue_import_that_fails_while_writing_leaves_the_catalogue_as_it_was(self):
        before = catalogue_tables(self.edition)
        content = (
            b"kind;number;domain;title_nl\r\n"
            b"commitment;6;2;Nieuw engagement\r\n"
            b"recommendation;1;3;Een andere titel\r\n"
        )
        saved = Recommendation.save
        calls = []

        def fail_on_second(recommendation, *args, **kwargs):
            calls.append(recommendation)
            if len(calls) == 2:
                raise RuntimeError("the disk is full")
            return saved(recommendation, *args, **kwargs)

        with (
            mock.patch.object(Recommendation, "save", fail_on_second),
            self.assertRaises(RuntimeError),
        ):
            import_file(self.edition, "c.csv", content)
        self.assertEqual(len(calls), 2, "the first row was written before the failure")
        self.assertEqual(catalogue_tables(self.edition), before)
        self.assertFalse(Recommendation.objects.filter(kind="commitment", number=6).exists())

    def test_a_follow_up_import_that_fails_while_writing_changes_nothing(self):

        book = load_workbook(io.BytesIO(export_xlsx(self.edition, Initiative.objects.all())))
        columns = FOLLOW_UP_COLUMNS["initiatives"]
        for row in (2, 3):
            book["initiatives"].cell(row=row, column=columns.index("title_nl") + 1).value = "Nieuw"
        out = io.BytesIO()
        book.save(out)
        titles = sorted(Initiative.objects.values_list("title_nl", flat=True))
        saved, calls = Initiative.save, []

        def fail_on_second(initiative, *args, **kwargs):
            calls.append(initiative)
            if len(calls) == 2:
                raise RuntimeError("the disk is full")
            return saved(initiative, *args, **kwargs)

        with (
            mock.patch.object(Initiative, "save", fail_on_second),
            self.assertRaises(RuntimeError),
        ):
            import_xlsx(self.edition, out.getvalue(), self.secretariat)
        self.assertEqual(len(calls), 2)
        self.assertEqual(sorted(Initiative.objects.values_list("title_nl", flat=True)), titles)

    def test_a_proposal_import_with_one_bad_row_creates_none(self):
        row = [self.zones[0].code, "", "", "nl", 3, "", "Titel", "Tekst"]
        bad = [self.zones[0].code, "", "", "nl", 3, "", "", "Tekst"]
        content = xlsx({"proposals": [PROPOSAL_COLUMNS, row, bad]})
        with standing_in(self.edition, Phase.CONSULTATION):
            result = import_proposals(self.edition, content, by=self.secretariat)
        self.assertEqual([(p.row, p.column) for p in result.problems], [(3, "title")])
        self.assertEqual(Proposal.objects.count(), 0)


class ImportResultTestCase(RoadmapTestCase):
    def test_updated_counts_only_rows_that_changed(self):
        event = TimelineEvent.objects.filter(edition=self.edition).first()
        header = CATALOGUE_COLUMNS["timeline"]
        rows = [header]
        for item in TimelineEvent.objects.filter(edition=self.edition):
            values = {c: getattr(item, c) for c in header}
            if item.pk == event.pk:
                values["title_fr"] = "Un autre titre"
            rows.append([values[c] if values[c] is not None else "" for c in header])
        result = import_file(self.edition, "t.xlsx", xlsx({"timeline": rows}))
        self.assertEqual(
            (result.problems, result.created, result.updated), ([], {}, {"timeline": 1})
        )

    def test_a_result_survives_being_stored_as_json(self):
        result = ImportResult(
            problems=[Problem("timeline", 2, "date", "bad")], created={"timeline": 1}
        )
        again = ImportResult.from_json(result.as_json())
        self.assertEqual(
            (again.problems, again.created, again.updated), (result.problems, {"timeline": 1}, {})
        )


def test_an_import_summary_names_its_tables_in_the_readers_language():
    """The summary says "werkgebieden" or "domaines", not the file's sheet name "domains"."""
    result = ImportResult(created={"domains": 0, "zones": 185}, updated={"domains": 3})
    with translation.override("nl"):
        assert result.summary() == (
            "Import voltooid. werkgebieden: 0 nieuw, 3 bijgewerkt; politiezones: 185 nieuw, "
            "0 bijgewerkt."
        )
    with translation.override("fr"):
        assert result.shown_counts() == [("domaines", 0, 3), ("zones de police", 185, 0)]
    assert result.counts() == [("domains", 0, 3), ("zones", 185, 0)]
