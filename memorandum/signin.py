"""Sign-in lock-outs (django-axes' attempts), as the secretariat sees and lifts them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.utils import timezone

from memorandum.lib.security import sign_in_name

log = logging.getLogger("memorandum.signin")


@receiver(user_locked_out, dispatch_uid="memorandum_sign_in_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    """Every refused sign-in of a locked account or address is written down.

    axes masks the name in its own log lines (AXES_SENSITIVE_PARAMETERS); ``username`` here is
    already what sign_in_name keeps: an account's name or a digest, never the typed text.
    """
    log.warning("Sign-in locked out: account=%s address=%s", username or "-", ip_address or "-")


@dataclass(frozen=True)
class FailedSignIns:
    """Failed sign-ins of one account from one address, still counted."""

    username: str | None
    ip_address: str | None
    failures: int
    last: datetime
    locked: bool


def cool_off() -> timedelta | None:
    """How long a lock-out lasts by itself (None: until someone lifts it)."""
    value = settings.AXES_COOLOFF_TIME
    if value in (None, 0):
        return None
    return value if isinstance(value, timedelta) else timedelta(hours=float(value))


def failed_sign_ins() -> list[FailedSignIns]:
    """Every account/address pair with counted failures, newest first.

    A row is locked when its account or its address has reached the limit (django-axes counts
    per account and per address, so one address guessing many accounts is locked too).
    """
    since = timezone.now() - cool_off() if cool_off() else None
    attempts = AccessAttempt.objects.all()
    if since:
        attempts = attempts.filter(attempt_time__gte=since)
    rows = list(
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .order_by("-last")
    )
    per_user: dict[str | None, int] = {}
    per_address: dict[str | None, int] = {}
    for row in rows:
        per_user[row["username"]] = per_user.get(row["username"], 0) + row["failures"]
        per_address[row["ip_address"]] = per_address.get(row["ip_address"], 0) + row["failures"]
    limit = settings.AXES_FAILURE_LIMIT
    return [
        FailedSignIns(
            username=row["username"],
            ip_address=row["ip_address"],
            failures=row["failures"],
            last=row["last"],
            locked=(row["username"] is not None and per_user[row["username"]] >= limit)
            or (row["ip_address"] is not None and per_address[row["ip_address"]] >= limit),
        )
        for row in rows
    ]


def unlock(*, by, username: str | None = None, ip_address: str | None = None) -> int:
    """Forget the failed sign-ins of an account or of an address; written to the log."""
    removed = 0
    if username:
        # Attempts are counted under the name as sign_in_name keeps it (trimmed, lower case,
        # or a digest for a name no account has); the name as typed here must lift it too.
        for name in dict.fromkeys((username, sign_in_name(None, {"username": username}))):
            removed += reset(username=name)
    if ip_address:
        removed += reset(ip=ip_address)
    log.warning(
        "Sign-in unlocked by %s: account=%s address=%s (%d attempt records removed).",
        by.get_username(),
        username or "-",
        ip_address or "-",
        removed,
    )
    return removed
