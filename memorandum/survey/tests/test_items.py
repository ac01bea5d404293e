"""A survey asks about the published items chosen at set-up, frozen when it opens."""

import csv
import importlib
import io

from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from memorandum.catalogue.models import Phase, Recommendation, RecommendationKind, Status
from memorandum.catalogue.phases import standing_in
from memorandum.survey import casting, services
from memorandum.survey.items import catalogue_changes, item_keys, refreeze, survey_items
from memorandum.survey.models import Ballot, BallotForm, Survey, SurveyItem, SurveyStatus
from memorandum.survey.tests.helpers import invite, link, make_survey, ranking_post
from memorandum.test import BaseTestCase

BASE = "/en/editions/2024-2028/surveys/"


def codes(survey) -> list[str]:
    """The survey's items as stored now (a fresh object: the frozen list is cached per object)."""
    return [item.code for item in survey_items(Survey.objects.get(pk=survey.pk))]


class ItemsTestCase(BaseTestCase):
    def add_recommendation(self, number: int, status=Status.ADOPTED, **fields) -> Recommendation:
        values = {
            "edition": self.edition,
            "kind": RecommendationKind.RECOMMENDATION,
            "number": number,
            "domain": self.edition.domains.first(),
            "title_nl": f"Nieuwe aanbeveling {number}",
            "title_fr": f"Nouvelle recommandation {number}",
            "status": status,
        }
        values.update(fields)
        return Recommendation.objects.create(**values)

    def opened_survey(self, **fields):
        """A survey set up as a draft, then opened by the secretariat on its page."""
        survey = make_survey(self.edition, status=SurveyStatus.DRAFT, **fields)
        self.login(self.secretariat)
        with standing_in(self.edition, Phase.PRIORITISATION):
            self.client.post(f"{BASE}{survey.pk}/do/open/")
        self.client.logout()
        survey.refresh_from_db()
        self.assertEqual(survey.status, SurveyStatus.OPEN)
        return survey


class FrozenItemsTestCase(ItemsTestCase):
    def test_the_open_ballot_does_not_change_when_the_catalogue_changes(self):
        survey = self.opened_survey()
        self.assertEqual(SurveyItem.objects.filter(survey=survey).count(), 12)
        _invitation, raw = invite(survey, self.zones[0])
        before = self.client.get(link(raw))
        self.assertNotContains(before, "Nieuwe aanbeveling 8")

        self.add_recommendation(8)
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        old_title = r1.title_nl
        r1.title_nl = "Een heel andere titel"
        r1.objective_nl = "Een heel andere doelstelling"
        r1.save()
        r2 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=2)
        r2.status = Status.WITHDRAWN
        r2.save()

        after = self.client.get(link(raw), HTTP_ACCEPT_LANGUAGE="nl")
        self.assertNotContains(after, "Nieuwe aanbeveling 8")
        self.assertNotContains(after, "Een heel andere titel")
        self.assertNotContains(after, "Een heel andere doelstelling")
        self.assertContains(after, "Read R1")  # the frozen texts, item by item, on the ballot
        self.assertContains(after, old_title)
        shown = {row["item"].code for row in after.context["overall_rows"]}
        self.assertEqual(shown, set(codes(survey)))
        self.assertIn("R2", shown)  # withdrawn since, still asked about
        self.assertNotIn("R8", codes(survey))
        # A posted R8 is not part of the ballot: the ballot is read against the frozen list.
        data = ranking_post(survey, ["R2", "R1"])
        data["overall-R8"] = "1"
        self.client.post(link(raw), data)
        payload = Ballot.objects.get(survey=survey).payload
        self.assertNotIn("R8", payload["overall"])
        self.assertEqual(payload["overall"][:2], ["R2", "R1"])

        # The secretariat is told, on the survey's page.
        self.login(self.secretariat)
        page = self.client.get(f"{BASE}{survey.pk}/")
        self.assertContains(page, "The catalogue has changed since this survey opened")
        kinds = {c.code: c.kind for c in page.context["catalogue_changes"]}
        self.assertEqual(kinds, {"R1": "changed", "R2": "gone", "R8": "added"})
        self.assertContains(page, "Published after the survey opened; not asked.")
        # Counting uses the frozen list too.
        tally = services.survey_close(survey=survey)
        self.assertEqual(len(tally.results["items"]), 12)
        self.assertNotIn("R8", [row["code"] for row in tally.results["order"]])

    def test_a_closed_surveys_read_only_ballot_shows_the_items_it_had(self):
        survey = self.opened_survey()
        _invitation, raw = invite(survey, self.zones[0])
        self.client.post(link(raw), ranking_post(survey, ["R3", "R1"]))
        services.survey_close(survey=survey)
        # After the close, R3 is split into R8 and R9 and a new R10 is published.
        r3 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=3)
        title_r3 = r3.title_nl
        r3.status = Status.WITHDRAWN
        r3.save()
        for number in (8, 9, 10):
            self.add_recommendation(number)
        response = self.client.get(link(raw), HTTP_ACCEPT_LANGUAGE="nl")
        self.assertTrue(response.context["over"])
        shown = [row["item"].code for row in response.context["overall_rows"]]
        self.assertEqual(shown[:2], ["R3", "R1"])
        self.assertEqual(len(shown), 12)
        self.assertNotContains(response, "Nieuwe aanbeveling")
        self.assertContains(response, title_r3)
        # The results and their exports keep the survey's own list as well.
        self.login(self.secretariat)
        results = self.client.get(f"{BASE}{survey.pk}/results/")
        self.assertEqual(len(results.context["view"]["order"]), 12)
        self.assertNotContains(results, "Nieuwe aanbeveling")

    def test_a_survey_created_open_freezes_its_items_at_once(self):
        survey = make_survey(self.edition)
        self.add_recommendation(8)
        self.assertEqual(len(codes(survey)), 12)
        self.assertNotIn("R8", codes(survey))

    def test_posted_ballots_read_the_frozen_codes_once_and_follow_a_list_frozen_again(self):
        survey = make_survey(self.edition)
        keys = [i.code for i in item_keys(Survey.objects.get(pk=survey.pk))]
        fresh = Survey.objects.get(pk=survey.pk)  # as a later request reads it
        with self.assertNumQueries(0):  # kept for every later ballot of this list
            again = [i.code for i in item_keys(fresh)]
        self.assertEqual(again, keys)
        self.assertEqual(keys, codes(survey))
        survey.left_out_codes = ["R1"]
        survey.save()
        refreeze(survey)  # only for a survey nobody answered (the demo)
        now = [i.code for i in item_keys(Survey.objects.get(pk=survey.pk))]
        self.assertEqual(now, [c for c in keys if c != "R1"])

    def test_the_frozen_texts_are_kept_in_both_languages(self):
        survey = self.opened_survey()
        r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        item = SurveyItem.objects.get(survey=survey, code="R1")
        self.assertEqual(
            (item.title_nl, item.title_fr, item.objective_fr, item.actions_nl),
            (r1.title_nl, r1.title_fr, r1.objective_fr, r1.actions_nl),
        )
        self.assertEqual(item.recommendation, r1)
        item.title_nl = "Achteraf herschreven"
        with self.assertRaises(ValueError):
            item.save()  # what was asked is never rewritten
        item.refresh_from_db()
        r1.delete()
        item.refresh_from_db()
        self.assertIsNone(item.recommendation)  # the frozen item stays, the link is dropped
        self.assertEqual(item.title_nl, r1.title_nl)
        self.assertEqual(catalogue_changes(survey)[0].kind, "gone")


class PublishedItemsOnlyTestCase(ItemsTestCase):
    def setUp(self):
        self.add_recommendation(8, status=Status.DRAFT, title_nl="Kladversie acht")
        self.add_recommendation(9, status=Status.PROPOSED, title_nl="Voorstel negen")
        self.add_recommendation(10, status=Status.WITHDRAWN, title_nl="Ingetrokken tien")

    def test_the_set_up_form_offers_published_items_only_all_chosen_by_default(self):
        self.login(self.secretariat)
        response = self.client.get(f"{BASE}new/")
        field = response.context["form"]["chosen_items"]
        offered = [code for _group, options in field.field.choices for code, _label in options]
        self.assertNotIn("R8", offered)
        self.assertNotIn("R9", offered)
        self.assertNotIn("R10", offered)
        self.assertIn("R7", offered)
        self.assertEqual(set(field.initial) & {"R1", "C5"}, {"R1", "C5"})
        self.assertContains(response, "3 items of this edition are not published")

    def test_drafts_are_never_on_ballots_results_or_their_csv(self):
        survey = self.opened_survey()
        self.assertEqual(len(codes(survey)), 12)
        _invitation, raw = invite(survey, self.zones[0])
        ballot = self.client.get(link(raw), HTTP_ACCEPT_LANGUAGE="nl")
        for title in ("Kladversie acht", "Voorstel negen", "Ingetrokken tien"):
            self.assertNotContains(ballot, title)
        self.client.post(link(raw), ranking_post(survey, ["R1"]))
        services.survey_close(survey=survey)
        self.login(self.secretariat)
        results = self.client.get(f"/nl/editions/2024-2028/surveys/{survey.pk}/results/")
        self.assertNotContains(results, "Kladversie acht")
        self.assertNotContains(results, "Voorstel negen")
        body = self.client.get(f"{BASE}{survey.pk}/results/export.csv").content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body), delimiter=";"))
        self.assertEqual(len(rows), 13)
        self.assertFalse({"R8", "R9", "R10"} & {row[0] for row in rows})

    def test_the_secretariat_leaves_items_out_and_the_page_shows_what_opening_freezes(self):
        from memorandum.survey.tests.test_setup import DEMO_CODES, setup_data

        self.login(self.secretariat)
        chosen = [c for c in DEMO_CODES if c not in ("C4", "C5")]
        response = self.client.post(f"{BASE}new/", setup_data(chosen_items=chosen))
        survey = self.edition.surveys.get()
        self.assertRedirects(response, survey.get_absolute_url())
        self.assertEqual(sorted(survey.left_out_codes), ["C4", "C5"])
        page = self.client.get(survey.get_absolute_url())
        self.assertContains(page, "The 10 items opening will freeze")
        self.assertEqual(len(page.context["survey_items"]), 10)
        # Editing keeps the choice.
        form = self.client.get(f"{BASE}{survey.pk}/edit/").context["form"]
        self.assertNotIn("C5", form["chosen_items"].initial)
        with standing_in(self.edition, Phase.PRIORITISATION):
            self.client.post(f"{BASE}{survey.pk}/do/open/")
        survey.refresh_from_db()
        self.assertEqual(codes(survey), [c for c in codes(survey) if c not in ("C4", "C5")])
        self.assertEqual(len(codes(survey)), 10)
        page = self.client.get(survey.get_absolute_url())
        self.assertContains(page, "The 10 items on the ballot")
        self.assertEqual(page.context["catalogue_changes"], [])  # left out is not "added"
        # Once open, the list cannot be changed from the form.
        edit = self.client.get(f"{BASE}{survey.pk}/edit/")
        self.assertNotIn("chosen_items", edit.context["form"].fields)
        self.assertContains(edit, "The 10 items on the ballot")

    def test_fewer_than_two_chosen_items_are_refused_with_a_clear_message(self):
        from memorandum.survey.tests.test_setup import setup_data

        self.login(self.secretariat)
        response = self.client.post(f"{BASE}new/", setup_data(chosen_items=["R1"]))
        self.assertContains(response, "Choose at least two items of the chosen kind (you chose 1)")
        self.assertFalse(self.edition.surveys.exists())

    def test_a_survey_whose_items_were_unpublished_since_set_up_does_not_open(self):
        survey = make_survey(
            self.edition, status=SurveyStatus.DRAFT, left_out_codes=["R3", "R4", "R5", "R6"]
        )
        Recommendation.objects.filter(edition=self.edition).exclude(
            number=1, kind="recommendation"
        ).update(status=Status.PROPOSED)
        self.login(self.secretariat)
        with standing_in(self.edition, Phase.PRIORITISATION):
            response = self.client.post(f"{BASE}{survey.pk}/do/open/", follow=True)
        self.assertContains(response, "fewer than two published items are chosen")
        survey.refresh_from_db()
        self.assertEqual(survey.status, SurveyStatus.DRAFT)
        self.assertFalse(survey.frozen_items.exists())


class PairwiseTestCase(ItemsTestCase):
    def setUp(self):
        self.survey = make_survey(
            self.edition, ballot_form=BallotForm.PAIRWISE, primary_method="bradley-terry"
        )

    def choose(self, raw, a, b, choice="a"):
        return self.client.post(link(raw), {"action": "choose", "a": a, "b": b, "choice": choice})

    def test_repeating_a_comparison_300_times_counts_once(self):
        _invitation, raw = invite(self.survey, self.zones[0])
        self.choose(raw, "R1", "R2")
        self.client.post(link(raw), {"action": "submit"})
        for _ in range(299):
            self.choose(raw, "R1", "R2")
        ballot = Ballot.objects.get(survey=self.survey, zone=self.zones[0])
        self.assertEqual(ballot.payload["choices"], [["R1", "R2", "R1"]])
        for zone in self.zones[1:6]:
            casting.ballot_save(
                survey=self.survey,
                zone=zone,
                payload={"choices": [["R1", "R2", "R2"]]},
                submit=True,
            )
        order = [row["code"] for row in services.survey_close(survey=self.survey).results["order"]]
        self.assertLess(order.index("R2"), order.index("R1"))

    def test_answering_a_pair_again_replaces_the_answer_and_the_page_counts_pairs(self):
        _invitation, raw = invite(self.survey, self.zones[0])
        self.choose(raw, "R1", "R2", "a")
        self.choose(raw, "R3", "R4", "none")
        self.choose(raw, "R2", "R1", "a")  # the same pair, shown the other way round
        ballot = Ballot.objects.get(survey=self.survey, zone=self.zones[0])
        self.assertEqual(ballot.payload["choices"], [["R3", "R4", None], ["R2", "R1", "R2"]])
        response = self.client.get(link(raw))
        self.assertContains(response, "Your zone has answered 2 of the 66 pairs.")
        self.assertEqual(len(response.context["answered"]), 2)

    def test_ballots_stored_with_repeated_pairs_count_each_pair_once(self):
        stuffed = Ballot.objects.create(
            survey=self.survey,
            zone=self.zones[0],
            province=self.zones[0].province.code,
            region=self.zones[0].province.region,
            payload={"choices": [["R1", "R2", "R1"]] * 300},
        )
        casting.ballot_save(
            survey=self.survey, zone=self.zones[0], payload=stuffed.payload, submit=True
        )
        for zone in self.zones[1:6]:
            casting.ballot_save(
                survey=self.survey,
                zone=zone,
                payload={"choices": [["R1", "R2", "R2"]]},
                submit=True,
            )
        order = [row["code"] for row in services.survey_close(survey=self.survey).results["order"]]
        self.assertLess(order.index("R2"), order.index("R1"))

    def test_the_pairwise_page_does_not_read_every_ballot_on_each_view(self):
        for zone in self.zones[1:10]:
            casting.ballot_save(
                survey=self.survey,
                zone=zone,
                payload={"choices": [["R1", "R2", "R2"]]},
                submit=True,
            )
        _invitation, raw = invite(self.survey, self.zones[0])
        self.client.get(link(raw))  # the first view counts the pairs of all zones
        with CaptureQueriesContext(connection) as queries:
            self.client.get(link(raw))
        everyone = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith('SELECT "survey_ballot"."payload"')
        ]
        self.assertEqual(everyone, [])


class MigrationTestCase(ItemsTestCase):
    def test_surveys_opened_before_freezing_get_the_list_they_were_counted_on(self):
        migration = importlib.import_module(
            "memorandum.survey.migrations.0004_freeze_existing_surveys"
        )
        tallied = make_survey(self.edition)
        _invitation, raw = invite(tallied, self.zones[0])
        self.client.post(link(raw), ranking_post(tallied, ["R2"]))
        services.survey_close(survey=tallied)
        opened = make_survey(self.edition, title_nl="Open")
        draft = self.add_recommendation(8, status=Status.DRAFT)
        # As before this change: the lists were not stored, and R8 was in the old rule's list.
        SurveyItem.objects.all().delete()
        tally = tallied.latest_tally()
        tally.results["items"].append(
            {"code": "R8", "title": "x", "group": "d1", "group_label": "1"}
        )
        tally.save()
        migration.freeze_existing(django_apps, None)
        tallied.refresh_from_db()
        self.assertEqual(codes(tallied), [i["code"] for i in tally.results["items"]][:-1])
        self.assertEqual(len(codes(opened)), 12)
        self.assertNotIn(draft.code, codes(opened))
        migration.freeze_existing(django_apps, None)  # a second run changes nothing
        self.assertEqual(SurveyItem.objects.filter(survey=opened).count(), 12)
