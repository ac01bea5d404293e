from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class MemorandumConfig(AppConfig):
    """The project package itself: base templates, static files, checks and shared tags."""

    name = "memorandum"
    verbose_name = "Memorandum"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from memorandum import checks, signin  # noqa: F401  (system checks, lock-out log)
        from memorandum.catalogue.roles import grant_sign_in_permissions

        # This package has no models, so it gets no post_migrate of its own: hook on axes'.
        post_migrate.connect(grant_sign_in_permissions, sender=self.apps.get_app_config("axes"))
        _create_database_folder()


def _create_database_folder() -> None:
    """The embedded SQLite database needs its folder; nothing else is created at start-up.

    Settings never touch the file system (production may run on a read-only image with
    PostgreSQL); the folder of a file database is made here, before the first connection.
    """
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"].endswith("sqlite3") and name and not name.startswith(":memory:"):
        if "mode=memory" not in name:
            Path(name).parent.mkdir(parents=True, exist_ok=True)
