import hashlib
import smtplib
from datetime import timedelta

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from memorandum.survey import casting, participation, services
from memorandum.survey.mail import mail_deliver
from memorandum.survey.models import Invitation, InvitationMail, MailStatus, TallyRun, derive_token
from memorandum.survey.tests.helpers import (
    last_token,
    link,
    make_survey,
    ranking_post,
    through_the_worker,
    token_from_mail,
)
from memorandum.test import BaseTestCase, run_queued_tasks

REFUSING = set()


class FlakyBackend(EmailBackend):
    """The local-memory outbox, with a mail server that drops the connection for some
    recipients (``REFUSING``), as an SMTP server that fails midway would."""

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & REFUSING:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class InvitationTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)
        self.base = f"/en/editions/2024-2028/surveys/{self.survey.pk}"

    def send_all(self):
        self.login(self.secretariat)
        return through_the_worker(self, self.client.post, f"{self.base}/do/invite/")

    def mail_to(self, zone):
        return [m for m in mail.outbox if m.to == [zone.email]]

    def test_every_zone_gets_one_invitation_by_e_mail(self):
        self.send_all()
        self.assertEqual(Invitation.objects.filter(survey=self.survey).count(), len(self.zones))
        self.assertEqual(len(mail.outbox), len(self.zones))
        self.send_all()  # a second click invites nobody twice
        self.assertEqual(len(mail.outbox), len(self.zones))

    def test_a_zone_that_ended_in_a_merger_is_not_invited(self):
        ended = self.zones[2]
        ended.merged_into, ended.ended_on = self.zones[3], timezone.localdate()
        ended.save()
        self.login(self.secretariat)
        self.assertContains(
            self.client.get(f"{self.base}/do/invite/"), f"{len(self.zones) - 1} zones receive"
        )
        self.send_all()
        self.assertFalse(Invitation.objects.filter(survey=self.survey, zone=ended).exists())
        self.assertEqual(len(mail.outbox), len(self.zones) - 1)

    def test_the_request_only_queues_the_e_mails_and_the_worker_sends_them(self):
        self.login(self.secretariat)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"{self.base}/do/invite/", follow=True)
        self.assertEqual(mail.outbox, [])
        self.assertContains(response, f"{len(self.zones)} invitations are being sent")
        self.assertEqual(
            InvitationMail.objects.filter(status=MailStatus.QUEUED).count(), len(self.zones)
        )
        self.assertContains(response, 'data-mail-status="queued"', count=len(self.zones))
        self.assertEqual(run_queued_tasks(), len(self.zones))
        self.assertEqual(len(mail.outbox), len(self.zones))
        page = self.client.get(f"{self.base}/")
        self.assertContains(page, 'data-mail-status="sent"', count=len(self.zones))
        self.assertContains(page, f"E-mails: {len(self.zones)} sent, 0 waiting, 0 failed.")
        invitation = Invitation.objects.filter(survey=self.survey).first()
        self.assertIsNotNone(invitation.sent_at)

    def test_sending_the_invitations_is_confirmed_first_and_says_how_many(self):
        self.login(self.secretariat)
        response = self.client.get(f"{self.base}/do/invite/")
        self.assertContains(response, f"Send {len(self.zones)} invitations?")
        self.assertContains(response, f"{len(self.zones)} zones receive an e-mail")
        self.assertTemplateUsed(response, "confirm.html")
        self.assertFalse(Invitation.objects.exists())

    def test_only_a_hash_of_the_token_and_a_nonce_are_stored(self):
        self.send_all()
        raw = token_from_mail(self.mail_to(self.zones[0])[0])
        self.assertGreaterEqual(len(raw), 43)  # 256 bits, base64url
        invitation = Invitation.objects.get(survey=self.survey, zone=self.zones[0])
        self.assertEqual(invitation.token_hash, hashlib.sha256(raw.encode()).hexdigest())
        self.assertEqual(derive_token(invitation.token_nonce), raw)
        self.assertNotEqual(invitation.token_nonce, raw)
        self.assertFalse(Invitation.objects.filter(token_hash=raw).exists())
        self.assertFalse(Invitation.objects.filter(token_nonce=raw).exists())

    def test_without_the_secret_key_the_nonce_gives_no_working_link(self):
        self.send_all()
        invitation = Invitation.objects.get(survey=self.survey, zone=self.zones[0])
        with override_settings(SECRET_KEY="a-stolen-database-but-not-the-key"):
            guessed = derive_token(invitation.token_nonce)
        self.client.logout()
        self.assertEqual(self.client.get(link(guessed)).status_code, 404)

    def test_the_link_opens_the_ballot_of_the_zone(self):
        self.send_all()
        response = self.client.get(link(token_from_mail(self.mail_to(self.zones[3])[0])))
        self.assertContains(response, self.zones[3].name)

    def test_the_e_mail_is_in_the_language_of_the_zone(self):
        self.send_all()
        french = next(z for z in self.zones if z.language == "fr")
        message = self.mail_to(french)[0]
        self.assertIn("/fr/survey/ballot/", message.body)
        self.assertIn("Invitation", message.subject)
        self.assertIn("Zone de police", message.body)

    @override_settings(SECRETARIAT_EMAIL="secretariaat@vclp.example")
    def test_a_wrong_link_reveals_nothing_and_gives_the_secretariats_address(self):
        response = self.client.get(link("not-a-real-token"))
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "survey/invalid_link.html")
        self.assertContains(response, "mailto:secretariaat@vclp.example", status_code=404)

    def test_revoking_is_confirmed_and_a_revoked_link_shows_the_same_page_as_a_wrong_one(self):
        self.send_all()
        invitation = Invitation.objects.get(survey=self.survey, zone=self.zones[0])
        raw = token_from_mail(self.mail_to(self.zones[0])[0])
        url = f"{self.base}/invitations/{invitation.pk}/revoke/"
        confirm = self.client.get(url)
        self.assertContains(confirm, f"Revoke the link of {self.zones[0]}?")
        self.assertContains(confirm, "This cannot be undone.")
        invitation.refresh_from_db()
        self.assertFalse(invitation.is_revoked)  # the GET changed nothing
        self.client.post(url)
        self.client.logout()
        response = self.client.get(link(raw))
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "survey/invalid_link.html")
        self.assertNotContains(response, self.zones[0].name, status_code=404)
        response = self.client.post(link(raw), ranking_post(self.survey, ["R1"]))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.survey.ballots.exists())

    def test_a_new_link_is_confirmed_and_the_old_one_stops_working(self):
        self.send_all()
        invitation = Invitation.objects.get(survey=self.survey, zone=self.zones[0])
        old = token_from_mail(self.mail_to(self.zones[0])[0])
        url = f"{self.base}/invitations/{invitation.pk}/new_link/"
        self.assertContains(self.client.get(url), "stops working at once")
        through_the_worker(self, self.client.post, url)
        new = last_token()
        self.assertNotEqual(old, new)
        self.assertIn("Dit is een nieuwe link", mail.outbox[-1].body)  # the zone speaks Dutch
        self.client.logout()
        self.assertEqual(self.client.get(link(old)).status_code, 404)
        self.assertEqual(self.client.get(link(new)).status_code, 200)

    def test_sending_again_mails_the_same_link(self):
        self.send_all()
        invitation = Invitation.objects.get(survey=self.survey, zone=self.zones[0])
        first = token_from_mail(self.mail_to(self.zones[0])[0])
        through_the_worker(
            self, self.client.post, f"{self.base}/invitations/{invitation.pk}/resend/"
        )
        self.assertEqual(last_token(), first)
        self.assertEqual(self.client.get(link(first)).status_code, 200)

    def test_reminders_go_only_to_zones_that_have_not_answered_with_the_same_link(self):
        self.send_all()
        casting.ballot_save(
            survey=self.survey,
            zone=self.zones[0],
            payload={"overall": ["R1"], "within": {}},
            submit=True,
        )
        invited = token_from_mail(self.mail_to(self.zones[1])[0])
        mail.outbox.clear()
        confirm = self.client.get(f"{self.base}/do/remind/?next=participation")
        self.assertContains(confirm, f"Remind {len(self.zones) - 1} zones?")
        response = through_the_worker(
            self, self.client.post, f"{self.base}/do/remind/", {"next": "participation"}
        )
        self.assertRedirects(response, f"{self.base}/participation/")
        recipients = {m.to[0] for m in mail.outbox}
        self.assertEqual(len(recipients), len(self.zones) - 1)
        self.assertNotIn(self.zones[0].email, recipients)
        reminder = self.mail_to(self.zones[1])[0]
        self.assertIn("Herinnering", reminder.subject)
        self.assertEqual(token_from_mail(reminder), invited)
        self.client.logout()
        self.assertEqual(self.client.get(link(invited)).status_code, 200)

    def test_a_delegate_keeps_access_after_a_reminder(self):
        self.send_all()
        raw = token_from_mail(self.mail_to(self.zones[0])[0])
        self.client.logout()
        through_the_worker(
            self,
            self.client.post,
            link(raw),
            {"action": "delegate", "name": "An Adjunct", "email": "an@example.invalid"},
        )
        delegate_link = last_token()
        self.login(self.secretariat)
        mail.outbox.clear()
        through_the_worker(self, self.client.post, f"{self.base}/do/remind/")
        reminder = next(m for m in mail.outbox if m.to == ["an@example.invalid"])
        self.assertNotIn(self.zones[0].email, [m.to[0] for m in mail.outbox])
        self.assertEqual(token_from_mail(reminder), delegate_link)
        self.client.logout()
        self.assertEqual(self.client.get(link(delegate_link)).status_code, 200)

    def test_the_corps_chief_can_hand_the_ballot_to_a_delegate(self):
        self.send_all()
        raw = token_from_mail(self.mail_to(self.zones[0])[0])
        mail.outbox.clear()
        self.client.logout()
        response = through_the_worker(
            self,
            self.client.post,
            link(raw),
            {"action": "delegate", "name": "An Adjunct", "email": "an@example.invalid"},
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
        raw = token_from_mail(self.mail_to(self.zones[0])[0])
        self.client.logout()
        response = self.client.post(
            link(raw), {"action": "delegate", "name": "X", "email": "not-an-address"}, follow=True
        )
        self.assertContains(response, "not handed over")
        self.assertEqual(self.client.get(link(raw)).status_code, 200)


@override_settings(
    EMAIL_BACKEND="memorandum.survey.tests.test_invitations.FlakyBackend", SURVEY_MAIL_ATTEMPTS=3
)
class MailFailureTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)
        self.base = f"/en/editions/2024-2028/surveys/{self.survey.pk}"
        self.login(self.secretariat)
        self.failing = self.zones[3:6]
        REFUSING.clear()
        REFUSING.update(z.email for z in self.failing)
        self.addCleanup(REFUSING.clear)

    def run_due_retries(self):
        """Let the backoff pass: every planned retry is due now."""
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        InvitationMail.objects.filter(next_attempt_at__isnull=False).update(
            next_attempt_at=timezone.now()
        )
        return run_queued_tasks()

    def test_an_smtp_failure_midway_loses_nothing_and_is_retried_with_backoff(self):
        through_the_worker(self, self.client.post, f"{self.base}/do/invite/")
        # Every invitation exists; the mails that went out stay sent.
        self.assertEqual(self.survey.invitations.count(), len(self.zones))
        self.assertEqual(len(mail.outbox), len(self.zones) - 3)
        waiting = InvitationMail.objects.filter(status=MailStatus.QUEUED)
        self.assertEqual(waiting.count(), 3)
        first = waiting.first()
        self.assertEqual(first.attempts, 1)
        self.assertIn("SMTPServerDisconnected", first.error)
        self.assertGreater(first.next_attempt_at, timezone.now() + timedelta(seconds=50))
        self.assertEqual(run_queued_tasks(), 0, "the retry waits for its time")
        page = self.client.get(f"{self.base}/")
        self.assertContains(page, "next attempt")
        self.run_due_retries()
        self.run_due_retries()
        failed = InvitationMail.objects.filter(status=MailStatus.FAILED)
        self.assertEqual(
            sorted(m.invitation.zone_id for m in failed), sorted(z.pk for z in self.failing)
        )
        self.assertEqual({m.attempts for m in failed}, {3})
        page = self.client.get(f"{self.base}/")
        self.assertContains(page, 'data-mail-status="failed"', count=3)
        self.assertContains(page, "Connection unexpectedly closed")
        self.assertContains(page, "Send the 3 failed e-mails again")

    def test_the_participation_page_marks_zones_whose_e_mail_failed(self):
        through_the_worker(self, self.client.post, f"{self.base}/do/invite/")
        page = self.client.get(f"{self.base}/participation/")
        self.assertContains(page, "e-mail waiting", count=3)  # a retry is planned
        self.run_due_retries()
        self.run_due_retries()
        page = self.client.get(f"{self.base}/participation/")
        self.assertContains(page, "e-mail failed", count=3)

    def test_a_zone_whose_e_mail_is_waiting_is_not_sent_it_twice(self):
        through_the_worker(self, self.client.post, f"{self.base}/do/invite/")
        waiting = InvitationMail.objects.filter(status=MailStatus.QUEUED).first().invitation
        url = f"{self.base}/invitations/{waiting.pk}/resend/"
        self.assertContains(self.client.get(url), "still waiting to be sent")
        before = InvitationMail.objects.count()
        self.client.post(url)
        self.assertEqual(InvitationMail.objects.count(), before)

    def test_resend_failed_resends_only_what_failed(self):
        through_the_worker(self, self.client.post, f"{self.base}/do/invite/")
        self.run_due_retries()
        self.run_due_retries()
        sent_before = len(mail.outbox)
        REFUSING.clear()  # the mail server is back
        confirm = self.client.get(f"{self.base}/do/resend_failed/")
        self.assertContains(confirm, "Send 3 failed e-mails again?")
        through_the_worker(self, self.client.post, f"{self.base}/do/resend_failed/")
        self.assertEqual(len(mail.outbox), sent_before + 3)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox[sent_before:]),
            sorted(z.email for z in self.failing),
        )
        self.assertEqual(
            participation.mail_counts(self.survey),
            {"queued": 0, "sending": 0, "sent": len(self.zones), "failed": 0, "cancelled": 0},
        )

    def test_a_refused_address_is_not_retried(self):
        class Refused(EmailBackend):
            def send_messages(self, messages):
                raise smtplib.SMTPRecipientsRefused({"x@example.invalid": (550, b"no such user")})

        with override_settings(EMAIL_BACKEND=f"{__name__}.Refused"):
            globals()["Refused"] = Refused
            services.invitations_send(survey=self.survey, zones=[self.zones[0]])
            mail_id = InvitationMail.objects.get().pk
            self.assertEqual(mail_deliver(mail_id), "failed")
        self.assertEqual(InvitationMail.objects.get().status, MailStatus.FAILED)


class WorkerRestartTestCase(BaseTestCase):
    def setUp(self):
        self.survey = make_survey(self.edition)

    def test_a_job_run_twice_mails_once(self):
        services.invitations_send(survey=self.survey, zones=[self.zones[0]])
        mail_id = InvitationMail.objects.get().pk
        self.assertEqual(mail_deliver(mail_id), "sent")
        self.assertEqual(mail_deliver(mail_id), "nothing to do")
        self.assertEqual(mail_deliver(mail_id, takeover=True), "nothing to do")
        self.assertEqual(len(mail.outbox), 1)

    def test_a_mail_left_sending_by_a_stopped_worker_is_sent_once_after_recovery(self):
        services.invitations_send(survey=self.survey, zones=self.zones[:2])
        long_ago = timezone.now() - timedelta(hours=1)
        stopped = InvitationMail.objects.first()
        InvitationMail.objects.filter(pk=stopped.pk).update(
            status=MailStatus.SENDING, attempts=1, last_attempt_at=long_ago, created_at=long_ago
        )
        self.assertEqual(mail_deliver(stopped.pk), "nothing to do")  # maybe another worker's
        with self.captureOnCommitCallbacks(execute=True):
            call_command("recover_jobs", "--minutes", "5", stdout=open("/dev/null", "w"))
        run_queued_tasks()
        self.assertEqual(len([m for m in mail.outbox if m.to == [stopped.recipient]]), 1)
        stopped.refresh_from_db()
        self.assertEqual((stopped.status, stopped.attempts), (MailStatus.SENT, 2))

    def test_a_link_revoked_before_its_mail_left_is_not_mailed(self):
        services.invitations_send(survey=self.survey, zones=[self.zones[0]])
        services.invitation_revoke(invitation=Invitation.objects.get())
        self.assertEqual(mail_deliver(InvitationMail.objects.get().pk), "nothing to do")
        self.assertEqual(mail.outbox, [])
        cancelled = InvitationMail.objects.get()
        self.assertEqual(cancelled.status, MailStatus.CANCELLED)
        self.assertIn("ingetrokken", cancelled.error)  # "revoked"

    def test_a_new_link_cancels_the_e_mail_still_waiting_with_the_old_one(self):
        services.invitations_send(survey=self.survey, zones=[self.zones[0]])
        first = InvitationMail.objects.get()
        services.invitation_new_link(invitation=Invitation.objects.get())
        first.refresh_from_db()
        self.assertEqual(first.status, MailStatus.CANCELLED)
        self.assertEqual(mail_deliver(first.pk), "nothing to do")
        newest = InvitationMail.objects.exclude(pk=first.pk).get()
        self.assertEqual(mail_deliver(newest.pk), "sent")
        self.assertEqual(len(mail.outbox), 1)


class BilingualInvitationTestCase(BaseTestCase):
    def test_a_brussels_zone_gets_its_invitation_in_dutch_and_french(self):
        survey = make_survey(self.edition, title_fr="Priorités")
        brussels = next(z for z in self.zones if z.language == "nl-fr")
        through_the_worker(self, services.invitations_send, survey=survey, zones=[brussels])
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
        confirm = self.client.get(url)
        self.assertContains(confirm, "no e-mail address")
        self.assertContains(confirm, zone.code)
        through_the_worker(self, self.client.post, url)
        self.assertEqual(len(mail.outbox), len(self.zones) - 1)
        zone.email = "zone6@example.invalid"
        zone.save()
        through_the_worker(self, self.client.post, url)
        self.assertEqual(mail.outbox[-1].to, ["zone6@example.invalid"])
        self.assertEqual(Invitation.objects.filter(survey=survey).count(), len(self.zones))


class TranslatedConfirmationTestCase(BaseTestCase):
    def test_confirmations_and_statuses_are_in_dutch_and_french(self):
        survey = make_survey(self.edition)
        self.login(self.secretariat)
        nl = self.client.get(f"/nl/editions/2024-2028/surveys/{survey.pk}/do/invite/")
        self.assertContains(nl, f"{len(self.zones)} uitnodigingen versturen?")
        self.assertContains(nl, "Wat er zal gebeuren")
        fr = self.client.get(f"/fr/editions/2024-2028/surveys/{survey.pk}/do/close/")
        self.assertContains(fr, "Clôturer l&#x27;enquête et la dépouiller ?")
        self.assertContains(fr, "Cette action est irréversible.")
        through_the_worker(self, services.invitations_send, survey=survey)
        page = self.client.get(f"/nl/editions/2024-2028/surveys/{survey.pk}/")
        self.assertContains(page, f"E-mails: {len(self.zones)} verstuurd, 0 wachtend, 0 mislukt.")


class OutboxAdminTestCase(BaseTestCase):
    def test_the_back_office_lists_the_e_mails_and_counts_read_only(self):
        from django.contrib.auth import get_user_model

        survey = make_survey(self.edition)
        services.invitations_send(survey=survey, zones=self.zones[:2])
        admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
        self.login(admin)
        for url in ("/admin/survey/invitationmail/", "/admin/survey/tallyrun/"):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        mail_row = InvitationMail.objects.first()
        page = self.client.get(f"/admin/survey/invitationmail/{mail_row.pk}/change/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="status"')  # nothing to edit
        text = page.content.decode()
        # What the mail is first, the queue's bookkeeping after it, the failure last.
        self.assertLess(text.index("field-invitation"), text.index("field-created_at"))
        self.assertLess(text.index("field-sent_at"), text.index("field-error"))
        run = TallyRun.objects.create(survey=survey)
        page = self.client.get(f"/admin/survey/tallyrun/{run.pk}/change/")
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        self.assertLess(text.index("field-survey"), text.index("field-created_at"))
        self.assertLess(text.index("field-tally"), text.index("field-error"))


class InvitationMessageTestCase(BaseTestCase):
    @override_settings(
        SURVEY_MAIL_FROM="Memorandum VCLP <memorandum@vclp.example>",
        SECRETARIAT_EMAIL="secretariaat@vclp.example",
    )
    def test_the_invitation_is_html_and_text_from_the_configured_sender(self):
        from memorandum.catalogue.models import ZoneLanguage

        zone = self.zones[0]
        type(zone).objects.filter(pk=zone.pk).update(language=ZoneLanguage.BILINGUAL)
        survey = make_survey(self.edition)
        self.login(self.secretariat)
        url = f"/en/editions/2024-2028/surveys/{survey.pk}/do/invite/"
        through_the_worker(self, self.client.post, url)
        message = next(m for m in mail.outbox if m.to == [zone.email])
        self.assertEqual(message.from_email, "Memorandum VCLP <memorandum@vclp.example>")
        self.assertEqual(message.reply_to, ["secretariaat@vclp.example"])
        html, content_type = message.alternatives[0]
        self.assertEqual(content_type, "text/html")
        for text in (message.body, html):
            self.assertIn("Wat we vragen: zet de punten in volgorde van prioriteit", text)
            self.assertIn("Ce que nous demandons : classer les éléments", text)
            self.assertIn("secretariaat@vclp.example", text)
            self.assertIn("Vaste Commissie van de Lokale Politie", text)
            self.assertIn("Commission permanente de la Police locale", text)
            self.assertIn(token_from_mail(message), text)
        deadline = timezone.localtime(survey.closes_at)
        self.assertIn(f"{deadline.day} ", html)
        self.assertIn(str(deadline.year), html)
        self.assertIn('<div lang="nl">', html)
        self.assertIn('<div lang="fr">', html)
