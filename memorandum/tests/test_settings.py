"""Production settings that fail safe: the defaults, the start-up checks, the headers."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase, override_settings, skipUnlessDBFeature

from memorandum.checks import check_no_demo_accounts, check_production_settings
from memorandum.settings import env_header

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "x" * 20 + "-a-real-production-key-with-enough-entropy-9f8e7d6c5b4a"
# What the shell of a test run may carry that would change the outcome of a subprocess.
SETTINGS_VARIABLES = (
    "MEMORANDUM_ENV",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "SECURE_PROXY_SSL_HEADER",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
SAFE_PRODUCTION = {
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "memorandum.example.org",
    "SITE_URL": "https://memorandum.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    # Shared by every worker: the limits on guessing links count once for all (W003).
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run a command in a fresh process with production defaults plus ``env``."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environment.update(env)
    return subprocess.run(
        args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], **env)


def settings_value(expression: str, **env: str) -> str:
    code = f"import memorandum.settings as s; print({expression})"
    result = run([sys.executable, "-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_is_the_default(tmp_path):
    """Without any environment: DEBUG off, no hosts allowed, HTTPS-only cookies."""
    value = settings_value(
        "s.DEVELOPMENT, s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER",
        MEMORANDUM_VAR_DIR=str(tmp_path),
    )
    assert value == "False False [] True None"


def test_debug_cannot_be_switched_on_outside_development(tmp_path):
    assert settings_value("s.DEBUG", DEBUG="1", MEMORANDUM_VAR_DIR=str(tmp_path)) == "False"
    assert (
        settings_value("s.DEBUG", MEMORANDUM_ENV="development", MEMORANDUM_VAR_DIR=str(tmp_path))
        == "True"
    )


def test_importing_the_settings_creates_no_directory(tmp_path):
    var = tmp_path / "var"
    settings_value("s.STATIC_ROOT", MEMORANDUM_VAR_DIR=str(var))
    assert not var.exists()


def test_the_proxy_header_comes_from_the_environment(tmp_path):
    assert settings_value(
        "s.SECURE_PROXY_SSL_HEADER",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https",
        MEMORANDUM_VAR_DIR=str(tmp_path),
    ) == str(("HTTP_X_FORWARDED_PROTO", "https"))


def test_env_header_reads_django_and_http_spellings(monkeypatch):
    monkeypatch.setenv("H", "HTTP_X_FORWARDED_SSL=on")
    assert env_header("H") == ("HTTP_X_FORWARDED_SSL", "on")
    monkeypatch.setenv("H", "x-forwarded-proto")
    assert env_header("H") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.delenv("H")
    assert env_header("H") is None


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    """With a key, hosts, a public SITE_URL and collected static files, nothing is reported."""
    env = {**SAFE_PRODUCTION, "MEMORANDUM_VAR_DIR": str(tmp_path)}
    collected = run_manage("collectstatic", "--noinput", "-v0", **env)
    assert collected.returncode == 0, collected.stderr
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "command, missing, error",
    [
        ("check", "SECRET_KEY", "memorandum.E001"),
        ("migrate", "ALLOWED_HOSTS", "memorandum.E002"),
        ("runserver", "SITE_URL", "memorandum.E003"),
    ],
)
def test_start_up_refuses_an_unsafe_production_setting(tmp_path, command, missing, error):
    """Every start checks, not only `check --deploy`: each gap stops it with its own id."""
    env = {k: v for k, v in SAFE_PRODUCTION.items() if k != missing}
    args = [command, "--noreload"] if command == "runserver" else [command]
    result = run_manage(*args, MEMORANDUM_VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert error in result.stderr


def test_gunicorn_refuses_the_development_key(tmp_path):
    """Loading the WSGI application (what every gunicorn worker does) runs the same checks."""
    result = run(
        [sys.executable, "-c", "import memorandum.wsgi"],
        MEMORANDUM_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="memorandum.example.org",
        SITE_URL="https://memorandum.example.org",
    )
    assert result.returncode != 0
    assert "memorandum.E001" in result.stderr


def test_development_starts_without_any_setting(tmp_path):
    result = run_manage("check", MEMORANDUM_ENV="development", MEMORANDUM_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


class ProductionChecksTestCase(TestCase):
    @override_settings(DEVELOPMENT=False, SITE_URL="http://localhost:8000")
    def test_site_url_on_localhost_is_refused(self):
        ids = [problem.id for problem in check_production_settings(None)]
        self.assertIn("memorandum.E003", ids)

    @override_settings(DEVELOPMENT=False, REDIS_URL="")
    def test_without_a_shared_cache_production_is_warned_that_limits_count_per_process(self):
        ids = [problem.id for problem in check_production_settings(None)]
        self.assertIn("memorandum.W003", ids)
        with self.settings(REDIS_URL="redis://127.0.0.1:6379/0"):
            ids = [problem.id for problem in check_production_settings(None)]
        self.assertNotIn("memorandum.W003", ids)

    @override_settings(DEVELOPMENT=False)
    def test_a_demo_account_with_the_demo_password_stops_production(self):
        get_user_model().objects.create_user("chief", password="demo")
        ids = [problem.id for problem in check_no_demo_accounts(None)]
        self.assertEqual(ids, ["memorandum.E004"])

    @override_settings(DEVELOPMENT=False)
    def test_demo_accounts_with_real_passwords_are_fine(self):
        get_user_model().objects.create_user("chief", password="a-real-password-77")
        self.assertEqual(check_no_demo_accounts(None), [])

    def test_development_allows_the_demo(self):
        get_user_model().objects.create_user("chief", password="demo")
        self.assertEqual(check_no_demo_accounts(None), [])


class HeadersTestCase(TestCase):
    def test_pages_carry_a_strict_content_security_policy(self):
        response = self.client.get("/nl/login/")
        policy = response["Content-Security-Policy"]
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
        self.assertEqual(script_src.split(), ["script-src", "'self'"])
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertIn("object-src 'none'", policy)
        self.assertNotIn("unsafe-eval", policy)

    def test_pages_carry_the_other_security_headers(self):
        response = self.client.get("/nl/login/")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertIn("camera=()", response["Permissions-Policy"])
        self.assertIn("geolocation=()", response["Permissions-Policy"])

    def test_static_files_cannot_be_framed_or_sniffed(self):
        response = self.client.get("/static/memorandum/site.css")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_htmx_is_configured_for_the_policy(self):
        """No injected indicator <style>, no eval: htmx runs under script-src 'self'."""
        html = self.client.get("/nl/login/").content.decode()
        self.assertIn('"includeIndicatorStyles": false', html)
        self.assertIn('"allowEval": false', html)
        self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)[^>]*>")

    def test_the_admin_answers_under_one_address_only(self):
        self.assertEqual(self.client.get("/admin/").status_code, 302)
        for lang in ("nl", "fr", "en"):
            self.assertEqual(self.client.get(f"/{lang}/admin/").status_code, 404, lang)


class TokenRedactionTestCase(TestCase):
    def logged(self, *paths: str) -> str:
        """What the django logger's handler writes while these paths are requested."""
        handler = next(h for h in logging.getLogger("django").handlers if h.filters)
        stream = io.StringIO()
        previous = handler.setStream(stream)
        try:
            for path in paths:
                self.client.get(path)
        finally:
            handler.setStream(previous)
        return stream.getvalue()

    def test_ballot_tokens_never_reach_the_log(self):
        logged = self.logged(
            "/nl/survey/ballot/S3cr3t-t0ken-value/",
            "/nl/survey/ballot/S3cr3t-t0ken-value/?receipt=abc",
        )
        self.assertIn("/nl/survey/ballot/[redacted]/", logged)
        self.assertNotIn("S3cr3t", logged)

    def test_impact_estimate_tokens_never_reach_the_log(self):
        """A refused or unknown estimate link is logged ("Not Found: /nl/impact/estimate/…",
        "Bad Request: …" for a form error): its token is a secret like a ballot's."""
        logged = self.logged("/nl/impact/estimate/S3cr3t-t0ken-value/")
        self.assertIn("/nl/impact/estimate/[redacted]/", logged)
        self.assertNotIn("S3cr3t", logged)


class SqliteModeTestCase(TestCase):
    @skipUnlessDBFeature("supports_json_field")
    def test_sqlite_runs_in_wal_mode(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        # The test database lives in memory (no WAL there), so check a file database.
        from django.conf import settings

        assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_a_fresh_file_database_is_in_wal_mode(tmp_path):
    """`migrate` on the embedded database (in a folder that does not exist yet) uses WAL."""
    var = tmp_path / "var"
    result = run_manage(
        "migrate", "-v0", MEMORANDUM_ENV="development", MEMORANDUM_VAR_DIR=str(var), DATABASE_URL=""
    )
    assert result.returncode == 0, result.stderr
    import sqlite3

    mode = sqlite3.connect(var / "memorandum.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


class HealthTestCase(TestCase):
    def test_healthz_answers_when_the_database_does(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.json(), {"status": "ok"})


class HttpsRedirectTestCase(TestCase):
    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_pages_move_to_https_but_the_health_check_answers_on_http(self):
        self.assertEqual(self.client.get("/nl/login/").status_code, 301)
        self.assertEqual(self.client.get("/healthz").status_code, 200)


class ClientAddressTestCase(TestCase):
    def test_without_a_proxy_the_forwarded_header_is_ignored(self):
        from django.test import RequestFactory

        from memorandum.lib.security import client_address

        request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.2")
        self.assertEqual(client_address(request), "10.0.0.2")
        with self.settings(PROXY_COUNT=1):
            # The client wrote 6.6.6.6 itself; the proxy appended the address it saw.
            request.META["HTTP_X_FORWARDED_FOR"] = "6.6.6.6, 203.0.113.9"
            self.assertEqual(client_address(request), "203.0.113.9")

    def test_a_header_shorter_than_the_proxies_append_is_said_in_the_log(self):
        from django.test import RequestFactory

        from memorandum.lib import security

        request = RequestFactory().get(
            "/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.2"
        )
        with (
            mock.patch.object(security, "_short_header_warned", False),
            self.settings(PROXY_COUNT=2),
            self.assertLogs("memorandum.signin", "WARNING") as logs,
        ):
            # Two proxies should have appended an address each: the request is counted under
            # the address that connected, and the operator is told to check PROXY_COUNT.
            self.assertEqual(security.client_address(request), "10.0.0.2")
            security.client_address(request)
        self.assertEqual(len(logs.output), 1)  # once per process, not once per request
        self.assertIn("PROXY_COUNT=2", logs.output[0])
