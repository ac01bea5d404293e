"""Recording progress: updates, milestones, measurements, and what the pages then show."""

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile

from memorandum.roadmap.models import Initiative, Measurement, Milestone
from memorandum.roadmap.tests.base import RoadmapTestCase

TODAY = dt.date(2026, 3, 1)
DASHBOARD = "/nl/editions/2024-2028/roadmap/"


def url(initiative, suffix: str = "") -> str:
    return f"/nl/editions/2024-2028/roadmap/initiatives/{initiative.pk}/{suffix}"


class RecordUpdateTestCase(RoadmapTestCase):
    def test_an_update_applies_its_status_and_progress_to_the_initiative(self):
        update = self.record(self.public_initiative, self.chief, status="at_risk", progress=45)
        self.public_initiative.refresh_from_db()
        self.assertEqual(
            (self.public_initiative.status, self.public_initiative.progress), ("at_risk", 45)
        )
        self.assertEqual(
            (update.status_before, update.status_after, update.progress_after),
            ("ongoing", "at_risk", 45),
        )
        self.assertEqual(
            self.public_initiative.history.first().history_change_reason, f"update {update.pk}"
        )

    def test_marking_an_initiative_done_sets_its_progress_to_100(self):
        self.record(self.public_initiative, self.chief, status="done")
        self.public_initiative.refresh_from_db()
        self.assertEqual(self.public_initiative.progress, 100)

    def test_an_update_that_fails_changes_nothing(self):
        # Who may record is the view's question (the partner does not own it): 403.
        self.login(self.partner)
        response = self.client.post(
            url(self.public_initiative, "update/"),
            {"text": "Geblokkeerd", "date": "2026-03-01", "status": "blocked"},
        )
        self.assertEqual(response.status_code, 403)
        with self.assertRaises(ValueError):
            self.record(self.public_initiative, self.chief, status="finished")
        self.public_initiative.refresh_from_db()
        self.assertEqual(self.public_initiative.status, "ongoing")
        self.assertFalse(self.public_initiative.updates.exists())

    def test_the_update_form_shows_the_input_again_with_the_error(self):
        self.login(self.chief)
        future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        response = self.client.post(
            url(self.public_initiative, "update/"),
            {"date": future, "text": "Mijn tekst blijft staan", "progress": "140"},
        )
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("Mijn tekst blijft staan", page)
        self.assertIn(future, page)
        self.assertEqual(set(response.context["form"].errors), {"date", "progress"})

    def test_attachments_must_be_what_their_name_says_and_not_too_big(self):
        self.login(self.chief)
        fake = SimpleUploadedFile("verslag.pdf", b"<html>not a pdf</html>", "application/pdf")
        response = self.client.post(
            url(self.public_initiative, "update/"),
            {"date": "2025-01-01", "text": "x", "attachment": fake},
        )
        self.assertIn("attachment", response.context["form"].errors)
        program = SimpleUploadedFile("tool.exe", b"MZ...", "application/octet-stream")
        response = self.client.post(
            url(self.public_initiative, "update/"),
            {"date": "2025-01-01", "text": "x", "attachment": program},
        )
        self.assertIn("attachment", response.context["form"].errors)
        with mock.patch("memorandum.roadmap.models.ATTACHMENT_MAX_BYTES", 10):
            big = SimpleUploadedFile("verslag.txt", b"more than ten bytes", "text/plain")
            response = self.client.post(
                url(self.public_initiative, "update/"),
                {"date": "2025-01-01", "text": "x", "attachment": big},
            )
        self.assertIn("attachment", response.context["form"].errors)
        self.assertFalse(self.public_initiative.updates.exists())
        good = SimpleUploadedFile("verslag.pdf", b"%PDF-1.7 ...", "application/pdf")
        self.client.post(
            url(self.public_initiative, "update/"),
            {"date": "2025-01-01", "text": "x", "attachment": good},
        )
        self.assertEqual(self.public_initiative.updates.get().attachment_name(), "verslag.pdf")


class VerbsTestCase(RoadmapTestCase):
    def test_a_milestone_past_its_due_date_and_not_done_is_overdue(self):
        self.assertEqual(list(Milestone.objects.overdue(TODAY)), [self.milestone])
        self.assertEqual(self.milestone.days_late(TODAY), (TODAY - dt.date(2025, 1, 31)).days)
        self.milestone.done_date = dt.date(2025, 2, 3)
        self.milestone.save()
        self.assertFalse(Milestone.objects.overdue(TODAY).exists())

    def test_milestones_of_closed_initiatives_are_not_overdue(self):
        Initiative.objects.filter(pk=self.public_initiative.pk).update(status="dropped")
        self.assertFalse(Milestone.objects.overdue(TODAY).exists())

    def test_an_initiative_past_its_end_and_not_done_is_overdue(self):
        self.assertFalse(self.public_initiative.is_overdue(TODAY))
        self.assertTrue(self.public_initiative.is_overdue(dt.date(2028, 1, 1)))
        self.public_initiative.status = "done"
        self.assertFalse(self.public_initiative.is_overdue(dt.date(2028, 1, 1)))

    def test_last_update_date_and_stale_initiatives(self):
        self.assertIsNone(self.public_initiative.last_update_date())
        self.record(self.public_initiative, self.chief, date=dt.date(2025, 10, 1))
        self.record(self.public_initiative, self.chief, date=dt.date(2025, 12, 1))
        self.assertEqual(self.public_initiative.last_update_date(), dt.date(2025, 12, 1))
        self.assertCountEqual(
            Initiative.objects.stale(60, TODAY), [self.public_initiative, self.private_initiative]
        )
        self.assertEqual(list(Initiative.objects.stale(120, TODAY)), [self.private_initiative])

    def test_indicator_achievement_goes_from_baseline_to_target(self):
        Measurement.objects.create(
            indicator=self.indicator, date=dt.date(2025, 6, 30), value=Decimal("46.25")
        )
        self.assertEqual(self.indicator.achievement(), 25)
        down = self.indicator
        down.direction, down.baseline, down.target = "down", Decimal(200), Decimal(100)
        self.assertEqual(down.achievement(Decimal(150)), 50)


class PagesTestCase(RoadmapTestCase):
    def test_an_owner_adds_a_milestone_marks_it_done_and_adds_a_measurement(self):
        self.login(self.chief)
        self.client.post(
            url(self.public_initiative, "milestones/new/"),
            {"title_nl": "Wetsontwerp ingediend", "due_date": "2026-06-30"},
        )
        milestone = self.public_initiative.milestones.get(title_nl="Wetsontwerp ingediend")
        self.client.post(
            url(self.public_initiative, f"milestones/{milestone.pk}/done/"),
            {"done_date": "2025-11-02"},
        )
        milestone.refresh_from_db()
        self.assertEqual(milestone.done_date, dt.date(2025, 11, 2))
        self.client.post(
            url(self.public_initiative, "measurements/new/"),
            {"indicator": self.indicator.pk, "date": "2025-12-31", "value": "12,5"},
        )
        response = self.client.post(
            url(self.public_initiative, "measurements/new/"),
            {"indicator": self.indicator.pk, "date": "2025-12-31", "value": "veel"},
        )
        self.assertIn("value", response.context["form"].errors)
        self.assertContains(response, 'value="veel"')
        self.assertEqual([m.value for m in self.indicator.measurements.all()], [Decimal("12.50")])

    def test_an_owner_corrects_a_milestone_and_removes_a_mistaken_measurement(self):
        mistaken = Measurement.objects.create(
            indicator=self.indicator, date=dt.date(2025, 3, 1), value=Decimal(999)
        )
        self.login(self.chief)
        response = self.client.post(
            url(self.public_initiative, f"milestones/{self.milestone.pk}/edit/"),
            {"title_nl": "Ontwerp klaar", "due_date": "31-02-2026"},
        )
        self.assertContains(response, 'value="31-02-2026"')
        self.client.post(
            url(self.public_initiative, f"milestones/{self.milestone.pk}/edit/"),
            {"title_nl": "Ontwerp klaar", "due_date": "2026-02-28"},
        )
        self.milestone.refresh_from_db()
        self.assertEqual(self.milestone.due_date, dt.date(2026, 2, 28))
        self.login(self.other_chief)
        self.assertEqual(
            self.client.post(
                url(self.public_initiative, f"measurements/{mistaken.pk}/delete/")
            ).status_code,
            403,
        )
        self.login(self.chief)
        self.assertEqual(
            self.client.get(
                url(self.public_initiative, f"measurements/{mistaken.pk}/delete/")
            ).status_code,
            405,
        )
        self.client.post(url(self.public_initiative, f"measurements/{mistaken.pk}/delete/"))
        self.assertFalse(self.indicator.measurements.exists())

    def test_the_dashboard_filters_by_status_domain_and_lead(self):
        self.login(self.secretariat)
        self.assertEqual(
            self.client.get(DASHBOARD).context["initiatives"],
            [self.public_initiative, self.private_initiative],
        )
        self.assertEqual(
            self.client.get(DASHBOARD, {"status": "planned"}).context["initiatives"],
            [self.private_initiative],
        )
        self.assertEqual(
            self.client.get(DASHBOARD, {"lead": "VCLP"}).context["initiatives"],
            [self.public_initiative],
        )
        self.assertEqual(
            self.client.get(DASHBOARD, {"domain": self.r2.domain_id}).context["initiatives"],
            [self.private_initiative],
        )
        self.assertEqual(self.client.get(DASHBOARD, {"status": "nonsense"}).status_code, 200)
        self.login(self.other_chief)
        self.assertEqual(
            self.client.get(DASHBOARD, {"mine": "on"}).context["initiatives"],
            [self.private_initiative],
        )

    def test_an_htmx_filter_returns_only_the_dashboard_body(self):
        response = self.client.get(DASHBOARD, {"status": "ongoing"}, headers={"HX-Request": "true"})
        self.assertTemplateUsed(response, "roadmap/_dashboard.html")
        self.assertNotContains(response, "<html")

    def test_the_dashboard_lists_recommendations_without_an_initiative(self):
        uncovered = [r.code for r in self.client.get(DASHBOARD).context["uncovered"]]
        self.assertNotIn("R1", uncovered)
        self.assertIn("R3", uncovered)
        self.assertIn("R2", uncovered)  # the public cannot see the private initiative for R2

    def test_the_dashboard_charts_are_svg(self):
        for chart in (
            "charts/status-domain.svg",
            "charts/status-recommendation.svg",
            "charts/timeline.svg",
        ):
            response = self.client.get(DASHBOARD + chart)
            self.assertEqual(response["Content-Type"], "image/svg+xml")
            self.assertIn(b"<svg", response.content)
        response = self.client.get(
            url(self.public_initiative, f"indicators/{self.indicator.pk}/chart.svg")
        )
        self.assertIn(b"<svg", response.content)

    def test_the_follow_up_page_of_a_recommendation_shows_its_initiatives_and_action_lines(self):
        self.login(self.assembly)
        response = self.client.get("/nl/editions/2024-2028/roadmap/recommendations/R2/")
        self.assertEqual(response.context["initiatives"], [self.private_initiative])
        self.assertContains(response, "R2.2 ")
        self.assertEqual(
            self.client.get("/nl/editions/2024-2028/roadmap/recommendations/R99/").status_code, 404
        )

    def test_the_dashboard_speaks_french_on_the_french_site(self):
        response = self.client.get("/fr/editions/2024-2028/roadmap/")
        self.assertContains(response, "Jalons en retard")
        self.assertContains(response, "Nouvelle loi de financement")

    def test_the_edition_menu_links_the_follow_up(self):
        self.assertContains(
            self.client.get("/nl/editions/2024-2028/"), 'href="/nl/editions/2024-2028/roadmap/"'
        )


class QueryCountTestCase(RoadmapTestCase):
    def test_the_dashboard_and_follow_up_page_do_not_query_per_initiative(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from memorandum.roadmap.models import Indicator, InitiativeLink, Update

        def count(path):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(path).status_code, 200)
            return len(queries)

        self.login(self.secretariat)
        pages = [DASHBOARD, "/nl/editions/2024-2028/roadmap/recommendations/R1/"]
        before = [count(page) for page in pages]
        for n in range(8):
            extra = Initiative.objects.create(
                edition=self.edition,
                title_nl=f"Extra {n}",
                lead_organisation="VCLP",
                start_date=dt.date(2025, 1, 1),
            )
            InitiativeLink.objects.create(
                initiative=extra, recommendation=self.r1, action_lines=[1]
            )
            Milestone.objects.create(initiative=extra, title_nl="M", due_date=dt.date(2025, 6, 1))
            indicator = Indicator.objects.create(
                initiative=extra, name_nl="I", unit="%", baseline=0, target=10
            )
            Measurement.objects.create(indicator=indicator, date=dt.date(2025, 3, 1), value=2)
            Update.objects.create(initiative=extra, text="u", date=dt.date(2025, 2, 1))
        self.assertEqual([count(page) for page in pages], before)
