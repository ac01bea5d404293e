from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """Editions, domains, themes, recommendations, zones, addressees and references."""

    name = "memorandum.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")
    edition_nav = [
        ("catalogue:catalogue", _("Catalogue"), None),
        ("catalogue:process", _("Process"), None),
    ]

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from memorandum.catalogue.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
