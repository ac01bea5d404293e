import csv
import io

from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from memorandum.catalogue.models import Phase
from memorandum.survey import casting, services, tally
from memorandum.survey.models import BallotForm, Survey, SurveyStatus, Weighting
from memorandum.survey.results import publishable_rows
from memorandum.survey.tests.helpers import make_survey, ranking
from memorandum.test import BaseTestCase, run_queued_tasks


class TallyTestCase(BaseTestCase):
    def vote(self, survey, zone, payload):
        casting.ballot_save(survey=survey, zone=zone, payload=payload, submit=True)

    def test_one_zone_one_vote_lets_the_many_small_zones_win(self):
        survey = self.weighted_survey(Weighting.ZONE)
        result = services.survey_close(survey=survey).results
        self.assertEqual(result["order"][0]["code"], "R2")

    def test_weighting_by_personnel_lets_the_large_zone_win(self):
        survey = self.weighted_survey(Weighting.PERSONNEL)
        self.assertEqual(survey.ballots.get(zone=self.big).weight, 1000.0)
        result = services.survey_close(survey=survey).results
        self.assertEqual(result["order"][0]["code"], "R1")
        self.assertEqual(result["total_weight"], 1000.0 + 2 * 10.0)

    def weighted_survey(self, weighting):
        survey = make_survey(self.edition, weighting=weighting)
        self.big, small = self.zones[0], self.zones[1:3]
        self.big.personnel = 1000
        self.big.save()
        for zone in small:
            zone.personnel = 10
            zone.save()
        self.vote(survey, self.big, ranking(["R1", "R2"]))
        for zone in small:
            self.vote(survey, zone, ranking(["R2", "R1"]))
        return survey

    def closed_survey(self, **fields):
        survey = make_survey(self.edition, **fields)
        orders = [
            ["R1", "R6", "R3"],
            ["R1", "R3", "R6"],
            ["R6", "R1"],
            ["R3", "R1", "R6"],
            ["R1", "R6"],
        ]
        for zone, order in zip(self.zones, orders, strict=False):
            self.vote(survey, zone, ranking(order))
        casting.ballot_save(
            survey=survey, zone=self.zones[10], payload=ranking(["C5"]), submit=False
        )  # a draft
        return survey, services.survey_close(survey=survey)

    def test_closing_counts_the_submitted_ballots_only(self):
        survey, frozen = self.closed_survey()
        survey.refresh_from_db()
        self.assertEqual(survey.status, SurveyStatus.TALLIED)
        self.assertEqual(frozen.ballot_count, 5)
        self.assertEqual(frozen.results["order"][0]["code"], "R1")
        first = frozen.results["order"][0]
        self.assertLessEqual(first["rank_low"], first["rank"])
        self.assertGreaterEqual(first["rank_high"], first["rank"])
        self.assertEqual(frozen.results["participation"]["voted"], 5)
        self.assertIn("kemeny", frozen.results["agreement"])
        self.assertIsNotNone(frozen.results["kendall_w"])
        self.assertIn("flanders", frozen.results["by_region"])

    def test_a_tally_can_be_reproduced_from_its_data_and_seed(self):
        survey, frozen = self.closed_survey()
        records = tally.snapshot(survey)
        self.assertEqual(tally.snapshot_hash(records), frozen.snapshot_hash)
        again = tally.compute(
            survey,
            records,
            method=frozen.method,
            seed=frozen.seed,
            replicates=frozen.replicates,
            participation=frozen.result.participation,
        )
        self.assertEqual(again, frozen.result)

    def test_every_ballot_form_can_be_counted(self):
        payloads = {
            BallotForm.RATING: (
                "mean",
                {"importance": {"R1": 3, "R2": 0}, "urgency": {"R1": 2, "R2": None}},
            ),
            BallotForm.POINTS: ("points", {"points": {"R2": 60, "R1": 40}}),
            BallotForm.PAIRWISE: (
                "bradley-terry",
                {"choices": [["R1", "R2", "R2"], ["R2", "R3", "R2"], ["R1", "R3", None]]},
            ),
        }
        for form, (method, payload) in payloads.items():
            survey = make_survey(
                self.edition, ballot_form=form, primary_method=method, title_nl=form
            )
            for zone in self.zones[:3]:
                self.vote(survey, zone, payload)
            result = services.survey_close(survey=survey).results
            self.assertEqual(result["ballots"], 3, form)
            self.assertEqual(len(result["order"]), 12, form)
            expected_first = "R1" if form == BallotForm.RATING else "R2"
            self.assertEqual(result["order"][0]["code"], expected_first, form)

    def test_the_results_page_shows_the_order_with_intervals(self):
        survey, frozen = self.closed_survey()
        response = self.client.get(f"/en/editions/2024-2028/surveys/{survey.pk}/results/")
        self.assertContains(response, 'class="interval"')
        self.assertContains(response, frozen.snapshot_hash)
        for name in ("intervals", "participation"):
            chart = self.client.get(
                f"/en/editions/2024-2028/surveys/{survey.pk}/results/{name}.svg"
            )
            self.assertEqual(chart["Content-Type"], "image/svg+xml")
            self.assertIn(b"<svg", chart.content)

    def test_the_french_results_page_shows_the_french_title_or_marks_the_dutch_one(self):
        translated, _frozen = self.closed_survey(title_fr="Priorités")
        url = f"/fr/editions/2024-2028/surveys/{translated.pk}/results/"
        response = self.client.get(url)
        self.assertContains(response, "<title>Résultats · Priorités")
        self.assertContains(response, "<h1>Résultats: Priorités</h1>")
        self.assertNotContains(response, "Prioriteiten")
        self.assertContains(
            self.client.get(f"/nl/editions/2024-2028/surveys/{translated.pk}/results/"),
            "Prioriteiten",
        )
        untranslated, _frozen = self.closed_survey(title_nl="Alleen in het Nederlands")
        response = self.client.get(f"/fr/editions/2024-2028/surveys/{untranslated.pk}/results/")
        self.assertContains(
            response, '<span class="fallback" lang="nl">Alleen in het Nederlands <span'
        )

    def test_results_of_an_unpublished_edition_are_for_authorised_roles_only(self):
        survey, _frozen = self.closed_survey()
        self.edition.phase = Phase.PRIORITISATION
        self.edition.save()
        url = f"/en/editions/2024-2028/surveys/{survey.pk}/results/"
        self.assertEqual(self.client.get(url).status_code, 404)
        for user, status in (
            (self.secretariat, 200),
            (self.assembly, 200),
            (self.coordinator, 200),
            (self.chief, 404),
        ):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, status, user.username)

    def test_results_export_as_csv_and_xlsx(self):
        survey, frozen = self.closed_survey(title_fr="Priorités")
        base = f"/en/editions/2024-2028/surveys/{survey.pk}/results/export"
        rows = list(
            csv.reader(
                io.StringIO(self.client.get(f"{base}.csv").content.decode("utf-8-sig")),
                delimiter=";",
            )
        )
        self.assertEqual(rows[1][0], frozen.results["order"][0]["code"])
        self.assertEqual(len(rows), 13)
        book = load_workbook(io.BytesIO(self.client.get(f"{base}.xlsx").content))
        self.assertEqual(book.worksheets[0].cell(2, 1).value, frozen.results["order"][0]["code"])
        about = {row[0].value: row[1].value for row in book.worksheets[-1].iter_rows()}
        self.assertIn(frozen.snapshot_hash, about.values())
        self.assertEqual(about["Survey title (Dutch)"], survey.title_nl)
        self.assertEqual(about["Survey title (French)"], "Priorités")

    def test_publishable_rows_give_the_frozen_titles_in_both_languages(self):
        survey, frozen = self.closed_survey(is_synthetic=True, title_fr="Priorités")
        rows = publishable_rows(survey, frozen)
        self.assertEqual(rows[0].code, "R1")
        self.assertEqual(rows[0].title["nl"], "Een optimale en duurzame financiering")

    def test_the_demo_builds_a_closed_and_an_open_survey_and_can_run_twice(self):
        out = io.StringIO()
        call_command("demo_survey", seed=3, stdout=out)
        call_command("demo_survey", seed=3, stdout=out)
        self.assertEqual(Survey.objects.count(), 3)
        closed = Survey.objects.get(status=SurveyStatus.TALLIED, anonymity="attributed")
        self.assertTrue(closed.is_synthetic)
        self.assertEqual(closed.ballots.count(), len(self.zones))
        self.assertEqual(closed.tallies.count(), 1)
        self.assertEqual(closed.opens_at.date().isoformat(), "2023-05-15")
        opened = Survey.objects.get(status=SurveyStatus.OPEN)
        self.assertTrue(opened.accepts_answers())
        self.assertTrue(closed.title_fr.startswith("Priorités du mémorandum"))
        self.assertEqual(opened.title_fr, "Re-priorisation intermédiaire 2026 (démo)")
        self.assertIn("/nl/survey/ballot/", out.getvalue())


class CloseDueSurveysTestCase(BaseTestCase):
    def test_surveys_past_their_closing_time_are_closed_and_counted(self):
        from datetime import timedelta

        due = make_survey(self.edition, title_nl="due")
        casting.ballot_save(survey=due, zone=self.zones[0], payload=ranking(["R3"]), submit=True)
        due.ballots.update(submitted_at=timezone.now() - timedelta(minutes=2))
        Survey.objects.filter(pk=due.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        running = make_survey(self.edition, title_nl="running")
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("close_due_surveys", stdout=out)
        due.refresh_from_db()
        self.assertEqual(due.status, SurveyStatus.CLOSED)  # the worker counts
        run_queued_tasks()
        due.refresh_from_db()
        running.refresh_from_db()
        self.assertEqual((due.status, running.status), (SurveyStatus.TALLIED, SurveyStatus.OPEN))
        self.assertEqual(due.latest_tally().ballot_count, 1)
        self.assertIn("its count is queued", out.getvalue())


class EmptySurveyTestCase(BaseTestCase):
    def test_a_survey_closed_without_ballots_shows_empty_results_without_errors(self):
        survey = make_survey(self.edition)
        frozen = services.survey_close(survey=survey)
        self.assertEqual((frozen.ballot_count, frozen.results["order"]), (0, []))
        base = f"/en/editions/2024-2028/surveys/{survey.pk}/results/"
        for url in (
            base,
            f"{base}intervals.svg",
            f"{base}participation.svg",
            f"{base}export.csv",
            f"{base}export.xlsx",
        ):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertEqual(publishable_rows(survey, frozen), [])


class ChartTestCase(BaseTestCase):
    def test_the_interval_chart_draws_long_lists_and_odd_intervals(self):
        from memorandum.lib import charts

        order = [
            {
                "code": f"R{i}",
                "title": f"Item {i}",
                "rank": i,
                "rank_low": min(i + 1, 40),
                "rank_high": i + 3,
            }
            for i in range(1, 31)
        ]
        svg = charts.rank_intervals(order, top_k=10, xlabel="Rank")
        self.assertIn(b"<svg", svg)
        self.assertIn(b"R30", svg)


class ReceiptAndBallotExportTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)
        self.ballot = casting.ballot_save(
            survey=self.survey, zone=self.zones[0], payload=ranking(["R3"]), submit=True
        )
        services.survey_close(survey=self.survey)
        self.base = f"/en/editions/2024-2028/surveys/{self.survey.pk}/results/"

    def test_a_zone_can_check_that_its_receipt_was_counted(self):
        response = self.client.get(self.base, {"receipt": self.ballot.receipt.upper()})
        self.assertContains(response, "was counted in these results")
        response = self.client.get(self.base, {"receipt": "0" * 64})
        self.assertContains(response, "No counted ballot has this receipt")

    def test_only_the_secretariat_exports_ballots_with_their_zones(self):
        url = f"{self.base}ballots.csv"
        for user in (self.chief, self.assembly, self.coordinator):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403, user.username)
        self.login(self.secretariat)
        body = self.client.get(url).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body), delimiter=";"))
        self.assertEqual(rows[1][0], self.zones[0].code)
        self.assertEqual(rows[1][6], self.ballot.receipt)

    def test_anonymous_surveys_have_no_ballot_export(self):
        from memorandum.survey.models import Anonymity

        Survey.objects.filter(pk=self.survey.pk).update(anonymity=Anonymity.ANONYMOUS)
        self.login(self.secretariat)
        self.assertEqual(self.client.get(f"{self.base}ballots.csv").status_code, 404)
