"""Decisions become public with their minutes; corrections; a meeting on the record stays."""

import io

from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from memorandum.assembly.admin import AgendaItemInline, MeetingAdmin
from memorandum.assembly.models import Decision, Meeting
from memorandum.assembly.services import adopted_catalogue, publish_minutes, record_decision
from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.catalogue.models import Phase, Recommendation, Status
from memorandum.catalogue.phases import standing_in
from memorandum.publication.document import build_document
from memorandum.test import BaseTestCase, InEnglish

SECRET_TITLE = "Een geheim geamendeerde financiering"


class PendingDecisionTestCase(InEnglish, BaseTestCase):
    """R1 is amended and R7 (proposed) adopted at a meeting whose minutes are not published."""

    def setUp(self):
        super().setUp()
        self.meeting = make_meeting(self.edition, self.zones)
        self.r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        self.r7 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=7)
        self.r7.status = Status.PROPOSED
        self.r7.title_nl = "Een voorgestelde aanbeveling"
        self.r7.save()
        texts = {f: getattr(self.r1, f) for f in self.amendable()}
        texts["title_nl"] = SECRET_TITLE
        self.amendment = self.decide(item_for(self.meeting, "R1"), "amend", texts=texts)
        self.adoption = self.decide(item_for(self.meeting, "R7", order=2), "adopt")

    @staticmethod
    def amendable():
        return [f"{b}_{lang}" for b in Recommendation.TEXT_FIELDS for lang in ("nl", "fr")]

    def decide(self, item, kind, votes=(5, 1, 0), **extra):
        with standing_in(self.edition, Phase.CONSOLIDATION):
            return record_decision(
                item=item,
                kind=kind,
                votes_for=votes[0],
                votes_against=votes[1],
                abstentions=votes[2],
                by=self.secretariat,
                **extra,
            )

    def url(self, name, *args):
        return reverse(name, args=[self.edition.slug, *args])

    def public_texts(self) -> str:
        """Everything a visitor can read about the catalogue, joined."""
        pages = [
            self.url("catalogue:catalogue"),
            self.url("catalogue:recommendation", "R1"),
            self.url("catalogue:history", "R1"),
            self.url("assembly:adopted"),
            self.url("assembly:meetings"),
            self.url("publication:memorandum"),
            self.url("catalogue:export", "json"),
            self.url("catalogue:export", "csv"),
        ]
        texts = []
        for page in pages:
            response = self.client.get(page)
            self.assertEqual(response.status_code, 200, page)
            texts.append(response.content.decode("utf-8"))
        workbook = load_workbook(
            io.BytesIO(self.client.get(self.url("catalogue:export", "xlsx")).content)
        )
        for sheet in workbook.worksheets:
            texts += [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
        for lang in ("nl", "fr"):
            document = build_document(self.edition, lang)
            items = document.recommendations + document.commitments
            texts += [str(item.title) for item in items] + [s.title for s in document.sections]
        return "\n".join(texts)

    def test_a_visitor_sees_no_decision_of_an_unpublished_meeting_anywhere(self):
        seen = self.public_texts()
        self.assertNotIn(SECRET_TITLE, seen)
        self.assertNotIn("Een voorgestelde aanbeveling", seen)
        self.assertEqual(adopted_catalogue(self.edition), [])
        self.assertEqual(
            self.client.get(self.url("assembly:meeting", self.meeting.pk)).status_code, 404
        )
        self.assertEqual(
            self.client.get(self.url("catalogue:recommendation", "R7")).status_code, 404
        )
        self.r1.refresh_from_db()
        self.assertNotEqual(self.r1.title_nl, SECRET_TITLE)

    def test_publishing_the_minutes_makes_the_decisions_public_and_applies_them(self):
        publish_minutes(meeting=self.meeting, by=self.secretariat)
        seen = self.public_texts()
        self.assertIn(SECRET_TITLE, seen)
        self.assertIn("Een voorgestelde aanbeveling", seen)
        self.r1.refresh_from_db()
        self.assertEqual(
            self.r1.history.first().history_change_reason,
            "Amended by the General Assembly on 13 June 2023",
        )
        adopted = self.client.get(self.url("assembly:adopted"))
        meeting_url = self.url("assembly:meeting", self.meeting.pk)
        self.assertContains(adopted, meeting_url)
        self.assertEqual(self.client.get(meeting_url).status_code, 200)

    def test_the_secretariat_and_assembly_members_see_pending_decisions_marked(self):
        for user in (self.secretariat, self.assembly):
            self.login(user)
            self.assertContains(
                self.client.get(self.url("catalogue:recommendation", "R1")),
                "Pending decision of the General Assembly of 13 June 2023",
            )
            self.assertContains(
                self.client.get(self.url("catalogue:catalogue")), "pending decision"
            )
            adopted = self.client.get(self.url("assembly:adopted"))
            self.assertContains(adopted, "Pending decisions")
            self.assertContains(adopted, "R1 becomes “Adopted” with the amended text.")
            meeting = self.client.get(self.url("assembly:meeting", self.meeting.pk))
            self.assertContains(meeting, "pending: not published")
        for user in (self.chief, self.partner):
            self.login(user)
            response = self.client.get(self.url("catalogue:recommendation", "R1"))
            self.assertNotContains(response, "Pending decision")

    def test_publishing_asks_for_confirmation_and_lists_what_becomes_public(self):
        self.login(self.secretariat)
        page = self.client.get(self.url("assembly:publish", self.meeting.pk))
        self.assertContains(page, "This cannot be undone.")
        self.assertContains(page, "2 decisions become public")
        self.assertContains(page, "R7 becomes “Adopted”.")
        self.meeting.refresh_from_db()
        self.assertFalse(self.meeting.published)
        shown = page.context["shown"]
        late = self.decide(item_for(self.meeting, "R3", order=3), "reject")
        response = self.client.post(
            self.url("assembly:publish", self.meeting.pk), {"decisions": shown}
        )
        self.assertContains(response, "changed since this page was shown")
        self.assertContains(response, "3 decisions become public")
        self.assertFalse(Decision.objects.published().exists())
        response = self.client.post(
            self.url("assembly:publish", self.meeting.pk),
            {"decisions": f"{shown},{late.pk}"},
            follow=True,
        )
        self.assertContains(response, "3 decisions are now public")
        self.meeting.refresh_from_db()
        self.assertTrue(self.meeting.published)
        self.assertFalse(Decision.objects.pending().exists())

    def test_assembly_members_cannot_publish(self):
        self.login(self.assembly)
        response = self.client.post(self.url("assembly:publish", self.meeting.pk), {})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Decision.objects.published().exists())

    def test_a_published_decision_never_changes(self):
        publish_minutes(meeting=self.meeting, by=self.secretariat)
        self.adoption.refresh_from_db()
        self.adoption.votes_for = 3
        with self.assertRaises(ValidationError):
            self.adoption.save()
        with self.assertRaises(ProtectedError):
            self.adoption.delete()
        self.login(self.secretariat)
        response = self.client.get(self.url("assembly:meeting_edit", self.meeting.pk), follow=True)
        self.assertContains(response, "part of the record")
        with self.assertRaises(ValidationError) as caught:
            self.decide(item_for(self.meeting, "R2", order=3), "adopt")
        self.assertIn("no new decision can be added", " ".join(caught.exception.messages))

    def test_a_correction_of_a_published_decision_goes_public_when_published_and_both_stay(self):
        publish_minutes(meeting=self.meeting, by=self.secretariat)
        self.login(self.secretariat)
        correct_url = self.url(
            "assembly:decision_correct", self.meeting.pk, self.adoption.item_id, self.adoption.pk
        )
        with standing_in(self.edition, Phase.CONSOLIDATION):
            form = self.client.post(
                correct_url,
                {"kind": "reject", "votes_for": 5, "votes_against": 1, "abstentions": 0},
            )
            self.assertContains(form, "This field is required")  # the reason
            self.client.post(
                correct_url,
                {
                    "kind": "reject",
                    "votes_for": 5,
                    "votes_against": 1,
                    "abstentions": 0,
                    "reason": "De vergadering verwierp het; “aannemen” werd verkeerd ingevoerd.",
                },
            )
        correction = Decision.objects.get(supersedes=self.adoption)
        self.r7.refresh_from_db()
        self.assertEqual(self.r7.status, Status.ADOPTED)  # the public still sees the adoption
        self.client.logout()
        public = self.client.get(self.url("assembly:meeting", self.meeting.pk))
        self.assertNotContains(public, "verkeerd ingevoerd")
        self.assertContains(
            self.client.get(self.url("catalogue:recommendation", "R7")), "Een voorgestelde"
        )
        self.login(self.secretariat)
        self.client.post(
            self.url("assembly:publish", self.meeting.pk),
            {"decisions": str(Decision.objects.pending().get().pk)},
        )
        self.client.logout()
        self.r7.refresh_from_db()
        self.assertEqual(self.r7.status, Status.REJECTED)
        self.assertEqual(
            self.client.get(self.url("catalogue:recommendation", "R7")).status_code, 404
        )
        public = self.client.get(self.url("assembly:meeting", self.meeting.pk))
        self.assertContains(
            public,
            "Corrected because: De vergadering verwierp het; “aannemen” werd verkeerd ingevoerd.",
        )
        self.assertContains(public, "<h4>Corrections</h4>", html=False)
        self.assertNotContains(public, self.url("catalogue:recommendation", "R7"))  # no 404 link
        correction.refresh_from_db()
        self.assertTrue(correction.is_published)
        reasons = list(self.r7.history.values_list("history_change_reason", flat=True)[:2])
        self.assertTrue(reasons[0].startswith("Correction: Rejected by the General Assembly"))
        self.assertEqual(reasons[1], "Adopted by the General Assembly on 13 June 2023")

    def test_a_correction_undoes_a_published_amendment(self):
        publish_minutes(meeting=self.meeting, by=self.secretariat)
        self.decide(
            self.amendment.item,
            "adopt",
            corrects=self.amendment,
            reason="Het amendement werd niet gestemd.",
        )
        publish_minutes(meeting=self.meeting, by=self.secretariat)
        self.r1.refresh_from_db()
        self.assertEqual(self.r1.title_nl, "Een optimale en duurzame financiering")
        self.assertEqual(self.r1.status, Status.ADOPTED)

    def test_a_pending_decision_corrected_before_publication_is_never_applied(self):
        self.decide(
            self.adoption.item,
            "postpone",
            corrects=self.adoption,
            reason="Verkeerde keuze ingevoerd.",
        )
        with self.assertRaises(ValidationError):  # only the latest decision can be corrected
            self.decide(self.adoption.item, "reject", corrects=self.adoption, reason="Nogmaals.")
        publish_minutes(meeting=self.meeting, by=self.secretariat)
        self.r7.refresh_from_db()
        self.assertEqual(self.r7.status, Status.POSTPONED)
        self.assertFalse(
            self.r7.history.filter(history_change_reason__startswith="Adopted").exists()
        )
        self.assertEqual(Decision.objects.published().filter(item=self.adoption.item).count(), 2)

    def test_a_meeting_with_decisions_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError) as caught:
            self.meeting.delete()
        self.assertIn("cannot be deleted", caught.exception.args[0])
        self.login(self.secretariat)
        page = self.client.get(self.url("assembly:meeting_delete", self.meeting.pk))
        self.assertContains(page, "Correct a wrong decision instead")
        response = self.client.post(self.url("assembly:meeting_delete", self.meeting.pk))
        self.assertEqual(response.status_code, 409)
        self.assertTrue(Meeting.objects.filter(pk=self.meeting.pk).exists())
        request = RequestFactory().get("/")
        request.user = self.secretariat
        self.assertFalse(MeetingAdmin(Meeting, site).has_delete_permission(request, self.meeting))
        inline = AgendaItemInline(Meeting, site)
        self.assertFalse(inline.has_delete_permission(request, self.meeting))
        self.assertFalse(inline.has_change_permission(request, self.meeting))
        admin_delete = self.client.get(
            reverse("admin:assembly_meeting_delete", args=[self.meeting.pk])
        )
        self.assertEqual(admin_delete.status_code, 403)

    def test_published_minutes_without_decisions_cannot_be_deleted_either(self):
        empty = make_meeting(self.edition, self.zones, place="Leeg")
        publish_minutes(meeting=empty, by=self.secretariat)
        self.login(self.secretariat)
        response = self.client.post(self.url("assembly:meeting_delete", empty.pk))
        self.assertContains(response, "part of the record", status_code=409)
        self.assertTrue(Meeting.objects.filter(pk=empty.pk).exists())

    def test_a_meeting_without_decisions_is_deleted_after_confirmation(self):
        empty = make_meeting(self.edition, self.zones, place="Leeg")
        self.login(self.secretariat)
        page = self.client.get(self.url("assembly:meeting_delete", empty.pk))
        self.assertContains(page, "No decision was recorded at it.")
        self.client.post(self.url("assembly:meeting_delete", empty.pk))
        self.assertFalse(Meeting.objects.filter(pk=empty.pk).exists())

    def test_the_recommendation_lists_its_decisions_and_corrections_for_its_readers(self):
        publish_minutes(meeting=self.meeting, by=self.secretariat)
        self.decide(
            self.amendment.item, "adopt", corrects=self.amendment, reason="Amendement niet gestemd."
        )
        page_url = self.url("assembly:recommendation", "R1")
        self.assertContains(self.client.get(self.url("catalogue:recommendation", "R1")), page_url)
        public = self.client.get(page_url)
        self.assertContains(public, self.url("assembly:meeting", self.meeting.pk))
        self.assertNotContains(public, "Amendement niet gestemd")  # the correction is pending
        self.login(self.assembly)
        insider = self.client.get(page_url)
        self.assertContains(insider, "Amendement niet gestemd")
        self.assertContains(insider, "pending: not published")
        self.client.logout()
        publish_minutes(meeting=self.meeting, by=self.secretariat)
        public = self.client.get(page_url)
        self.assertContains(public, "Amendement niet gestemd")
        self.assertContains(public, "corrected on")
