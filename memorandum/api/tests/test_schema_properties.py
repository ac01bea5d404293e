"""The API against its own description: schemathesis generates requests from ``/api/schema/``
for every operation, as an anonymous caller and as token holders, on the demo data, and
checks that no answer is a 5xx or strays from the schema (status, media type, body, headers).

Quick by default (``API_FUZZ_EXAMPLES`` examples per operation and caller, 5 in CI); set it
higher for a deeper run, e.g. ``API_FUZZ_EXAMPLES=200``.
"""

from __future__ import annotations

import io
import os

import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import TestCase, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from memorandum.api.models import ApiToken
from memorandum.catalogue.models import Edition

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
UNLIMITED = {
    **settings.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"token": "100000/minute", "anonymous": "100000/minute"},
}


@override_settings(REST_FRAMEWORK=UNLIMITED)
class SchemaPropertiesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from memorandum.roadmap.models import Initiative
        from memorandum.survey.models import Survey, SurveyStatus

        with override_settings(DEBUG=True):
            call_command("load_demo", zones=24, stdout=io.StringIO())
        users = get_user_model().objects
        later = timezone.now() + timezone.timedelta(days=1)
        cls.tokens = {
            name: ApiToken.issue(
                user=users.get(username=name), name="fuzz", scope="write", expires_at=later
            )[1]
            for name in ("partner", "secretariat")
        }
        edition = Edition.objects.get(slug="2024-2028")
        initiative = Initiative.objects.filter(edition=edition, owners__username="partner").first()
        survey = Survey.objects.filter(edition=edition, status=SurveyStatus.TALLIED).first()
        # Real identifiers, so generated requests also reach existing objects.
        cls.real = {
            "slug": edition.slug,
            "code": "R1",
            "id": initiative.pk,
            "milestone": initiative.milestones.first().pk,
            "survey_id": survey.pk,
        }

    def callers(self) -> dict[str, dict[str, str]]:
        tokens = {f"token:{n}": {"Authorization": f"Bearer {t}"} for n, t in self.tokens.items()}
        return {"anonymous": {}, **tokens}

    def path_values(self, operation) -> dict:
        names = [p.name for p in operation.path_parameters]
        values = {}
        for name in names:
            if name == "id" and "/surveys/" in operation.path:
                values[name] = self.real["survey_id"]
            elif name in self.real:
                values[name] = self.real[name]
        return values

    def setUp(self) -> None:
        # The WSGI handler closes "old" connections at the start and end of every request,
        # as in production. Inside a test's transaction that would close the connection
        # (PostgreSQL; SQLite's in-memory database ignores it) and every later request would
        # fail: Django's test client disconnects the same handlers for the same reason.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)

    def test_every_operation_keeps_to_the_schema(self):
        """No 5xx and no answer outside the schema, for every operation and caller."""
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        self.assertGreaterEqual(len(operations), 18)
        for operation in operations:
            for caller, headers in self.callers().items():
                strategy = st.one_of(
                    operation.as_strategy(),
                    operation.as_strategy(path_parameters=self.path_values(operation)),
                )
                with self.subTest(operation=operation.label, caller=caller):
                    self.run_examples(strategy, headers)

    def run_examples(self, strategy, headers: dict) -> None:
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=os.environ.get("API_FUZZ_RANDOM") is None,
        )
        @given(case=strategy)
        def check(case):
            cache.clear()
            case.call_and_validate(headers={**headers, "Accept-Language": "fr"}, checks=CHECKS)

        check()
