from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Imports too big to check in a request: stored, then checked and applied by the worker."""

    name = "memorandum.imports"
    verbose_name = _("Imports")
