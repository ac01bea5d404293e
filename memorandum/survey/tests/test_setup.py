from unittest import mock

from django.core import mail

from memorandum.catalogue.models import Phase
from memorandum.catalogue.phases import standing_in
from memorandum.survey.models import Survey, SurveyStatus
from memorandum.survey.tests.helpers import make_survey, ranking_post, through_the_worker
from memorandum.test import BaseTestCase

BASE = "/en/editions/2024-2028/surveys/"
DEMO_CODES = [f"R{n}" for n in range(1, 8)] + [f"C{n}" for n in range(1, 6)]


def setup_data(**overrides):
    data = {
        "title_nl": "Prioriteiten 2024",
        "title_fr": "Priorités 2024",
        "items": "recommendations",
        "ballot_form": "ranking",
        "opens_at": "2030-05-15T09:00",
        "closes_at": "2030-06-05T23:59",
        "weighting": "zone",
        "anonymity": "attributed",
        "min_group": "5",
        "primary_method": "schulze",
        "bootstrap_replicates": "500",
        "bootstrap_seed": "1",
        # Every published item of the demo edition, as the form proposes by default.
        "chosen_items": DEMO_CODES,
    }
    data.update(overrides)
    return data


class SetUpTestCase(BaseTestCase):
    def test_the_secretariat_sets_up_a_survey_in_brussels_time(self):
        self.login(self.secretariat)
        self.assertContains(self.client.get(f"{BASE}new/"), "the trade-off")
        french = self.client.get("/fr/editions/2024-2028/surveys/new/")
        self.assertContains(french, "Titre en français")
        self.assertContains(french, 'value="Priorités de ')  # suggested in each language
        self.assertContains(french, 'value="Prioriteiten van ')
        response = self.client.post(f"{BASE}new/", setup_data())
        survey = Survey.objects.get()
        self.assertRedirects(response, survey.get_absolute_url())
        self.assertEqual(
            survey.opens_at.isoformat(), "2030-05-15T07:00:00+00:00"
        )  # 09:00 in Brussels (summer)
        self.assertEqual(survey.status, SurveyStatus.DRAFT)
        self.assertEqual(
            (survey.title_nl, survey.title_fr), ("Prioriteiten 2024", "Priorités 2024")
        )

    def test_the_set_up_form_explains_what_is_wrong_and_keeps_the_input(self):
        self.login(self.secretariat)
        cases = [
            ({"closes_at": "2030-05-01T09:00"}, "must close after it opens"),
            ({"primary_method": "points"}, "cannot count this ballot form"),
            ({"items": "themes"}, "has no themes"),
            ({"bootstrap_replicates": "7"}, "between 100 and 5000"),
            ({"opens_at": "2020-01-01T09:00", "closes_at": "2020-02-01T09:00"}, "already passed"),
        ]
        for override, message in cases:
            response = self.client.post(
                f"{BASE}new/", setup_data(title_fr="Titre gardé", **override)
            )
            self.assertContains(response, message)
            self.assertContains(response, 'value="Prioriteiten 2024"')
            self.assertContains(response, 'value="Titre gardé"')
        self.assertFalse(Survey.objects.exists())

    def test_the_size_of_the_top_is_a_setting_of_the_survey(self):
        self.login(self.secretariat)
        self.client.post(f"{BASE}new/", setup_data(top_n="5"))
        survey = Survey.objects.get()
        self.assertEqual(survey.top_n, 5)
        desk = self.client.get(f"{BASE}{survey.pk}/")
        self.assertContains(desk, "<dt>Size of the top</dt><dd>5</dd>", html=False)

    def test_the_desk_shows_the_top_the_ballot_will_ask_for(self):
        # The form refuses a top larger than the items, but the catalogue can shrink under a
        # draft survey afterwards: the desk then says what the ballot will really ask.
        self.login(self.secretariat)
        self.client.post(f"{BASE}new/", setup_data(top_n="", chosen_items=DEMO_CODES[:4]))
        survey = Survey.objects.get()
        Survey.objects.filter(pk=survey.pk).update(top_n=10)
        desk = self.client.get(f"{BASE}{survey.pk}/")
        self.assertContains(desk, "<dd>4 (the top of 10 is larger than the list of items)</dd>")

    def test_left_empty_the_top_is_ten_or_every_item(self):
        self.login(self.secretariat)
        self.client.post(f"{BASE}new/", setup_data(top_n="", chosen_items=DEMO_CODES[:4]))
        self.assertEqual(Survey.objects.get().top_n, 4)

    def test_a_top_of_nothing_more_than_the_items_or_not_a_number_is_refused(self):
        self.login(self.secretariat)
        cases = [
            ("0", "between 1 and 12 items"),
            ("13", "between 1 and 12 items"),
            ("-3", "between 1 and 12 items"),
            ("NaN", "as a whole number"),
            ("ten", "as a whole number"),
        ]
        for value, message in cases:
            response = self.client.post(f"{BASE}new/", setup_data(top_n=value))
            self.assertContains(response, message, msg_prefix=value)
            self.assertContains(response, f'value="{value}"', msg_prefix=value)
        self.assertFalse(Survey.objects.exists())

    def test_the_size_of_the_top_is_fixed_when_the_survey_opens(self):
        survey = make_survey(self.edition)
        self.login(self.secretariat)
        page = self.client.get(f"{BASE}{survey.pk}/edit/")
        self.assertContains(page, "the zones were asked for this top")
        self.client.post(f"{BASE}{survey.pk}/edit/", setup_data(top_n="3"))
        survey.refresh_from_db()
        self.assertEqual(survey.top_n, 10)

    def test_the_ballot_form_is_fixed_once_zones_have_answered(self):
        survey = make_survey(self.edition)
        from memorandum.survey.tests.helpers import invite, link

        _inv, raw = invite(survey, self.zones[0])
        self.client.post(link(raw), ranking_post(survey, ["R1"]))
        self.login(self.secretariat)
        self.client.post(
            f"{BASE}{survey.pk}/edit/",
            setup_data(ballot_form="points", primary_method="points", title_nl="New"),
        )
        survey.refresh_from_db()
        self.assertEqual(survey.ballot_form, "ranking")

    def test_open_invite_and_close_from_the_survey_page(self):
        self.login(self.secretariat)
        survey = make_survey(self.edition, status=SurveyStatus.DRAFT)
        through_the_worker(self, self.client.post, f"{BASE}{survey.pk}/do/invite/")
        self.assertEqual(len(mail.outbox), 0)  # not open yet
        self.assertContains(self.client.get(f"{BASE}{survey.pk}/do/open/"), "Open the survey?")
        with standing_in(self.edition, Phase.PRIORITISATION):
            self.client.post(f"{BASE}{survey.pk}/do/open/")
        through_the_worker(self, self.client.post, f"{BASE}{survey.pk}/do/invite/")
        self.assertEqual(len(mail.outbox), len(self.zones))
        confirm = self.client.get(f"{BASE}{survey.pk}/do/close/")
        self.assertContains(confirm, "Close the survey and count it?")
        self.assertContains(confirm, "This cannot be undone.")
        response = through_the_worker(self, self.client.post, f"{BASE}{survey.pk}/do/close/")
        self.assertRedirects(response, f"{BASE}{survey.pk}/")
        survey.refresh_from_db()
        self.assertEqual(survey.status, SurveyStatus.TALLIED)


class PermissionTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)

    def test_only_the_secretariat_manages_surveys(self):
        urls = [f"{BASE}new/", f"{BASE}{self.survey.pk}/", f"{BASE}{self.survey.pk}/edit/"]
        for user in (self.chief, self.coordinator, self.assembly, self.partner, self.outsider):
            self.login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 403, (user.username, url))
            self.assertEqual(self.client.post(f"{BASE}{self.survey.pk}/do/close/").status_code, 403)
        self.login(self.secretariat)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_participation_is_for_the_secretariat_and_provincial_coordinators(self):
        url = f"{BASE}{self.survey.pk}/participation/"
        for user, status in (
            (self.secretariat, 200),
            (self.coordinator, 200),
            (self.chief, 403),
            (self.partner, 403),
        ):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, status, user.username)

    def test_participation_refreshes_as_an_htmx_fragment(self):
        self.login(self.secretariat)
        url = f"{BASE}{self.survey.pk}/participation/"
        self.assertContains(self.client.get(url), 'hx-trigger="every 10s"')
        fragment = self.client.get(url, HTTP_HX_REQUEST="true")
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, f"0 of {len(self.zones)} zones")

    def test_the_list_shows_each_role_what_it_may_do(self):
        self.login(self.chief)
        self.assertContains(self.client.get(BASE), f"{BASE}{self.survey.pk}/ballot/")
        self.login(self.partner)
        self.assertNotContains(self.client.get(BASE), self.survey.title_nl)

    def test_the_chief_sees_whether_his_zone_has_answered(self):
        from memorandum.survey import casting

        self.login(self.chief)
        self.assertContains(self.client.get(BASE), "Fill in for my zone")
        casting.ballot_save(
            survey=self.survey,
            zone=self.zones[0],
            payload={"overall": ["R1"], "within": {}},
            submit=False,
        )
        self.assertContains(self.client.get(BASE), "Continue my zone's draft")
        casting.ballot_save(
            survey=self.survey,
            zone=self.zones[0],
            payload={"overall": ["R1"], "within": {}},
            submit=True,
        )
        self.assertContains(self.client.get(BASE), "See or change my zone's ballot")


class KemenyLimitTestCase(BaseTestCase):
    def test_kemeny_is_refused_as_primary_method_above_its_exact_limit(self):
        self.login(self.secretariat)
        with mock.patch("ranking.KEMENY_EXACT_MAX", 3):
            response = self.client.post(f"{BASE}new/", setup_data(primary_method="kemeny"))
        self.assertContains(response, "Kemeny is computed exactly for at most 3 items")
        self.assertFalse(Survey.objects.exists())
        response = self.client.post(f"{BASE}new/", setup_data(primary_method="kemeny"))
        self.assertRedirects(response, Survey.objects.get().get_absolute_url())


class MethodChoiceTestCase(BaseTestCase):
    def test_each_method_says_which_ballot_forms_it_counts(self):
        """The set-up page can offer only the methods of the chosen ballot form."""
        self.login(self.secretariat)
        response = self.client.get(f"{BASE}new/")
        self.assertContains(response, 'data-forms="pairwise"', count=1)
        self.assertContains(response, 'data-forms="ranking rating points"', count=2)
        self.assertContains(response, "survey/setup.js")

    def test_outside_the_prioritisation_a_survey_does_not_open_and_the_page_says_why(self):
        self.login(self.secretariat)
        survey = make_survey(self.edition, status=SurveyStatus.DRAFT)
        confirm = self.client.get(f"{BASE}{survey.pk}/do/open/")
        self.assertContains(confirm, "only be opened during the prioritisation")
        response = self.client.post(f"{BASE}{survey.pk}/do/open/", follow=True)
        self.assertContains(response, "in the phase “Follow-up”")
        survey.refresh_from_db()
        self.assertEqual(survey.status, SurveyStatus.DRAFT)
