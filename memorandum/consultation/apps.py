from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


def grant_permissions(sender=None, **kwargs) -> None:
    """Corps chiefs propose for their zone; the secretariat runs the whole consultation."""
    from memorandum.catalogue import roles

    models = ["consultationevent", "proposal", "merge", "split"]
    every = roles.model_permissions(models)
    roles.grant(
        roles.SECRETARIAT, "consultation", every + ["view_all_proposals", "import_proposals"]
    )
    roles.grant(
        roles.CORPS_CHIEF,
        "consultation",
        ["add_proposal", "view_proposal", "view_consultationevent"],
    )
    roles.grant(roles.PROVINCIAL_COORDINATOR, "consultation", ["view_consultationevent"])


class ConsultationConfig(appconfig.RolesAppConfig):
    """Consultation events, proposals, duplicate detection and merges."""

    name = "memorandum.consultation"
    verbose_name = _("Consultation")
    edition_nav = [
        ("consultation:proposals", _("Proposals"), "consultation.view_proposal"),
        ("consultation:merges", _("Merges"), "consultation.view_merge"),
    ]
