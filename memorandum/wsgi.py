"""WSGI entry point (gunicorn memorandum.wsgi).

Refuses to start with unsafe production settings (see :mod:`memorandum.checks`).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorandum.settings")
application = get_wsgi_application()

from memorandum.checks import refuse_unsafe_start  # noqa: E402  (needs the app registry)

refuse_unsafe_start()
