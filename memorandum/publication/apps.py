from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def grant_permissions(sender=None, **kwargs) -> None:
    """Only the secretariat previews and publishes; everyone reads published versions."""
    from memorandum.catalogue import roles

    roles.grant(
        roles.SECRETARIAT,
        "publication",
        ["publish_memorandum", "view_publicationversion", "view_publicationfile"],
    )


class PublicationConfig(AppConfig):
    """The memorandum as a document: versions, HTML/PDF/DOCX renderers, the publish command."""

    name = "memorandum.publication"
    label = "publication"
    verbose_name = _("Publication")
    edition_nav = [
        ("publication:memorandum", _("Memorandum"), None),
        ("publication:preview", _("Publish"), "publication.publish_memorandum"),
    ]

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(grant_permissions, sender=self)
