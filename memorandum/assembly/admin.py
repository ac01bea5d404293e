"""Back office for the General Assembly (decisions are recorded on the meeting page)."""

from django.contrib import admin

from memorandum.assembly.models import AgendaItem, Decision, Meeting
from memorandum.lib.validation import GuardedAdminMixin


class AgendaItemInline(GuardedAdminMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["recommendation"]


@admin.register(Meeting)
class MeetingAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "edition", "place", "majority_rule", "published", "is_synthetic"]
    list_filter = ["edition", "published", "is_synthetic"]
    filter_horizontal = ["members_present", "zones_present"]
    inlines = [AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["item", "kind", "votes_for", "votes_against", "abstentions", "carried"]
    list_filter = ["kind", "carried"]
    readonly_fields = [f.name for f in Decision._meta.fields] + ["split_into"]

    def has_add_permission(self, request) -> bool:
        return False  # decisions go through record_decision, which checks quorum and applies them
