"""Back office for the consultation (the pages do the daily work; this is for corrections)."""

from django.contrib import admin

from memorandum.consultation.models import ConsultationEvent, Merge, Proposal, Split
from memorandum.lib.validation import GuardedAdminMixin, ReadOnlyAdminMixin


@admin.register(ConsultationEvent)
class ConsultationEventAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "date", "province", "participants", "edition", "is_synthetic"]
    list_filter = ["edition", "kind", "is_synthetic"]
    filter_horizontal = ["zones"]


@admin.register(Proposal)
class ProposalAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "title",
        "zone",
        "language",
        "domain",
        "status",
        "merged_into",
        "is_synthetic",
    ]
    list_filter = ["edition", "status", "language", "is_synthetic"]
    search_fields = [
        "title",
        "text",
        "participant_name",
        "zone__code",
        "zone__name_nl",
        "zone__name_fr",
    ]
    raw_id_fields = ["zone", "author", "merged_into", "event"]


@admin.register(Merge)
class MergeAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["recommendation_code", "merged_by", "merged_at", "undone_at"]
    list_filter = ["edition"]
    readonly_fields = [f.name for f in Merge._meta.fields] + ["proposals"]

    def has_add_permission(self, request) -> bool:
        return False  # merges go through merge_proposals so they stay traceable


@admin.register(Split)
class SplitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Splits to read only: they are made and undone through ``split_proposal`` and
    ``undo_split``, which keep the parts, the history and the audit log in step."""

    list_display = ["original", "split_by", "split_at", "undone_at"]
    list_filter = ["edition"]
    readonly_fields = [f.name for f in Split._meta.fields]
