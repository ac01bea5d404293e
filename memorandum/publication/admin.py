"""Back office: published versions are listed and readable, never added, changed or deleted
there (publishing goes through the publish page, which asks for confirmation)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from memorandum.lib.bilingual import bilingual_columns
from memorandum.lib.validation import ReadOnlyAdminMixin
from memorandum.publication.models import (
    COVER_MAX_BYTES,
    EditionCover,
    PublicationFile,
    PublicationVersion,
    cover_media_type,
)


class EditionCoverForm(forms.ModelForm):
    upload = forms.FileField(label=gettext_lazy("Picture or logo (PNG or JPEG, at most 1 MB)"))

    class Meta:
        model = EditionCover
        fields = ["edition", *bilingual_columns(EditionCover)]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        data = upload.read(COVER_MAX_BYTES + 1)
        if len(data) > COVER_MAX_BYTES:
            raise forms.ValidationError(_("The picture is larger than 1 MB."))
        if not cover_media_type(data):
            raise forms.ValidationError(_("Choose a PNG or JPEG picture."))
        return data

    def save(self, commit=True):
        cover = super().save(commit=False)
        cover.image = self.cleaned_data["upload"]
        cover.media_type = cover_media_type(cover.image)
        if commit:
            cover.save()
        return cover


@admin.register(EditionCover)
class EditionCoverAdmin(admin.ModelAdmin):
    """The cover picture of an edition: used by the next published version."""

    form = EditionCoverForm
    list_display = ["edition", "media_type"]


class FileInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PublicationFile
    fields = ["lang", "fmt", "size", "sha256", "created_at"]
    readonly_fields = fields
    extra = 0


@admin.register(PublicationVersion)
class PublicationVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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
