"""Two creations at the same moment: never the same recommendation number twice, and never
more API tokens than the cap. Real concurrency needs PostgreSQL (SQLite lets one writer in
at a time); the single-writer behaviour is checked on both."""

import datetime as dt
import threading
import time
from unittest import skipUnless

import pytest
from django.db import connection, transaction
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from memorandum.api.models import ApiToken
from memorandum.api.services import token_create
from memorandum.catalogue.models import Recommendation
from memorandum.catalogue.services import next_number
from memorandum.test import Personas

THREADS = 4


def at_once(work) -> list[Exception]:
    """Run ``work`` in THREADS threads released together; return what they raised."""
    start = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def run():
        try:
            start.wait()
            work()
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time",
)
class SimultaneousCreationsTestCase(Personas, TransactionTestCase):
    def setUp(self):
        self.create_personas()

    def test_simultaneous_new_recommendations_get_consecutive_numbers(self):
        domain = self.edition.domains.order_by("number").first()
        before = next_number(self.edition, "recommendation")

        def create():
            with transaction.atomic():
                number = next_number(self.edition, "recommendation")
                time.sleep(0.05)  # the moment two unlocked readers would both see the same top
                Recommendation.objects.create(
                    edition=self.edition,
                    kind="recommendation",
                    number=number,
                    domain=domain,
                    title_nl=f"Gelijktijdig {number}",
                )

        self.assertEqual(at_once(create), [])
        numbers = sorted(
            Recommendation.objects.filter(title_nl__startswith="Gelijktijdig").values_list(
                "number", flat=True
            )
        )
        self.assertEqual(numbers, list(range(before, before + THREADS)))

    @override_settings(API_TOKEN_MAX_ACTIVE=2)
    def test_simultaneous_token_creations_stop_at_the_cap(self):
        expires = timezone.now() + dt.timedelta(days=5)

        def create():
            token_create(user=self.partner, name="x", scope="read", expires_at=expires)

        errors = at_once(create)
        self.assertEqual(len(errors), THREADS - 2, errors)
        self.assertEqual(ApiToken.objects.filter(user=self.partner).count(), 2)
