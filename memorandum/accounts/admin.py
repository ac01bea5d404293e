from django.contrib import admin

from memorandum.accounts.models import Invitation
from memorandum.lib.validation import ReadOnlyAdminMixin


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: invitations are made on the Accounts page, which also logs them."""

    list_display = ["user", "invited_by", "created_at", "sent_at", "send_count", "accepted_at"]
    readonly_fields = list_display
