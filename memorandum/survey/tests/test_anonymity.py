import csv
import io
import json
import re

from django.utils import timezone, translation
from openpyxl import load_workbook

from memorandum.catalogue.models import Phase
from memorandum.catalogue.phases import standing_in
from memorandum.survey import casting, participation, services
from memorandum.survey.models import Anonymity, Ballot, Participation, Survey, Weighting
from memorandum.survey.tests.helpers import invite, link, make_survey, ranking, ranking_post
from memorandum.survey.weights import weight_classes
from memorandum.test import BaseTestCase


class AnonymousSurveyTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        self.zone = self.zones[0]
        _invitation, self.raw = invite(self.survey, self.zone)

    def test_a_submitted_anonymous_ballot_is_a_new_row_with_nothing_that_leads_back(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R3"], action="draft"))
        draft = Ballot.objects.get()
        self.assertEqual(draft.zone, self.zone)  # a draft still belongs to its zone
        response = self.client.post(link(self.raw), ranking_post(self.survey, ["R3"]), follow=True)
        ballot = Ballot.objects.get()
        self.assertNotEqual(ballot.pk, draft.pk)
        self.assertEqual(ballot.pk.version, 4)  # random, not derived from anything
        self.assertFalse(Ballot.objects.filter(pk=draft.pk).exists())
        self.assertIsNone(ballot.zone)
        self.assertEqual(ballot.cast_by, "")
        self.assertEqual(
            (ballot.province, ballot.region), (self.zone.province.code, self.zone.province.region)
        )
        stamp = self.survey.opens_at  # no time of its own, not even the day
        self.assertEqual((ballot.submitted_at, ballot.updated_at), (stamp, stamp))
        self.assertContains(response, ballot.receipt)  # shown once, right after submitting
        self.assertTrue(Participation.objects.filter(survey=self.survey, zone=self.zone).exists())

    def test_a_zone_without_a_draft_submits_straight_away_and_leaves_no_draft(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R2"]))
        self.assertEqual(list(Ballot.objects.values_list("zone", "status")), [(None, "submitted")])

    def test_participation_still_shows_the_zone_as_answered(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R3"]))
        data = participation.participation(self.survey)
        self.assertEqual(data["overall"].voted, 1)
        self.assertNotIn(self.zone, [row["zone"] for row in data["missing"]])

    def test_an_anonymous_ballot_cannot_be_submitted_twice(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R3"]))
        response = self.client.post(link(self.raw), ranking_post(self.survey, ["R1"]))
        self.assertContains(response, "already submitted its anonymous ballot", status_code=403)
        self.assertEqual(Ballot.objects.count(), 1)
        self.assertEqual(Ballot.objects.get().payload["overall"][0], "R3")
        self.assertNotContains(self.client.get(link(self.raw)), "Submit my ballot")

    def test_the_secretariat_cannot_see_which_zone_voted_what(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R3"]))
        self.assertFalse(Ballot.objects.filter(zone__isnull=False).exists())
        self.assertEqual(Ballot.objects.get().cast_by, "")


class AnonymousSubmitConfirmationTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        _invitation, self.raw = invite(self.survey, self.zones[0])

    def test_the_final_submit_of_an_anonymous_ballot_is_confirmed_first(self):
        data = ranking_post(self.survey, ["R3"])
        del data["confirmed"]  # as the ballot page posts it
        response = self.client.post(link(self.raw), data)
        self.assertTemplateUsed(response, "confirm.html")
        self.assertContains(response, "Submit your anonymous ballot?")
        self.assertContains(response, "cannot be changed")
        self.assertContains(response, "R3")  # the answers, to check them
        ballot = Ballot.objects.get()
        self.assertFalse(ballot.is_submitted)  # kept as a draft meanwhile
        self.assertEqual(ballot.zone, self.zones[0])
        self.assertFalse(Participation.objects.exists())
        # The confirmation posts the same answers again, confirmed.
        self.assertContains(response, 'name="confirmed" value="1"')
        self.assertContains(response, 'name="overall-R3" value="1"')
        self.client.post(link(self.raw), {**data, "confirmed": "1"})
        ballot = Ballot.objects.get()
        self.assertTrue(ballot.is_submitted)
        self.assertIsNone(ballot.zone)
        self.assertEqual(ballot.payload["overall"][0], "R3")

    def test_an_attributed_ballot_is_submitted_without_a_confirmation(self):
        survey = make_survey(self.edition, title_nl="attributed")
        _invitation, raw = invite(survey, self.zones[1])
        data = ranking_post(survey, ["R3"])
        del data["confirmed"]
        response = self.client.post(link(raw), data)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(survey.ballots.get().is_submitted)


class BackOfficeTestCase(BaseTestCase):
    def test_the_back_office_never_shows_the_answers_of_an_anonymous_draft_or_ballot(self):
        survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        marker = ["C5", "C4", "C3"]
        draft = casting.ballot_save(
            survey=survey, zone=self.zones[1], payload=ranking(marker), submit=False
        )
        ballot = casting.ballot_save(
            survey=survey, zone=self.zones[2], payload=ranking(marker), submit=True
        )
        self.client.force_login(self.secretariat)
        self.assertEqual(self.client.get("/admin/survey/ballot/").status_code, 200)
        for row in (draft, ballot):
            response = self.client.get(f"/admin/survey/ballot/{row.pk}/change/")
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "overall")  # the payload's key
            self.assertNotContains(response, "Answers")
        attributed = make_survey(self.edition, title_nl="open")
        visible = casting.ballot_save(
            survey=attributed, zone=self.zones[3], payload=ranking(marker), submit=True
        )
        self.assertContains(
            self.client.get(f"/admin/survey/ballot/{visible.pk}/change/"), "overall"
        )

    def test_the_secretariat_cannot_delete_ballots_in_the_back_office(self):
        survey = make_survey(self.edition)
        ballot = casting.ballot_save(
            survey=survey, zone=self.zones[0], payload=ranking(["R1"]), submit=True
        )
        self.client.force_login(self.secretariat)
        response = self.client.get(f"/admin/survey/ballot/{ballot.pk}/delete/")
        self.assertEqual(response.status_code, 403)


class WeightClassTestCase(BaseTestCase):
    def test_every_class_holds_at_least_k_zones_and_equal_weights_stay_together(self):
        weights = [10] * 7 + [20, 21, 22, 23] + [40] * 2 + list(range(100, 120))
        for k in (3, 5, 7):
            classes = weight_classes(weights, k)
            self.assertGreaterEqual(len(classes), 2)
            self.assertEqual(sum(c.zones for c in classes), len(weights))
            self.assertTrue(all(c.zones >= k for c in classes), (k, classes))
            for before, after in zip(classes, classes[1:], strict=False):
                self.assertLess(before.high, after.low)  # no weight in two classes
        self.assertEqual([c.zones for c in weight_classes(list(range(185)), 5)], [37] * 5)

    def test_an_anonymous_weighted_ballot_counts_with_its_class_weight_not_its_own(self):
        for number, zone in enumerate(self.zones):
            zone.personnel = 100 + 37 * number  # every zone its own, telling weight
            zone.save()
        survey = make_survey(
            self.edition, anonymity=Anonymity.ANONYMOUS, weighting=Weighting.PERSONNEL
        )
        ballot = casting.ballot_save(
            survey=survey, zone=self.zones[0], payload=ranking(["R1"]), submit=True
        )
        survey.refresh_from_db()
        first = survey.weight_classes["classes"][0]
        self.assertEqual(ballot.weight, first["weight"])
        self.assertNotIn(ballot.weight, {float(z.personnel) for z in self.zones})
        zones_with_that_class = [
            z for z in self.zones if survey.weight_classes["zones"][str(z.pk)] == 1
        ]
        self.assertGreaterEqual(len(zones_with_that_class), survey.min_group)

    def test_weight_classes_are_frozen_when_the_survey_opens(self):
        survey = make_survey(
            self.edition,
            anonymity=Anonymity.ANONYMOUS,
            weighting=Weighting.POPULATION,
            status="draft",
        )
        with standing_in(self.edition, Phase.PRIORITISATION):
            services.survey_open(survey=survey)
        frozen = survey.weight_classes
        self.assertTrue(frozen["classes"])
        biggest = max(self.zones, key=lambda z: z.population)
        smallest = min(self.zones, key=lambda z: z.population)
        smallest.population = biggest.population * 10
        smallest.save()
        ballot = casting.ballot_save(
            survey=survey, zone=smallest, payload=ranking(["R1"]), submit=True
        )
        self.assertEqual(ballot.weight, frozen["classes"][0]["weight"])  # the class it had

    def test_the_set_up_refuses_weighting_with_anonymity_when_classes_would_be_too_few(self):
        from memorandum.survey.tests.test_setup import BASE, setup_data

        self.login(self.secretariat)
        response = self.client.post(
            f"{BASE}new/",
            setup_data(weighting="personnel", anonymity="anonymous", min_group="12"),
        )
        self.assertContains(response, "cannot carry its zone&#x27;s own weight")
        self.assertFalse(Survey.objects.exists())
        response = self.client.post(
            f"{BASE}new/", setup_data(weighting="personnel", anonymity="anonymous")
        )
        survey = Survey.objects.get()
        self.assertRedirects(response, survey.get_absolute_url())
        page = self.client.get(survey.get_absolute_url())
        self.assertContains(page, "Weight classes")

    def test_the_set_up_refuses_a_smallest_group_below_three(self):
        from memorandum.survey.tests.test_setup import BASE, setup_data

        self.login(self.secretariat)
        response = self.client.post(f"{BASE}new/", setup_data(min_group="2"))
        self.assertContains(response, "greater than or equal to 3")
        self.assertContains(self.client.get(f"{BASE}new/"), "What “anonymous” guarantees")


class SmallGroupTestCase(BaseTestCase):
    """Per province, region and weight class: only groups of at least k ballots are shown."""

    def setUp(self):
        for number, zone in enumerate(self.zones):
            zone.personnel = 50 + 10 * number
            zone.save()
        self.survey = make_survey(
            self.edition, anonymity=Anonymity.ANONYMOUS, weighting=Weighting.PERSONNEL
        )
        by_province = {}
        for zone in self.zones:
            by_province.setdefault(zone.province.code, []).append(zone)
        self.sizes = {code: len(zones) for code, zones in by_province.items()}
        for zone in self.zones:
            casting.ballot_save(
                survey=self.survey, zone=zone, payload=ranking(["R2", "R1"]), submit=True
            )
        self.tally = services.survey_close(survey=self.survey)
        self.survey.refresh_from_db()
        self.base = f"/en/editions/2024-2028/surveys/{self.survey.pk}/results/"

    def test_the_frozen_tally_holds_no_group_smaller_than_k(self):
        k = self.survey.min_group
        for key in ("by_region", "by_province", "by_weight_class"):
            for label, group in self.tally.results[key].items():
                if group["ranks"] is not None:
                    self.assertGreaterEqual(group["ballots"], k, (key, label))
        small = sorted(code for code, n in self.sizes.items() if n < k)
        self.assertTrue(small, "the personas should have provinces with fewer than k zones")
        self.assertEqual(self.tally.results["by_province"]["other"]["merged"], small)

    def test_the_page_and_exports_show_no_small_group_and_say_so(self):
        k = self.survey.min_group
        page = self.client.get(self.base)
        self.assertContains(page, "counted together as “other”")
        self.assertContains(page, f"Only groups of at least {k} ballots are shown")
        counts = [
            int(n)
            for n in re.findall(r'<span class="muted">\((\d+)\)</span>', page.content.decode())
        ]
        self.assertTrue(counts)
        self.assertGreaterEqual(min(counts), k)
        rows = list(
            csv.reader(
                io.StringIO(self.client.get(f"{self.base}export.csv").content.decode("utf-8-sig")),
                delimiter=";",
            )
        )
        small = [code for code, n in self.sizes.items() if n < k]
        from memorandum.catalogue.models import Province

        names = {p.code: str(p.name) for p in Province.objects.filter(code__in=small)}
        for name in names.values():
            self.assertNotIn(f"Rank in {name}", rows[0])
        book = load_workbook(io.BytesIO(self.client.get(f"{self.base}export.xlsx").content))
        header = [c.value for c in book.worksheets[0][1]]
        for name in names.values():
            self.assertNotIn(f"Rank in {name}", header)

    def test_scores_that_could_be_taken_apart_are_withheld(self):
        classes = self.survey.weight_classes["classes"]
        counts = [
            sum(1 for z in self.zones if self.survey.weight_class_of(z) == c) for c in classes
        ]
        self.assertTrue(all(n >= self.survey.min_group for n in counts))
        self.assertFalse(self.tally.results.get("scores_withheld"))  # every class has k ballots
        survey = make_survey(
            self.edition,
            title_nl="few",
            anonymity=Anonymity.ANONYMOUS,
            weighting=Weighting.PERSONNEL,
        )
        for zone in self.zones[::4]:  # one or two ballots per weight class
            casting.ballot_save(survey=survey, zone=zone, payload=ranking(["R1"]), submit=True)
        results = services.survey_close(survey=survey).results
        self.assertTrue(results["scores_withheld"])
        self.assertEqual({row["score"] for row in results["order"]}, {None})
        page = self.client.get(f"/en/editions/2024-2028/surveys/{survey.pk}/results/")
        self.assertContains(page, "Scores are not shown")

    def test_an_anonymous_survey_with_fewer_than_k_ballots_shows_no_result(self):
        survey = make_survey(self.edition, title_nl="tiny", anonymity=Anonymity.ANONYMOUS)
        ballot = casting.ballot_save(
            survey=survey, zone=self.zones[0], payload=ranking(["C5"]), submit=True
        )
        tally = services.survey_close(survey=survey)
        self.assertEqual((tally.ballot_count, tally.results["order"]), (1, []))
        self.assertNotIn("C5", json.dumps(tally.results.get("by_province")))
        url = f"/en/editions/2024-2028/surveys/{survey.pk}/results/"
        page = self.client.get(url, {"receipt": ballot.receipt})
        self.assertContains(page, "shows results only from 5 ballots on")
        self.assertContains(page, "was counted in these results")  # the receipt check still works


class CountingTestCase(BaseTestCase):
    def test_an_anonymous_ballot_after_the_close_is_refused_and_leaves_nothing(self):
        survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        casting.ballot_save(
            survey=survey, zone=self.zones[0], payload=ranking(["R1"]), submit=False
        )
        services.survey_close(survey=survey)
        with (
            translation.override("en"),
            self.assertRaisesMessage(casting.BallotRefused, "can no longer be changed"),
        ):
            casting.ballot_save(
                survey=survey, zone=self.zones[0], payload=ranking(["R1"]), submit=True
            )
        self.assertFalse(survey.ballots.submitted().exists())
        self.assertFalse(survey.participations.exists())

    def test_only_ballots_up_to_the_closing_time_are_counted_and_acknowledged_as_counted(self):
        from datetime import timedelta

        from memorandum.survey import results

        survey = make_survey(self.edition)
        early = casting.ballot_save(
            survey=survey, zone=self.zones[0], payload=ranking(["R1"]), submit=True
        )
        late = casting.ballot_save(
            survey=survey, zone=self.zones[1], payload=ranking(["R2"]), submit=True
        )
        frozen = services.survey_close(survey=survey)
        survey.refresh_from_db()
        self.assertGreaterEqual(survey.closes_at, late.submitted_at)  # never before a receipt
        self.assertEqual(frozen.ballot_count, 2)
        # A ballot stored after the closing time (as the race used to leave behind) is not
        # counted, and the receipt check does not call it counted.
        Ballot.objects.filter(pk=late.pk).update(
            submitted_at=survey.closes_at + timedelta(seconds=1)
        )
        self.assertTrue(results.receipt_counted(survey, frozen, early.receipt))
        self.assertFalse(results.receipt_counted(survey, frozen, late.receipt))
        self.assertEqual(len(services.tally_bridge.snapshot(survey)), 1)

    def test_a_weighted_tally_frozen_before_the_rules_shows_no_scores_and_no_small_group(self):
        from memorandum.survey.models import Tally
        from memorandum.survey.results import publishable_rows, view_model

        survey = make_survey(self.edition, title_nl="old", weighting=Weighting.POPULATION)
        old = Tally.objects.create(
            survey=survey,
            method="schulze",
            seed=1,
            replicates=100,
            snapshot_hash="0" * 64,
            ballot_count=2,
            results={
                "weighting": "population",
                "ballots": 2,
                "order": [
                    {
                        "code": "R1",
                        "rank": 1,
                        "score": 2653980.0,
                        "rank_low": 1,
                        "rank_high": 1,
                        "p_top_k": 1.0,
                        "mean_rank": 1.0,
                    }
                ],
                "by_province": {"LUX": {"ballots": 1, "ranks": {"R1": 1}}},
            },
        )
        Survey.objects.filter(pk=survey.pk).update(status="tallied")
        view = view_model(survey, old)
        self.assertIsNone(view["order"][0]["score"])
        self.assertEqual(view["provinces"], [])
        self.assertTrue(view["small_groups"])
        self.assertIsNone(publishable_rows(survey, old)[0].score)


class FixedOnceAnsweredTestCase(BaseTestCase):
    def test_anonymity_weighting_k_and_opening_time_are_fixed_once_zones_have_answered(self):
        from memorandum.survey.tests.test_setup import BASE, setup_data

        survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        casting.ballot_save(survey=survey, zone=self.zones[0], payload=ranking(["R1"]), submit=True)
        opened = survey.opens_at
        self.login(self.secretariat)
        self.client.post(
            f"{BASE}{survey.pk}/edit/",
            setup_data(
                anonymity="attributed",
                weighting="population",
                min_group="3",
                title_nl="New",
                closes_at=timezone.localtime(survey.closes_at).strftime("%Y-%m-%dT%H:%M"),
            ),
        )
        survey.refresh_from_db()
        self.assertEqual(survey.title_nl, "New")
        self.assertEqual(
            (survey.anonymity, survey.weighting, survey.min_group, survey.opens_at),
            ("anonymous", "zone", 5, opened),
        )
        self.assertEqual(survey.ballots.get().submitted_at, opened)  # the stamp still fits
        page = self.client.get(f"/admin/survey/survey/{survey.pk}/change/")
        self.assertNotContains(page, 'name="anonymity"')  # read-only in the back office too
        self.assertNotContains(page, 'name="top_n"')  # the top the zones were asked for
