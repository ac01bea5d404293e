"""An upload waiting for the worker, and what the worker found or did with it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from memorandum.lib.importing import ImportResult


class ImportKind(models.TextChoices):
    CATALOGUE = "catalogue", _("catalogue")
    FOLLOW_UP = "follow_up", _("follow-up form")
    PROPOSALS = "proposals", _("proposals")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    CHECKING = "checking", _("being checked")
    DONE = "done", _("done")
    REFUSED = "refused", _("refused: nothing was imported")
    FAILED = "failed", _("failed: nothing was imported")


class ImportJob(models.Model):
    """One upload checked and applied in the background (all or nothing, as in a request).

    The file is kept only until the worker has run it; the result (counts or problems) stays
    for the person who uploaded it.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    edition = models.ForeignKey(
        "catalogue.Edition", on_delete=models.CASCADE, related_name="import_jobs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    language = models.CharField(_("language"), max_length=8)
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    result_data = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING)

    @property
    def percent(self) -> int:
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0

    @property
    def result(self) -> ImportResult | None:
        return ImportResult.from_json(self.result_data) if self.result_data else None
