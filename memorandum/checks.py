"""System checks for configuration mistakes that Django's own checks do not catch.

Outside development (``MEMORANDUM_ENV`` is not ``development``) the platform must not start
with settings that only make sense on a developer's machine. These checks are registered
without ``deploy=True``, so every management command that runs checks (``runserver``,
``migrate`` …) stops on them, and ``memorandum.wsgi`` runs them before gunicorn serves
anything (:func:`refuse_unsafe_start`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register, run_checks
from django.core.management.base import SystemCheckError
from django.db import DatabaseError, connection

# The tag of the checks that must hold before the platform serves a request.
TAG = "memorandum"
DEVELOPMENT_HINT = "For a development machine, set MEMORANDUM_ENV=development instead."
LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "testserver", ""}


@register(TAG)
def check_production_settings(app_configs, **kwargs):
    """Outside development: a real key, real host names, a public SITE_URL, real e-mail."""
    if settings.DEVELOPMENT:
        return []
    problems = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY or settings.SECRET_KEY.startswith(
        "dev-only-"
    ):
        problems.append(
            Error(
                "SECRET_KEY is the development key.",
                hint="Set the SECRET_KEY environment variable to a long random value. "
                + DEVELOPMENT_HINT,
                id="memorandum.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        problems.append(
            Error(
                "ALLOWED_HOSTS is empty.",
                hint="Set ALLOWED_HOSTS to the public host name(s), comma-separated. "
                + DEVELOPMENT_HINT,
                id="memorandum.E002",
            )
        )
    site = urlsplit(settings.SITE_URL)
    host = (site.hostname or "").lower()
    if site.scheme not in ("http", "https") or host in LOCAL_HOSTS or host.startswith("127."):
        problems.append(
            Error(
                f"SITE_URL ({settings.SITE_URL}) is not a public address: links in e-mails "
                "would point at the recipient's own machine.",
                hint="Set SITE_URL to the public address, e.g. https://memorandum.example.org. "
                + DEVELOPMENT_HINT,
                id="memorandum.E003",
            )
        )
    if not settings.REDIS_URL:
        problems.append(
            Warning(
                "REDIS_URL is not set: the limits on guessing ballot and estimate links count "
                "in each process's memory, so with several gunicorn workers or servers each "
                "process allows its own number of misses.",
                hint="Set REDIS_URL to a Redis that every worker and server shares (it also "
                "carries the task queue); a single process needs none.",
                id="memorandum.W003",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "E-mail is printed to the console instead of being sent.",
                hint="Set EMAIL_BACKEND (and EMAIL_HOST…) for production.",
                id="memorandum.W001",
            )
        )
    return problems


@register(TAG)
def check_no_demo_accounts(app_configs, **kwargs):
    """Outside development, no demo account may still open with the well-known demo password.

    Sign-in already refuses that password outside development; this stops a server that was
    loaded with the demo by mistake from starting at all. Only the few demo user names are
    tried, so the cost is a handful of password hashes at start-up. A database that is not
    there yet (before the first ``migrate``) has no demo accounts.
    """
    if settings.DEVELOPMENT:
        return []
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password

    from memorandum.catalogue.management.commands.load_demo import DEMO_ACCOUNTS

    User = get_user_model()
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        if not Path(str(connection.settings_dict["NAME"])).exists():
            return []  # connecting would create an empty database file
    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []
        names = [account[0] for account in DEMO_ACCOUNTS]
        stored = list(
            User.objects.filter(username__in=names, is_active=True).values_list(
                "username", "password"
            )
        )
    except DatabaseError:
        return []
    open_accounts = [
        name for name, encoded in stored if check_password(settings.DEMO_PASSWORD, encoded)
    ]
    if not open_accounts:
        return []
    return [
        Error(
            f"Demo accounts with the demo password exist: {', '.join(sorted(open_accounts))}.",
            hint="This database was loaded with the demo. Give these accounts real passwords "
            "(manage.py changepassword NAME) or deactivate them. " + DEVELOPMENT_HINT,
            id="memorandum.E004",
        )
    ]


@register(TAG)
def check_static_files_collected(app_configs, **kwargs):
    """Outside development, pages need the collected static files (and their manifest)."""
    if settings.DEVELOPMENT:
        return []
    if (settings.STATIC_ROOT and (settings.STATIC_ROOT / "staticfiles.json").exists()) or (
        "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]
    ):
        return []
    return [
        Warning(
            f"The static files have not been collected into {settings.STATIC_ROOT}.",
            hint="Run manage.py collectstatic --noinput before serving.",
            id="memorandum.W002",
        )
    ]


def refuse_unsafe_start() -> None:
    """Run this project's checks and raise when any is an error: called by the WSGI entry point.

    Gunicorn does not run Django's system checks; without this a production server would
    start with a development key as long as nobody ran ``manage.py check``.
    """
    errors = [message for message in run_checks(tags=[TAG]) if message.is_serious()]
    if errors:
        raise SystemCheckError(
            "Memorandum refuses to start:\n" + "\n".join(str(error) for error in errors)
        )
