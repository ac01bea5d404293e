from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    """Follow-up: initiatives, milestones, indicators, updates, dashboards and reports."""

    name = "memorandum.roadmap"
    label = "roadmap"
    verbose_name = _("Follow-up roadmap")
