"""The round from both sides: the secretariat registers, opens, follows, closes and
downloads; a corps chief answers through the link, with clear errors for impossible values."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from memorandum.catalogue.models import Recommendation
from memorandum.impact.models import (
    CountStatus,
    EstimateRound,
    ImpactInvitation,
    Mission,
    RoundStatus,
    ZoneEstimate,
)
from memorandum.impact.synthetic import fill_with_estimates
from memorandum.survey.tests.helpers import through_the_worker
from memorandum.test import BaseTestCase


def token_from(message) -> str:
    for line in message.body.splitlines():
        if "/impact/estimate/" in line:
            return line.strip().rstrip("/").rsplit("/", 1)[-1]
    raise AssertionError("no link in the e-mail")


def answer(**values) -> dict:
    data = {
        "fte": "2.5",
        "hours_operational": "3000",
        "hours_calog": "800",
        "one_off_eur": "15000",
        "earliest_start": "2027-01-01",
        "feasibility": "3",
        "comments": "Haalbaar met opleiding.",
        "action": "submit",
    }
    data.update(values)
    return data


class ImpactRoundTestCase(BaseTestCase):
    def setUp(self):
        self.base = f"/en/editions/{self.edition.slug}/impact/"
        for zone in self.zones:
            zone.email = f"zone{zone.pk}@example.invalid"
            zone.save()

    def register_and_open(self) -> EstimateRound:
        self.login(self.secretariat)
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        response = self.client.post(
            self.base + "new/",
            {
                "title_nl": "Nieuwe opdracht",
                "title_fr": "Nouvelle mission",
                "source_text": "Omzendbrief COL 1/2026",
                "recommendations": [r1.pk],
                "questions_nl": "Hoeveel personeel?",
            },
        )
        mission = Mission.objects.get()
        self.assertRedirects(response, mission.get_absolute_url())
        deadline = timezone.localtime(timezone.now() + timedelta(days=10))
        self.client.post(
            mission.get_absolute_url(),
            {
                "closes_at": deadline.strftime("%Y-%m-%dT%H:%M"),
                "basis": "personnel",
                "min_group": "3",
                "replicates": "300",
                "seed": "4",
            },
        )
        round_ = EstimateRound.objects.get()
        url = f"{self.base}rounds/{round_.pk}/do/open/"
        self.assertContains(self.client.get(url), "This cannot be undone.")
        through_the_worker(self, self.client.post, url)
        round_.refresh_from_db()
        return round_

    def test_opening_invites_every_zone_by_mail_in_its_language(self):
        round_ = self.register_and_open()
        self.assertEqual(round_.status, RoundStatus.OPEN)
        self.assertEqual(ImpactInvitation.objects.count(), len(self.zones))
        self.assertEqual(len(mail.outbox), len(self.zones))
        self.assertTrue(
            any("Uw zone" in m.body or "Nieuwe opdracht" in m.body for m in mail.outbox)
        )

    def test_an_impossible_value_gets_a_clear_error_and_nothing_is_stored(self):
        self.register_and_open()
        zone = self.zones[0]
        message = next(m for m in mail.outbox if m.to == [zone.email])
        url = f"/en/impact/estimate/{token_from(message)}/"
        response = self.client.post(url, answer(fte="-1"))
        self.assertContains(response, "A staff need cannot be negative", status_code=400)
        response = self.client.post(url, answer(fte=str(zone.personnel + 1)))
        self.assertContains(response, "more than your zone&#x27;s whole staff", status_code=400)
        self.assertFalse(ZoneEstimate.objects.exists())
        self.assertContains(self.client.get(url), "FTE")
        response = self.client.post(url, answer())
        self.assertRedirects(response, url)
        estimate = ZoneEstimate.objects.get()
        self.assertTrue(estimate.is_submitted)
        self.client.post(url, answer(fte="3", action="save"))
        estimate.refresh_from_db()
        self.assertEqual(str(estimate.fte), "3.00")

    def test_a_draft_may_be_incomplete_but_a_submission_may_not(self):
        round_ = self.register_and_open()
        self.login(self.chief)
        url = f"{self.base}rounds/{round_.pk}/estimate/"
        self.client.post(url, {"fte": "1", "action": "save"})
        self.assertFalse(ZoneEstimate.objects.get().is_submitted)
        response = self.client.post(url, {"fte": "1", "action": "submit"})
        self.assertContains(response, "This field is required.", status_code=400)

    def test_a_delegate_gets_a_new_link_and_the_old_one_stops_working(self):
        self.register_and_open()
        zone = self.zones[0]
        old = token_from(next(m for m in mail.outbox if m.to == [zone.email]))
        through_the_worker(
            self,
            self.client.post,
            f"/en/impact/estimate/{old}/",
            {"action": "delegate", "name": "Adjunct", "email": "adjunct@example.invalid"},
        )
        new = token_from(mail.outbox[-1])
        self.assertEqual(mail.outbox[-1].to, ["adjunct@example.invalid"])
        self.assertEqual(self.client.get(f"/en/impact/estimate/{old}/").status_code, 404)
        self.assertEqual(self.client.get(f"/en/impact/estimate/{new}/").status_code, 200)

    def test_closing_counts_in_the_worker_and_the_notes_download_in_both_languages(self):
        round_ = self.register_and_open()
        fill_with_estimates(round_, fte_per_100=1, one_off_per_staff=50, response_rate=0.8, seed=3)
        through_the_worker(self, self.client.post, f"{self.base}rounds/{round_.pk}/do/close/")
        round_.refresh_from_db()
        self.assertEqual(round_.status, RoundStatus.COUNTED)
        self.assertEqual(round_.latest_count().status, CountStatus.DONE)
        self.assertFalse(
            self.client.post(
                f"/en/impact/estimate/{ImpactInvitation.objects.first().new_token()}/", answer()
            ).status_code
            == 302
        )
        report = self.client.get(f"{self.base}rounds/{round_.pk}/report/")
        self.assertContains(report, "interval")
        self.assertContains(report, "ratio")
        files = f"{self.base}rounds/{round_.pk}/report/"
        for name in ("note-nl.pdf", "note-fr.pdf"):
            self.assertTrue(self.client.get(files + name).content.startswith(b"%PDF"))
        for name in ("note-nl.docx", "note-fr.docx", "figures.xlsx"):
            zipfile.ZipFile(io.BytesIO(self.client.get(files + name).content))
        self.assertIn(b"<svg", self.client.get(files + "chart.svg").content)

    def test_with_too_few_answers_no_total_for_all_zones_is_printed(self):
        """Nobody answered: the note says so instead of "an estimated 0 FTE (0 to 0)"."""
        round_ = self.register_and_open()
        through_the_worker(self, self.client.post, f"{self.base}rounds/{round_.pk}/do/close/")
        files = f"{self.base}rounds/{round_.pk}/report/"
        self.assertContains(self.client.get(files), "Too few zones answered")
        for name in ("note-nl.pdf", "note-fr.pdf"):
            self.assertTrue(self.client.get(files + name).content.startswith(b"%PDF"))
        for name in ("note-nl.docx", "figures.xlsx"):
            zipfile.ZipFile(io.BytesIO(self.client.get(files + name).content))
        self.assertIn(b"<svg", self.client.get(files + "chart.svg").content)

    def test_the_note_is_pinned_on_recommendation_1_once_counted(self):
        round_ = self.register_and_open()
        fill_with_estimates(round_, fte_per_100=1, one_off_per_staff=50, response_rate=0.8, seed=3)
        through_the_worker(self, self.client.post, f"{self.base}rounds/{round_.pk}/do/close/")
        self.login(self.assembly)
        page = self.client.get(f"/en/editions/{self.edition.slug}/roadmap/recommendations/R1/")
        self.assertContains(page, f"rounds/{round_.pk}/report/")

    def test_a_deadline_in_the_past_is_a_clear_error_not_a_crash(self):
        self.login(self.secretariat)
        mission = Mission.objects.create(edition=self.edition, title_nl="Opdracht", source_text="X")
        past = timezone.localtime(timezone.now() - timedelta(days=1))
        response = self.client.post(
            f"{self.base}{mission.pk}/",
            {
                "closes_at": past.strftime("%Y-%m-%dT%H:%M"),
                "basis": "personnel",
                "min_group": "5",
                "replicates": "300",
                "seed": "4",
            },
        )
        self.assertContains(response, "Give a deadline in the future.", status_code=400)
        self.assertFalse(EstimateRound.objects.exists())

    def test_flagged_answers_stay_with_the_secretariat_in_every_output(self):
        """The zones flagged as outliers, with their figures, are for the secretariat to
        check: a reader's spreadsheet and report page carry none of them."""
        round_ = self.register_and_open()
        fill_with_estimates(round_, fte_per_100=1, one_off_per_staff=50, response_rate=1, seed=3)
        zone = self.zones[0]
        ZoneEstimate.objects.filter(round=round_, zone=zone).update(
            fte=zone.personnel, submitted_at=timezone.now()
        )
        through_the_worker(self, self.client.post, f"{self.base}rounds/{round_.pk}/do/close/")
        flagged = round_.report().results["outliers"]
        self.assertIn(zone.code, [row["zone"] for row in flagged])
        files = f"{self.base}rounds/{round_.pk}/report/"

        def workbook_text() -> str:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(self.client.get(files + "figures.xlsx").content))
            return " ".join(str(c.value) for s in book for row in s.iter_rows() for c in row)

        self.assertIn(zone.code, workbook_text())
        self.assertContains(self.client.get(files), zone.code)
        for reader in (self.partner, self.chief, self.assembly):
            self.login(reader)
            self.assertNotIn(zone.code, workbook_text())
            self.assertNotContains(self.client.get(files), zone.code)
