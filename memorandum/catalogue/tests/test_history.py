from memorandum.catalogue.models import Recommendation
from memorandum.lib.diff import diff_html
from memorandum.test import BaseTestCase


class HistoryTestCase(BaseTestCase):
    def setUp(self):
        self.r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        self.login(self.secretariat)
        data = {
            "edition": self.edition.pk,
            "kind": "recommendation",
            "number": 1,
            "domain": self.r1.domain_id,
            "status": "adopted",
            "title_nl": self.r1.title_nl,
            "title_fr": self.r1.title_fr,
            "objective_nl": self.r1.objective_nl.replace("transparante", "open"),
            "objective_fr": self.r1.objective_fr,
            "actions_nl": self.r1.actions_nl + "\ndoor een jaarlijkse evaluatie",
            "actions_fr": self.r1.actions_fr,
            "context_nl": self.r1.context_nl,
            "context_fr": self.r1.context_fr,
        }
        response = self.client.post(f"/admin/catalogue/recommendation/{self.r1.pk}/change/", data)
        self.assertEqual(response.status_code, 302, response.content[:3000])

    def test_each_change_is_a_version_with_its_author(self):
        versions = list(self.r1.history.all())
        self.assertEqual(len(versions), 2)
        self.assertEqual(versions[0].history_user, self.secretariat)

    def test_the_history_page_shows_a_readable_diff(self):
        response = self.client.get("/nl/editions/2024-2028/recommendations/R1/history/")
        self.assertContains(response, "<del>transparante</del>")
        self.assertContains(response, "<ins>open</ins>")
        self.assertContains(response, "door een jaarlijkse evaluatie</ins>")
        self.assertContains(response, "secretariat")

    def test_any_two_versions_can_be_compared(self):
        old, new = self.r1.history.order_by("history_date")
        response = self.client.get(
            f"/nl/editions/2024-2028/recommendations/R1/history/?old={new.history_id}&new={old.history_id}"
        )
        self.assertContains(response, "<del>transparante</del>")

    def test_versions_of_another_recommendation_are_refused(self):
        other = Recommendation.objects.get(
            edition=self.edition, kind="recommendation", number=2
        ).history.first()
        response = self.client.get(
            f"/nl/editions/2024-2028/recommendations/R1/history/?old={other.history_id}&new={other.history_id}"
        )
        self.assertContains(response, 'role="alert"')
        self.assertNotIn("<ins>", response.content.decode())

    def test_visitors_do_not_see_who_made_a_change(self):
        self.client.logout()
        response = self.client.get("/nl/editions/2024-2028/recommendations/R1/history/")
        self.assertNotContains(response, "secretariat")


def test_diff_keeps_line_breaks_and_escapes_html():
    """A diff marks words and escapes markup."""
    html = diff_html("een <b>twee</b>\ndrie", "een vier\ndrie")
    assert "&lt;b&gt;" in html
    assert "<ins>vier</ins>" in html
    assert "\ndrie" in html
