from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


class AccountsConfig(appconfig.RolesAppConfig):
    """Accounts managed in the product: invitations, roles, deactivation, My account."""

    name = "memorandum.accounts"
    label = "accounts"
    grant_permissions = "memorandum.accounts.apps.grant_account_permissions"
    verbose_name = _("Accounts")


def grant_account_permissions(sender=None, **kwargs) -> None:
    from memorandum.catalogue import roles

    roles.grant(roles.SECRETARIAT, "accounts", ["manage_accounts"])
