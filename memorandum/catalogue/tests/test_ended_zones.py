"""Zones that ended (a merger, ``ended_on``) take no new work, and keep their history."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from memorandum.accounts.forms import AccountForm
from memorandum.assembly.forms import MeetingForm
from memorandum.assembly.tests.helpers import make_meeting
from memorandum.catalogue.models import PoliceZone
from memorandum.consultation.forms import EventForm, ProposalForm
from memorandum.consultation.tests.helpers import make_event, make_proposal
from memorandum.impact.models import EstimateRound, ImpactInvitation, Mission
from memorandum.impact.services import round_open
from memorandum.roadmap.forms import InitiativeForm
from memorandum.roadmap.models import Initiative
from memorandum.test import BaseTestCase, make_user


class EndedZonesTestCase(BaseTestCase):
    def setUp(self):
        today = timezone.localdate()
        self.ended = self.zones[2]
        self.ended.merged_into, self.ended.ended_on = self.zones[3], today
        self.ended.save()
        self.ending = self.zones[4]  # a merger announced for next month
        self.ending.merged_into, self.ending.ended_on = self.zones[3], today + dt.timedelta(30)
        self.ending.save()

    def offered(self, field) -> set[PoliceZone]:
        return set(field.queryset)

    def test_active_zones_are_those_not_ended_or_ending_later(self):
        active = set(PoliceZone.objects.active())
        self.assertNotIn(self.ended, active)
        self.assertIn(self.ending, active)
        self.assertEqual(len(active), len(self.zones) - 1)
        # on the day before it ended, the zone still existed
        yesterday = timezone.localdate() - dt.timedelta(1)
        self.assertIn(self.ended, PoliceZone.objects.active(on=yesterday))

    def test_a_zone_merged_without_an_end_date_has_ended(self):
        self.ended.ended_on = None
        self.ended.save()
        self.assertNotIn(self.ended, PoliceZone.objects.active())

    def test_a_new_proposal_and_a_new_event_cannot_name_an_ended_zone(self):
        form = ProposalForm(edition=self.edition)
        self.assertNotIn(self.ended, self.offered(form.fields["zone"]))
        self.assertIn(self.ending, self.offered(form.fields["zone"]))
        self.assertNotIn(self.ended, self.offered(EventForm().fields["zones"]))

    def test_a_proposal_and_an_event_of_an_ended_zone_keep_it_when_edited(self):
        proposal = make_proposal(self.edition, zone=self.ended)
        form = ProposalForm(instance=proposal, edition=self.edition)
        self.assertIn(self.ended, self.offered(form.fields["zone"]))
        event = make_event(self.edition)
        event.zones.set([self.ended])
        self.assertIn(self.ended, self.offered(EventForm(instance=event).fields["zones"]))

    def test_an_initiative_is_led_by_an_ended_zone_only_if_it_already_was(self):
        form = InitiativeForm(edition=self.edition, user=self.secretariat)
        self.assertNotIn(self.ended, self.offered(form.fields["lead_zone"]))
        initiative = Initiative.objects.create(
            edition=self.edition,
            title_nl="Oud project",
            lead_organisation="PZ",
            lead_zone=self.ended,
            start_date=dt.date(2024, 1, 1),
        )
        form = InitiativeForm(instance=initiative, edition=self.edition, user=self.secretariat)
        self.assertIn(self.ended, self.offered(form.fields["lead_zone"]))

    def test_a_new_corps_chief_cannot_be_given_an_ended_zone(self):
        self.assertNotIn(self.ended, self.offered(AccountForm().fields["zone"]))
        form = AccountForm(
            data={
                "first_name": "An",
                "last_name": "Peeters",
                "email": "an@example.invalid",
                "preferred_language": "nl",
                "roles": ["corps_chief"],
                "zone": self.ended.pk,
            }
        )
        self.assertIn("zone", form.errors)
        # the chief of the zone before the merger keeps it on their profile
        old_chief = make_user("old_chief", "corps_chief", zone=self.ended)
        self.assertIn(self.ended, self.offered(AccountForm(user=old_chief).fields["zone"]))

    def test_a_new_meeting_lists_only_active_zones_and_an_old_one_keeps_its_attendance(self):
        self.assertNotIn(self.ended, self.offered(MeetingForm().fields["zones_present"]))
        meeting = make_meeting(self.edition, self.zones, present=5)
        form = MeetingForm(instance=meeting)
        self.assertIn(self.ended, self.offered(form.fields["zones_present"]))

    def test_an_estimate_round_does_not_ask_an_ended_zone(self):
        mission = Mission.objects.create(
            edition=self.edition, title_nl="Nieuwe opdracht", source_text="Wet"
        )
        round_ = EstimateRound.objects.create(
            mission=mission, closes_at=timezone.now() + dt.timedelta(days=10)
        )
        round_open(round=round_)
        invited = set(ImpactInvitation.objects.values_list("zone", flat=True))
        self.assertNotIn(self.ended.pk, invited)
        self.assertIn(self.ending.pk, invited)
        self.assertEqual(len(invited), len(self.zones) - 1)
