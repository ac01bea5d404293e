"""Error pages as production shows them (DEBUG off): the site's layout, the visitor's
language, and a way back."""

from unittest import mock

from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from memorandum.test import BaseTestCase

VISIBLE_EDITIONS = "memorandum.catalogue.models.EditionQuerySet.visible_to"


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

    def answer_when_busy(self, target: str, url: str):
        """The answer to ``url`` when ``target`` meets SQLite's "database is locked" (a
        writer waited past the timeout): 503, since sending again shortly works."""
        self.client.raise_request_exception = False
        with mock.patch(target, side_effect=OperationalError("database is locked")):
            response = self.client.get(url)
        self.assertEqual((response.status_code, response["Retry-After"]), (503, "5"))
        return response

    def test_a_write_that_found_the_database_busy_answers_503_with_retry_after(self):
        response = self.answer_when_busy(VISIBLE_EDITIONS, "/nl/")
        self.assertContains(response, "De site is op dit moment erg druk", status_code=503)
        self.assertContains(response, "opnieuw", status_code=503)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        with mock.patch(VISIBLE_EDITIONS, side_effect=OperationalError("no such table: x")):
            self.assertEqual(self.client.get("/nl/").status_code, 500)

    def test_a_busy_database_met_by_a_middleware_answers_503_too(self):
        target = "django.contrib.messages.middleware.MessageMiddleware.process_response"
        self.answer_when_busy(target, "/fr/")

    def test_the_api_answers_a_busy_database_as_a_problem(self):
        target = "memorandum.api.views.EditionList.get_queryset"
        response = self.answer_when_busy(target, "/api/v1/editions/")
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
