from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The JSON API (OpenAPI 3) and the personal tokens that open it to other systems."""

    name = "memorandum.api"
    verbose_name = _("API")
