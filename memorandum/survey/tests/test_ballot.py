from datetime import timedelta
from unittest import mock

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from memorandum.survey import casting, pairs
from memorandum.survey.items import survey_items
from memorandum.survey.models import Ballot, BallotForm, BallotStatus, Participation, Survey
from memorandum.survey.tests.helpers import invite, link, make_survey, ranking_post
from memorandum.test import BaseTestCase


class RankingBallotTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)
        self.invitation, self.raw = invite(self.survey, self.zones[0])
        self.url = link(self.raw)

    def test_a_draft_is_saved_automatically_without_submitting(self):
        response = self.client.post(
            self.url,
            ranking_post(self.survey, ["R6", "R1"], action="draft"),
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "Draft saved")
        ballot = Ballot.objects.get(survey=self.survey, zone=self.zones[0])
        self.assertEqual(ballot.status, BallotStatus.DRAFT)
        self.assertEqual(ballot.payload["overall"][:2], ["R6", "R1"])
        self.assertFalse(Participation.objects.exists())
        self.assertContains(self.client.get(self.url), 'value="1"')

    def test_submitting_gives_a_receipt_and_counts_the_zone_as_answered(self):
        response = self.client.post(self.url, ranking_post(self.survey, ["R6", "R1"]), follow=True)
        ballot = Ballot.objects.get(survey=self.survey, zone=self.zones[0])
        self.assertTrue(ballot.is_submitted)
        self.assertEqual(len(ballot.receipt), 64)
        self.assertContains(response, ballot.receipt)
        self.assertTrue(
            Participation.objects.filter(survey=self.survey, zone=self.zones[0]).exists()
        )

    def test_the_ballot_can_be_changed_until_the_close_with_a_new_receipt(self):
        self.client.post(self.url, ranking_post(self.survey, ["R6"]))
        first = Ballot.objects.get(survey=self.survey).receipt
        self.client.post(self.url, ranking_post(self.survey, ["R2", "R6"]))
        ballot = Ballot.objects.get(survey=self.survey)
        self.assertEqual(ballot.payload["overall"][0], "R2")
        self.assertNotEqual(ballot.receipt, first)
        self.assertEqual(Ballot.objects.count(), 1)

    def test_the_top_ten_counts_and_the_order_inside_domains_is_kept(self):
        data = ranking_post(self.survey, ["C1", "R2"])
        data["within-d5-R2"], data["within-d5-C1"] = "2", "1"
        self.client.post(self.url, data)
        payload = Ballot.objects.get(survey=self.survey).payload
        self.assertEqual(payload["overall"][:2], ["C1", "R2"])
        self.assertEqual(payload["within"]["d5"], ["C1", "R2"])

    def test_two_items_with_the_same_position_are_refused_and_what_was_typed_stays(self):
        data = ranking_post(self.survey, ["R1"])
        data["overall-R2"] = data["overall-R1"]
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "give each item its own position", status_code=400)
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.assertFalse(Ballot.objects.exists())

    def test_a_position_out_of_range_is_explained(self):
        data = ranking_post(self.survey, ["R1"])
        data["overall-R1"] = "99"
        response = self.client.post(self.url, data)
        self.assertContains(
            response, "R1: give a position from 1 to 10, or leave it empty", status_code=400
        )
        self.assertContains(response, 'value="99"', status_code=400)

    def test_a_submission_after_the_close_is_refused_with_a_clear_message(self):
        self.client.post(self.url, ranking_post(self.survey, ["R6"]))
        self.survey.closes_at = timezone.now() - timedelta(minutes=1)
        self.survey.save()
        response = self.client.post(self.url, ranking_post(self.survey, ["R2"]))
        self.assertContains(response, "can no longer be changed", status_code=403)
        self.assertEqual(Ballot.objects.get(survey=self.survey).payload["overall"][0], "R6")
        self.assertEqual(response.context["overall_rows"][0]["item"].code, "R6")  # what counts

    def test_after_the_close_the_ballot_is_read_only(self):
        self.client.post(self.url, ranking_post(self.survey, ["R6"]))
        self.survey.closes_at = timezone.now() - timedelta(minutes=1)
        self.survey.save()
        response = self.client.get(self.url)
        self.assertContains(response, "can only be read")
        self.assertContains(response, "disabled")
        self.assertNotContains(response, "Submit my")

    def test_a_survey_that_has_not_opened_refuses_ballots(self):
        self.survey.opens_at = timezone.now() + timedelta(days=1)
        self.survey.save()
        self.assertContains(self.client.get(self.url), "The survey opens on")
        response = self.client.post(self.url, ranking_post(self.survey, ["R6"]))
        self.assertContains(response, "not open yet", status_code=403)

    def test_the_database_holds_one_ballot_per_zone(self):
        Ballot.objects.create(
            survey=self.survey, zone=self.zones[0], province="WVL", region="flanders"
        )
        with self.assertRaises(IntegrityError), transaction.atomic():
            Ballot.objects.create(
                survey=self.survey, zone=self.zones[0], province="WVL", region="flanders"
            )

    def test_the_corps_chief_votes_for_his_own_zone_when_logged_in(self):
        self.login(self.chief)
        url = f"/en/editions/2024-2028/surveys/{self.survey.pk}/ballot/"
        self.assertContains(self.client.get(url), self.zones[0].name)
        self.client.post(url, ranking_post(self.survey, ["R7"]))
        self.assertEqual(Ballot.objects.get(zone=self.zones[0]).payload["overall"][0], "R7")
        # The same zone's invitation link now shows the same ballot.
        self.client.logout()
        self.assertContains(
            self.client.get(self.url), Ballot.objects.get(zone=self.zones[0]).receipt
        )

    def test_only_corps_chiefs_with_a_zone_can_vote_when_logged_in(self):
        url = f"/en/editions/2024-2028/surveys/{self.survey.pk}/ballot/"
        for user in (self.secretariat, self.coordinator, self.assembly, self.partner):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403, user.username)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)


class SettingsChangedMeanwhileTestCase(BaseTestCase):
    def test_answers_read_against_settings_changed_since_are_refused_and_not_stored(self):
        """The survey as the answers were read (before the gate) asked a top 5; behind the
        gate it asks a top 3 (a change saved while the ballot waited): refused, nothing kept."""
        survey = make_survey(self.edition, top_n=3)
        read = Survey.objects.get(pk=survey.pk)
        read.top_n = 5
        with translation.override("en"), self.assertRaises(casting.BallotRefused) as refused:
            casting.ballot_save(
                survey=read,
                zone=self.zones[0],
                payload={"overall": ["R1", "R2", "R3", "R4", "R5"], "within": {}},
                submit=True,
            )
        self.assertIn("reload the page", refused.exception.message)
        self.assertFalse(Ballot.objects.filter(survey=survey).exists())
        self.assertFalse(Participation.objects.filter(survey=survey).exists())


class OtherBallotFormsTestCase(BaseTestCase):
    def test_a_rating_ballot_needs_a_level_or_no_opinion_for_every_item(self):
        survey = make_survey(self.edition, ballot_form=BallotForm.RATING, primary_method="mean")
        _invitation, raw = invite(survey, self.zones[0])
        data = {"action": "submit"}
        for item in survey_items(survey):
            data[f"importance-{item.code}"] = "3"
            data[f"urgency-{item.code}"] = "none"
        del data["urgency-R2"]
        response = self.client.post(link(raw), data)
        self.assertContains(response, "R2, Urgency: choose a level", status_code=400)
        self.assertContains(response, 'value="3" checked', status_code=400)
        data["urgency-R2"] = "2"
        self.client.post(link(raw), data)
        payload = Ballot.objects.get(survey=survey).payload
        self.assertEqual(payload["urgency"]["R2"], 2)
        self.assertIsNone(payload["urgency"]["R1"])

    def test_points_must_add_up_to_100_and_the_input_is_kept(self):
        survey = make_survey(self.edition, ballot_form=BallotForm.POINTS, primary_method="points")
        _invitation, raw = invite(survey, self.zones[0])
        response = self.client.post(
            link(raw), {"action": "submit", "points-R1": "50", "points-R2": "35"}
        )
        self.assertContains(
            response, "add up to 85; they must add up to exactly 100", status_code=400
        )
        self.assertContains(response, 'value="35"', status_code=400)
        self.assertFalse(Ballot.objects.exists())
        self.client.post(link(raw), {"action": "submit", "points-R1": "50", "points-R2": "50"})
        self.assertEqual(
            Ballot.objects.get(survey=survey).payload, {"points": {"R1": 50, "R2": 50}}
        )

    def test_pairwise_comparisons_are_added_one_by_one_and_pairs_are_not_repeated(self):
        survey = make_survey(
            self.edition, ballot_form=BallotForm.PAIRWISE, primary_method="bradley-terry"
        )
        _invitation, raw = invite(survey, self.zones[0])
        seen = set()
        for _ in range(5):
            pair = self.client.get(link(raw)).context["pair"]
            key = frozenset((pair[0].code, pair[1].code))
            self.assertNotIn(key, seen)
            seen.add(key)
            self.client.post(
                link(raw),
                {"action": "choose", "a": pair[0].code, "b": pair[1].code, "choice": "a"},
            )
        self.client.post(link(raw), {"action": "submit"})
        ballot = Ballot.objects.get(survey=survey)
        self.assertTrue(ballot.is_submitted)
        self.assertEqual(len(ballot.payload["choices"]), 5)

    def test_two_comparisons_posted_at_once_are_both_kept(self):
        """A double post: the second request reads the ballot before the first one stores
        its answer. The answer is added to the ballot as it is under its row lock, not to
        the copy read earlier, so neither answer is lost."""
        survey = make_survey(
            self.edition, ballot_form=BallotForm.PAIRWISE, primary_method="bradley-terry"
        )
        zone = self.zones[0]
        _invitation, raw = invite(survey, zone)
        self.client.post(link(raw), {"action": "choose", "a": "R1", "b": "R2", "choice": "a"})
        read = casting.ballot_of
        landed = []

        def read_then_the_other_post_lands(survey, zone):
            ballot = read(survey, zone)
            if not landed:  # the other request stores its answer after this one read
                landed.append(True)
                casting.ballot_save(
                    survey=survey,
                    zone=zone,
                    payload={"choices": [*ballot.payload["choices"], ["R3", "R4", "R4"]]},
                    submit=False,
                )
            return ballot

        with mock.patch.object(casting, "ballot_of", read_then_the_other_post_lands):
            self.client.post(link(raw), {"action": "choose", "a": "R1", "b": "R3", "choice": "b"})
        self.assertEqual(
            Ballot.objects.get(survey=survey, zone=zone).payload["choices"],
            [["R1", "R2", "R1"], ["R3", "R4", "R4"], ["R1", "R3", "R3"]],
        )
        self.assertEqual(
            {k: n for k, n in pairs.pair_counts(survey).items() if n}, recount_pairs(survey)
        )
        # Submitting takes what is on record then, answers of both requests included.
        self.client.post(link(raw), {"action": "submit"})
        self.assertEqual(len(Ballot.objects.get(survey=survey).payload["choices"]), 3)

    def test_pairwise_prefers_pairs_other_zones_compared_least(self):
        survey = make_survey(
            self.edition, ballot_form=BallotForm.PAIRWISE, primary_method="bradley-terry"
        )
        casting.ballot_save(
            survey=survey,
            zone=self.zones[1],
            payload={"choices": [["R1", "R2", "R1"]]},
            submit=True,
        )
        self.assertEqual(pairs.pair_counts(survey), {("R1", "R2"): 1})
        _invitation, raw = invite(survey, self.zones[0])
        pair = self.client.get(link(raw)).context["pair"]
        self.assertNotEqual({pair[0].code, pair[1].code}, {"R1", "R2"})


def recount_pairs(survey) -> dict:
    """What counting every stored ballot of the survey again gives (as migration 0009)."""
    counts: dict = {}
    for payload in Ballot.objects.filter(survey=survey).values_list("payload", flat=True):
        for key in {pairs.pair_key(a, b) for a, b, _w in (payload or {}).get("choices", [])}:
            counts[key] = counts.get(key, 0) + 1
    return counts


class PairCountTestCase(BaseTestCase):
    """The pair counts kept as ballots are saved equal a recount of every ballot."""

    def setUp(self):
        self.survey = make_survey(
            self.edition, ballot_form=BallotForm.PAIRWISE, primary_method="bradley-terry"
        )

    def save(self, zone, choices, submit=False):
        casting.ballot_save(
            survey=self.survey, zone=zone, payload={"choices": choices}, submit=submit
        )

    def assert_recounted(self):
        kept = {k: n for k, n in pairs.pair_counts(self.survey).items() if n}
        self.assertEqual(kept, recount_pairs(self.survey))

    def test_a_save_that_no_longer_holds_a_pair_stops_counting_it(self):
        """Two answers posted at once are both built on the ballot read before either was
        stored; the second replaces the first, and its pair must not stay counted."""
        self.save(self.zones[0], [["R1", "R2", "R1"]])
        self.save(self.zones[1], [["R2", "R1", None], ["R2", "R3", "R3"]], submit=True)
        self.save(self.zones[0], [["R1", "R2", "R1"], ["R1", "R3", "R3"]])
        self.save(self.zones[0], [["R1", "R2", "R1"], ["R3", "R2", "R2"]])  # the older read
        self.assert_recounted()
        self.assertEqual(pairs.pair_counts(self.survey)[("R1", "R3")], 0)
        self.save(self.zones[1], [["R1", "R2", "R2"]], submit=True)  # a resubmission
        self.assert_recounted()

    def test_an_anonymous_submission_moves_the_draft_s_counts_to_the_ballot(self):
        self.survey.anonymity = "anonymous"
        self.survey.min_group = 3
        self.survey.save()
        self.save(self.zones[0], [["R1", "R2", "R1"]])
        self.save(self.zones[0], [["R1", "R2", "R1"], ["R2", "R3", None]], submit=True)
        self.assertFalse(Ballot.objects.filter(zone=self.zones[0]).exists())
        self.assert_recounted()

    def test_the_migration_counts_what_is_stored(self):
        import importlib

        from django.apps import apps

        migration = importlib.import_module("memorandum.survey.migrations.0009_pair_counts")
        self.save(self.zones[0], [["R1", "R2", "R1"], ["R2", "R1", "R2"], ["R2", "R3", None]])
        self.save(self.zones[1], [["R3", "R2", "R2"]], submit=True)
        expected = pairs.pair_counts(self.survey)
        self.survey.pair_counts.all().delete()
        migration.count_existing_pairs(apps, None)
        self.assertEqual(pairs.pair_counts(self.survey), expected)
        self.assert_recounted()
