from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


class SurveyConfig(appconfig.RolesAppConfig):
    """Prioritisation surveys: invitations, ballots, tallies (the only caller of ranking/)."""

    name = "memorandum.survey"
    label = "survey"
    grant_permissions = "memorandum.survey.apps.grant_survey_permissions"
    verbose_name = _("Prioritisation survey")
    edition_nav = [("survey:list", _("Surveys"), None)]


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
        roles.model_permissions(models, ("add", "change", "view"))
        + ["delete_survey", "manage_survey", "view_participation", "view_results"],
    )
    roles.grant(roles.PROVINCIAL_COORDINATOR, "survey", ["view_participation", "view_results"])
    roles.grant(roles.ASSEMBLY_MEMBER, "survey", ["view_results"])
    roles.grant(roles.CORPS_CHIEF, "survey", ["vote"])
