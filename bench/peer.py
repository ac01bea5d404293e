"""The named peer of ``bench/survey.py``: a bare Django view that writes one row in a
transaction, served by the same gunicorn, settings and middleware as the application.

Only the benchmark's server loads it (``DJANGO_SETTINGS_MODULE=bench.peer_settings``): it is
the URL configuration of the application with this one URL in front.
"""

from __future__ import annotations

import uuid

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from memorandum.urls import urlpatterns as application

TABLE = "bench_peer_row"
CREATE_TABLE = f"CREATE TABLE IF NOT EXISTS {TABLE} (id VARCHAR(32) PRIMARY KEY, note VARCHAR(40))"


@csrf_exempt
def write_one_row(request: HttpRequest) -> HttpResponse:
    """Insert one row in a transaction and answer 204: the least a write request costs."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (id, note) VALUES (%s, %s)", [uuid.uuid4().hex, "bench"]
        )
    return HttpResponse(status=204)


urlpatterns = [path("bench/write-one-row", write_one_row), *application]
