"""Back office for the secretariat: filters, search, inlines and bulk actions."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from memorandum.catalogue.models import (
    Addressee,
    Edition,
    EditionPhase,
    PoliceZone,
    Province,
    Recommendation,
    Reference,
    Status,
    Theme,
    TimelineEvent,
    UserProfile,
    WorkDomain,
)
from memorandum.lib.bilingual import bilingual_columns, fieldset_rows, missing_translations
from memorandum.lib.validation import GuardedAdminMixin


class TimelineInline(GuardedAdminMixin, admin.TabularInline):
    model = TimelineEvent
    extra = 0
    fields = ["date", "end_date", "precision", "kind", *bilingual_columns(TimelineEvent, ["title"])]


class PhaseDatesInline(GuardedAdminMixin, admin.TabularInline):
    model = EditionPhase
    extra = 0
    verbose_name_plural = _("Planned and actual dates of the phases")
    fields = [
        "phase",
        "planned_start",
        "planned_end",
        "planned_precision",
        "actual_start",
        "actual_end",
        "actual_precision",
    ]


class DomainInline(GuardedAdminMixin, admin.TabularInline):
    model = WorkDomain
    extra = 0
    fields = ["number", *bilingual_columns(WorkDomain, ["name"])]
    show_change_link = True


@admin.register(Edition)
class EditionAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["title_nl", "slug", "period_start", "period_end", "phase", "is_synthetic"]
    list_filter = ["phase", "is_synthetic"]
    search_fields = [*bilingual_columns(Edition, ["title"]), "slug"]
    prepopulated_fields = {"slug": ["title_nl"]}
    inlines = [PhaseDatesInline, TimelineInline, DomainInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    *fieldset_rows(Edition, ["title"]),
                    ("period_start", "period_end"),
                    "phase",
                    "is_synthetic",
                ]
            },
        ),
        (
            _("Issuing body and foreword"),
            {
                "fields": [
                    *fieldset_rows(Edition, ["issuing_body"]),
                    "foreword_author",
                    *fieldset_rows(Edition, ["foreword_author_function", "foreword"]),
                ]
            },
        ),
        (
            _("Introduction and notes"),
            {"fields": fieldset_rows(Edition, ["introduction", "notes"])},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # An existing edition changes phase on its process page, which records the dates,
        # checks the order and writes the audit log.
        return ["phase"] if obj is not None else []


class ThemeInline(GuardedAdminMixin, admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(WorkDomain)
class WorkDomainAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["number", *bilingual_columns(WorkDomain, ["name"]), "edition"]
    list_display_links = ["number", "name_nl"]
    list_filter = ["edition"]
    search_fields = bilingual_columns(WorkDomain, ["name"])
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["code", *bilingual_columns(Theme, ["name"]), "domain"]
    list_select_related = ["domain"]
    list_filter = ["domain__edition", "domain"]
    search_fields = bilingual_columns(Theme, ["name"])


def _set_status(status: str, label):
    def action(modeladmin, request, queryset):
        changed = 0
        for recommendation in queryset.exclude(status=status):
            recommendation.status = status
            recommendation._change_reason = f"bulk: {status}"
            recommendation.save()
            changed += 1
        modeladmin.message_user(
            request,
            ngettext("%(n)d item marked “%(label)s”.", "%(n)d items marked “%(label)s”.", changed)
            % {"n": changed, "label": label},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status}"
    action.short_description = _("Mark selected as “%(label)s”") % {"label": label}
    return action


@admin.register(Recommendation)
class RecommendationAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "title_nl",
        "kind",
        "domain",
        "status",
        "has_french",
        "is_synthetic",
        "updated_at",
    ]
    list_display_links = ["code", "title_nl"]
    list_filter = ["edition", "kind", "status", "domain", "is_synthetic"]
    list_select_related = ["domain", "edition"]
    search_fields = bilingual_columns(Recommendation, ["title", "objective", "actions"])
    autocomplete_fields = ["addressees", "references"]
    actions = [
        _set_status(s, label)
        for s, label in Status.choices
        if s in ("adopted", "proposed", "postponed", "rejected")
    ]
    save_on_top = True
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "edition",
                    ("kind", "number"),
                    ("domain", "theme"),
                    "status",
                    "is_synthetic",
                ]
            },
        ),
        (
            _("Texts"),
            {"fields": fieldset_rows(Recommendation)},
        ),
        (_("Addressees and references"), {"fields": ["addressees", "references"]}),
    ]

    @admin.display(boolean=True, description=_("French"))
    def has_french(self, obj) -> bool:
        return all(lang != "fr" for _name, lang in missing_translations(obj))


@admin.register(Addressee)
class AddresseeAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["order", "name", "function_nl", "edition"]
    list_filter = ["edition"]
    search_fields = ["name", *bilingual_columns(Addressee)]


@admin.register(Reference)
class ReferenceAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["order", "title_nl", "kind", "edition"]
    list_filter = ["edition", "kind"]
    search_fields = bilingual_columns(Reference)


@admin.register(Province)
class ProvinceAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["code", *bilingual_columns(Province), "region"]
    list_filter = ["region"]


@admin.register(PoliceZone)
class PoliceZoneAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        *bilingual_columns(PoliceZone),
        "province",
        "language",
        "population",
        "personnel",
        "is_synthetic",
    ]
    list_filter = ["province__region", "province", "language", "is_synthetic"]
    search_fields = ["code", *bilingual_columns(PoliceZone)]


@admin.register(UserProfile)
class UserProfileAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "zone", "organisation", "preferred_language", "show_name_publicly"]
    search_fields = [
        "user__username",
        "user__last_name",
        "zone__name_nl",
        "zone__name_fr",
        "organisation",
    ]
    autocomplete_fields = ["zone"]
