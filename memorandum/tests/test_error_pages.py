"""Error pages as production shows them (DEBUG off): the site's layout, the visitor's
language, and a way back."""

from unittest import mock

from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from memorandum.test import BaseTestCase


@override_settings(DEBUG=False)
class ErrorPagesTestCase(BaseTestCase):
    def test_a_missing_page_says_so_in_the_layout_in_each_language(self):
        for language, heading in (
            ("nl", "Pagina niet gevonden"),
            ("fr", "Page introuvable"),
            ("en", "Page not found"),
        ):
            with self.subTest(language=language):
                response = self.client.get(f"/{language}/bestaat-niet/")
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, f"<h1>{heading}</h1>", status_code=404)
                self.assertContains(response, f'<html lang="{language}">', status_code=404)
                self.assertContains(response, 'class="site-header"', status_code=404)
                self.assertContains(response, f'href="/{language}/"', status_code=404)

    def test_a_page_the_account_may_not_see_answers_403_with_a_way_back(self):
        self.login(self.chief)
        response = self.client.get(reverse("accounts:list").replace("/en/", "/nl/"))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "<h1>Geen toegang</h1>", status_code=403)
        self.assertContains(response, "Terug naar de startpagina", status_code=403)

    def test_a_server_error_shows_the_layout_and_no_details(self):
        self.client.raise_request_exception = False
        with mock.patch(
            "memorandum.catalogue.models.EditionQuerySet.visible_to",
            side_effect=RuntimeError("secret detail"),
        ):
            response = self.client.get("/fr/")
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, "<h1>Une erreur s’est produite</h1>", status_code=500)
        self.assertNotContains(response, "secret detail", status_code=500)
        self.assertNotContains(response, "Traceback", status_code=500)

    def test_a_write_that_found_the_database_busy_answers_503_with_retry_after(self):
        """SQLite's "database is locked" (a writer waited past the timeout): sending again
        shortly works, which a 500 would not say."""
        self.client.raise_request_exception = False
        busy = OperationalError("database is locked")
        with mock.patch("memorandum.catalogue.models.EditionQuerySet.visible_to", side_effect=busy):
            response = self.client.get("/nl/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "5")
        self.assertContains(response, "De site is op dit moment erg druk", status_code=503)
        self.assertContains(response, "opnieuw", status_code=503)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        other = OperationalError("no such table: x")
        with mock.patch(
            "memorandum.catalogue.models.EditionQuerySet.visible_to", side_effect=other
        ):
            self.assertEqual(self.client.get("/nl/").status_code, 500)

    def test_the_api_answers_a_busy_database_as_a_problem(self):
        self.client.raise_request_exception = False
        busy = OperationalError("database is locked")
        with mock.patch("memorandum.api.views.EditionList.get_queryset", side_effect=busy):
            response = self.client.get("/api/v1/editions/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "5")
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["status"], 503)

    def test_when_even_the_layout_fails_a_bare_page_still_answers(self):
        self.client.raise_request_exception = False
        with (
            mock.patch(
                "memorandum.catalogue.models.EditionQuerySet.visible_to",
                side_effect=RuntimeError("down"),
            ),
            mock.patch("memorandum.views._error_page", side_effect=RuntimeError("down")),
        ):
            response = self.client.get("/nl/")
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, "Er ging iets mis", status_code=500)
