"""Ballots at the real scale: drafts that keep partial answers, a ranking that starts
unranked, a top N instead of numbering every item, and group orders that cannot
contradict the top."""

from memorandum.survey import casting
from memorandum.survey.ballots import Ranking, top_size
from memorandum.survey.items import survey_items
from memorandum.survey.models import Anonymity, Ballot, BallotForm, BallotStatus
from memorandum.survey.tests.helpers import invite, link, make_survey, ranking_post
from memorandum.test import BaseTestCase


class RatingDraftTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(
            self.edition, ballot_form=BallotForm.RATING, primary_method="mean"
        )
        _invitation, raw = invite(self.survey, self.zones[0])
        self.url = link(raw)
        self.codes = [i.code for i in survey_items(self.survey)]

    def test_a_partly_filled_rating_ballot_is_saved_as_a_draft_and_shown_again(self):
        data = {"action": "draft", "importance-R1": "3", "urgency-R1": "none", "urgency-R2": "1"}
        response = self.client.post(self.url, data, follow=True)
        self.assertEqual(response.status_code, 200)
        missing = 2 * len(self.codes) - 3
        self.assertContains(response, f"Draft saved. Before you can submit it: {missing} answers")
        ballot = Ballot.objects.get(survey=self.survey)
        self.assertEqual(ballot.status, BallotStatus.DRAFT)
        self.assertEqual(ballot.payload["importance"], {"R1": 3})
        self.assertEqual(ballot.payload["urgency"], {"R1": None, "R2": 1})
        page = self.client.get(self.url).content.decode()
        self.assertIn('name="importance-R1" value="3" checked', page)
        self.assertIn('name="urgency-R1" value="none" checked', page)
        self.assertIn('name="urgency-R2" value="1" checked', page)

    def test_the_automatic_draft_says_how_many_answers_are_missing(self):
        response = self.client.post(
            self.url, {"action": "draft", "importance-R1": "2"}, HTTP_HX_REQUEST="true"
        )
        self.assertContains(response, "Draft saved at")
        self.assertContains(response, f"{2 * len(self.codes) - 1} answers are still missing")

    def test_submitting_still_needs_every_answer_and_names_each_missing_one(self):
        self.client.post(self.url, {"action": "draft", "importance-R1": "3"})
        response = self.client.post(self.url, {"action": "submit", "importance-R1": "3"})
        self.assertContains(response, "R1, Urgency: choose a level", status_code=400)
        self.assertContains(response, "R2, Importance: choose a level", status_code=400)
        self.assertContains(response, 'value="3" checked', status_code=400)
        self.assertFalse(Ballot.objects.get(survey=self.survey).is_submitted)

    def test_a_value_that_is_no_level_is_refused_even_in_a_draft(self):
        response = self.client.post(self.url, {"action": "draft", "importance-R1": "9"})
        self.assertContains(response, "R1, Importance: choose a level", status_code=400)
        self.assertFalse(Ballot.objects.exists())


class UnrankedUntilRankedTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)
        _invitation, raw = invite(self.survey, self.zones[0])
        self.url = link(raw)
        self.codes = [i.code for i in survey_items(self.survey)]

    def test_an_untouched_ballot_ranks_nothing(self):
        response = self.client.get(self.url)
        for row in response.context["overall_rows"]:
            self.assertEqual(row["position"], "", row["item"].code)
        self.assertContains(response, "not ranked yet", count=len(self.codes) + 6)

    def test_an_untouched_ballot_cannot_be_submitted(self):
        response = self.client.post(self.url, {"action": "submit"})
        self.assertContains(response, "Your top 10 still needs 10 items.", status_code=400)
        self.assertFalse(Ballot.objects.exists())

    def test_a_partial_top_is_kept_as_a_draft_and_shown_again_unranked_below(self):
        data = {"action": "draft", "overall-R6": "1", "overall-C2": "2", "overall-R1": "3"}
        response = self.client.post(self.url, data, follow=True)
        self.assertContains(response, "Your top 10 still needs 7 items.")
        ballot = Ballot.objects.get()
        self.assertEqual(ballot.payload["overall"], ["R6", "C2", "R1"])
        rows = self.client.get(self.url).context["overall_rows"]
        self.assertEqual([r["position"] for r in rows[:4]], ["1", "2", "3", ""])
        self.assertEqual([r["item"].code for r in rows[:3]], ["R6", "C2", "R1"])

    def test_only_the_top_n_is_given_and_counted(self):
        response = self.client.post(self.url, ranking_post(self.survey, ["C5", "R2"]), follow=True)
        self.assertContains(response, "Your ballot is submitted")
        payload = Ballot.objects.get().payload
        self.assertEqual(len(payload["overall"]), top_size(len(self.codes)))
        self.assertEqual(payload["overall"][:2], ["C5", "R2"])

    def test_a_position_beyond_the_top_is_explained(self):
        data = ranking_post(self.survey, ["R1"])
        data["overall-C5"] = "11"
        response = self.client.post(self.url, data)
        self.assertContains(
            response, "C5: give a position from 1 to 10, or leave it empty", status_code=400
        )

    def test_a_gap_in_the_top_blocks_the_submission(self):
        data = ranking_post(self.survey, [])
        data[f"overall-{self.codes[3]}"] = ""
        response = self.client.post(self.url, data)
        self.assertContains(response, "Your top 10 still needs 1 item.", status_code=400)


class SurveyTopSizeTestCase(BaseTestCase):
    """A survey asking for its own top N: the ballot page, its checks and the count follow it."""

    def setUp(self):
        self.survey = make_survey(self.edition, top_n=3)
        _invitation, raw = invite(self.survey, self.zones[0])
        self.url = link(raw)

    def test_the_ballot_asks_for_the_survey_s_top(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Your top 3 overall")
        response = self.client.post(self.url, {"action": "submit"})
        self.assertContains(response, "Your top 3 still needs 3 items.", status_code=400)

    def test_a_position_beyond_the_survey_s_top_is_explained(self):
        data = ranking_post(self.survey, ["R1"])
        data["overall-C5"] = "4"
        response = self.client.post(self.url, data)
        self.assertContains(
            response, "C5: give a position from 1 to 3, or leave it empty", status_code=400
        )

    def test_a_complete_top_of_three_is_submitted_and_counted_as_a_top_three(self):
        from memorandum.survey import tally
        from memorandum.survey.contract import ParticipationCounts

        response = self.client.post(self.url, ranking_post(self.survey, ["C5"]), follow=True)
        self.assertContains(response, "Your ballot is submitted")
        self.assertEqual(len(Ballot.objects.get().payload["overall"]), 3)
        records = tally.snapshot(self.survey)
        result = tally.compute(
            self.survey,
            records,
            method="schulze",
            seed=1,
            replicates=100,
            participation=ParticipationCounts(expected=1, voted=1),
        )
        self.assertEqual(result.top_k, 3)
        self.assertEqual(result.order[0].code, "C5")


class GroupOrderTestCase(BaseTestCase):
    """The demo edition's groups with several items: d5 (R2, C1), d7 (R7, C3), d10 (C4, C5)."""

    def setUp(self):
        self.survey = make_survey(self.edition)
        self.items = survey_items(self.survey)

    def parse(self, post, action="submit"):
        return Ranking().parse(post, self.items, {}, action)

    def top(self, order):
        codes = [i.code for i in self.items]
        order = (order + [c for c in codes if c not in order])[: top_size(len(codes))]
        return {f"overall-{c}": str(n) for n, c in enumerate(order, start=1)}

    def test_the_items_of_the_top_lead_their_group_in_the_top_s_order(self):
        parsed = self.parse(self.top(["C1", "R2"]))
        self.assertTrue(parsed.ok, parsed.errors)
        self.assertEqual(parsed.payload["within"]["d5"], ["C1", "R2"])

    def test_a_group_order_that_contradicts_the_top_is_refused_not_corrected(self):
        post = {**self.top(["C1", "R2"]), "within-d5-R2": "1", "within-d5-C1": "2"}
        parsed = self.parse(post, action="draft")
        self.assertIn("within-d5", parsed.errors)
        self.assertIn("C1, R2", parsed.errors["within-d5"])  # the order the top gives

    def test_the_items_outside_the_top_are_ordered_after_it_as_typed(self):
        # Top 10 of 12 in catalogue order leaves C4 and C5 (group d10) outside.
        post = {**self.top([]), "within-d10-C5": "1", "within-d10-C4": "2"}
        parsed = self.parse(post)
        self.assertTrue(parsed.ok, parsed.errors)
        self.assertEqual(parsed.payload["within"]["d10"], ["C5", "C4"])

    def test_a_group_left_empty_has_no_order_of_its_own(self):
        parsed = self.parse(self.top([]))
        self.assertNotIn("d10", parsed.payload["within"])

    def test_a_top_n_is_as_long_as_the_survey_allows(self):
        self.assertEqual(top_size(219), 10)
        self.assertEqual(top_size(3), 3)


class AnonymousSubmittedTestCase(BaseTestCase):
    def test_a_submitted_anonymous_ballot_no_longer_says_it_can_be_changed(self):
        survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        _invitation, raw = invite(survey, self.zones[0])
        self.assertContains(self.client.get(link(raw)), "You can change your answers until")
        self.client.post(link(raw), ranking_post(survey, ["R3"]))
        self.assertTrue(casting.has_voted(survey, self.zones[0]))
        page = self.client.get(link(raw))
        self.assertNotContains(page, "You can change your answers until")
        self.assertContains(page, "it can no longer be changed")
