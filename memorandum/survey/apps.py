from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    """Prioritisation surveys: invitations, ballots, tallies (the only caller of ranking/)."""

    name = "memorandum.survey"
    label = "survey"
    verbose_name = _("Prioritisation survey")
    edition_nav = [("survey:list", _("Surveys"), None)]

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(grant_survey_permissions, sender=self)


def grant_survey_permissions(sender=None, **kwargs) -> None:
    """Who may do what with surveys; voting itself also needs a zone on the user's profile."""
    from memorandum.catalogue import roles

    for role in roles.ROLES:
        from django.contrib.auth.models import Group

        Group.objects.get_or_create(name=role)
    models = ["survey", "surveyitem", "invitation", "ballot", "tally"]
    roles.grant(
        roles.SECRETARIAT,
        "survey",
        [f"{a}_{m}" for m in models for a in ("add", "change", "view")]
        + ["delete_survey", "manage_survey", "view_participation", "view_results"],
    )
    roles.grant(roles.PROVINCIAL_COORDINATOR, "survey", ["view_participation", "view_results"])
    roles.grant(roles.ASSEMBLY_MEMBER, "survey", ["view_results"])
    roles.grant(roles.CORPS_CHIEF, "survey", ["vote"])
