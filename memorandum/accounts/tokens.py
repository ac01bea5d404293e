"""One-time, expiring links to set a password.

A link carries the user's id and a fingerprint of their password hash, last sign-in and
active flag, signed with the site's secret and a timestamp. It stops working when it
expires (``ACCOUNT_INVITATION_DAYS``), once a password is set (the hash changes), when the
invitation is sent again (a new unusable password changes the hash) and when the account
is deactivated. Nothing secret is stored in the database.
"""

from __future__ import annotations

import enum
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "memorandum.accounts.set-password"


class LinkProblem(enum.Enum):
    EXPIRED = "expired"
    USED = "used"  # already used, replaced by a newer link, or the account was deactivated
    INVALID = "invalid"


def _fingerprint(user) -> str:
    state = f"{user.pk}|{user.password}|{user.last_login}|{user.is_active}"
    return salted_hmac(SALT, state).hexdigest()[:24]


def make_token(user) -> str:
    return signing.dumps([user.pk, _fingerprint(user)], salt=SALT)


def max_age() -> timedelta:
    return timedelta(days=settings.ACCOUNT_INVITATION_DAYS)


def check_token(token: str):
    """The user this link is for, or the :class:`LinkProblem` that stops it."""
    try:
        user_id, fingerprint = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        return LinkProblem.EXPIRED
    except (signing.BadSignature, ValueError, TypeError):
        return LinkProblem.INVALID
    user = get_user_model().objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None:
        return LinkProblem.INVALID
    if not user.is_active or not constant_time_compare(str(fingerprint), _fingerprint(user)):
        return LinkProblem.USED
    return user
