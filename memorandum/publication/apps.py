from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


def grant_permissions(sender=None, **kwargs) -> None:
    """Only the secretariat previews and publishes; everyone reads published versions."""
    from memorandum.catalogue import roles

    roles.grant(
        roles.SECRETARIAT,
        "publication",
        ["publish_memorandum", "view_publicationversion", "view_publicationfile"],
    )


class PublicationConfig(appconfig.RolesAppConfig):
    """The memorandum as a document: versions, HTML/PDF/DOCX renderers, the publish command."""

    name = "memorandum.publication"
    verbose_name = _("Publication")
    edition_nav = [
        ("publication:memorandum", _("Memorandum"), None),
        ("publication:preview", _("Publish"), "publication.publish_memorandum"),
    ]
