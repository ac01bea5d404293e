"""What every endpoint shares: conditional GET, ISO 8601 dates with a zone, problem details,
pagination, the schema and the documentation page."""

from __future__ import annotations

import re

import pytest

from memorandum.api.tests.base import API, ApiTestCase
from memorandum.test import BrowserTestCase


class ConditionalGetTestCase(ApiTestCase):
    def test_an_unchanged_resource_answers_304_to_its_etag(self):
        first = self.call("get", "recommendations/R1/")
        self.assertTrue(first["ETag"])
        self.assertTrue(first["Last-Modified"])
        again = self.call("get", "recommendations/R1/", HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)
        since = self.call(
            "get", "recommendations/R1/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
        self.assertEqual(since.status_code, 304)

    def test_a_change_gives_a_new_etag(self):
        first = self.call("get", f"initiatives/{self.public_initiative.pk}/")
        self.record(self.public_initiative, self.chief, text="Nieuw")
        again = self.call(
            "get", f"initiatives/{self.public_initiative.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]
        )
        self.assertEqual(again.status_code, 200)
        self.assertNotEqual(again["ETag"], first["ETag"])

    def test_the_etag_depends_on_who_asks(self):
        self.assertIn("Authorization", self.call("get", "initiatives/")["Vary"])


class FormatsTestCase(ApiTestCase):
    def test_times_are_iso_8601_with_their_offset(self):
        row = self.get_json("recommendations/R1/")
        self.assertRegex(
            row["updated_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$"
        )

    def test_lists_are_paginated(self):
        page = self.get_json("recommendations/?page_size=2")
        self.assertEqual(len(page["results"]), 2)
        self.assertIn("page=2", page["next"])
        self.assertGreater(page["count"], 2)

    def test_errors_are_problem_details_in_the_callers_language(self):
        response = self.call("get", "recommendations/R999/", lang="fr")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(set(response.json()), {"type", "title", "status", "detail"})
        self.assertEqual(response.json()["detail"], "Non trouvé.")

    def test_only_json_is_accepted(self):
        response = self.client.post(
            "/api/v1/editions/2024-2028/recommendations/",
            "kind=x",
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION=f"Bearer {self.token(self.secretariat)}",
        )
        self.assertEqual(response.status_code, 415)


class SchemaTestCase(ApiTestCase):
    def test_the_schema_is_openapi_3_and_documents_every_operation(self):
        response = self.client.get("/api/schema/?format=json")
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        self.assertTrue(schema["openapi"].startswith("3."))
        self.assertIn("/api/v1/editions/{slug}/initiatives/{id}/updates/", schema["paths"])
        for path in schema["paths"].values():
            for operation in path.values():
                self.assertIn("429", operation["responses"])

    def test_the_docs_page_loads_its_assets_from_the_installed_package(self):
        response = self.client.get("/api/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        sources = re.findall(r'<script src="([^"]+)"', html)
        self.assertTrue(sources)
        self.assertTrue(all(src.startswith("/") for src in sources), sources)
        self.assertNotRegex(html, r"<script>\s*\S")  # no inline script: the CSP forbids it
        script = self.client.get("/api/?script=")
        self.assertEqual(script.status_code, 200)
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])


@pytest.mark.browser
class DocsPageBrowserTestCase(BrowserTestCase):
    def test_the_docs_page_renders_under_the_content_security_policy(self):
        refused = []
        self.page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        self.page.goto(self.url("/api/"))
        self.page.wait_for_selector(".opblock", timeout=20_000)
        self.assertGreater(self.page.locator(".opblock").count(), 10)
        self.assertEqual(refused, [])


class AwkwardInputTestCase(ApiTestCase):
    """Inputs a fuzzer rarely thinks of: never a 500 (review of the API)."""

    def test_digits_that_int_refuses_are_a_400_or_404(self):
        for path in (
            "recommendations/?domain=²",
            "recommendations/?theme=².1",
            "recommendations/?theme=1.²",
            "initiatives/?domain=²",
        ):
            with self.subTest(path=path):
                response = self.call("get", path, lang="fr")
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], "application/problem+json")
        for path in ("recommendations/R²/", "recommendations/R²/versions/"):
            with self.subTest(path=path):
                self.assertEqual(self.call("get", path).status_code, 404)

    def test_a_body_nested_too_deeply_is_a_400(self):
        for body in (
            "[" * 100_000 + "]" * 100_000,
            '{"text":' + '{"a":' * 50_000 + "1" + "}" * 50_001,
        ):
            response = self.client.post(
                API + f"initiatives/{self.public_initiative.pk}/updates/",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {self.token(self.chief)}",
                HTTP_ACCEPT_LANGUAGE="fr",
            )
            self.assertEqual(response.status_code, 400)
            self.assertEqual(response["Content-Type"], "application/problem+json")
            self.assertEqual(
                response.json()["detail"], "Le corps JSON est imbriqué trop profondément."
            )


class ServerErrorTestCase(ApiTestCase):
    def test_an_unexpected_error_is_a_problem_too(self):
        from unittest import mock

        from django.test import Client

        client = Client(raise_request_exception=False)
        with mock.patch("memorandum.api.views.EditionList.get", side_effect=RuntimeError):
            response = client.get("/api/v1/editions/", HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["title"], "Erreur du serveur")
        page = client.get("/nl/")
        self.assertNotEqual(page["Content-Type"], "application/problem+json")
