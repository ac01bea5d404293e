"""Two secretaries publishing at the same moment get two numbers, never the same one twice."""

import threading
from unittest import skipUnless

import pytest
from django.db import connection
from django.test import TransactionTestCase

from memorandum.publication.models import PublicationVersion
from memorandum.publication.services import version_publish
from memorandum.test import Personas

THREADS = 4


@pytest.mark.postgres
@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time",
)
class ConcurrentPublishingTestCase(Personas, TransactionTestCase):
    def setUp(self):
        self.create_personas()

    def test_simultaneous_publications_get_consecutive_numbers(self):
        start = threading.Barrier(THREADS)
        errors = []

        def publish():
            try:
                start.wait()
                version_publish(edition=self.edition, user=self.secretariat)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=publish) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        numbers = sorted(
            PublicationVersion.objects.filter(edition=self.edition).values_list("number", flat=True)
        )
        self.assertEqual(numbers, list(range(1, THREADS + 1)))
