"""Shared set-up of the API tests: the roadmap personas and data, tokens, JSON helpers."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from memorandum.api.models import ApiToken
from memorandum.roadmap.tests.base import RoadmapTestCase

API = "/api/v1/editions/2024-2028/"


class ApiTestCase(RoadmapTestCase):
    def setUp(self) -> None:
        cache.clear()  # rate-limit counters

    def token(self, user, scope: str = "write", days: int = 30) -> str:
        _token, secret = ApiToken.issue(
            user=user,
            name="test",
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        return secret

    def call(self, method: str, path: str, user=None, data=None, lang: str = "nl", **headers):
        """``path`` under the demo edition (or absolute); ``user`` via a fresh write token."""
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token(user)}"
        url = path if path.startswith("/") else API + path
        kwargs = {"content_type": "application/json"} if data is not None else {}
        return getattr(self.client, method)(
            url, data, HTTP_ACCEPT_LANGUAGE=lang, **kwargs, **headers
        )

    def get_json(self, path: str, user=None, status: int = 200, **kwargs):
        response = self.call("get", path, user, **kwargs)
        self.assertEqual(response.status_code, status, response.content[:500])
        return response.json()

    def codes(self, path: str, user=None) -> list[str]:
        return [
            row["code"]
            for row in self.get_json(path + ("&" if "?" in path else "?") + "page_size=200", user)[
                "results"
            ]
        ]
