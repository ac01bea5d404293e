"""How people are named: by name to members of the federation, else by their organisation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import UserProfile


def is_member(user) -> bool:
    """Whether ``user`` has a role in the federation (not just an account, nor the public role)."""
    if user is None or not user.is_authenticated:
        return False
    from memorandum.catalogue import roles

    if not hasattr(user, "_is_member"):  # asked once per request user, not once per name
        user._is_member = user.is_staff or user.groups.exclude(name=roles.PUBLIC).exists()
    return user._is_member


def public_name(person, viewer=None) -> str:
    """How ``person`` is named to ``viewer``: by name to members with a role, else by organisation.

    Visitors (and accounts without a role) see a person's name only if that person opted in
    (``UserProfile.show_name_publicly``); otherwise their police zone or organisation, or
    "the secretariat" / "a member" when there is none.
    """
    if person is None:
        return ""
    name = person.get_full_name() or person.username
    if is_member(viewer):
        return name
    try:
        profile = person.profile  # select_related("…__profile__zone") saves the queries
    except UserProfile.DoesNotExist:
        profile = None
    if profile is not None and profile.show_name_publicly:
        return name
    if profile is not None and profile.organisation_label():
        return profile.organisation_label()
    from memorandum.catalogue import roles

    if person.groups.filter(name=roles.SECRETARIAT).exists():
        return str(_("the secretariat"))
    return str(_("a member"))
