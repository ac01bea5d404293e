"""The 5xx an outside probe found, each as a test: bad values are refused at the edge, and
pages, charts and exports survive values stored before the rules existed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from memorandum.assembly.forms import MeetingForm
from memorandum.assembly.models import Meeting
from memorandum.catalogue.exchange import export_csv, export_xlsx, import_file
from memorandum.catalogue.models import Recommendation, Reference
from memorandum.lib.middleware import MAX_REQUEST_BYTES
from memorandum.roadmap.exchange import COLUMNS, import_xlsx
from memorandum.roadmap.forms import MilestoneForm
from memorandum.roadmap.models import Measurement, Milestone
from memorandum.roadmap.tests.base import RoadmapTestCase
from memorandum.test import BaseTestCase, xlsx

HOSTILE_TITLES = ["Ontwerp\x01klaar", r"$\undefinedcmd{x}$", '=HYPERLINK("http://x","y")']


class StoredValuesRenderTestCase(RoadmapTestCase):
    """Values that no form accepts any more, stored directly: every page still answers."""

    def pages(self):
        slug = self.edition.slug
        return [
            reverse("roadmap:dashboard", args=[slug]),
            reverse("roadmap:timeline_chart", args=[slug]),
            reverse("roadmap:export", args=[slug]),
            reverse("roadmap:initiative", args=[slug, self.public_initiative.pk]),
            reverse("roadmap:report", args=[slug])
            + "?date_from=2024-01-01&date_to=2026-12-31&language=nl&format=docx",
        ]

    def assert_all_answer(self):
        self.login(self.secretariat)
        for url in self.pages():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_milestones_due_at_the_ends_of_the_calendar_do_not_break_charts_or_exports(self):
        for due in (dt.date(1, 1, 1), dt.date(9999, 12, 31)):
            Milestone.objects.filter(pk=self.milestone.pk).update(due_date=due)
            self.assert_all_answer()

    def test_control_characters_mathtext_and_formulas_in_titles_do_not_break_anything(self):
        for title in HOSTILE_TITLES:
            Milestone.objects.filter(pk=self.milestone.pk).update(title_nl=title)
            type(self.public_initiative).objects.filter(pk=self.public_initiative.pk).update(
                title_nl=title
            )
            self.assert_all_answer()

    def test_a_formula_title_stays_text_in_the_follow_up_form(self):
        type(self.public_initiative).objects.filter(pk=self.public_initiative.pk).update(
            title_nl="=1+1"
        )
        self.login(self.secretariat)
        content = self.client.get(reverse("roadmap:export", args=[self.edition.slug])).content
        sheet = load_workbook(io.BytesIO(content))["initiatives"]
        cells = [c for row in sheet.iter_rows() for c in row if c.value == "=1+1"]
        self.assertTrue(cells)
        self.assertTrue(all(c.data_type == "s" for c in cells))


class FormsRefuseWhatRenderersCannotShowTestCase(RoadmapTestCase):
    def test_a_milestone_due_in_year_one_or_9999_is_refused_with_a_message(self):
        for due in ("0001-01-01", "9999-12-31"):
            form = MilestoneForm(data={"title_nl": "Klaar", "due_date": due})
            self.assertFalse(form.is_valid())
            self.assertIn("due_date", form.errors)

    def test_a_control_character_in_a_title_is_refused(self):
        form = MilestoneForm(data={"title_nl": "Klaar\x07", "due_date": "2025-01-01"})
        self.assertFalse(form.is_valid())
        self.assertIn("title_nl", form.errors)

    def test_a_meeting_on_0001_01_01_is_refused(self):
        form = MeetingForm(data={"starts_at": "0001-01-01T10:00", "place": "Brussel"})
        self.assertFalse(form.is_valid())
        self.assertIn("starts_at", form.errors)

    def test_the_admin_refuses_a_meeting_on_0001_01_01_too(self):
        self.login(self.secretariat)
        response = self.client.post(
            reverse("admin:assembly_meeting_add"),
            {
                "edition": self.edition.pk,
                "starts_at_0": "0001-01-01",
                "starts_at_1": "00:00:00",
                "place": "Brussel",
                "eligible_members": 10,
                "quorum_kind": "fraction",
                "quorum_value": "0.5",
                "majority_rule": "simple",
                "items-TOTAL_FORMS": 0,
                "items-INITIAL_FORMS": 0,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("starts_at", response.context["adminform"].form.errors)
        self.assertFalse(Meeting.objects.exists())

    def test_a_measurement_of_1e15_or_nan_is_refused_at_the_form(self):
        self.login(self.chief)
        url = reverse(
            "roadmap:add_measurement", args=[self.edition.slug, self.public_initiative.pk]
        )
        for value in ("1e15", "NaN", "inf", "1000000000000000"):
            response = self.client.post(
                url, {"indicator": self.indicator.pk, "date": "2025-01-01", "value": value}
            )
            self.assertEqual(response.status_code, 200, value)
        self.assertFalse(Measurement.objects.exists())


class ImportsRefuseWhatRenderersCannotShowTestCase(RoadmapTestCase):
    def measurements(self, value) -> bytes:
        return xlsx(
            {
                "initiatives": [COLUMNS["initiatives"]],
                "milestones": [COLUMNS["milestones"]],
                "measurements": [
                    ["id", "indicator", "date", "value"],
                    [None, self.indicator.pk, dt.date(2025, 1, 1), value],
                ],
            }
        )

    def test_an_imported_measurement_of_1e15_nan_or_inf_is_refused(self):
        for value in (1e15, "1e15", "NaN", float("nan"), float("inf"), "-Infinity"):
            with self.subTest(value=value):
                result = import_xlsx(self.edition, self.measurements(value), self.secretariat)
                self.assertFalse(result.ok)
                self.assertEqual(result.problems[0].column, "value")
        self.assertFalse(Measurement.objects.exists())
        result = import_xlsx(self.edition, self.measurements("12,5"), self.secretariat)
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(Measurement.objects.get().value, Decimal("12.50"))

    def test_an_imported_milestone_in_year_one_is_refused(self):
        content = xlsx(
            {
                "initiatives": [COLUMNS["initiatives"]],
                "milestones": [
                    ["id", "initiative", "title_nl", "due_date"],
                    [None, self.public_initiative.pk, "Oud", "0001-01-01"],
                ],
                "measurements": [COLUMNS["measurements"]],
            }
        )
        result = import_xlsx(self.edition, content, self.secretariat)
        self.assertEqual([(i.row, i.column) for i in result.problems], [(2, "due_date")])


class CatalogueLinksAndExportsTestCase(BaseTestCase):
    def test_a_javascript_reference_is_refused_at_import(self):
        content = (
            b'{"format": "memorandum-catalogue/1", "references": [{"order": 99, "kind": "legislation",'
            b' "title_nl": "X", "url": "javascript:alert(document.domain)"}]}'
        )
        result = import_file(self.edition, "c.json", content)
        self.assertEqual([(i.sheet, i.column) for i in result.problems], [("references", "url")])
        self.assertFalse(Reference.objects.filter(order=99).exists())

    def test_a_stored_javascript_reference_is_not_rendered_as_a_link(self):
        reference = Reference.objects.filter(edition=self.edition).first()
        Reference.objects.filter(pk=reference.pk).update(url="javascript:alert(1)")
        recommendation = (
            reference.recommendations.first() if hasattr(reference, "recommendations") else None
        )
        reference.refresh_from_db()
        self.assertEqual(reference.link, "")
        if recommendation is not None:
            self.login(self.secretariat)
            response = self.client.get(recommendation.get_absolute_url())
            self.assertNotContains(response, "javascript:")

    def test_formulas_are_neutralised_in_the_catalogue_exports_and_read_back_unchanged(self):
        recommendation = Recommendation.objects.filter(edition=self.edition).first()
        hostile = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"]
        for title in hostile:
            Recommendation.objects.filter(pk=recommendation.pk).update(title_nl=title)
            text = export_csv(self.edition).decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
            row = next(
                r
                for r in rows
                if r["number"] == str(recommendation.number) and r["kind"] == recommendation.kind
            )
            self.assertEqual(row["title_nl"], "'" + title)
            sheet = load_workbook(io.BytesIO(export_xlsx(self.edition)))["recommendations"]
            cell = next(c for r in sheet.iter_rows() for c in r if c.value == title)
            self.assertEqual(cell.data_type, "s")
        result = import_file(self.edition, "c.csv", export_csv(self.edition))
        self.assertTrue(result.ok, result.problems)
        recommendation.refresh_from_db()
        self.assertEqual(recommendation.title_nl, hostile[-1])


class RequestLimitsTestCase(BaseTestCase):
    def assert_security_headers(self, response):
        """A refused request gets the headers of every other page (the outside probe found
        ``/nl/%00/`` without X-Frame-Options: the refusal came before that middleware)."""
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertIn("frame-ancestors 'none'", response["Content-Security-Policy"])

    def test_a_nul_in_a_query_or_path_answers_400_with_a_page(self):
        self.login(self.chief)
        for url in (
            reverse("catalogue:catalogue", args=[self.edition.slug]) + "?q=%00",
            "/nl/survey/ballot/%00/",
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 400, url)
            self.assertContains(response, "controleteken", status_code=400)
            self.assert_security_headers(response)

    def test_a_number_no_database_holds_in_a_back_office_filter_answers_400(self):
        """The admin filters by any field in the address and sent the value to the database
        unchecked: ``?domain=<23 digits>`` answered 500 on 18 lists (outside probe)."""
        self.login(self.secretariat)
        url = reverse("admin:catalogue_theme_changelist")
        response = self.client.get(url + "?domain=99999999999999999999999")
        self.assertContains(response, "te groot", status_code=400)
        self.assert_security_headers(response)
        domain = self.edition.domains.first()
        self.assertEqual(self.client.get(f"{url}?domain={domain.pk}").status_code, 200)
        # The search box is text: searching for a long number is not refused.
        self.assertEqual(self.client.get(url + "?q=99999999999999999999999").status_code, 200)

    def test_an_upload_above_the_request_limit_answers_413_without_being_read(self):
        self.login(self.secretariat)
        response = self.client.generic(
            "POST",
            reverse("catalogue:import", args=[self.edition.slug]),
            b"x",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(MAX_REQUEST_BYTES + 1),
        )
        self.assertEqual(response.status_code, 413)
        self.assert_security_headers(response)

    def test_an_import_above_its_size_limit_gets_a_form_error(self):
        self.login(self.secretariat)
        upload = io.BytesIO(b" " * (5 * 1024 * 1024 + 1))
        upload.name = "big.json"
        response = self.client.post(
            reverse("catalogue:import", args=[self.edition.slug]), {"file": upload}
        )
        self.assertContains(response, "een import mag hoogstens 5,0\xa0MB zijn")

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
    def test_a_form_above_djangos_memory_limit_gets_a_page_that_says_so(self):
        self.login(self.secretariat)
        response = self.client.post(
            reverse("catalogue:import", args=[self.edition.slug]), {"x": "y" * 200}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "100", status_code=400)
