"""The audit log: who did what, when, on which object, from which address.

Entries are written only through :func:`memorandum.audit.services.record` and never change:
``save()`` refuses an update, ``delete()`` refuses, the queryset refuses bulk updates and
deletes, the admin is read-only, and on PostgreSQL a trigger refuses UPDATE and DELETE
(see the migration). The one change allowed is the database's own ``SET NULL`` when the
acting user or a content type is deleted; the stored labels keep the entry readable.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import account_field


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class Action(models.TextChoices):
    """Every kind of entry. The code is stored; the label is shown in the reader's language."""

    # Sign-in (written by the auth signal receivers in signals.py)
    SIGN_IN = "auth.sign_in", _("Signed in")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "auth.sign_out", _("Signed out")
    # Accounts and roles (memorandum.accounts.services)
    ACCOUNT_INVITED = "account.invited", _("Account invited")
    INVITATION_RESENT = "account.invitation_resent", _("Invitation sent again")
    PASSWORD_SET = "account.password_set", _("Password set through an invitation link")
    PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    ACCOUNT_CHANGED = "account.changed", _("Account details changed")
    ROLE_GRANTED = "account.role_granted", _("Role given")
    ROLE_REVOKED = "account.role_revoked", _("Role taken away")
    ACCOUNT_DEACTIVATED = "account.deactivated", _("Account deactivated")
    ACCOUNT_REACTIVATED = "account.reactivated", _("Account reactivated")
    API_TOKEN_CREATED = "account.api_token_created", _("API token created")
    API_TOKEN_REVOKED = "account.api_token_revoked", _("API token revoked")
    # Data going in and out
    IMPORTED = "data.imported", _("Import")
    PERSONAL_DATA_EXPORTED = "data.exported", _("Export of personal data")
    AUDIT_LOG_EXPORTED = "audit.exported", _("Audit log exported")
    # The life cycle of an edition (wired by the apps that own these acts; see docs/audit.md)
    EDITION_CREATED = "edition.created", _("Edition created")
    PHASE_CHANGED = "edition.phase_changed", _("Edition phase changed")
    PHASE_PLANNED = "edition.phase_planned", _("Planned dates of a phase changed")
    ZONES_MERGED = "zone.merged", _("Police zones merged")
    PROPOSALS_MERGED = "consultation.merged", _("Proposals merged")
    MERGE_UNDONE = "consultation.merge_undone", _("Merge undone")
    PROPOSAL_SPLIT = "consultation.split", _("Proposal split")
    SPLIT_UNDONE = "consultation.split_undone", _("Split undone")
    SURVEY_OPENED = "survey.opened", _("Survey opened")
    SURVEY_CLOSED = "survey.closed", _("Survey closed")
    SURVEY_INVITATIONS_SENT = "survey.invitations_sent", _("Survey invitations sent")
    SURVEY_INVITATION_REVOKED = "survey.invitation_revoked", _("Survey invitation revoked")
    DECISION_RECORDED = "assembly.decision", _("Assembly decision recorded")
    MINUTES_PUBLISHED = "assembly.minutes_published", _("Minutes published")
    PUBLISHED = "publication.published", _("Memorandum published")
    # Changes made in Django's back office (mirrored from its own LogEntry)
    BACK_OFFICE_CHANGE = "admin.change", _("Back-office change")


# How an entry reads in the log, by action. Placeholders come from the entry's details plus
# ``target`` (the object's label); a missing one is left out, never an error.
SUMMARIES: dict[str, Any] = {
    Action.SIGN_IN: _("%(actor)s signed in"),
    Action.SIGN_IN_FAILED: _("Failed sign-in as “%(username)s”"),
    Action.SIGN_OUT: _("%(actor)s signed out"),
    Action.ACCOUNT_INVITED: _("Invited %(target)s"),
    Action.INVITATION_RESENT: _("Sent the invitation to %(target)s again"),
    Action.PASSWORD_SET: _("%(target)s set their password with the invitation link"),
    Action.PASSWORD_CHANGED: _("%(target)s changed their password"),
    Action.ACCOUNT_CHANGED: _("Changed the account of %(target)s: %(fields)s"),
    Action.ROLE_GRANTED: _("Gave %(target)s the role %(role)s %(scope)s"),
    Action.ROLE_REVOKED: _("Took the role %(role)s %(scope)s away from %(target)s"),
    Action.ACCOUNT_DEACTIVATED: _("Deactivated the account of %(target)s"),
    Action.ACCOUNT_REACTIVATED: _("Reactivated the account of %(target)s"),
    Action.API_TOKEN_CREATED: _("Created the API token %(target)s (scope: %(scope)s)"),
    Action.API_TOKEN_REVOKED: _("Revoked the API token %(target)s"),
    Action.IMPORTED: _("Imported %(what)s into %(target)s from “%(file)s”"),
    Action.PERSONAL_DATA_EXPORTED: _("Exported %(what)s of %(target)s"),
    Action.AUDIT_LOG_EXPORTED: ngettext_lazy(
        "Exported %(rows)s entry of the audit log as %(format)s",
        "Exported %(rows)s entries of the audit log as %(format)s",
        "rows",
    ),
    Action.PHASE_CHANGED: _("Moved %(target)s from the phase %(previous)s to %(phase)s %(reason)s"),
    Action.PHASE_PLANNED: _(
        "Planned the phase %(phase)s of %(target)s: %(planned_start)s – %(planned_end)s"
    ),
    Action.BACK_OFFICE_CHANGE: _("%(change)s in the back office: %(target)s %(changed_fields)s"),
    Action.EDITION_CREATED: _("Started %(target)s from edition %(source)s"),
}


# What was imported or exported (the ``what`` detail): stored as a code, shown translated.
WHAT = {
    "catalogue": _("the catalogue"),
    "proposals": _("proposals"),
    "follow_up": _("the follow-up form"),
    "ballots": _("the ballots with their zones"),
    "survey_results": _("the survey results"),
    "member_register": _("the member register"),
}


# Details that are numbers choosing a summary's singular or plural: kept as numbers.
COUNTS = ("rows",)

BACK_OFFICE_CHANGES = {"added": _("Added"), "changed": _("Changed"), "deleted": _("Deleted")}


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return ""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True

    def search(self, text: str) -> AuditEntryQuerySet:
        """Entries whose actor, object or details contain ``text`` (case-insensitive)."""
        from django.db.models import Q, TextField
        from django.db.models.functions import Cast

        return self.annotate(_details_text=Cast("details", TextField())).filter(
            Q(actor_label__icontains=text)
            | Q(object_label__icontains=text)
            | Q(_details_text__icontains=text)
            | Q(ip_address__icontains=text)
        )


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    actor = account_field(_("who"))
    # The actor's name at the time ("" for an anonymous visitor or the system).
    actor_label = models.CharField(_("who (as recorded)"), max_length=300, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    # What the object was called at the time, so the entry reads after it is deleted.
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        default_permissions = ("view",)
        permissions = [("export_auditentry", _("Can export the audit log"))]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_label}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")

    @property
    def who(self) -> str:
        return self.actor_label or gettext("anonymous / system")

    def summary(self) -> str:
        """One sentence in the reader's language, e.g. 'Gave Jan Peeters the role Corps chief'."""
        template = SUMMARIES.get(self.action)
        if template is None:
            return self.object_label or self.get_action_display()
        values = _Lenient({key: _display(key, value) for key, value in self.details.items()})
        values.update({key: self.details.get(key, 0) for key in COUNTS})
        values["target"] = self.object_label
        values["actor"] = self.who
        return " ".join((template % values).split())

    def detail_items(self) -> list[tuple[str, str]]:
        """The details as (key, readable value) pairs, for the log page and exports."""
        return [(key, _display(key, value)) for key, value in self.details.items()]


def _display(key: str, value: Any) -> str:
    """A detail as text in the reader's language (role codes become role names)."""
    if key == "username" and not value:
        return gettext("an unknown account")
    if key in ("role", "roles"):
        from memorandum.accounts.roles import role_label

        if isinstance(value, list):
            return ", ".join(str(role_label(v)) for v in value)
        return str(role_label(value))
    if key == "change":
        return str(BACK_OFFICE_CHANGES.get(value, value))
    if key == "changed_fields" and value:
        return "(" + ", ".join(str(v) for v in value) + ")"
    if key in ("phase", "previous"):
        from memorandum.catalogue.models import Phase

        return str(Phase(value).label) if value in Phase.values else str(value)
    if key == "reason" and value:
        return gettext("(reason: %(reason)s)") % {"reason": value}
    if key == "what":
        return str(WHAT.get(value, value))
    if key in ("planned_start", "planned_end") and not value:
        return "—"  # a cleared planned date reads as "not set", not as an empty gap
    if key == "scope" and value:
        return f"({value})"
    if key == "fields" and isinstance(value, dict):
        return ", ".join(
            f"{name}: {old or '—'} → {new or '—'}" for name, (old, new) in value.items()
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if value is None:
        return ""
    return str(value)
