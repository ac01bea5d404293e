"""The reads a submission makes, compiled once, answer exactly as their querysets do."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from memorandum.lib.compiled import CompiledQuery
from memorandum.survey import queries, services
from memorandum.survey.models import Ballot, Invitation
from memorandum.survey.tests.helpers import invite, link, make_survey, ranking_post
from memorandum.test import BaseTestCase


class CompiledQueriesTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)
        self.invitation, self.raw = invite(self.survey, self.zones[0])
        invite(self.survey, self.zones[1])

    def test_the_invitation_comes_with_its_survey_zone_and_province_in_one_statement(self):
        with CaptureQueriesContext(connection) as captured:
            found = services.invitation_for_token(self.raw)
            self.assertEqual(found.survey.edition, self.edition)
            self.assertEqual(found.zone.province, self.zones[0].province)
        self.assertEqual(len(captured), 1)
        expected = Invitation.objects.get(pk=self.invitation.pk)
        self.assertEqual(
            [getattr(found, f.attname) for f in Invitation._meta.concrete_fields],
            [getattr(expected, f.attname) for f in Invitation._meta.concrete_fields],
        )
        self.assertEqual(found.survey.closes_at, self.survey.closes_at)

    def test_a_wrong_or_revoked_link_finds_nothing(self):
        self.assertIsNone(services.invitation_for_token("x" * 43))
        Invitation.objects.filter(pk=self.invitation.pk).update(revoked_at=self.survey.opens_at)
        self.assertIsNone(services.invitation_for_token(self.raw, with_edition=False))

    def test_the_locked_ballot_row_is_the_zones_with_its_survey_and_payload(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R6", "R1"]))
        with transaction.atomic():
            (ballot,) = queries.ZONE_BALLOT_FOR_UPDATE(self.survey.pk, self.zones[0].pk)
            self.assertEqual(ballot, Ballot.objects.get(survey=self.survey, zone=self.zones[0]))
            self.assertEqual(ballot.payload["overall"][:2], ["R6", "R1"])
            self.assertEqual(ballot.survey.status, self.survey.status)
            self.assertEqual(queries.ZONE_BALLOT_FOR_UPDATE(self.survey.pk, self.zones[1].pk), [])

    def test_a_query_whose_value_cannot_be_placed_is_refused_at_its_first_run(self):
        query = CompiledQuery(lambda pk: Invitation.objects.filter(pk=pk).exclude(zone_id=pk), int)
        with self.assertRaises(ValueError):
            query(1)
