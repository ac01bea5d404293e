"""What every endpoint shares: conditional GET and the language and caching headers."""

from __future__ import annotations

import hashlib

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from rest_framework import generics


class ApiView(generics.GenericAPIView):
    """Answers GET with an ``ETag`` (and ``Last-Modified`` when the view knows the date), and
    304 Not Modified when ``If-None-Match`` / ``If-Modified-Since`` say the caller has it."""

    last_modified = None  # set by a view that knows when what it shows last changed

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept-Language", "Authorization", "Cookie"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        timestamp = self.last_modified.timestamp() if self.last_modified else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp and int(timestamp), response=response
        )


def listing(serializer, operation_id: str, **kwargs):
    """Schema of a paginated list endpoint whose ``get`` paginates by hand."""
    from drf_spectacular.utils import extend_schema

    return extend_schema(operation_id=operation_id, responses=serializer(many=True), **kwargs)
