"""The invitation e-mail, sent by the worker (never inside the request that invites)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from memorandum.accounts import tokens
from memorandum.accounts.models import Invitation
from memorandum.accounts.roles import role_label
from memorandum.lib.mail import absolute_link, mail_signature


def invitation_message(invitation: Invitation) -> EmailMultiAlternatives:
    """The e-mail (text and HTML) in the invitee's language, with a fresh one-time link."""
    user = invitation.user
    profile = getattr(user, "profile", None)
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    with translation.override(language):
        link = absolute_link("accounts:set_password", tokens.make_token(user))
        inviter = invitation.invited_by
        context = {
            "user": user,
            "profile": profile,
            "roles": [
                role_label(name)
                for name in user.groups.order_by("name").values_list("name", flat=True)
            ],
            "link": link,
            "expires": timezone.localtime() + tokens.max_age(),
            "inviter": inviter.get_full_name() or inviter.get_username() if inviter else "",
            "contact": getattr(settings, "SECRETARIAT_EMAIL", "")
            or (inviter.email if inviter else "")
            or settings.DEFAULT_FROM_EMAIL,
            "site_url": settings.SITE_URL,
            "signature": mail_signature(language),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("accounts/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            reply_to=[context["contact"]],
        )
        message.attach_alternative(
            render_to_string("accounts/email/invitation.html", context), "text/html"
        )
    return message


@task()
def send_account_invitation(invitation_id: int) -> str:
    invitation = (
        Invitation.objects.select_related("user__profile", "invited_by")
        .filter(pk=invitation_id, accepted_at=None, user__is_active=True)
        .first()
    )
    if invitation is None:
        return "nothing to send"  # accepted or deactivated since it was queued
    invitation_message(invitation).send()
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now(), send_count=F("send_count") + 1
    )
    return "sent"
