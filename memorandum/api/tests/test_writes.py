"""Writes: owners record progress, the secretariat writes the catalogue; the same forms and
messages as on the site, in the caller's language; nobody else writes."""

from __future__ import annotations

import datetime as dt

from memorandum.api.tests.base import ApiTestCase
from memorandum.catalogue.models import Recommendation
from memorandum.roadmap.models import today


class ProgressUpdateTestCase(ApiTestCase):
    def url(self, initiative=None) -> str:
        return f"initiatives/{(initiative or self.public_initiative).pk}/updates/"

    def test_an_owner_posts_an_update_and_it_shows_on_the_web_page(self):
        response = self.call(
            "post", self.url(), self.chief, {"text": "Wetsontwerp ingediend", "status": "at_risk"}
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status_after"], "at_risk")
        self.assertEqual(response.json()["date"], today().isoformat())
        self.public_initiative.refresh_from_db()
        self.assertEqual(self.public_initiative.status, "at_risk")
        page = self.client.get(self.public_initiative.get_absolute_url())
        self.assertContains(page, "Wetsontwerp ingediend")

    def test_the_secretariat_may_post_on_any_initiative(self):
        response = self.call(
            "post", self.url(self.private_initiative), self.secretariat, {"text": "x"}
        )
        self.assertEqual(response.status_code, 201)

    def test_others_may_not_and_visitors_must_sign_in(self):
        for user in (self.other_chief, self.partner, self.assembly):
            response = self.call("post", self.url(), user, {"text": "x"})
            self.assertEqual(response.status_code, 403, user)
        response = self.call(
            "post", self.url(self.private_initiative), self.outsider, {"text": "x"}
        )
        self.assertEqual(response.status_code, 404)
        response = self.call("post", self.url(), None, {"text": "x"})
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.public_initiative.updates.exists())

    def test_the_forms_rules_and_messages_apply_in_the_callers_language(self):
        future = (today() + dt.timedelta(days=3)).isoformat()
        response = self.call(
            "post", self.url(), self.chief, {"text": "x", "date": future, "progress": 40}, lang="fr"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        problem = response.json()
        self.assertEqual(problem["status"], 400)
        self.assertEqual(problem["errors"][0]["field"], "date")
        self.assertIn("futur", problem["errors"][0]["message"])
        response = self.call(
            "post", self.url(), self.chief, {"text": "x", "progress": 140}, lang="nl"
        )
        self.assertEqual(response.json()["errors"][0]["field"], "progress")
        self.assertFalse(self.public_initiative.updates.exists())

    def test_a_number_sent_as_a_text_is_refused_naming_the_field(self):
        """1e999 is read as an infinite float: it was stored as the text "inf"."""
        for body in ('{"text": 1e999}', '{"text": -1e999}', '{"text": 12}', '{"text": 1.5}'):
            response = self.call("post", self.url(), self.chief, body, lang="en")
            self.assertEqual(response.status_code, 400, body)
            (error,) = response.json()["errors"]
            self.assertEqual(error["field"], "text")
            self.assertIn("not as a number", error["message"])
        response = self.call("post", self.url(), self.chief, '{"text": true}')
        self.assertEqual(response.json()["errors"][0]["field"], "text")
        self.assertFalse(self.public_initiative.updates.exists())

    def test_session_writes_need_the_csrf_token(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.chief)
        response = client.post(
            "/api/v1/editions/2024-2028/" + self.url(),
            {"text": "x"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)


class MilestoneAndMeasurementTestCase(ApiTestCase):
    def test_an_owner_marks_a_milestone_done(self):
        url = f"initiatives/{self.public_initiative.pk}/milestones/{self.milestone.pk}/done/"
        response = self.call("post", url, self.chief, {"done_date": "2025-01-15"})
        self.assertEqual(response.status_code, 200, response.content)
        self.milestone.refresh_from_db()
        self.assertEqual(self.milestone.done_date, dt.date(2025, 1, 15))
        self.assertEqual(self.call("post", url, self.other_chief, {}).status_code, 403)

    def test_an_owner_adds_a_measurement_with_the_forms_rules(self):
        url = f"initiatives/{self.public_initiative.pk}/measurements/"
        response = self.call(
            "post",
            url,
            self.chief,
            {"indicator": self.indicator.pk, "value": "12.50", "note": "Q1"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(self.indicator.measurements.get().recorded_by, self.chief)
        other = self.private_initiative.indicators.create(
            name_nl="Ander", unit="x", baseline=0, target=1
        )
        response = self.call("post", url, self.chief, {"indicator": other.pk, "value": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "indicator")
        self.assertEqual(
            self.call("post", url, self.partner, {"indicator": 1, "value": "1"}).status_code, 403
        )

    def test_a_measurement_note_must_be_text(self):
        url = f"initiatives/{self.public_initiative.pk}/measurements/"
        body = f'{{"indicator": {self.indicator.pk}, "value": "1", "note": 1e999}}'
        response = self.call("post", url, self.chief, body, lang="fr")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual([e["field"] for e in response.json()["errors"]], ["note"])
        self.assertFalse(self.indicator.measurements.exists())


class CatalogueWriteTestCase(ApiTestCase):
    def test_the_secretariat_adds_a_recommendation_with_the_next_number(self):
        domain = self.r1.domain.number
        response = self.call(
            "post",
            "recommendations/",
            self.secretariat,
            {
                "kind": "recommendation",
                "domain": domain,
                "title_nl": "Nieuw",
                "title_fr": "Nouveau",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        created = Recommendation.objects.get(edition=self.edition, title_nl="Nieuw")
        self.assertEqual(response.json()["code"], created.code)
        self.assertEqual(created.status, "draft")
        self.assertEqual(created.history.first().history_change_reason, "api")

    def test_the_secretariat_changes_a_text_and_a_version_is_stored(self):
        versions = self.r1.history.count()
        response = self.call(
            "patch", "recommendations/R1/", self.secretariat, {"title_fr": "Titre"}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.r1.refresh_from_db()
        self.assertEqual(self.r1.title_fr, "Titre")
        self.assertEqual(self.r1.history.count(), versions + 1)

    def test_the_back_office_rules_refuse_bad_values_with_their_messages(self):
        response = self.call(
            "patch", "recommendations/R1/", self.secretariat, {"domain": 99, "title_nl": "a\x07b"}
        )
        self.assertEqual(response.status_code, 400)
        fields = {e["field"] for e in response.json()["errors"]}
        self.assertEqual(fields, {"domain", "title_nl"})

    def test_numbers_in_text_columns_are_refused_and_nothing_changes(self):
        """A theme code sent as the number 3.10 would have become 3.1: refused as well."""
        body = '{"title_fr": 1e999, "title_nl": 7, "theme": 3.1, "status": 1}'
        response = self.call("patch", "recommendations/R1/", self.secretariat, body, lang="nl")
        self.assertEqual(response.status_code, 400, response.content)
        fields = {e["field"] for e in response.json()["errors"]}
        self.assertEqual(fields, {"title_fr", "title_nl", "theme", "status"})
        self.assertIn("niet als getal", response.json()["errors"][0]["message"])
        before = self.r1.title_fr
        self.r1.refresh_from_db()
        self.assertEqual(self.r1.title_fr, before)

    def test_a_number_already_taken_is_a_400_not_a_500(self):
        """The edition is the path, not a form field: its unique rule is still checked."""
        taken = {"kind": self.r1.kind, "number": self.r1.number, "domain": self.r1.domain.number}
        created = self.call(
            "post", "recommendations/", self.secretariat, {**taken, "title_nl": "Dubbel"}
        )
        self.assertEqual(created.status_code, 400, created.content)
        self.assertEqual(created["Content-Type"], "application/problem+json")
        self.assertFalse(Recommendation.objects.filter(title_nl="Dubbel").exists())
        other = Recommendation.objects.create(
            edition=self.edition,
            kind=self.r1.kind,
            number=self.r1.number + 50,
            domain=self.r1.domain,
            title_nl="Ander",
        )
        changed = self.call(
            "patch", f"recommendations/{other.code}/", self.secretariat, {"number": self.r1.number}
        )
        self.assertEqual(changed.status_code, 400, changed.content)

    def test_nobody_else_writes_the_catalogue(self):
        for user in (self.partner, self.chief, self.assembly):
            response = self.call("patch", "recommendations/R1/", user, {"title_fr": "x"})
            self.assertEqual(response.status_code, 403, user)
        self.assertEqual(self.call("patch", "recommendations/R1/", None, {}).status_code, 401)
