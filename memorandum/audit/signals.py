"""Sign-ins, failed sign-ins and sign-outs go into the audit log, with the client's address."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from memorandum.audit.models import Action
from memorandum.audit.services import record

USERNAME_LENGTH = 150


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def signed_in(sender, request, user, **kwargs) -> None:
    record(Action.SIGN_IN, actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced the password in ``credentials``; only the name is kept.
    username = str(credentials.get("username", ""))[:USERNAME_LENGTH]
    target = get_user_model().objects.filter(username=username).first() if username else None
    record(Action.SIGN_IN_FAILED, target=target, request=request, username=username)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:  # a sign-out without a session is no event
        record(Action.SIGN_OUT, actor=user, target=user, request=request)
