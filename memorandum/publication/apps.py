from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    """The memorandum as a document: HTML, PDF and DOCX renderers and the publish command."""

    name = "memorandum.publication"
    label = "publication"
    verbose_name = _("Publication")
    edition_nav = [("publication:memorandum", _("Memorandum"), None)]
