from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


class SurveyConfig(appconfig.RolesAppConfig):
    """Prioritisation surveys: invitations, ballots, tallies (the only caller of ranking/)."""

    name = "memorandum.survey"
    verbose_name = _("Prioritisation survey")
    edition_nav = [("survey:list", _("Surveys"), None)]


def grant_permissions(sender=None, **kwargs) -> None:
    """Who may do what with surveys; voting itself also needs a zone on the user's profile."""
    from memorandum.catalogue import roles

    roles.create_groups()
    models = ["survey", "surveyitem", "invitation", "ballot", "tally"]
    reader = ["view_participation", "view_results"]
    may = {
        roles.SECRETARIAT: roles.model_permissions(models, ("add", "change", "view"))
        + ["delete_survey", "manage_survey", *reader],
        roles.PROVINCIAL_COORDINATOR: reader,
        roles.ASSEMBLY_MEMBER: ["view_results"],
        roles.CORPS_CHIEF: ["vote"],
    }
    for role, codenames in may.items():
        roles.grant(role, "survey", codenames)
