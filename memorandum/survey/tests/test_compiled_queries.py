"""The reads a submission makes, compiled once, answer exactly as their querysets do."""

from datetime import date
from unittest import mock, skipUnless

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from memorandum.lib.compiled import CompiledQuery, CompiledUpdate
from memorandum.survey import casting, queries
from memorandum.survey.models import Ballot, Invitation, Participation
from memorandum.survey.tests.helpers import invite, link, make_survey, ranking_post
from memorandum.test import BaseTestCase, Personas


class CompiledQueriesTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)
        self.invitation, self.raw = invite(self.survey, self.zones[0])
        invite(self.survey, self.zones[1])

    def test_the_invitation_comes_with_its_survey_zone_and_province_in_one_statement(self):
        with CaptureQueriesContext(connection) as captured:
            found = casting.invitation_for_token(self.raw)
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
        self.assertIsNone(casting.invitation_for_token("x" * 43))
        Invitation.objects.filter(pk=self.invitation.pk).update(revoked_at=self.survey.opens_at)
        self.assertIsNone(casting.invitation_for_token(self.raw, with_edition=False))

    def test_a_posted_ballot_reads_its_link_in_the_statement_that_takes_the_gate(self):
        with CaptureQueriesContext(connection) as captured:
            response = self.client.post(link(self.raw), ranking_post(self.survey, ["R6", "R1"]))
        self.assertEqual(response.status_code, 302)
        statements = [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]
        gates = [sql for sql in statements if "pg_advisory_xact_lock_shared" in sql]
        if connection.vendor == "postgresql":
            self.assertEqual(len(gates), 1, statements)
            self.assertIn('FROM "survey_invitation"', gates[0])
        else:
            self.assertEqual(gates, [])  # SQLite lets one writer in at a time: no gate
        self.assertTrue(Ballot.objects.filter(survey=self.survey, zone=self.zones[0]).exists())

    @pytest.mark.postgres
    @skipUnless(connection.vendor == "postgresql", "the gate is a PostgreSQL advisory lock")
    def test_the_invitation_read_for_a_ballot_holds_the_gate_until_the_end(self):
        held = (
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ShareLock'"
            " AND classid = %s AND objid = %s AND pid = pg_backend_pid()"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            casting.invitation_for_token("x" * 43, take_gate=True)  # no invitation, no gate
            cursor.execute(held, [queries.BALLOT_GATE, self.survey.pk])
            self.assertEqual(cursor.fetchone(), (0,))
            found = casting.invitation_for_token(self.raw, with_edition=False, take_gate=True)
            self.assertEqual(found, self.invitation)
            cursor.execute(held, [queries.BALLOT_GATE, self.survey.pk])
            self.assertEqual(cursor.fetchone(), (1,))

    def test_a_refusal_behind_a_held_gate_leaves_nothing_of_the_save(self):
        def refuse(on_record, submitted):
            raise casting.BallotRefused("no")

        with transaction.atomic():
            found = casting.invitation_for_token(self.raw, with_edition=False, take_gate=True)
            with self.assertRaises(casting.BallotRefused):
                # The zone's draft row is inserted, then the answer is refused.
                casting.ballot_save(
                    survey=found.survey,
                    zone=found.zone,
                    payload={},
                    submit=False,
                    rebase=refuse,
                    gate_held=True,
                )
        self.assertFalse(Ballot.objects.filter(survey=self.survey).exists())

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

    def test_the_compiled_update_writes_the_answers_as_save_would(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R6", "R1"]))
        ballot = Ballot.objects.get(survey=self.survey, zone=self.zones[0])
        before = ballot.updated_at
        ballot.payload = {"overall": ["R2"], "within": {"x": ["R3"]}}
        ballot.cast_by = "Chief"
        ballot.weight = 2.5
        with CaptureQueriesContext(connection) as captured:
            queries.BALLOT_ANSWERS(ballot)
        self.assertEqual(len(captured), 1)
        self.assertIn("Chief", captured[0]["sql"])  # logged with its values
        stored = Ballot.objects.get(pk=ballot.pk)
        self.assertEqual(stored.payload, {"overall": ["R2"], "within": {"x": ["R3"]}})
        self.assertEqual((stored.cast_by, stored.weight), ("Chief", 2.5))
        self.assertGreater(stored.updated_at, before)  # auto_now, as save() sets it
        self.assertEqual(stored.updated_at, ballot.updated_at)

    def test_the_compiled_update_of_a_missing_row_fails(self):
        ballot = Ballot(survey=self.survey, zone=self.zones[0], province="x", region="x")
        with self.assertRaises(DatabaseError), transaction.atomic():
            queries.BALLOT_ANSWERS(ballot)

    def test_the_compiled_insert_inserts_once_per_zone(self):
        first = Participation(survey=self.survey, zone=self.zones[0], voted_on=date(2026, 1, 5))
        again = Participation(survey=self.survey, zone=self.zones[0], voted_on=date(2026, 1, 6))
        self.assertTrue(queries.NEW_PARTICIPATION(first))
        self.assertFalse(queries.NEW_PARTICIPATION(again))  # the unique constraint holds one
        (stored,) = Participation.objects.filter(survey=self.survey)
        self.assertEqual((stored.zone, stored.voted_on), (self.zones[0], date(2026, 1, 5)))

    def test_an_update_of_the_key_or_a_missing_field_is_refused(self):
        with self.assertRaises(ValueError):
            CompiledUpdate(Ballot, ["id"])
        with self.assertRaises(FieldDoesNotExist):
            CompiledUpdate(Ballot, ["no_such_field"])


@pytest.mark.postgres
@skipUnless(connection.vendor == "postgresql", "prepared statements are PostgreSQL's")
class PreparedStatementsTestCase(BaseTestCase):
    def test_the_hot_statements_are_prepared_and_no_other(self):
        survey = make_survey(self.edition)
        _, raw = invite(survey, self.zones[0])
        self.client.post(link(raw), ranking_post(survey, ["R6", "R1"]))
        self.client.post(link(raw), ranking_post(survey, ["R1", "R6"]))
        self.client.get(link(raw))  # the page's other reads are not prepared
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor]
        hot = {
            "invitation": 'FROM "survey_invitation"',
            "locked ballot": 'FOR UPDATE OF "survey_ballot"',
            "ballot update": 'UPDATE "survey_ballot" SET "payload" = $1',
            "draft": 'INSERT INTO "survey_ballot"',
            "voted": 'INSERT INTO "survey_participation"',
        }
        for name, text in hot.items():
            self.assertTrue(any(text in sql for sql in prepared), name)
        others = [sql for sql in prepared if not any(text in sql for text in hot.values())]
        self.assertEqual(others, [])


class ReceiptAfterCommitTestCase(Personas, TransactionTestCase):
    """The voter is told of a receipt only once the ballot is committed."""

    def setUp(self):
        self.create_personas()

    def test_a_ballot_whose_commit_fails_shows_no_receipt(self):
        survey = make_survey(self.edition)
        _, raw = invite(survey, self.zones[0])
        self.client.raise_request_exception = False
        commit = BaseDatabaseWrapper.commit

        def failing(wrapper):
            if wrapper.in_atomic_block is False and Ballot.objects.exists():
                raise DatabaseError("the disk is full")
            return commit(wrapper)

        with mock.patch.object(BaseDatabaseWrapper, "commit", failing):
            response = self.client.post(link(raw), ranking_post(survey, ["R6", "R1"]))
        self.assertEqual(response.status_code, 500)
        self.assertNotIn(b"Receipt", response.content)
        self.assertNotIn("messages", response.cookies)
        self.assertFalse(Ballot.objects.filter(survey=survey).exists())
