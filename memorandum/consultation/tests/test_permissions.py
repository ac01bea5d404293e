"""Who may do what in the consultation, tried per role."""

from memorandum.catalogue.models import Phase
from memorandum.consultation.models import Proposal
from memorandum.consultation.services import merge_proposals
from memorandum.consultation.tests.helpers import make_proposal, recommendation
from memorandum.test import AppPagesTestCase


class PermissionsTestCase(AppPagesTestCase):
    app = "consultation"

    def setUp(self):
        super().setUp()
        self.mine = make_proposal(self.edition, self.zones[0], title="Voorstel van mijn zone")
        self.theirs = make_proposal(
            self.edition, self.zones[1], title="Voorstel van een andere zone"
        )

    def test_a_corps_chief_sees_only_the_proposals_of_their_zone(self):
        self.login(self.chief)
        response = self.client.get(self.url("proposals"))
        self.assertContains(response, "Voorstel van mijn zone")
        self.assertNotContains(response, "Voorstel van een andere zone")
        self.assertEqual(self.client.get(self.url("proposal", self.theirs.pk)).status_code, 404)
        self.assertEqual(self.client.get(self.url("proposal", self.mine.pk)).status_code, 200)

    def test_a_corps_chief_proposes_for_their_own_zone_even_if_the_form_is_tampered_with(self):
        self.set_phase(Phase.CONSULTATION)
        self.login(self.chief)
        data = {
            "zone": self.zones[5].pk,
            "language": "fr",
            "domain": self.edition.domains.get(number=2).pk,
            "title": "Plus de policiers de quartier",
            "text": "Renforcer le travail de quartier.",
        }
        response = self.client.post(self.url("proposal_new"), data)
        created = Proposal.objects.get(title="Plus de policiers de quartier")
        self.assertRedirects(response, self.url("proposal", created.pk))
        self.assertEqual(created.zone, self.zones[0])
        self.assertEqual(created.author, self.chief)

    def test_the_form_shows_what_was_typed_when_something_is_missing(self):
        self.login(self.chief)
        response = self.client.post(
            self.url("proposal_new"), {"language": "nl", "title": "Mijn titel"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Mijn titel"')
        self.assertContains(response, "errorlist")

    def test_corps_chiefs_cannot_import_merge_or_see_duplicates(self):
        self.login(self.chief)
        for name in ("import", "import_template", "duplicates", "merges", "event_new"):
            self.assertEqual(self.client.get(self.url(name)).status_code, 403, name)
        response = self.client.post(
            self.url("merge"),
            {
                "confirm": "1",
                "proposals": [self.mine.pk],
                "target": recommendation(self.edition).pk,
            },
        )
        self.assertEqual(response.status_code, 403)

    def test_the_secretariat_sees_every_proposal_and_the_similar_items(self):
        self.login(self.secretariat)
        response = self.client.get(self.url("proposals"))
        self.assertContains(response, "Voorstel van een andere zone")
        response = self.client.get(self.url("proposal", self.mine.pk))
        self.assertContains(response, "Most similar proposals")
        self.assertContains(response, "Voorstel van een andere zone")
        for name in ("import", "duplicates", "merges", "events", "event_new"):
            self.assertEqual(self.client.get(self.url(name)).status_code, 200, name)

    def test_other_roles_and_visitors_have_no_access_to_proposals(self):
        for user in (self.partner, self.assembly, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(self.url("proposals")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url("proposals")).status_code, 302)

    def test_the_provenance_shows_counts_to_all_but_proposal_texts_only_to_those_allowed(self):
        merge_proposals(
            proposals=[self.mine, self.theirs],
            into=recommendation(self.edition, "R1"),
            by=self.secretariat,
        )
        url = self.url("provenance", "R1")
        self.client.logout()
        response = self.client.get(url)
        self.assertContains(response, "Supported by 2 police zones")
        self.assertNotContains(response, "Voorstel van mijn zone")
        self.login(self.chief)
        response = self.client.get(url)
        self.assertContains(response, "Voorstel van mijn zone")
        self.assertNotContains(response, "Voorstel van een andere zone")
        self.login(self.secretariat)
        self.assertContains(self.client.get(url), "Voorstel van een andere zone")

    def test_the_secretariat_records_a_consultation_event(self):
        self.login(self.secretariat)
        response = self.client.post(
            self.url("event_new"),
            {
                "kind": "seminar",
                "title": "Seminarie",
                "date": "2023-03-10",
                "precision": "month",
                "participants": 40,
            },
        )
        self.assertRedirects(response, self.url("events"))
        self.assertContains(self.client.get(self.url("events")), "March 2023")

    def test_a_refused_event_keeps_its_date_in_a_form_the_date_picker_shows(self):
        # <input type="date"> shows only an ISO value: "10/03/2023" would come back empty.
        self.login(self.secretariat)
        french = self.url("event_new").replace("/en/", "/fr/", 1)
        response = self.client.post(french, {"kind": "seminar", "date": "2023-03-10"})
        self.assertContains(response, 'value="2023-03-10"')

    def test_a_corps_chief_withdraws_a_new_proposal_of_their_zone_only(self):
        self.login(self.chief)
        self.assertContains(
            self.client.get(self.url("proposal", self.mine.pk)), "Withdraw this proposal"
        )
        response = self.client.post(self.url("proposal_withdraw", self.mine.pk))
        self.assertRedirects(response, self.url("proposal", self.mine.pk))
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.status, "withdrawn")
        self.assertEqual(
            self.client.post(self.url("proposal_withdraw", self.mine.pk)).status_code, 403
        )
        self.assertEqual(
            self.client.post(self.url("proposal_withdraw", self.theirs.pk)).status_code, 404
        )
        self.assertEqual(
            self.client.get(self.url("proposal_withdraw", self.mine.pk)).status_code, 405
        )

    def test_a_merged_proposal_cannot_be_withdrawn(self):
        merge_proposals(
            proposals=[self.theirs], into=recommendation(self.edition, "R1"), by=self.secretariat
        )
        self.login(self.secretariat)
        self.assertEqual(
            self.client.post(self.url("proposal_withdraw", self.theirs.pk)).status_code, 403
        )

    def test_the_proposal_form_hints_at_recommendations_that_look_alike(self):
        self.login(self.chief)
        url = self.url("similar_hint")
        response = self.client.get(
            url,
            {
                "language": "nl",
                "title": "Een optimale en duurzame financiering van de politie",
                "text": "",
            },
        )
        self.assertContains(response, "R1")
        self.assertNotContains(self.client.get(url, {"language": "nl", "title": "kort"}), "<li>")
        self.login(self.partner)
        self.assertEqual(self.client.get(url, {"title": "x"}).status_code, 403)
