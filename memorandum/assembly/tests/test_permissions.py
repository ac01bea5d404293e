"""Who may see and change what in the General Assembly, tried per role."""

from memorandum.assembly.models import Meeting
from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.catalogue.models import Phase
from memorandum.catalogue.phases import standing_in
from memorandum.test import AppPagesTestCase


class PermissionsTestCase(AppPagesTestCase):
    app = "assembly"

    def setUp(self):
        super().setUp()
        self.draft = make_meeting(self.edition, self.zones, place="Vergadering in voorbereiding")
        self.published = make_meeting(
            self.edition, self.zones, place="Gepubliceerde vergadering", published=True
        )
        self.item = item_for(self.draft, "R1")

    def test_the_public_sees_only_published_meetings(self):
        response = self.client.get(self.url("meetings"))
        self.assertContains(response, "Gepubliceerde vergadering")
        self.assertNotContains(response, "Vergadering in voorbereiding")
        self.assertEqual(self.client.get(self.url("meeting", self.draft.pk)).status_code, 404)
        self.assertEqual(self.client.get(self.url("meeting", self.published.pk)).status_code, 200)

    def test_assembly_members_read_every_meeting_but_change_nothing(self):
        self.login(self.assembly)
        self.assertContains(self.client.get(self.url("meetings")), "Vergadering in voorbereiding")
        self.assertEqual(self.client.get(self.url("meeting", self.draft.pk)).status_code, 200)
        self.assertEqual(self.client.get(self.url("meeting_new")).status_code, 403)
        self.assertEqual(
            self.client.get(self.url("agenda_item_new", self.draft.pk)).status_code, 403
        )
        self.assertEqual(
            self.client.get(self.url("decision_new", self.draft.pk, self.item.pk)).status_code, 403
        )

    def test_corps_chiefs_and_partners_see_only_published_meetings(self):
        for user in (self.chief, self.partner):
            self.login(user)
            self.assertEqual(self.client.get(self.url("meeting", self.draft.pk)).status_code, 404)
            self.assertEqual(
                self.client.get(self.url("decision_new", self.draft.pk, self.item.pk)).status_code,
                403,
            )

    def test_the_secretariat_creates_a_meeting_and_its_agenda(self):
        self.login(self.secretariat)
        data = {
            "starts_at": "2023-07-11T14:00",
            "place": "Namen",
            "eligible_members": 10,
            "zones_present": [z.pk for z in self.zones[:7]],
            "quorum_kind": "fraction",
            "quorum_value": "0.5",
            "majority_rule": "two_thirds",
        }
        response = self.client.post(self.url("meeting_new"), data)
        meeting = Meeting.objects.get(place="Namen")
        self.assertRedirects(response, self.url("meeting", meeting.pk))
        self.assertEqual(meeting.present_count(), 7)
        self.assertEqual(
            meeting.starts_at.isoformat(), "2023-07-11T12:00:00+00:00"
        )  # 14:00 in Brussels, summer time
        rec = self.item.recommendation
        response = self.client.post(
            self.url("agenda_item_new", meeting.pk),
            {"order": 1, "recommendation": rec.pk, "survey_results": "Prioriteit 1"},
        )
        self.assertRedirects(response, self.url("meeting", meeting.pk))
        response = self.client.post(
            self.url("agenda_item_new", meeting.pk), {"order": 1, "subject_nl": "Varia"}
        )
        self.assertContains(response, "already has number 1")

    def test_a_fraction_above_one_is_refused_with_a_clear_message(self):
        self.login(self.secretariat)
        data = {
            "starts_at": "2023-07-11T14:00",
            "eligible_members": 10,
            "quorum_kind": "fraction",
            "quorum_value": "50",
            "majority_rule": "simple",
        }
        response = self.client.post(self.url("meeting_new"), data)
        self.assertContains(response, "between 0 and 1")

    def test_attendance_cannot_drop_below_quorum_once_decisions_are_recorded(self):
        from memorandum.assembly.services import record_decision

        with standing_in(self.edition, Phase.CONSOLIDATION):
            record_decision(
                item=self.item,
                kind="adopt",
                votes_for=5,
                votes_against=0,
                abstentions=0,
                by=self.secretariat,
            )
        self.login(self.secretariat)
        data = {
            "starts_at": "2023-06-13T14:00",
            "eligible_members": 10,
            "zones_present": [z.pk for z in self.zones[:2]],
            "quorum_kind": "fraction",
            "quorum_value": "0.5",
            "majority_rule": "simple",
        }
        response = self.client.post(self.url("meeting_edit", self.draft.pk), data)
        self.assertContains(response, "cannot drop below the quorum")
        self.assertEqual(self.draft.present_count(), 6)
