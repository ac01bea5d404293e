"""Writes on accounts: invite, change details and roles, deactivate, reactivate, set a password.

One function per action, keyword-only arguments, one transaction each; every change is
written to the audit log in the same transaction. A rule that is broken raises
``ValidationError`` with a message the view shows; nothing is changed then.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.accounts import roles as account_roles
from memorandum.accounts.models import Invitation
from memorandum.audit.models import Action
from memorandum.audit.services import record
from memorandum.catalogue import roles
from memorandum.catalogue.models import PoliceZone, Province, UserProfile
from memorandum.lib.tasks import enqueue_on_commit

User = get_user_model()

PROFILE_FIELDS = ("zone", "province", "organisation", "preferred_language")
USER_FIELDS = ("first_name", "last_name", "email")


@dataclass
class AccountData:
    """What the secretariat fills in for an account (the cleaned data of ``AccountForm``)."""

    first_name: str
    last_name: str
    email: str
    preferred_language: str
    roles: list[str]
    zone: PoliceZone | None = None
    province: Province | None = None
    organisation: str = ""


def email_taken(email: str, *, exclude=None) -> bool:
    """Whether another account already uses this e-mail address (as address or user name)."""
    others = User.objects.all() if exclude is None else User.objects.exclude(pk=exclude.pk)
    return (
        others.filter(email__iexact=email).exists()
        or others.filter(username__iexact=email).exists()
    )


def roles_of(user) -> list[str]:
    return sorted(
        user.groups.filter(name__in=account_roles.MANAGED_ROLES).values_list("name", flat=True)
    )


def _check(data: AccountData, *, user=None) -> None:
    if email_taken(data.email, exclude=user):
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    errors = {}
    for role, field in account_roles.SCOPE_FIELD.items():
        if role in data.roles and not getattr(data, field):
            errors[field] = {
                "zone": _("A corps chief needs a police zone."),
                "province": _("A provincial coordinator needs a province."),
                "organisation": _("A partner needs an organisation."),
            }[field]
    if errors:
        raise ValidationError(errors)


def _scope(role: str, profile: UserProfile) -> str:
    field = account_roles.SCOPE_FIELD.get(role)
    value = getattr(profile, field) if field else None
    return str(value) if value else ""


def _ensure_last_secretariat_stays(user, *, field: str | None = None) -> None:
    """Refuse to leave the platform without an active secretariat member.

    The active secretariat rows are locked, so two members removing each other at the same
    time cannot both succeed.
    """
    members = list(
        User.objects.select_for_update(of=("self",))
        .filter(groups__name=roles.SECRETARIAT, is_active=True)
        .values_list("pk", flat=True)
    )
    if members == [user.pk]:
        message = _(
            "This is the last active member of the secretariat: give another person "
            "the secretariat role first."
        )
        raise ValidationError({field: message} if field else message)


def _save_unique(user) -> None:
    """Save, turning a user name taken at the same moment by another request into the
    same clear error as the form's check."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError(
            {"email": _("An account with this e-mail address already exists.")}
        ) from error


@transaction.atomic
def invite_account(*, data: AccountData, by, request=None):
    """Create an account without a password and queue the invitation e-mail.

    The person signs in with their e-mail address once they have set a password through
    the one-time link of the e-mail. Returns the new user.
    """
    _check(data)
    email = data.email.strip()
    user = User(
        username=email.lower(),
        email=email,
        first_name=data.first_name,
        last_name=data.last_name,
        is_staff=roles.SECRETARIAT in data.roles,
    )
    user.set_unusable_password()
    _save_unique(user)
    profile = UserProfile.objects.create(
        user=user,
        zone=data.zone,
        province=data.province,
        organisation=data.organisation,
        preferred_language=data.preferred_language,
    )
    user.groups.set(Group.objects.filter(name__in=data.roles))
    invitation = Invitation.objects.create(user=user, invited_by=by)
    record(
        Action.ACCOUNT_INVITED,
        actor=by,
        target=user,
        request=request,
        email=email,
        roles=sorted(data.roles),
        zone=str(profile.zone or ""),
        province=str(profile.province or ""),
        organisation=profile.organisation,
        language=data.preferred_language,
    )
    _queue_invitation(invitation)
    return user


def _queue_invitation(invitation: Invitation) -> None:
    from memorandum.accounts.tasks import send_account_invitation

    enqueue_on_commit(send_account_invitation, invitation.pk)


@transaction.atomic
def resend_invitation(*, user, by, request=None) -> None:
    """Send a new link; earlier links stop working (the unusable password is renewed)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    invitation = Invitation.objects.filter(user=user).first()
    if user.has_usable_password() or (invitation and not invitation.is_pending):
        raise ValidationError(_("This person has already set a password."))
    if not user.is_active:
        raise ValidationError(_("Reactivate the account before sending the invitation again."))
    if invitation is None:
        invitation = Invitation.objects.create(user=user, invited_by=by)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record(Action.INVITATION_RESENT, actor=by, target=user, request=request, email=user.email)
    _queue_invitation(invitation)


@transaction.atomic
def update_account(*, user, data: AccountData, by, request=None) -> list[str]:
    """Change an account's details, scope and roles; return what changed (field and role
    codes). Giving or taking the secretariat role also gives or takes the back office."""
    _check(data, user=user)
    user = User.objects.select_for_update().get(pk=user.pk)
    profile, _created = UserProfile.objects.get_or_create(user=user)
    before_roles = set(roles_of(user))
    after_roles = set(data.roles)
    if roles.SECRETARIAT in before_roles - after_roles:
        if user.pk == by.pk:
            raise ValidationError({"roles": _("You cannot take away your own secretariat role.")})
        if user.is_active:
            _ensure_last_secretariat_stays(user, field="roles")
    before_scope = {role: _scope(role, profile) for role in before_roles}

    changed: dict[str, list[str]] = {}
    for field in USER_FIELDS:
        old, new = getattr(user, field), getattr(data, field)
        if old != new:
            changed[field] = [old, new]
            setattr(user, field, new)
    if "email" in changed and user.username.lower() == changed["email"][0].lower():
        user.username = data.email.lower()  # invited accounts sign in with their address
    for field in PROFILE_FIELDS:
        old, new = getattr(profile, field), getattr(data, field)
        if old != new:
            changed[field] = [str(old or ""), str(new or "")]
            setattr(profile, field, new)
    user.is_staff = roles.SECRETARIAT in after_roles or user.is_superuser
    _save_unique(user)
    profile.save()
    user.groups.remove(*Group.objects.filter(name__in=before_roles - after_roles))
    user.groups.add(*Group.objects.filter(name__in=after_roles - before_roles))

    if changed:
        record(Action.ACCOUNT_CHANGED, actor=by, target=user, request=request, fields=changed)
    revoked = {role: before_scope[role] for role in before_roles - after_roles}
    granted = {role: _scope(role, profile) for role in after_roles - before_roles}
    for action, scopes in ((Action.ROLE_REVOKED, revoked), (Action.ROLE_GRANTED, granted)):
        for role in sorted(scopes):
            record(action, actor=by, target=user, request=request, role=role, scope=scopes[role])
    return sorted(changed) + sorted(before_roles ^ after_roles)


@transaction.atomic
def deactivate_account(*, user, by, request=None) -> None:
    """Close an account: the person can no longer sign in and their sessions end.

    Nothing they wrote, proposed or voted is removed; the account can be reactivated.
    """
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."))
    if user.groups.filter(name=roles.SECRETARIAT).exists():
        _ensure_last_secretariat_stays(user)
    user.is_active = False
    fields = ["is_active"]
    if not user.has_usable_password():
        # A new unusable hash: a set-password link sent before stays dead after reactivation
        # (the link's fingerprint covers the hash); reactivating means sending a new invitation.
        user.set_unusable_password()
        fields.append("password")
    user.save(update_fields=fields)
    record(Action.ACCOUNT_DEACTIVATED, actor=by, target=user, request=request)


@transaction.atomic
def reactivate_account(*, user, by, request=None) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("This account is already active."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(Action.ACCOUNT_REACTIVATED, actor=by, target=user, request=request)


@transaction.atomic
def accept_invitation(*, user, form, request=None) -> None:
    """Save the password chosen through the invitation link (``form``: a valid
    ``SetPasswordForm``); the link stops working at once."""
    form.save()
    Invitation.objects.filter(user=user, accepted_at=None).update(accepted_at=timezone.now())
    record(Action.PASSWORD_SET, actor=user, target=user, request=request)


@transaction.atomic
def update_own_details(
    *,
    user,
    first_name: str | None = None,
    last_name: str | None = None,
    preferred_language: str | None = None,
    show_name_publicly: bool | None = None,
    request=None,
) -> None:
    """What a person changes about themselves, on My account (name and language) or on My
    profile (language, and whether visitors see their name).

    Each page passes the fields it shows; a field left at ``None`` stays as it is. What
    changed is saved and written to the audit log as one ``ACCOUNT_CHANGED`` entry (old and
    new value per field), as for a change by the secretariat; nothing is recorded when
    nothing changed. The rest of an account is the secretariat's (:func:`update_account`).
    """
    profile, _created = UserProfile.objects.get_or_create(user=user)
    changed: dict[str, list] = {}
    for obj, values in (
        (user, {"first_name": first_name, "last_name": last_name}),
        (
            profile,
            {"preferred_language": preferred_language, "show_name_publicly": show_name_publicly},
        ),
    ):
        fields = [f for f, new in values.items() if new is not None and getattr(obj, f) != new]
        for field in fields:
            changed[field] = [getattr(obj, field), values[field]]
            setattr(obj, field, values[field])
        if fields:
            obj.save(update_fields=fields)
    if changed:
        record(Action.ACCOUNT_CHANGED, actor=user, target=user, request=request, fields=changed)


@transaction.atomic
def change_own_password(*, user, form, request=None) -> None:
    form.save()
    record(Action.PASSWORD_CHANGED, actor=user, target=user, request=request)
