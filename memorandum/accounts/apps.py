from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts managed in the product: invitations, roles, deactivation, My account."""

    name = "memorandum.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(grant_account_permissions, sender=self)


def grant_account_permissions(sender=None, **kwargs) -> None:
    from memorandum.catalogue import roles

    roles.grant(roles.SECRETARIAT, "accounts", ["manage_accounts"])
