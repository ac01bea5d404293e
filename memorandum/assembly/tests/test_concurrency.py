"""On PostgreSQL: recording decisions while the minutes are published leaves none behind."""

import threading
from unittest import skipUnless

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TransactionTestCase
from django.utils import translation

from memorandum.assembly.models import Decision
from memorandum.assembly.services import publish_minutes, record_decision
from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.catalogue.models import Phase, Recommendation, Status
from memorandum.test import Personas

ROUNDS = 4
ITEMS = ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]


@pytest.mark.postgres
@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time",
)
class PublishWhileRecordingTestCase(Personas, TransactionTestCase):
    def setUp(self):
        self.create_personas()
        self.set_phase(Phase.CONSOLIDATION)

    def race(self, meeting, items) -> tuple[list, list]:
        start = threading.Barrier(len(items) + 1)
        recorded, refused, errors = [], [], []

        def record(item):
            try:
                start.wait()
                with translation.override("en"):
                    decision = record_decision(
                        item=item,
                        kind="adopt",
                        votes_for=5,
                        votes_against=0,
                        abstentions=0,
                        by=self.secretariat,
                    )
                recorded.append(decision)
            except ValidationError as error:
                refused.append(error.messages)
            except Exception as error:  # noqa: BLE001 - any other error fails the test
                errors.append(error)
            finally:
                connection.close()

        def publish():
            try:
                start.wait()
                publish_minutes(meeting=meeting, by=self.secretariat)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=record, args=(i,)) for i in items]
        threads.append(threading.Thread(target=publish))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        return recorded, refused

    def test_every_decision_is_either_published_and_applied_or_refused(self):
        for round_ in range(ROUNDS):
            Recommendation.objects.filter(edition=self.edition).update(status=Status.PROPOSED)
            meeting = make_meeting(self.edition, self.zones, place=f"Ronde {round_}")
            items = [item_for(meeting, code, order=n) for n, code in enumerate(ITEMS, start=1)]
            recorded, refused = self.race(meeting, items)
            self.assertEqual(len(recorded) + len(refused), len(ITEMS))
            for messages in refused:
                self.assertIn("no new decision can be added", " ".join(messages))
            self.assertFalse(Decision.objects.pending().filter(item__meeting=meeting).exists())
            adopted = set(
                Recommendation.objects.filter(
                    edition=self.edition, kind="recommendation", status=Status.ADOPTED
                ).values_list("number", flat=True)
            )
            self.assertEqual(adopted, {d.item.recommendation.number for d in recorded})
