from django.contrib import admin

from memorandum.audit.models import AuditEntry
from memorandum.lib.validation import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is written by the platform and never changed."""

    list_display = ["created_at", "action", "actor_label", "object_label", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_label", "ip_address"]
    date_hierarchy = "created_at"
