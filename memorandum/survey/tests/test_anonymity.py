from memorandum.survey import services
from memorandum.survey.models import Anonymity, Ballot, Participation
from memorandum.survey.tests.helpers import invite, link, make_survey, ranking_post
from memorandum.test import BaseTestCase


class AnonymousSurveyTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS)
        self.zone = self.zones[0]
        _invitation, self.raw = invite(self.survey, self.zone)

    def test_a_submitted_anonymous_ballot_keeps_only_its_province_and_region(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R3"], action="draft"))
        self.assertEqual(Ballot.objects.get().zone, self.zone)  # a draft still belongs to its zone
        response = self.client.post(link(self.raw), ranking_post(self.survey, ["R3"]), follow=True)
        ballot = Ballot.objects.get()
        self.assertIsNone(ballot.zone)
        self.assertEqual(ballot.cast_by, "")
        self.assertEqual(
            (ballot.province, ballot.region), (self.zone.province.code, self.zone.province.region)
        )
        self.assertContains(response, ballot.receipt)  # shown once, right after submitting
        self.assertTrue(Participation.objects.filter(survey=self.survey, zone=self.zone).exists())

    def test_participation_still_shows_the_zone_as_answered(self):
        self.client.post(link(self.raw), ranking_post(self.survey, ["R3"]))
        data = services.participation(self.survey)
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
