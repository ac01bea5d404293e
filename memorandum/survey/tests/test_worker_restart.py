"""Killing the worker while it sends the invitations, then starting it again, sends every
invitation exactly once.

The worker runs as a real ``manage.py db_worker`` process on the test database (SQLite:
a copy of the in-memory test database in a file; PostgreSQL: the test database itself)
and mails into a directory through a backend that takes as long as an SMTP conversation.
It is killed with SIGKILL while it talks to the "mail server", in the middle of the 185
invitations; ``recover_jobs`` (what ``make demo`` runs before starting its worker) queues
again what the dead worker left, and a new worker finishes. The one moment a kill could
still mail twice — after the server accepted a message and before "sent" is committed —
lasts one small UPDATE and is documented in docs/survey.md.
"""

import collections
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase

from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.synthetic import generate_zones
from memorandum.survey import services
from memorandum.survey.models import InvitationMail
from memorandum.survey.tests.helpers import make_survey
from memorandum.survey.tests.slow_mail import recipients
from memorandum.test import Personas

ROOT = Path(settings.BASE_DIR)
ZONES = 185
LATENCY = 0.04


class WorkerKilledWhileSendingTestCase(Personas, TransactionTestCase):
    def setUp(self):
        self.create_personas()
        generate_zones(ZONES, seed=7)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.mail_dir = Path(self.tmp.name) / "mail"
        self.mail_dir.mkdir()
        self.survey = make_survey(self.edition)

    def worker_env(self) -> dict:
        env = {
            **os.environ,
            "EMAIL_BACKEND": "memorandum.survey.tests.slow_mail.SlowFileBackend",
            "MEMORANDUM_TEST_MAIL_DIR": str(self.mail_dir),
            "MEMORANDUM_TEST_MAIL_LATENCY": str(LATENCY),
            "TASKS_BACKEND": "database",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("REDIS_URL", None)
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            # The test database lives in this process's memory: the worker gets a file copy.
            var = Path(self.tmp.name) / "var"
            var.mkdir(exist_ok=True)
            self.db_file = var / "memorandum.sqlite3"
            target = sqlite3.connect(self.db_file)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            env["MEMORANDUM_VAR_DIR"] = str(var)
            env.pop("DATABASE_URL", None)
        else:
            user = db["USER"] or ""
            password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            host = db["HOST"] or "127.0.0.1"
            port = db["PORT"] or 5432
            env["DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
        return env

    def manage(self, *args) -> list[str]:
        return [sys.executable, str(ROOT / "manage.py"), *args]

    def mail_statuses(self) -> dict[str, int]:
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.db_file) as db:
                rows = db.execute(
                    "SELECT status, COUNT(*) FROM survey_invitationmail GROUP BY status"
                ).fetchall()
            return dict(rows)
        return collections.Counter(InvitationMail.objects.values_list("status", flat=True))

    def test_every_zone_gets_exactly_one_invitation_after_the_worker_is_killed(self):
        zones = list(PoliceZone.objects.all())
        self.assertEqual(len(zones), ZONES)
        queued, skipped = services.invitations_send(survey=self.survey)  # committed, jobs queued
        self.assertEqual((queued, skipped), (ZONES, []))
        env = self.worker_env()
        worker_args = ("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.05")

        first = subprocess.Popen(self.manage(*worker_args), cwd=ROOT, env=env)
        deadline = time.monotonic() + 120
        while len(recipients(self.mail_dir)) < 60:
            self.assertIsNone(first.poll(), "the worker stopped on its own")
            self.assertLess(time.monotonic(), deadline, "the worker sends nothing")
            time.sleep(0.005)
        time.sleep(LATENCY / 2)  # in the middle of the next conversation with the mail server
        first.send_signal(signal.SIGKILL)
        first.wait()
        sent_before = len(recipients(self.mail_dir))
        self.assertLess(sent_before, ZONES, "killed midway")
        statuses = self.mail_statuses()
        self.assertEqual(statuses.get("sent", 0), sent_before)

        subprocess.run(self.manage("recover_jobs", "--minutes", "0"), cwd=ROOT, env=env, check=True)
        subprocess.run(
            self.manage(*worker_args, "--batch"), cwd=ROOT, env=env, check=True, timeout=300
        )

        received = collections.Counter(recipients(self.mail_dir))
        self.assertEqual(set(received), {z.email for z in zones})
        self.assertEqual(
            [address for address, n in received.items() if n != 1], [], "mailed more than once"
        )
        self.assertEqual(self.mail_statuses(), {"sent": ZONES})
