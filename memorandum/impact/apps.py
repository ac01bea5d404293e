from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


class ImpactConfig(appconfig.RolesAppConfig):
    """Impact estimates of new missions: rounds among the zones, aggregation, the impact note."""

    name = "memorandum.impact"
    verbose_name = _("Impact estimates")
    edition_nav = [("impact:missions", _("Impact"), "impact.view_impact")]
    recommendation_notices = "memorandum.impact.selectors.recommendation_notices"


def grant_permissions(sender=None, **kwargs) -> None:
    """The secretariat runs rounds; corps chiefs answer; the other roles read the reports."""
    from memorandum.catalogue import roles

    roles.create_groups()
    models = ["mission", "estimateround", "impactinvitation", "zoneestimate", "countrun"]
    roles.grant(
        roles.SECRETARIAT,
        "impact",
        roles.model_permissions(models, ("add", "change", "view"))
        + ["delete_mission", "manage_mission", "view_impact"],
    )
    for role in (roles.PROVINCIAL_COORDINATOR, roles.ASSEMBLY_MEMBER, roles.PARTNER):
        roles.grant(role, "impact", ["view_impact"])
    roles.grant(roles.CORPS_CHIEF, "impact", ["view_impact", "estimate"])
