from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


def grant_permissions(sender=None, **kwargs) -> None:
    """The secretariat runs the meetings; assembly members read them and their minutes."""
    from memorandum.catalogue import roles

    models = ["meeting", "agendaitem", "decision"]
    every = roles.model_permissions(models)
    roles.grant(roles.SECRETARIAT, "assembly", every)
    roles.grant(roles.ASSEMBLY_MEMBER, "assembly", [f"view_{model}" for model in models])


class AssemblyConfig(appconfig.RolesAppConfig):
    """General Assembly meetings, agenda, decisions and minutes."""

    name = "memorandum.assembly"
    verbose_name = _("General Assembly")
    edition_nav = [
        ("assembly:meetings", _("General Assembly"), None),
        ("assembly:adopted", _("Adopted catalogue"), None),
    ]
    # Pending decisions shown on the catalogue to the secretariat and assembly members.
    recommendation_notices = "memorandum.assembly.services.recommendation_notices"
