"""Authentication: account names match whatever their case; the demo password only works
on a development server."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from memorandum.lib.security import account_name


class NoDemoPasswordInProductionBackend(ModelBackend):
    """Django's backend, except that the demo accounts' password is refused when DEBUG is off.

    The demo data may end up on a real server by mistake; its well-known password must
    then open nothing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEBUG and password == settings.DEMO_PASSWORD:
            return None
        if isinstance(username, str):
            # Invited accounts are named by their e-mail address, which people type with
            # capitals; the name that matches regardless of case is the account.
            username = account_name(username) or username.strip()
        return super().authenticate(request, username=username, password=password, **kwargs)
