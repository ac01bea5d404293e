"""Writing to the audit log: the one function every app calls.

    from memorandum.audit.models import Action
    from memorandum.audit.services import record

    record(Action.SURVEY_OPENED, request=request, target=survey, items=len(items))

See docs/audit.md for the list of actions and where each is recorded.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from memorandum.audit.models import Action, AuditEntry

LABEL_LENGTH = 300


def record(
    action: Action | str,
    *,
    actor: Any = None,
    target: models.Model | None = None,
    target_label: str = "",
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEntry:
    """Append one entry to the audit log and return it.

    ``action``: a member of :class:`~memorandum.audit.models.Action`.
    ``actor``: the user who acted; by default the signed-in user of ``request``; ``None``
    (and no request) records "anonymous / system".
    ``target``: the object acted on; its content type, primary key and current label are
    stored, so the entry still reads after the object is deleted (``target_label``
    overrides the label, or names a target that is not a model instance).
    ``request``: gives the actor and the client's address.
    ``details``: JSON-serialisable extra facts (counts, file names, old and new values).
    Use codes rather than translated text (e.g. ``role="corps_chief"``): the log is read
    in each reader's language. Never pass passwords, tokens or ballot contents.

    The entry is written in the caller's transaction: if the action is rolled back, so is
    its entry.
    """
    if action not in Action.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    entry = AuditEntry(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=user_label(actor) if actor is not None else "",
        ip_address=client_address(request),
        details=details,
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.object_id = str(target.pk)
        default_label = user_label(target) if isinstance(target, AbstractBaseUser) else str(target)
        entry.object_label = (target_label or default_label)[:LABEL_LENGTH]
    else:
        entry.object_label = target_label[:LABEL_LENGTH]
    entry.save()
    return entry


def user_label(user: Any) -> str:
    """How a user is named in the log: 'Full Name (username)', or the username."""
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    username = user.get_username() if hasattr(user, "get_username") else str(user)
    return (f"{name} ({username})" if name else username)[:LABEL_LENGTH]


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address, read as the sign-in lock-out reads it
    (:func:`memorandum.lib.security.client_address`, which honours ``PROXY_COUNT``), or
    None when there is no request or the address is not a valid IP address."""
    if request is None:
        return None
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address

    from memorandum.lib.security import client_address as request_address

    address = request_address(request) or ""
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


__all__ = ["Action", "record"]
