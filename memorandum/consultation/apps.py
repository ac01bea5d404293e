from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def grant_permissions(sender=None, **kwargs) -> None:
    """Corps chiefs propose for their zone; the secretariat runs the whole consultation."""
    from memorandum.catalogue import roles

    models = ["consultationevent", "proposal", "merge", "split"]
    every = [
        f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")
    ]
    roles.grant(
        roles.SECRETARIAT, "consultation", every + ["view_all_proposals", "import_proposals"]
    )
    roles.grant(
        roles.CORPS_CHIEF,
        "consultation",
        ["add_proposal", "view_proposal", "view_consultationevent"],
    )
    roles.grant(roles.PROVINCIAL_COORDINATOR, "consultation", ["view_consultationevent"])


class ConsultationConfig(AppConfig):
    """Consultation events, proposals, duplicate detection and merges."""

    name = "memorandum.consultation"
    label = "consultation"
    verbose_name = _("Consultation")
    edition_nav = [
        ("consultation:proposals", _("Proposals"), "consultation.view_proposal"),
        ("consultation:merges", _("Merges"), "consultation.view_merge"),
    ]

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(grant_permissions, sender=self)
