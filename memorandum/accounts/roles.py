"""The roles the secretariat gives in the product, their names, and what each needs.

The roles themselves are the Django groups of :mod:`memorandum.catalogue.roles`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from memorandum.catalogue import roles

ROLE_LABELS = {
    roles.SECRETARIAT: _("Secretariat"),
    roles.CORPS_CHIEF: _("Corps chief"),
    roles.PROVINCIAL_COORDINATOR: _("Provincial coordinator"),
    roles.ASSEMBLY_MEMBER: _("Assembly member"),
    roles.PARTNER: _("Partner organisation"),
    roles.PUBLIC: _("Public"),
}

# The roles offered on the account form, in this order ("public" is everyone's, not given).
MANAGED_ROLES = [
    roles.SECRETARIAT,
    roles.CORPS_CHIEF,
    roles.PROVINCIAL_COORDINATOR,
    roles.ASSEMBLY_MEMBER,
    roles.PARTNER,
]

# The profile field a role cannot do without: a chief leads a zone, a coordinator a province,
# a partner speaks for an organisation.
SCOPE_FIELD = {
    roles.CORPS_CHIEF: "zone",
    roles.PROVINCIAL_COORDINATOR: "province",
    roles.PARTNER: "organisation",
}


def role_label(code: str) -> str:
    """The role's name in the current language (the code itself for an unknown role)."""
    return str(ROLE_LABELS.get(code, code))
