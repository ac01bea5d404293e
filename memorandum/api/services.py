"""Writes on personal API tokens: create (within the per-person cap) and revoke, each
recorded in the audit log in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from memorandum.api.models import ApiToken
from memorandum.audit import services as audit


def active_token_cap() -> int:
    """How many usable tokens one person may hold at a time (``API_TOKEN_MAX_ACTIVE``)."""
    return settings.API_TOKEN_MAX_ACTIVE


@transaction.atomic
def token_create(
    *, user, name: str, scope: str, expires_at: dt.datetime, request=None
) -> tuple[ApiToken, str]:
    """Issue a token to ``user`` and return it with its secret (shown once, never stored).

    Refused with a ``ValidationError`` when ``user`` already holds as many usable tokens
    (not revoked, not expired) as the cap allows: a forgotten token is a door left open,
    so old ones are revoked first. The person's row is locked while counting, so two
    creations at the same moment cannot both pass the cap.
    """
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    cap = active_token_cap()
    if ApiToken.objects.filter(user=user).usable().count() >= cap:
        raise ValidationError(
            _(
                "You already have %(cap)s active tokens, the most one person may hold. "
                "Revoke one you no longer use, then create the new one."
            )
            % {"cap": cap}
        )
    token, secret = ApiToken.issue(user=user, name=name, scope=scope, expires_at=expires_at)
    audit.record(
        audit.Action.API_TOKEN_CREATED,
        actor=user,
        request=request,
        target=token,
        scope=scope,
        expires_at=expires_at.isoformat(),
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by, request=None) -> ApiToken:
    """Revoke ``token`` (once: revoking a revoked token changes and records nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoke()
        audit.record(audit.Action.API_TOKEN_REVOKED, actor=by, request=request, target=token)
    return token
