from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


class AuditConfig(appconfig.RolesAppConfig):
    """The audit log: one append-only record of significant actions across the platform."""

    name = "memorandum.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from memorandum.audit import signals  # noqa: F401  (connects the sign-in receivers)

        super().ready()


def grant_permissions(sender=None, **kwargs) -> None:
    """Only the secretariat reads and exports the log; nobody may change it."""
    from memorandum.catalogue import roles

    roles.grant(roles.SECRETARIAT, "audit", ["view_auditentry", "export_auditentry"])
