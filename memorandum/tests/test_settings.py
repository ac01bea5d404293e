import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django.test import TestCase, skipUnlessDBFeature

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    """With DEBUG off, a real key and hosts, `check --deploy` reports nothing."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY="x" * 20 + "-a-real-production-key-with-enough-entropy-9f8e7d6c5b4a",
        ALLOWED_HOSTS="memorandum.example.org",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        MEMORANDUM_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_the_development_key(tmp_path):
    """Forgetting SECRET_KEY in production is an error with its own id."""
    result = run_manage(
        "check", "--deploy", DEBUG="False", ALLOWED_HOSTS="x.org", MEMORANDUM_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "memorandum.E001" in result.stderr


class SqliteModeTestCase(TestCase):
    @skipUnlessDBFeature("supports_json_field")
    def test_sqlite_runs_in_wal_mode(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        # The test database lives in memory (no WAL there), so check a file database.
        from django.conf import settings

        assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_a_fresh_file_database_is_in_wal_mode(tmp_path):
    """`migrate` on the embedded database leaves it in WAL mode."""
    result = run_manage("migrate", "-v0", MEMORANDUM_VAR_DIR=str(tmp_path), DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    import sqlite3

    mode = (
        sqlite3.connect(tmp_path / "memorandum.sqlite3")
        .execute("PRAGMA journal_mode")
        .fetchone()[0]
    )
    assert mode == "wal"


class HealthTestCase(TestCase):
    def test_healthz_answers_when_the_database_does(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.json(), {"status": "ok"})
