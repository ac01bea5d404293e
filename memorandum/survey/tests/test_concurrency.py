import threading
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase

from memorandum.survey import services
from memorandum.survey.models import Anonymity, Ballot, Participation
from memorandum.survey.tests.helpers import make_survey
from memorandum.test import Personas

THREADS = 8


def fire(survey, zone, payloads) -> tuple[list, list]:
    """Submit every payload at the same moment, each from its own thread and connection."""
    start = threading.Barrier(len(payloads))
    done, refused, errors = [], [], []

    def submit(payload):
        try:
            start.wait()
            services.ballot_save(survey=survey, zone=zone, payload=payload, submit=True)
            done.append(payload)
        except services.BallotRefused as error:
            refused.append(error.message)
        except Exception as error:  # noqa: BLE001 - any other error fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return done, refused


@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time, so there is no race to test",
)
class ConcurrentSubmissionTestCase(Personas, TransactionTestCase):
    def setUp(self):
        self.create_personas()

    def payloads(self):
        return [{"overall": [f"R{1 + i % 7}"], "within": {}} for i in range(THREADS)]

    def test_concurrent_submissions_for_one_zone_leave_exactly_one_ballot(self):
        survey = make_survey(self.edition)
        done, refused = fire(survey, self.zones[0], self.payloads())
        self.assertEqual((len(done), refused), (THREADS, []))  # each one replaced the previous one
        self.assertEqual(Ballot.objects.filter(survey=survey).count(), 1)
        self.assertEqual(Participation.objects.filter(survey=survey).count(), 1)
        ballot = Ballot.objects.get(survey=survey)
        self.assertEqual(ballot.receipt, ballot.compute_receipt())
        self.assertIn(ballot.payload, done)

    def test_concurrent_anonymous_submissions_let_exactly_one_through(self):
        survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        done, refused = fire(survey, self.zones[0], self.payloads())
        self.assertEqual(len(done), 1)
        self.assertEqual(len(refused), THREADS - 1)
        self.assertEqual(Ballot.objects.filter(survey=survey).count(), 1)
        self.assertEqual(Participation.objects.filter(survey=survey).count(), 1)
        self.assertIsNone(Ballot.objects.get(survey=survey).zone)
