"""Typed values read back from the JSON the apps store (tallies, counts, snapshots)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

_D = TypeVar("_D")


def from_json(cls: type[_D], data: dict[str, Any], **converted: Any) -> _D:
    """The dataclass ``cls`` from its stored JSON ``data``: each field as stored, except
    those ``converted`` gives (nested dataclasses, dates …). A missing key is a ``KeyError``;
    keys that are not fields are ignored."""
    return cls(
        **{f.name: converted[f.name] if f.name in converted else data[f.name] for f in fields(cls)}
    )
