from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log: one append-only record of significant actions across the platform."""

    name = "memorandum.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from memorandum.audit import signals  # noqa: F401  (connects the sign-in receivers)

        post_migrate.connect(grant_audit_permissions, sender=self)


def grant_audit_permissions(sender=None, **kwargs) -> None:
    """Only the secretariat reads and exports the log; nobody may change it."""
    from memorandum.catalogue import roles

    roles.grant(roles.SECRETARIAT, "audit", ["view_auditentry", "export_auditentry"])
