"""Each read endpoint, per role, shows exactly what the web pages show that role."""

from __future__ import annotations

from django.utils import timezone

from memorandum.api.tests.base import ApiTestCase
from memorandum.catalogue.models import Edition, Recommendation, Status
from memorandum.publication.tests.helpers import FAKE_PRIORITIES, counted_survey


class CatalogueVisibilityTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.draft = Recommendation.objects.filter(edition=cls.edition).exclude(
            status=Status.ADOPTED
        ).first() or Recommendation.objects.create(
            edition=cls.edition,
            kind="recommendation",
            number=99,
            domain=cls.edition.domains.first(),
            title_nl="Ontwerp",
        )
        cls.hidden_edition = Edition.objects.create(
            slug="2029-2033", title_nl="Volgende", period_start=2029, period_end=2033
        )

    def test_editions_in_consultation_are_hidden_from_the_public_and_partners(self):
        for user in (None, self.partner, self.outsider):
            slugs = [e["slug"] for e in self.get_json("/api/v1/editions/", user)["results"]]
            self.assertEqual(slugs, ["2024-2028"])
            self.get_json("/api/v1/editions/2029-2033/", user, status=404)
        slugs = [e["slug"] for e in self.get_json("/api/v1/editions/", self.secretariat)["results"]]
        self.assertIn("2029-2033", slugs)

    def test_the_public_reads_adopted_recommendations_only(self):
        adopted = set(
            Recommendation.objects.filter(edition=self.edition, status=Status.ADOPTED).values_list(
                "kind", "number"
            )
        )
        for user in (None, self.outsider):
            codes = self.codes("recommendations/", user)
            self.assertEqual(len(codes), len(adopted))
            self.assertNotIn(self.draft.code, codes)
            self.get_json(f"recommendations/{self.draft.code}/", user, status=404)
            self.get_json(f"recommendations/{self.draft.code}/versions/", user, status=404)
        self.assertIn(self.draft.code, self.codes("recommendations/", self.secretariat))
        self.get_json(f"recommendations/{self.draft.code}/versions/", self.secretariat)

    def test_recommendations_have_the_columns_and_codes_of_the_export(self):
        from memorandum.catalogue.exchange.export import catalogue_tables
        from memorandum.catalogue.exchange.formats import COLUMNS

        row = self.get_json("recommendations/R1/")
        exported = next(
            r
            for r in catalogue_tables(self.edition, public_only=True)["recommendations"]
            if r["kind"] == "recommendation" and r["number"] == 1
        )
        for column in COLUMNS["recommendations"]:
            self.assertIn(column, row)
            if column not in ("addressees", "references", "theme"):
                self.assertEqual(row[column], exported[column], column)
        self.assertEqual(row["code"], "R1")

    def test_filters_by_domain_kind_status_and_words(self):
        domain = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        codes = self.codes(f"recommendations/?domain={domain.domain.number}&kind=recommendation")
        self.assertIn("R1", codes)
        self.assertTrue(all(c.startswith("R") for c in codes))
        self.assertEqual(self.codes("recommendations/?status=draft"), [])
        response = self.call("get", "recommendations/?domain=een")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "domain")

    def test_domains_with_themes_follow_the_edition_visibility(self):
        domains = self.get_json("domains/")
        self.assertEqual([d["number"] for d in domains], sorted(d["number"] for d in domains))
        self.get_json("/api/v1/editions/2029-2033/domains/", status=404)


class DecisionVisibilityTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from memorandum.assembly.models import AgendaItem, Decision, Meeting

        meeting = Meeting.objects.create(
            edition=cls.edition, starts_at=timezone.now(), eligible_members=20
        )
        item = AgendaItem.objects.create(meeting=meeting, order=1, recommendation=cls.r1)
        cls.decision = Decision.objects.create(
            item=item,
            kind="adopt",
            votes_for=10,
            votes_against=1,
            abstentions=0,
            carried=True,
            recorded_by=cls.secretariat,
        )

    def test_a_decision_is_public_once_its_minutes_are_published(self):
        for user in (None, self.partner, self.chief):
            self.assertEqual(self.get_json("decisions/", user)["count"], 0)
        for user in (self.secretariat, self.assembly):
            rows = self.get_json("decisions/?recommendation=R1", user)["results"]
            self.assertEqual([r["id"] for r in rows], [self.decision.pk])
        type(self.decision).objects.filter(pk=self.decision.pk).update(published_at=timezone.now())
        self.assertEqual(self.get_json("decisions/")["count"], 1)


class SurveyVisibilityTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.survey = counted_survey(cls.edition)
        cls.draft = counted_survey(cls.edition, status="draft")

    def test_the_public_sees_tallied_surveys_and_their_results(self):
        ids = [s["id"] for s in self.get_json("surveys/")["results"]]
        self.assertEqual(ids, [self.survey.pk])
        self.get_json(f"surveys/{self.draft.pk}/", status=404)
        results = self.get_json(f"surveys/{self.survey.pk}/results/", lang="fr")
        first = next(r for r in results["rows"] if r["rank"] == 1)
        self.assertEqual(first["code"], "R1")
        self.assertIn("rank_low", results["rows"][0])
        self.assertIn("interval_level_percent", results)

    def test_voters_see_the_surveys_the_web_list_shows_them(self):
        """Not a closed survey still being counted: the web list does not show it either."""
        closed = counted_survey(self.edition, status="closed")
        opened = counted_survey(self.edition, status="open")
        for user in (self.chief, self.partner, self.assembly):
            with self.subTest(user=user.username):
                ids = {s["id"] for s in self.get_json("surveys/", user)["results"]}
                self.login(user)
                page = self.client.get(f"/nl/editions/{self.edition.slug}/surveys/")
                self.client.logout()
                listed = {row["survey"].pk for row in page.context["rows"]}
                self.assertEqual(ids, listed)
                self.assertNotIn(closed.pk, ids)
                self.get_json(f"surveys/{closed.pk}/", user, status=404)
        self.assertIn(
            opened.pk, {s["id"] for s in self.get_json("surveys/", self.secretariat)["results"]}
        )

    def test_the_secretariat_also_sees_surveys_being_prepared(self):
        ids = {s["id"] for s in self.get_json("surveys/", self.secretariat)["results"]}
        self.assertEqual(ids, {self.survey.pk, self.draft.pk})
        self.get_json(f"surveys/{self.draft.pk}/results/", self.secretariat, status=404)

    def test_results_are_read_through_publishable_rows(self):
        from unittest import mock

        with mock.patch("memorandum.survey.results.publishable_rows", return_value=[]) as rows:
            results = self.get_json(f"surveys/{self.survey.pk}/results/")
        rows.assert_called_once()
        self.assertEqual(results["rows"], [])

    def test_an_anonymous_survey_below_k_ballots_shows_no_order(self):
        small = counted_survey(
            self.edition, {**FAKE_PRIORITIES, "ballots": 4}, anonymity="anonymous"
        )
        results = self.get_json(f"surveys/{small.pk}/results/")
        self.assertEqual(results["rows"], [])
        self.assertTrue(results["withheld"])


class RoadmapVisibilityTestCase(ApiTestCase):
    def ids(self, user, query: str = "") -> set[int]:
        return {i["id"] for i in self.get_json(f"initiatives/{query}", user)["results"]}

    def test_visitors_see_public_initiatives_members_all_owners_theirs(self):
        public, private = self.public_initiative.pk, self.private_initiative.pk
        self.assertEqual(self.ids(None), {public})
        self.assertEqual(self.ids(self.outsider), {public})
        for user in (self.secretariat, self.chief, self.other_chief, self.partner):
            self.assertEqual(self.ids(user), {public, private})
        self.get_json(f"initiatives/{private}/", None, status=404)

    def test_filters_by_status_owner_and_domain(self):
        self.assertEqual(self.ids(self.chief, "?status=ongoing"), {self.public_initiative.pk})
        self.assertEqual(self.ids(self.other_chief, "?owner=me"), {self.private_initiative.pk})
        self.assertEqual(self.ids(None, "?owner=me"), set())
        domain = self.r1.domain.number
        self.assertIn(self.public_initiative.pk, self.ids(None, f"?domain={domain}"))

    def test_update_authors_are_named_as_on_the_public_page(self):
        self.record(self.public_initiative, self.chief)
        detail = self.get_json(f"initiatives/{self.public_initiative.pk}/")
        self.assertEqual(detail["updates"][0]["author"], self.zones[0].name)
        detail = self.get_json(f"initiatives/{self.public_initiative.pk}/", self.partner)
        self.assertEqual(detail["updates"][0]["author"], "chief")


class PublicationVisibilityTestCase(ApiTestCase):
    def test_published_versions_list_their_files_with_sha256(self):
        from memorandum.publication.models import PublicationFile, PublicationVersion

        version = PublicationVersion.objects.create(
            edition=self.edition, number=1, snapshot={}, snapshot_sha256="a" * 64
        )
        PublicationFile.objects.create(version=version, lang="nl", fmt="pdf", content=b"%PDF-1.7")
        row = self.get_json("publications/")["results"][0]
        self.assertEqual(row["number"], 1)
        self.assertEqual(len(row["files"][0]["sha256"]), 64)
        self.assertTrue(
            row["files"][0]["url"].startswith("http://testserver/nl/editions/2024-2028/")
        )
