"""Edition phases: what each allows, moving the edition (audited, backwards with a reason),
the dates of each phase and the process page."""

import datetime as dt
from unittest import mock

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from memorandum.audit.models import Action, AuditEntry
from memorandum.catalogue.models import DatePrecision, EditionPhase, Phase
from memorandum.catalogue.phases import (
    PhaseAction,
    PhaseRefused,
    allows,
    phase_refusal,
    require_phase,
    standing_in,
)
from memorandum.catalogue.process import period_text, process_for
from memorandum.catalogue.services import PhaseMoveRefused, edition_move_phase
from memorandum.test import BaseTestCase, InEnglish

TODAY = dt.date(2026, 3, 2)


class PhaseRuleTestCase(InEnglish, BaseTestCase):
    def test_each_act_belongs_to_its_phase(self):
        expected = {
            PhaseAction.PROPOSE: {Phase.CONSULTATION},
            PhaseAction.OPEN_SURVEY: {Phase.PRIORITISATION},
            PhaseAction.DECIDE: {Phase.CONSOLIDATION},
            PhaseAction.PUBLISH: {Phase.PUBLISHED, Phase.FOLLOW_UP},
            PhaseAction.FOLLOW_UP: {Phase.FOLLOW_UP},
        }
        for action, phases in expected.items():
            for phase in Phase.values:
                self.edition.phase = phase
                self.assertEqual(allows(self.edition, action), phase in phases, (action, phase))

    def test_a_refusal_names_the_act_and_the_current_phase(self):
        with self.assertRaises(PhaseRefused) as caught:
            require_phase(self.edition, PhaseAction.PROPOSE)
        self.assertIsInstance(caught.exception, ValidationError)
        self.assertIn("during the consultation", caught.exception.message)
        self.assertIn("“Follow-up”", caught.exception.message)
        self.assertEqual(phase_refusal(self.edition, PhaseAction.FOLLOW_UP), "")

    def test_the_refusal_is_in_dutch_and_french(self):
        from django.utils import translation

        with translation.override("nl"):
            self.assertIn("consultatie", phase_refusal(self.edition, PhaseAction.PROPOSE))
        with translation.override("fr"):
            self.assertIn("consultation", phase_refusal(self.edition, PhaseAction.PROPOSE))
            self.assertIn("Suivi", phase_refusal(self.edition, PhaseAction.PROPOSE))

    def test_standing_in_puts_the_phase_back(self):
        with standing_in(self.edition, Phase.CONSOLIDATION):
            self.edition.refresh_from_db()
            self.assertEqual(self.edition.phase, Phase.CONSOLIDATION)
        self.edition.refresh_from_db()
        self.assertEqual(self.edition.phase, Phase.FOLLOW_UP)


@mock.patch("memorandum.catalogue.services.timezone.localdate", lambda: TODAY)
class MovePhaseTestCase(InEnglish, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.set_phase(Phase.CONSULTATION)

    def move(self, to, reason=""):
        return edition_move_phase(edition=self.edition, to=to, by=self.secretariat, reason=reason)

    def test_moving_forward_records_the_dates_and_an_audit_entry(self):
        self.move(Phase.PRIORITISATION)
        self.edition.refresh_from_db()
        self.assertEqual(self.edition.phase, Phase.PRIORITISATION)
        left = EditionPhase.objects.get(edition=self.edition, phase=Phase.CONSULTATION)
        entered = EditionPhase.objects.get(edition=self.edition, phase=Phase.PRIORITISATION)
        self.assertEqual((left.actual_start, left.actual_end), (TODAY, TODAY))
        self.assertEqual((entered.actual_start, entered.actual_end), (TODAY, None))
        entry = AuditEntry.objects.get(action=Action.PHASE_CHANGED)
        self.assertEqual(entry.actor, self.secretariat)
        self.assertEqual(entry.details["previous"], Phase.CONSULTATION)
        self.assertEqual(entry.details["phase"], Phase.PRIORITISATION)
        self.assertIn("from the phase Consultation to Prioritisation", entry.summary())

    def test_an_edition_moves_one_phase_at_a_time(self):
        with self.assertRaises(PhaseMoveRefused) as caught:
            self.move(Phase.CONSOLIDATION)
        self.assertIn("the next phase is “Prioritisation”", caught.exception.message)
        with self.assertRaises(PhaseMoveRefused):
            self.move("nonsense")
        self.assertFalse(AuditEntry.objects.filter(action=Action.PHASE_CHANGED).exists())

    def test_going_back_needs_a_reason_and_clears_the_later_dates(self):
        self.move(Phase.PRIORITISATION)
        self.move(Phase.CONSOLIDATION)
        with self.assertRaises(PhaseMoveRefused) as caught:
            self.move(Phase.PRIORITISATION)
        self.assertIn("needs a reason", caught.exception.message)
        self.move(Phase.PRIORITISATION, reason="The survey has to be run again.")
        self.edition.refresh_from_db()
        self.assertEqual(self.edition.phase, Phase.PRIORITISATION)
        reopened = EditionPhase.objects.get(edition=self.edition, phase=Phase.PRIORITISATION)
        undone = EditionPhase.objects.get(edition=self.edition, phase=Phase.CONSOLIDATION)
        self.assertIsNone(reopened.actual_end)
        self.assertEqual((undone.actual_start, undone.actual_end), (None, None))
        self.assertEqual(
            undone.history.first().history_change_reason, "The survey has to be run again."
        )
        entry = AuditEntry.objects.filter(action=Action.PHASE_CHANGED).first()
        self.assertEqual(entry.details["reason"], "The survey has to be run again.")
        self.assertIn("The survey has to be run again.", entry.summary())

    def test_going_back_never_takes_back_a_publication_or_an_opened_survey(self):
        from memorandum.publication.models import PublicationVersion
        from memorandum.survey.tests.helpers import make_survey

        self.move(Phase.PRIORITISATION)
        make_survey(self.edition)
        with self.assertRaises(PhaseMoveRefused) as caught:
            self.move(Phase.CONSULTATION, reason="More proposals came in.")
        self.assertIn("cannot go back to the consultation", caught.exception.message)
        self.set_phase(Phase.FOLLOW_UP)
        PublicationVersion.objects.create(
            edition=self.edition, number=1, snapshot={}, snapshot_sha256="a" * 64
        )
        with self.assertRaises(PhaseMoveRefused) as caught:
            self.move(Phase.CONSOLIDATION, reason="One item was decided wrongly.")
        self.assertIn("stays public", caught.exception.message)
        self.move(Phase.PUBLISHED, reason="The follow-up starts next month.")
        self.edition.refresh_from_db()
        self.assertEqual(self.edition.phase, Phase.PUBLISHED)

    def test_the_secretariat_moves_the_edition_after_a_confirmation(self):
        self.login(self.secretariat)
        url = reverse("catalogue:phase_next", args=[self.edition.slug])
        page = self.client.get(url)
        self.assertContains(page, "No longer possible: Submit proposals")
        self.assertContains(page, "Possible from now on: Open a prioritisation survey")
        response = self.client.post(url, {"to": Phase.PRIORITISATION}, follow=True)
        self.assertContains(response, "now in the phase “Prioritisation”")
        self.edition.refresh_from_db()
        self.assertEqual(self.edition.phase, Phase.PRIORITISATION)

    def test_a_stale_confirmation_does_not_skip_a_phase(self):
        self.login(self.secretariat)
        url = reverse("catalogue:phase_next", args=[self.edition.slug])
        self.client.post(url, {"to": Phase.PRIORITISATION})
        response = self.client.post(url, {"to": Phase.PRIORITISATION}, follow=True)
        self.assertContains(response, "already in this phase")

    def test_the_back_form_asks_for_a_reason(self):
        self.move(Phase.PRIORITISATION)
        self.login(self.secretariat)
        url = reverse("catalogue:phase_back", args=[self.edition.slug])
        response = self.client.post(url, {"phase": Phase.CONSULTATION, "reason": ""})
        self.assertContains(response, "This field is required")
        response = self.client.post(
            url, {"phase": Phase.CONSULTATION, "reason": "Two provinces still consult."}
        )
        self.assertRedirects(response, reverse("catalogue:process", args=[self.edition.slug]))
        self.edition.refresh_from_db()
        self.assertEqual(self.edition.phase, Phase.CONSULTATION)

    def test_only_the_secretariat_moves_an_edition(self):
        for user in (self.chief, self.assembly, self.partner):
            self.login(user)
            for name in ("catalogue:phase_next", "catalogue:phase_back"):
                url = reverse(name, args=[self.edition.slug])
                self.assertEqual(self.client.post(url, {"to": "prioritisation"}).status_code, 403)


class ProcessPageTestCase(InEnglish, BaseTestCase):
    def setUp(self):
        super().setUp()
        EditionPhase.objects.create(
            edition=self.edition,
            phase=Phase.PRIORITISATION,
            actual_start=dt.date(2023, 5, 15),
            actual_end=dt.date(2023, 6, 5),
            actual_precision=DatePrecision.PART,
        )
        EditionPhase.objects.create(
            edition=self.edition,
            phase=Phase.FOLLOW_UP,
            planned_start=dt.date(2024, 1, 1),
            planned_end=dt.date(2028, 12, 1),
            planned_precision=DatePrecision.MONTH,
        )

    def url(self):
        return reverse("catalogue:process", args=[self.edition.slug])

    def test_a_visitor_sees_every_phase_with_its_dates_and_what_comes_next(self):
        response = self.client.get(self.url())
        self.assertContains(response, "between mid-May and early June 2023")
        self.assertContains(response, "January 2024 to December 2028")
        self.assertContains(response, 'aria-current="step"', count=1)
        self.assertContains(response, "What comes next, and for whom")
        self.assertContains(response, "Record the progress of their initiatives")
        self.assertNotContains(response, "Move the edition")

    def test_a_visitor_gets_counts_but_no_link_to_what_they_may_not_open(self):
        response = self.client.get(self.url())
        self.assertContains(response, "0 proposals from the zones")
        self.assertNotContains(
            response, reverse("consultation:proposals", args=[self.edition.slug])
        )
        self.login(self.secretariat)
        response = self.client.get(self.url())
        self.assertContains(response, reverse("consultation:proposals", args=[self.edition.slug]))
        self.assertContains(response, "Move the edition")

    def test_an_edition_that_is_not_public_has_no_public_process_page(self):
        self.set_phase(Phase.CONSULTATION)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_a_small_anonymous_survey_is_counted_as_fewer_than_k(self):
        from memorandum.survey.tests.helpers import make_survey

        survey = make_survey(self.edition, anonymity="anonymous", status="tallied")
        rows = process_for(self.secretariat, self.edition)
        facts = [f.text for f in rows[1].facts]
        self.assertTrue(any("0 zones answered" in text for text in facts), facts)
        from memorandum.survey.models import Participation

        for zone in self.zones[:2]:
            Participation.objects.create(survey=survey, zone=zone, voted_on=dt.date(2023, 6, 1))
        facts = [f.text for f in process_for(self.secretariat, self.edition)[1].facts]
        self.assertTrue(any(f"fewer than {survey.min_group} zones" in t for t in facts), facts)

    def test_the_edition_page_links_to_its_process(self):
        response = self.client.get(reverse("catalogue:edition", args=[self.edition.slug]))
        self.assertContains(response, self.url())

    def test_period_texts(self):
        self.assertEqual(period_text(None, None, DatePrecision.DAY), "")
        self.assertEqual(
            period_text(dt.date(2022, 10, 1), None, DatePrecision.MONTH), "from October 2022"
        )

    def test_the_edition_timeline_prints_no_more_than_the_month_it_knows(self):
        from memorandum.catalogue.models import TimelineEvent, TimelineKind

        TimelineEvent.objects.create(
            edition=self.edition,
            date=dt.date(2024, 4, 1),
            end_date=dt.date(2028, 10, 1),
            precision=DatePrecision.MONTH,
            kind=TimelineKind.SURVEY,
            title_nl="Looptijd",
        )
        response = self.client.get(reverse("catalogue:edition", args=[self.edition.slug]))
        self.assertContains(response, "April 2024 to October 2028")
        self.assertNotContains(response, "1 October 2028")

    def test_open_ended_periods_take_the_words_of_their_precision_in_french(self):
        april = dt.date(2024, 4, 15)
        with translation.override("fr"):
            self.assertEqual(
                period_text(april, None, DatePrecision.DAY), "à partir du 15 avril 2024"
            )
            self.assertEqual(period_text(april, None, DatePrecision.MONTH), "à partir d’avril 2024")
            self.assertEqual(period_text(None, april, DatePrecision.MONTH), "jusqu’en avril 2024")
            self.assertEqual(
                period_text(None, april, DatePrecision.PART), "jusqu’à la mi-avril 2024"
            )
            self.assertEqual(
                period_text(dt.date(2024, 1, 1), dt.date(2028, 12, 1), DatePrecision.MONTH),
                "janvier 2024 à décembre 2028",
            )
        with translation.override("nl"):
            self.assertEqual(period_text(april, None, DatePrecision.MONTH), "vanaf april 2024")


class PlannedDatesTestCase(InEnglish, BaseTestCase):
    """The secretariat plans each phase on the process page, not in the back office."""

    def url(self, phase=Phase.CONSOLIDATION):
        return reverse("catalogue:phase_plan", args=[self.edition.slug, phase])

    def post(self, start, end, precision="month", phase=Phase.CONSOLIDATION):
        prefix = f"plan-{phase}"
        return self.client.post(
            self.url(phase),
            {
                f"{prefix}-planned_start": start,
                f"{prefix}-planned_end": end,
                f"{prefix}-planned_precision": precision,
            },
        )

    def test_the_secretariat_sets_approximate_planned_dates(self):
        self.login(self.secretariat)
        page = self.client.get(reverse("catalogue:process", args=[self.edition.slug]))
        self.assertContains(page, 'id="id_plan-consolidation-planned_start"')
        response = self.post("2029-04-01", "2029-10-01")
        self.assertRedirects(
            response,
            reverse("catalogue:process", args=[self.edition.slug]) + "#phase-consolidation",
            fetch_redirect_response=False,
        )
        row = EditionPhase.objects.get(edition=self.edition, phase=Phase.CONSOLIDATION)
        self.assertEqual(row.planned_start, dt.date(2029, 4, 1))
        self.assertEqual(row.planned_precision, DatePrecision.MONTH)
        page = self.client.get(reverse("catalogue:process", args=[self.edition.slug]))
        self.assertContains(page, "April 2029 to October 2029")

    def test_the_change_is_in_the_audit_log_and_in_the_versions(self):
        self.login(self.secretariat)
        self.post("2029-04-01", "2029-10-01")
        entry = AuditEntry.objects.get(action=Action.PHASE_PLANNED)
        self.assertEqual(entry.details["phase"], Phase.CONSOLIDATION)
        self.assertEqual(entry.details["planned_end"], "2029-10-01")
        self.assertEqual(entry.actor, self.secretariat)
        self.assertIn("Consolidation", entry.summary())
        row = EditionPhase.objects.get(edition=self.edition, phase=Phase.CONSOLIDATION)
        self.assertEqual(row.history.first().history_change_reason, "planned dates")

    def test_a_reversed_period_is_refused_and_shown_again_as_typed(self):
        self.login(self.secretariat)
        response = self.post("2029-10-01", "2029-04-01", precision="day")
        self.assertContains(
            response, "The planned end comes before the planned start.", status_code=400
        )
        self.assertContains(response, 'value="2029-10-01"', status_code=400)
        self.assertContains(response, 'value="2029-04-01"', status_code=400)
        self.assertContains(response, '<details class="plan-dates" open>', status_code=400)
        self.assertFalse(AuditEntry.objects.filter(action=Action.PHASE_PLANNED).exists())
        self.assertFalse(EditionPhase.objects.filter(planned_start__isnull=False).exists())

    def test_only_the_secretariat_plans_phases(self):
        page = self.client.get(reverse("catalogue:process", args=[self.edition.slug]))
        self.assertNotContains(page, "planned_start")
        for user in (self.chief, self.assembly, self.coordinator):
            self.login(user)
            self.assertEqual(self.post("2029-04-01", "2029-10-01").status_code, 403)
            page = self.client.get(reverse("catalogue:process", args=[self.edition.slug]))
            self.assertNotContains(page, "planned_start")
        self.assertFalse(EditionPhase.objects.filter(planned_start__isnull=False).exists())

    def test_an_unknown_phase_is_not_found(self):
        self.login(self.secretariat)
        self.assertEqual(self.post("2029-04-01", "2029-10-01", phase="nonsense").status_code, 404)
