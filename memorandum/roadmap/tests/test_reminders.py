"""Owners get one e-mail digest of what needs their attention, in their own language."""

import datetime as dt
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command

from memorandum.roadmap.tests.base import RoadmapTestCase
from memorandum.test import run_queued_tasks

TODAY = dt.date(2026, 3, 1)


def send(*args) -> str:
    out = StringIO()
    with (
        mock.patch("memorandum.roadmap.models.today", return_value=TODAY),
        mock.patch("memorandum.roadmap.reminders.today", return_value=TODAY),
        mock.patch(
            "memorandum.roadmap.management.commands.send_roadmap_reminders.today",
            return_value=TODAY,
        ),
    ):
        call_command("send_roadmap_reminders", *args, stdout=out)
    run_queued_tasks()  # the worker sends what the command queued
    return out.getvalue()


class RemindersTestCase(RoadmapTestCase):
    def test_each_owner_gets_one_digest_of_overdue_milestones_and_stale_initiatives(self):
        self.record(self.public_initiative, self.chief, date=dt.date(2025, 11, 1))
        send("--days", "60")
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            ["chief@example.invalid", "other_chief@example.invalid"],
        )
        chief_mail = next(m for m in mail.outbox if m.to == ["chief@example.invalid"])
        self.assertEqual(chief_mail.subject, "Opvolging: 2 punten vragen uw aandacht")
        self.assertIn("Ontwerp klaar", chief_mail.body)  # overdue milestone
        self.assertIn("Nieuwe financieringswet", chief_mail.body)  # no update since 1 November
        self.assertIn(f"/roadmap/initiatives/{self.public_initiative.pk}/", chief_mail.body)
        other_mail = next(m for m in mail.outbox if m.to == ["other_chief@example.invalid"])
        self.assertIn("Interne pilot i-Police", other_mail.body)
        self.assertNotIn("Ontwerp klaar", other_mail.body)

    def test_owners_with_nothing_to_do_get_no_mail(self):
        self.record(self.public_initiative, self.chief, date=dt.date(2026, 2, 20))
        self.milestone.done_date = dt.date(2025, 1, 30)
        self.milestone.save()
        self.private_initiative.status = "done"
        self.private_initiative.save()
        send()
        self.assertEqual(mail.outbox, [])

    def test_the_digest_is_in_the_owners_preferred_language(self):
        self.chief.profile.preferred_language = "fr"
        self.chief.profile.save()
        self.public_initiative.title_fr = "Nouvelle loi de financement"
        self.public_initiative.save()
        send()
        chief_mail = next(m for m in mail.outbox if m.to == ["chief@example.invalid"])
        self.assertIn("Nouvelle loi de financement", chief_mail.body)
        self.assertNotIn("Nieuwe financieringswet", chief_mail.body)
        self.assertEqual(chief_mail.subject, "Suivi : 2 points demandent votre attention")
        self.assertIn("Jalons en retard", chief_mail.body)

    def test_a_dry_run_lists_the_digests_and_sends_nothing(self):
        out = send("--dry-run")
        self.assertEqual(mail.outbox, [])
        self.assertIn("chief@example.invalid: 1 overdue milestones, 1 initiatives to update", out)


class QueuedDigestsTestCase(RoadmapTestCase):
    def test_the_command_only_queues_and_the_worker_sends(self):
        out = StringIO()
        with (
            mock.patch("memorandum.roadmap.models.today", return_value=TODAY),
            mock.patch("memorandum.roadmap.reminders.today", return_value=TODAY),
            mock.patch(
                "memorandum.roadmap.management.commands.send_roadmap_reminders.today",
                return_value=TODAY,
            ),
        ):
            call_command("send_roadmap_reminders", stdout=out)
        self.assertIn("Queued 2 digests", out.getvalue())
        self.assertEqual(mail.outbox, [])
        self.assertEqual(run_queued_tasks(), 2)
        self.assertEqual(len(mail.outbox), 2)
