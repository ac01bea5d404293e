from django.contrib import admin

from memorandum.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the platform and never changed."""

    list_display = ["created_at", "action", "actor_label", "object_label", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_label", "ip_address"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
