"""Authentication: the demo password only works on a development server."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class NoDemoPasswordInProductionBackend(ModelBackend):
    """Django's backend, except that the demo accounts' password is refused when DEBUG is off.

    The demo data may end up on a real server by mistake; its well-known password must
    then open nothing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEBUG and password == settings.DEMO_PASSWORD:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
