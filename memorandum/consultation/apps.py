from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    """Consultation events, proposals, duplicate detection and merges."""

    name = "memorandum.consultation"
    label = "consultation"
    verbose_name = _("Consultation")
