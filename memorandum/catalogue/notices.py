"""Notices other apps pin on recommendations for readers who may see them.

An app declares ``recommendation_notices = "dotted.path.to.function"`` on its AppConfig;
the function takes ``(user, recommendations)`` and returns ``{recommendation id: [Notice]}``
with only what that user may see (e.g. the General Assembly's pending decisions for the
secretariat). The catalogue shows them on its list and on the recommendation page, without
knowing the apps that provide them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Notice:
    text: str
    url: str = ""
    # The short label of the notice's badge; empty for the assembly's pending decisions.
    badge: str = ""


def notices_for(user, recommendations: Iterable) -> dict[int, list[Notice]]:
    recommendations = list(recommendations)
    notices: dict[int, list[Notice]] = {}
    if not recommendations:
        return notices
    for config in apps.get_app_configs():
        provider = getattr(config, "recommendation_notices", None)
        if provider:
            for pk, found in import_string(provider)(user, recommendations).items():
                notices.setdefault(pk, []).extend(found)
    return notices
