"""Each significant act of the platform leaves exactly one entry in the audit log, written by
the service that does it (in its transaction: a refused act leaves none)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from memorandum.assembly.services import publish_minutes, record_decision
from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.audit.models import Action, AuditEntry
from memorandum.catalogue.models import Phase
from memorandum.catalogue.phases import standing_in
from memorandum.consultation.services import merge_proposals, undo_merge
from memorandum.consultation.tests.helpers import make_proposal, recommendation
from memorandum.publication.tests.helpers import counted_survey
from memorandum.survey.models import Survey, SurveyStatus
from memorandum.survey.tests.helpers import make_survey, through_the_worker
from memorandum.test import BaseTestCase


class ActsTestCase(BaseTestCase):
    def entries(self, action: str) -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(action=action))

    def assert_one(self, action: str, target=None, **details) -> AuditEntry:
        entries = self.entries(action)
        self.assertEqual(len(entries), 1, f"{action}: {entries}")
        entry = entries[0]
        if target is not None:
            self.assertEqual(entry.object_id, str(target.pk))
        for key, value in details.items():
            self.assertEqual(entry.details[key], value, key)
        return entry


class SurveyActsTestCase(ActsTestCase):
    def test_opening_inviting_revoking_and_closing_each_leave_one_entry(self):
        survey = make_survey(self.edition, status=SurveyStatus.DRAFT)
        base = f"/nl/editions/{self.edition.slug}/surveys/{survey.pk}"
        self.login(self.secretariat)
        with standing_in(self.edition, Phase.PRIORITISATION):
            self.client.post(f"{base}/do/open/")
            opened = self.assert_one(Action.SURVEY_OPENED, survey)
            self.assertEqual((opened.actor, opened.ip_address), (self.secretariat, "127.0.0.1"))
            self.client.post(f"{base}/do/open/")  # refused: already open, nothing recorded
        self.assert_one(Action.SURVEY_OPENED)

        through_the_worker(self, self.client.post, f"{base}/do/invite/")
        self.assert_one(Action.SURVEY_INVITATIONS_SENT, survey, count=len(self.zones))
        invitation = survey.invitations.get(zone=self.zones[0])
        self.client.post(f"{base}/invitations/{invitation.pk}/revoke/")
        self.assert_one(Action.SURVEY_INVITATION_REVOKED, survey, zone=self.zones[0].code)

        through_the_worker(self, self.client.post, f"{base}/do/close/")
        survey.refresh_from_db()
        self.assertEqual(survey.status, SurveyStatus.TALLIED)
        self.assert_one(Action.SURVEY_CLOSED, survey, ballots=0)

    def test_a_survey_closed_by_its_closing_time_is_recorded_as_the_system(self):
        survey = make_survey(self.edition)
        Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        call_command("close_due_surveys", stdout=io.StringIO())
        entry = self.assert_one(Action.SURVEY_CLOSED, survey)
        self.assertIsNone(entry.actor)


class PublicationActsTestCase(ActsTestCase):
    def test_publishing_a_version_leaves_one_entry(self):
        from memorandum.publication.models import PublicationVersion

        survey = counted_survey(self.edition)
        self.login(self.secretariat)
        self.client.post(
            f"/nl/editions/{self.edition.slug}/memorandum/publish/",
            {"survey": str(survey.pk), "expected_number": "1", "confirm": "1"},
        )
        version = PublicationVersion.objects.get()
        entry = self.assert_one(
            Action.PUBLISHED, version, number=1, survey=survey.pk, edition=self.edition.slug
        )
        self.assertEqual(entry.actor, self.secretariat)


class AssemblyActsTestCase(ActsTestCase):
    def adopt_r1(self, meeting, votes_for: int):
        with standing_in(self.edition, Phase.CONSOLIDATION):
            return record_decision(
                item=item_for(meeting, "R1"),
                kind="adopt",
                votes_for=votes_for,
                votes_against=0,
                abstentions=0,
                by=self.secretariat,
            )

    def test_a_decision_and_the_minutes_each_leave_one_entry(self):
        meeting = make_meeting(self.edition, self.zones)
        decision = self.adopt_r1(meeting, 5)
        self.assert_one(Action.DECISION_RECORDED, decision, kind="adopt", recommendation="R1")
        publish_minutes(meeting=meeting, by=self.secretariat)
        self.assert_one(Action.MINUTES_PUBLISHED, meeting, decisions=[decision.pk])

    def test_a_refused_decision_leaves_no_entry(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.adopt_r1(make_meeting(self.edition, self.zones, present=1), 1)  # no quorum
        self.assertEqual(self.entries(Action.DECISION_RECORDED), [])


class ConsultationActsTestCase(ActsTestCase):
    def test_a_merge_and_its_undo_each_leave_one_entry(self):
        proposals = [make_proposal(self.edition), make_proposal(self.edition, title="Tweede")]
        target = recommendation(self.edition, "R2")
        merge = merge_proposals(proposals=proposals, into=target, by=self.secretariat)
        self.assert_one(
            Action.PROPOSALS_MERGED, target, proposals=[p.pk for p in proposals], merge=merge.pk
        )
        undo_merge(merge=merge, by=self.secretariat)
        entry = self.assert_one(Action.MERGE_UNDONE, target, merge=merge.pk)
        self.assertEqual(entry.object_label, "R2")


class EditionActsTestCase(ActsTestCase):
    def test_starting_the_next_edition_leaves_one_entry_and_a_refusal_none(self):
        form = {
            "source": str(self.edition.pk),
            "slug": "2029-2033",
            "title_nl": "Memorandum 2029-2033",
            "period_start": "2029",
            "period_end": "2033",
            "confirm": "1",
        }
        self.login(self.secretariat)
        self.client.post("/nl/next-edition/", form)
        entry = self.assert_one(Action.EDITION_CREATED, source="2024-2028")
        self.assertEqual(entry.actor, self.secretariat)
        self.assertEqual(entry.summary(), "Startte Memorandum 2029-2033 vanuit editie 2024-2028")
        self.client.post("/nl/next-edition/", form)  # refused: the address exists
        self.assert_one(Action.EDITION_CREATED)
