from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import appconfig


class AccountsConfig(appconfig.RolesAppConfig):
    """Accounts managed in the product: invitations, roles, deactivation, My account."""

    name = "memorandum.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        super().ready()
        add_username_constraint()


def add_username_constraint() -> None:
    """Declare on Django's user model the constraint migration 0002 created (see models.py)."""
    from django.contrib.auth import get_user_model

    from memorandum.accounts.models import USERNAME_UNIQUE_WHATEVER_CASE

    meta = get_user_model()._meta
    if all(c.name != USERNAME_UNIQUE_WHATEVER_CASE.name for c in meta.constraints):
        meta.constraints = [*meta.constraints, USERNAME_UNIQUE_WHATEVER_CASE]
        meta.original_attrs["constraints"] = meta.constraints


def grant_permissions(sender=None, **kwargs) -> None:
    from memorandum.catalogue import roles

    roles.grant(roles.SECRETARIAT, "accounts", ["manage_accounts"])
