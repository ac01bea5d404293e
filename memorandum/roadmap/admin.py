"""Back office: the secretariat can correct anything the pages do not cover."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from memorandum.lib.bilingual import bilingual_columns
from memorandum.lib.validation import GuardedAdminMixin
from memorandum.roadmap.models import (
    Indicator,
    Initiative,
    InitiativeLink,
    Measurement,
    Milestone,
    PointOfAttention,
    Update,
)


class LinkInline(GuardedAdminMixin, admin.TabularInline):
    model = InitiativeLink
    extra = 0
    autocomplete_fields = ["recommendation"]


class MilestoneInline(GuardedAdminMixin, admin.TabularInline):
    model = Milestone
    extra = 0


class UpdateInline(GuardedAdminMixin, admin.StackedInline):
    model = Update
    extra = 0
    fields = [
        "date",
        "author",
        "text",
        "status_before",
        "status_after",
        "progress_after",
        "attachment_link",
    ]
    readonly_fields = ["attachment_link"]

    @admin.display(description=_("attachment"))
    def attachment_link(self, update: Update) -> str:
        # Attachments have no public URL; link to the view that checks permissions.
        if not update.attachment:
            return "—"
        url = reverse(
            "roadmap:attachment",
            args=[update.initiative.edition.slug, update.initiative_id, update.pk],
        )
        return format_html('<a href="{}">{}</a>', url, update.attachment_name())


@admin.register(Initiative)
class InitiativeAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "title_nl",
        "edition",
        "lead_organisation",
        "status",
        "progress",
        "start_date",
        "end_date",
        "is_public",
        "is_synthetic",
    ]
    list_filter = ["edition", "status", "is_public", "is_synthetic"]
    search_fields = [*bilingual_columns(Initiative, ["title"]), "lead_organisation", "partners"]
    filter_horizontal = ["owners"]
    # Set once, when the next edition is started (catalogue/succession.py).
    readonly_fields = ["carried_over_from"]
    inlines = [LinkInline, MilestoneInline, UpdateInline]


class MeasurementInline(GuardedAdminMixin, admin.TabularInline):
    model = Measurement
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name_nl", "initiative", "unit", "baseline", "target", "direction"]
    inlines = [MeasurementInline]


@admin.register(PointOfAttention)
class PointOfAttentionAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    list_display = ["text", "initiative", "raised_by", "raised_on", "resolved"]
    list_filter = ["resolved"]
