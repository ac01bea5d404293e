"""Back office for the General Assembly (decisions are recorded and published on the meeting page).

What is on the record stays: a meeting with decisions cannot be deleted, its agenda items
cannot be removed, and published minutes (the flag and its date) are set only by
"Publish the minutes", never by hand.
"""

from django.contrib import admin

from memorandum.assembly.models import AgendaItem, Decision, Meeting
from memorandum.lib.validation import GuardedAdminMixin


class AgendaItemInline(GuardedAdminMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["recommendation"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.has_decisions():
            return False
        return super().has_delete_permission(request, obj)

    # Once a decision is recorded the agenda is part of it (an item's recommendation is what the
    # decision applies to): add items on the meeting page, which checks what may change.
    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and (obj.published or obj.has_decisions()):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        if obj is not None and (obj.published or obj.has_decisions()):
            return False
        return super().has_add_permission(request, obj)


@admin.register(Meeting)
class MeetingAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "edition", "place", "majority_rule", "published", "is_synthetic"]
    list_filter = ["edition", "published", "is_synthetic"]
    filter_horizontal = ["members_present", "zones_present"]
    readonly_fields = ["published", "published_at"]
    inlines = [AgendaItemInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and (obj.published or obj.has_decisions()):
            return (
                False  # part of the record; Meeting.delete() refuses decisions too, with the reason
            )
        return super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.published:
            return False  # published minutes are read-only
        return super().has_change_permission(request, obj)


@admin.register(Decision)
class DecisionAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "item",
        "kind",
        "votes_for",
        "votes_against",
        "abstentions",
        "carried",
        "published_at",
        "supersedes",
    ]
    list_filter = ["kind", "carried"]
    readonly_fields = [f.name for f in Decision._meta.fields] + ["split_into"]

    def has_add_permission(self, request) -> bool:
        return False  # decisions go through record_decision, which checks quorum

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # read-only: a decision is corrected by a new, recorded correction

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("assembly.view_decision") or request.user.has_perm(
            "assembly.change_decision"
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # part of the record: correct a decision instead
