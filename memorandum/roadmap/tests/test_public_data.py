"""Public data minimisation: private attachments by default, organisations instead of names."""

from django.core.files.uploadedfile import SimpleUploadedFile

from memorandum.catalogue.models import UserProfile
from memorandum.catalogue.people import public_name
from memorandum.roadmap.tests.base import RoadmapTestCase


def url(initiative, suffix: str = "") -> str:
    return f"/nl/editions/{initiative.edition.slug}/roadmap/initiatives/{initiative.pk}/{suffix}"


class AttachmentTestCase(RoadmapTestCase):
    def attach(self, **kwargs):
        return self.record(
            self.public_initiative,
            self.chief,
            attachment=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 test", "application/pdf"),
            **kwargs,
        )

    def test_an_attachment_is_private_unless_the_uploader_marks_it_public(self):
        update = self.attach()
        self.assertFalse(update.attachment_public)
        path = url(self.public_initiative, f"updates/{update.pk}/attachment/")
        self.assertEqual(self.client.get(path).status_code, 404)
        page = self.client.get(url(self.public_initiative))
        self.assertNotContains(page, path)  # no link that fails for visitors
        self.login(self.outsider)
        self.assertEqual(self.client.get(path).status_code, 404)
        for user in (self.chief, self.partner, self.secretariat):
            self.login(user)
            self.assertEqual(self.client.get(path).status_code, 200)
            self.assertContains(self.client.get(url(self.public_initiative)), path)

    def test_a_public_attachment_is_served_to_visitors(self):
        update = self.attach(attachment_public=True)
        path = url(self.public_initiative, f"updates/{update.pk}/attachment/")
        self.assertContains(self.client.get(url(self.public_initiative)), path)
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 test")

    def test_the_update_form_says_attachments_are_private_and_records_the_choice(self):
        self.login(self.chief)
        form = self.client.get(url(self.public_initiative, "update/"))
        self.assertContains(form, "Bijlagen zijn privé tenzij u dit aanvinkt")
        self.client.post(
            url(self.public_initiative, "update/"),
            {
                "date": "2025-01-01",
                "text": "Publiek verslag",
                "attachment": SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 x", "application/pdf"),
                "attachment_public": "on",
            },
        )
        self.assertTrue(self.public_initiative.updates.get().attachment_public)


class NamesTestCase(RoadmapTestCase):
    def setUp(self):
        super().setUp()
        self.chief.first_name, self.chief.last_name = "Katrien", "Korpschef"
        self.chief.save()

    def test_visitors_see_the_zone_of_an_author_not_their_name(self):
        self.record(self.public_initiative, self.chief, text="Wetsontwerp ingediend")
        page = self.client.get(url(self.public_initiative))
        self.assertContains(page, "Wetsontwerp ingediend")
        self.assertNotContains(page, "Korpschef")
        self.assertContains(page, self.zones[0].name)
        self.login(self.outsider)  # an account without a role reads like the public
        self.assertNotContains(self.client.get(url(self.public_initiative)), "Korpschef")
        self.login(self.partner)
        self.assertContains(self.client.get(url(self.public_initiative)), "Katrien Korpschef")

    def test_a_person_who_opts_in_is_named_to_visitors(self):
        UserProfile.objects.filter(user=self.chief).update(show_name_publicly=True)
        self.record(self.public_initiative, self.chief, text="Wetsontwerp ingediend")
        self.assertContains(self.client.get(url(self.public_initiative)), "Katrien Korpschef")

    def test_a_partner_is_shown_as_their_organisation_and_the_secretariat_as_such(self):
        self.assertEqual(public_name(self.partner), "Federale Politie")
        self.assertIn(public_name(self.secretariat), ("the secretariat", "het secretariaat"))
        self.assertEqual(public_name(self.partner, self.chief), "partner")

    def test_my_profile_page_lets_a_person_opt_in(self):
        self.login(self.chief)
        page = self.client.get("/en/profile/")
        self.assertContains(page, "Visitors who are not logged in")
        self.assertContains(page, self.zones[0].name)
        self.client.post("/en/profile/", {"preferred_language": "fr", "show_name_publicly": "on"})
        profile = UserProfile.objects.get(user=self.chief)
        self.assertTrue(profile.show_name_publicly)
        self.assertEqual(profile.preferred_language, "fr")
        # The header's name leads to My account, which links to this page.
        self.assertContains(self.client.get("/en/accounts/me/"), 'href="/en/profile/"')

    def test_the_profile_page_needs_a_login(self):
        self.assertEqual(self.client.get("/en/profile/").status_code, 302)
