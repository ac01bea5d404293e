from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def grant_permissions(sender=None, **kwargs) -> None:
    """The secretariat runs the meetings; assembly members read them and their minutes."""
    from memorandum.catalogue import roles

    models = ["meeting", "agendaitem", "decision"]
    every = [
        f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")
    ]
    roles.grant(roles.SECRETARIAT, "assembly", every)
    roles.grant(roles.ASSEMBLY_MEMBER, "assembly", [f"view_{model}" for model in models])


class AssemblyConfig(AppConfig):
    """General Assembly meetings, agenda, decisions and minutes."""

    name = "memorandum.assembly"
    label = "assembly"
    verbose_name = _("General Assembly")
    edition_nav = [
        ("assembly:meetings", _("General Assembly"), None),
        ("assembly:adopted", _("Adopted catalogue"), None),
    ]
    # Pending decisions shown on the catalogue to the secretariat and assembly members.
    recommendation_notices = "memorandum.assembly.services.recommendation_notices"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(grant_permissions, sender=self)
