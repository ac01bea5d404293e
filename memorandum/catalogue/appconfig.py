"""The base of the apps' configurations: each app grants its roles' permissions the same way."""

from django.apps import AppConfig
from django.utils.module_loading import import_string


class RolesAppConfig(AppConfig):
    """An app whose roles get their permissions after every ``migrate``.

    ``grant_permissions`` names the app's ``post_migrate`` handler (a dotted path, like
    ``recommendation_notices``: the handler imports the models, which an app's configuration
    may not do at import time); by default the function ``grant_permissions`` of the app's
    ``apps.py``. The handler calls :func:`memorandum.catalogue.roles.grant`. The label is
    Django's default, the last part of ``name``.

    Import this module, not the class, in an ``apps.py``: Django takes a module's only
    ``AppConfig`` subclass as the app's configuration, and a second one would hide it.
    """

    grant_permissions: str = ""

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        handler = self.grant_permissions or f"{self.name}.apps.grant_permissions"
        post_migrate.connect(import_string(handler), sender=self)
