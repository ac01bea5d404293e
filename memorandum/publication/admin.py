"""Back office: published versions are listed and readable, never added, changed or deleted
there (publishing goes through the publish page, which asks for confirmation)."""

from django.contrib import admin

from memorandum.publication.models import PublicationFile, PublicationVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FileInline(admin.TabularInline):
    model = PublicationFile
    fields = ["lang", "fmt", "size", "sha256", "created_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PublicationVersion)
class PublicationVersionAdmin(ReadOnlyAdmin):
    list_display = ["edition", "number", "published_at", "published_by", "survey", "rendered_at"]
    list_filter = ["edition"]
    exclude = ["snapshot"]
    readonly_fields = [
        "edition",
        "number",
        "snapshot_sha256",
        "survey",
        "published_at",
        "published_by",
        "rendered_at",
        "render_error",
    ]
    inlines = [FileInline]
