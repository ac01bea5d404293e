from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


class CatalogueConfig(appconfig.RolesAppConfig):
    """Editions, domains, themes, recommendations, zones, addressees and references."""

    name = "memorandum.catalogue"
    grant_permissions = "memorandum.catalogue.roles.ensure_roles"
    verbose_name = _("Catalogue")
    edition_nav = [
        ("catalogue:catalogue", _("Catalogue"), None),
        ("catalogue:process", _("Process"), None),
    ]
