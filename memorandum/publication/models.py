"""Publication versions: the memorandum as it was published, numbered and immutable.

A :class:`PublicationVersion` holds the snapshot of everything the document shows (texts of
every adopted item, the survey result chosen, addressees, references, foreword …) and,
once the worker has rendered them, one :class:`PublicationFile` per language and format
with its SHA-256. Neither is ever updated: a later change is a new version.

The files are kept in the database (``BinaryField``) rather than in ``MEDIA_ROOT``: a
version and its files are written in the same transaction as their hash, the worker that
renders them may run on another machine than the web server without shared storage, and
a database backup is a complete record of what was published. A version's six files are
a few hundred kilobytes to a few megabytes, and an edition gets a handful of versions in
four years.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import Edition, account_field, edition_field
from memorandum.lib.bilingual import BilingualField
from memorandum.lib.fields import optional_fk, parent_fk
from memorandum.survey.contract import PublishedPriorities, read_priorities

FILE_FORMATS = ("pdf", "docx", "html")
FILE_LANGUAGES = ("nl", "fr")


class ImmutableError(Exception):
    """Raised when code tries to change what was published."""


class PublicationVersionQuerySet(models.QuerySet):
    def for_edition(self, edition: Edition) -> PublicationVersionQuerySet:
        return self.filter(edition=edition)

    def latest_first(self) -> PublicationVersionQuerySet:
        return self.order_by("-number")


class PublicationVersion(models.Model):
    """Version ``number`` of an edition's memorandum, frozen when the secretariat published it."""

    edition = edition_field("publication_versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content as published"))
    snapshot_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    # The survey whose result the version shows (None: no survey section). Kept as a link
    # only: the result itself is in the snapshot, so the version outlives a deleted tally.
    survey = optional_fk("survey.Survey", "publication_versions", _("survey result included"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = account_field(_("published by"))
    rendered_at = models.DateTimeField(_("files ready at"), null=True, blank=True)
    render_error = models.TextField(_("rendering error"), blank=True)

    objects = PublicationVersionQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "-number"]
        verbose_name = _("publication version")
        verbose_name_plural = _("publication versions")
        permissions = [
            ("publish_memorandum", _("Can preview and publish versions of the memorandum")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], name="publication_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition.slug} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            # Only the worker's bookkeeping may change; the content never does.
            allowed = {"rendered_at", "render_error"}
            fields = kwargs.get("update_fields")
            if not fields or not set(fields) <= allowed:
                raise ImmutableError("A published version cannot be changed; publish a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("publication:version", args=[self.edition.slug, self.number])

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None

    @property
    def survey_summary(self) -> PublishedPriorities | None:
        """The survey result of the snapshot (title in both languages, dates, ballots, method)."""
        return read_priorities(self.snapshot["survey"])

    def survey_description(self, lang: str) -> str:
        """Which survey result the version includes, in one line."""
        from memorandum.publication.document import describe_survey

        return describe_survey(self.survey_summary, lang)

    def listed_files(self) -> list[PublicationFile]:
        """The files, PDF first, Dutch before French (prefetch them without their bytes)."""
        files = list(self.files.all())
        return sorted(
            files, key=lambda f: (FILE_FORMATS.index(f.fmt), FILE_LANGUAGES.index(f.lang))
        )


class PublicationFile(models.Model):
    """One rendered file of a version (a language and a format), written once."""

    version = parent_fk(PublicationVersion, "files", _("version"))
    lang = models.CharField(_("language"), max_length=2)
    fmt = models.CharField(_("format"), max_length=4)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        ordering = ["version", "fmt", "lang"]
        verbose_name = _("publication file")
        verbose_name_plural = _("publication files")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "lang", "fmt"], name="publication_file_once_per_format"
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableError("A published file cannot be changed.")
        content = bytes(self.content)
        self.size = len(content)
        self.sha256 = hashlib.sha256(content).hexdigest()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "publication:version_file",
            args=[self.version.edition.slug, self.version.number, self.lang, self.fmt],
        )

    @property
    def filename(self) -> str:
        """'memorandum-2024-2028-v2-nl.pdf'."""
        return (
            f"memorandum-{self.version.edition.slug}-v{self.version.number}-{self.lang}.{self.fmt}"
        )


COVER_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
COVER_MAX_BYTES = 1_000_000


def cover_media_type(data: bytes) -> str:
    """'image/png' or 'image/jpeg' from the file's first bytes, or '' for anything else."""
    return next((kind for magic, kind in COVER_TYPES.items() if data.startswith(magic)), "")


class EditionCover(models.Model):
    """An optional picture or logo on the cover of an edition's memorandum.

    Kept in the database like the published files; a version copies it into its snapshot,
    so replacing the picture changes the next version only.
    """

    edition = models.OneToOneField(
        Edition, on_delete=models.CASCADE, related_name="cover", verbose_name=_("edition")
    )
    image = models.BinaryField(_("image (PNG or JPEG)"))
    media_type = models.CharField(_("media type"), max_length=20, editable=False)
    alt = BilingualField(models.CharField, _("text alternative"), max_length=250, required=["nl"])

    class Meta:
        verbose_name = _("cover picture")
        verbose_name_plural = _("cover pictures")

    def __str__(self) -> str:
        return str(self.edition)
