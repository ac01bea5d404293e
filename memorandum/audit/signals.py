"""Sign-ins, failed sign-ins and sign-outs go into the audit log, with the client's address;
so does every change made in Django's back office (copied from the admin's own log)."""

from __future__ import annotations

import json

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from memorandum.audit.models import Action, AuditEntry
from memorandum.audit.services import LABEL_LENGTH, record, user_label

USERNAME_LENGTH = 150


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def signed_in(sender, request, user, **kwargs) -> None:
    record(Action.SIGN_IN, actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced the password in ``credentials``. The typed name is kept
    # only when it names an account: people type their password into the name field, and
    # this log can never be edited.
    typed = str(credentials.get("username", "")).strip()[:USERNAME_LENGTH]
    users = get_user_model().objects
    target = users.filter(username__iexact=typed).order_by("pk").first() if typed else None
    username = target.get_username() if target else ""
    record(Action.SIGN_IN_FAILED, target=target, request=request, username=username)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:  # a sign-out without a session is no event
        record(Action.SIGN_OUT, actor=user, target=user, request=request)


ADMIN_FLAGS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_back_office_change")
def back_office_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    AuditEntry(
        action=Action.BACK_OFFICE_CHANGE,
        actor=instance.user,
        actor_label=user_label(instance.user),
        content_type_id=instance.content_type_id,
        object_id=str(instance.object_id or "")[:64],
        object_label=str(instance.object_repr)[:LABEL_LENGTH],
        details={
            "change": ADMIN_FLAGS.get(instance.action_flag, ""),
            "changed_fields": _changed_fields(instance.change_message),
        },
    ).save()


def _changed_fields(message: str) -> list[str]:
    """The field names of the admin's JSON change message ([] for any other message)."""
    try:
        parts = json.loads(message or "[]")
    except ValueError:
        return []
    if not isinstance(parts, list):
        return []
    return [
        str(name)
        for part in parts
        if isinstance(part, dict) and isinstance(part.get("changed"), dict)
        for name in part["changed"].get("fields", [])
    ]
