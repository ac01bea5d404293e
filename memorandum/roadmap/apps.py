from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig

MODELS = [
    "initiative",
    "initiativelink",
    "milestone",
    "indicator",
    "measurement",
    "update",
    "pointofattention",
]


def grant_permissions(sender=None, **kwargs) -> None:
    """The secretariat manages the whole roadmap; members with a role read it and may raise
    points of attention. Owners' rights are per initiative (``Initiative.owners``), not roles."""
    from memorandum.catalogue import roles

    roles.grant(roles.SECRETARIAT, "roadmap", roles.model_permissions(MODELS))
    readers = [f"view_{model}" for model in MODELS] + ["add_pointofattention"]
    for role in (
        roles.CORPS_CHIEF,
        roles.PROVINCIAL_COORDINATOR,
        roles.ASSEMBLY_MEMBER,
        roles.PARTNER,
    ):
        roles.grant(role, "roadmap", readers)


class RoadmapConfig(appconfig.RolesAppConfig):
    """Follow-up: initiatives, milestones, indicators, updates, dashboards and reports."""

    name = "memorandum.roadmap"
    verbose_name = _("Follow-up roadmap")
    edition_nav = [("roadmap:dashboard", _("Follow-up"), None)]
