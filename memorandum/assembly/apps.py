from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssemblyConfig(AppConfig):
    """General Assembly meetings, agenda, decisions and minutes."""

    name = "memorandum.assembly"
    label = "assembly"
    verbose_name = _("General Assembly")
