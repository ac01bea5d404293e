from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    """Prioritisation surveys: invitations, ballots, tallies (the only caller of ranking/)."""

    name = "memorandum.survey"
    label = "survey"
    verbose_name = _("Prioritisation survey")
