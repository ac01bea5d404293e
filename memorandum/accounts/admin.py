from django.contrib import admin

from memorandum.accounts.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made on the Accounts page, which also logs them."""

    list_display = ["user", "invited_by", "created_at", "sent_at", "send_count", "accepted_at"]
    readonly_fields = list_display

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
