"""Errors as ``application/problem+json`` (RFC 9457), in the caller's language.

Every error answer has ``type``, ``title``, ``status`` and ``detail``; a request the forms
refuse adds ``errors``, one entry per message with the ``field`` it is about (``null`` for the
request as a whole), worded as on the site in the language of ``Accept-Language``.
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, renderers
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM = "application/problem+json"


class JSONRenderer(renderers.JSONRenderer):
    """Plain UTF-8 JSON (no escaped accents), compact."""

    ensure_ascii = False
    compact = True


class JSONParser(parsers.JSONParser):
    """DRF's parser, but a body nested deeper than Python's recursion limit (``[[[[…`` a
    hundred thousand times) is a 400 like any other malformed JSON, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from None


def _messages(data, field=None) -> list[dict]:
    """DRF's nested error data as a flat list of ``{"field", "message"}``."""
    if isinstance(data, dict):
        rows = []
        for key, value in data.items():
            name = None if key in ("__all__", "non_field_errors") else key
            rows += _messages(value, f"{field}.{name}" if field and name else name or field)
        return rows
    if isinstance(data, list):
        return [row for item in data for row in _messages(item, field)]
    return [{"field": field, "message": str(data)}]


def _exception(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def exception_handler(exc, context):
    """DRF's handler (status, ``Retry-After``, ``WWW-Authenticate``), with a problem body."""
    exc = _exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a 500: Django's own handling, logged as any other
    status = response.status_code
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = _("The request was not accepted; see the errors.")
        body["errors"] = _messages(response.data)
    elif isinstance(response.data, dict) and "detail" in response.data:
        body["detail"] = str(response.data["detail"])
    else:
        body["detail"] = str(exc)
    response.data = body
    response.content_type = PROBLEM
    return response


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error (RFC 9457).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
ERRORS = {
    "400": "The request has errors (see ``errors``).",
    "401": "No valid token or session.",
    "403": "Not allowed for this account or token scope.",
    "404": "Not found, or not visible to the caller.",
    "405": "Method not allowed.",
    "406": "Only JSON is served.",
    "413": "The body is too large.",
    "415": "Send JSON.",
    "429": "Too many requests: wait ``Retry-After`` seconds.",
}


def document_problems(result, generator, request, public):
    """drf-spectacular hook: every operation documents its error answers and 304."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code in ("413", "415") and method == "get":
                    continue
                responses.setdefault(code, {"description": description, "content": problem})
            if method == "get":
                responses.setdefault("304", {"description": "Not modified (ETag, Last-Modified)."})
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}
                }
    return result
