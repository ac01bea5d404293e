import hashlib

from django.core import mail

from memorandum.survey import services
from memorandum.survey.models import Invitation
from memorandum.survey.tests.helpers import (
    last_token,
    link,
    make_survey,
    ranking_post,
    token_from_mail,
)
from memorandum.test import BaseTestCase


class InvitationTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)

    def send_all(self):
        self.login(self.secretariat)
        return self.client.post(f"/en/editions/2024-2028/surveys/{self.survey.pk}/do/invite/")

    def test_every_zone_gets_one_invitation_by_e_mail(self):
        self.send_all()
        self.assertEqual(Invitation.objects.filter(survey=self.survey).count(), len(self.zones))
        self.assertEqual(len(mail.outbox), len(self.zones))
        self.send_all()  # a second click invites nobody twice
        self.assertEqual(len(mail.outbox), len(self.zones))

    def test_only_a_hash_of_the_token_is_stored(self):
        self.send_all()
        message = next(m for m in mail.outbox if m.to == [self.zones[0].email])
        raw = token_from_mail(message)
        self.assertGreaterEqual(len(raw), 43)  # 32 random bytes, base64url
        invitation = Invitation.objects.get(survey=self.survey, zone=self.zones[0])
        self.assertEqual(invitation.token_hash, hashlib.sha256(raw.encode()).hexdigest())
        self.assertFalse(Invitation.objects.filter(token_hash=raw).exists())

    def test_the_link_opens_the_ballot_of_the_zone(self):
        self.send_all()
        message = next(m for m in mail.outbox if m.to == [self.zones[3].email])
        response = self.client.get(link(token_from_mail(message)))
        self.assertContains(response, self.zones[3].name)

    def test_the_e_mail_is_in_the_language_of_the_zone(self):
        self.send_all()
        french = next(z for z in self.zones if z.language == "fr")
        message = next(m for m in mail.outbox if m.to == [french.email])
        self.assertIn("/fr/survey/ballot/", message.body)
        self.assertIn("Invitation", message.subject)
        self.assertIn("Zone de police", message.body)

    def test_a_wrong_link_reveals_nothing(self):
        response = self.client.get(link("not-a-real-token"))
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "survey/invalid_link.html")

    def test_a_revoked_link_shows_the_same_page_as_a_wrong_one(self):
        self.send_all()
        invitation = Invitation.objects.get(survey=self.survey, zone=self.zones[0])
        raw = token_from_mail(next(m for m in mail.outbox if m.to == [self.zones[0].email]))
        self.client.post(
            f"/en/editions/2024-2028/surveys/{self.survey.pk}/invitations/{invitation.pk}/revoke/"
        )
        self.client.logout()
        response = self.client.get(link(raw))
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "survey/invalid_link.html")
        self.assertNotContains(response, self.zones[0].name, status_code=404)
        response = self.client.post(link(raw), ranking_post(self.survey, ["R1"]))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.survey.ballots.exists())

    def test_resending_sends_a_new_link_and_the_old_one_stops_working(self):
        self.send_all()
        invitation = Invitation.objects.get(survey=self.survey, zone=self.zones[0])
        old = token_from_mail(next(m for m in mail.outbox if m.to == [self.zones[0].email]))
        self.client.post(
            f"/en/editions/2024-2028/surveys/{self.survey.pk}/invitations/{invitation.pk}/resend/"
        )
        new = last_token()
        self.assertNotEqual(old, new)
        self.client.logout()
        self.assertEqual(self.client.get(link(old)).status_code, 404)
        self.assertEqual(self.client.get(link(new)).status_code, 200)

    def test_reminders_go_only_to_zones_that_have_not_answered(self):
        self.send_all()
        services.ballot_save(
            survey=self.survey,
            zone=self.zones[0],
            payload={"overall": ["R1"], "within": {}},
            submit=True,
        )
        mail.outbox.clear()
        response = self.client.post(
            f"/en/editions/2024-2028/surveys/{self.survey.pk}/do/remind/", {"next": "participation"}
        )
        self.assertRedirects(
            response, f"/en/editions/2024-2028/surveys/{self.survey.pk}/participation/"
        )
        recipients = {m.to[0] for m in mail.outbox}
        self.assertEqual(len(recipients), len(self.zones) - 1)
        self.assertNotIn(self.zones[0].email, recipients)
        self.assertIn(
            "Herinnering", next(m for m in mail.outbox if m.to == [self.zones[1].email]).subject
        )

    def test_the_corps_chief_can_hand_the_ballot_to_a_delegate(self):
        self.send_all()
        raw = token_from_mail(next(m for m in mail.outbox if m.to == [self.zones[0].email]))
        mail.outbox.clear()
        self.client.logout()
        response = self.client.post(
            link(raw), {"action": "delegate", "name": "An Adjunct", "email": "an@example.invalid"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(mail.outbox[0].to, ["an@example.invalid"])
        self.assertIn("An Adjunct", mail.outbox[0].body)
        self.assertEqual(self.client.get(link(raw)).status_code, 404)
        self.client.post(link(last_token()), ranking_post(self.survey, ["R6"]))
        ballot = self.survey.ballots.get(zone=self.zones[0])
        self.assertEqual(ballot.cast_by, "An Adjunct")

    def test_a_delegate_needs_a_valid_e_mail(self):
        self.send_all()
        raw = token_from_mail(next(m for m in mail.outbox if m.to == [self.zones[0].email]))
        self.client.logout()
        response = self.client.post(
            link(raw), {"action": "delegate", "name": "X", "email": "not-an-address"}, follow=True
        )
        self.assertContains(response, "not handed over")
        self.assertEqual(self.client.get(link(raw)).status_code, 200)


class BilingualInvitationTestCase(BaseTestCase):
    def test_a_brussels_zone_gets_its_invitation_in_dutch_and_french(self):
        survey = make_survey(self.edition, title_fr="Priorités")
        brussels = next(z for z in self.zones if z.language == "nl-fr")
        services.invitations_send(survey=survey, zones=[brussels])
        message = mail.outbox[0]
        self.assertIn("Uitnodiging", message.subject)
        self.assertIn("Invitation", message.subject)
        # Each part names the survey by its title in that part's language.
        self.assertIn("Uitnodiging: Prioriteiten", message.subject)
        self.assertTrue(message.subject.endswith("Priorités"), message.subject)
        dutch, french = message.body.split("\n\n-----\n\n")
        self.assertIn("Prioriteiten", dutch)
        self.assertNotIn("Priorités", dutch)
        self.assertIn("Priorités", french)
        self.assertIn("/nl/survey/ballot/", message.body)
        self.assertIn("/fr/survey/ballot/", message.body)
        # One token for both languages: the same link, in two language prefixes.
        tokens = {
            line.rstrip("/").rsplit("/", 1)[-1]
            for line in message.body.splitlines()
            if "/survey/ballot/" in line
        }
        self.assertEqual(len(tokens), 1)


class MissingAddressTestCase(BaseTestCase):
    def test_a_zone_without_e_mail_address_is_named_and_invited_later(self):
        survey = make_survey(self.edition)
        zone = self.zones[5]
        zone.email = ""
        zone.save()
        self.login(self.secretariat)
        url = f"/en/editions/2024-2028/surveys/{survey.pk}/do/invite/"
        response = self.client.post(url, follow=True)
        self.assertContains(response, "no e-mail address")
        self.assertContains(response, zone.code)
        self.assertEqual(len(mail.outbox), len(self.zones) - 1)
        zone.email = "zone6@example.invalid"
        zone.save()
        self.client.post(url)
        self.assertEqual(mail.outbox[-1].to, ["zone6@example.invalid"])
        self.assertEqual(Invitation.objects.filter(survey=survey).count(), len(self.zones))
