"""A count run by the worker: queued by a request, counted in the background, kept.

Shared by the apps that count what the zones answered (the survey's tallies, the impact
estimates): the page that started a run polls its status, a failed run keeps its reason,
and the secretariat can start another one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from memorandum.lib.queued import QueuedWork


class CountStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Counting")
    DONE = "done", _("Counted")
    FAILED = "failed", _("Failed")


class CountRunBase(QueuedWork):
    """The status of one count in the worker; a concrete subclass adds what it counts."""

    status = models.CharField(
        _("status"), max_length=10, choices=CountStatus.choices, default=CountStatus.QUEUED
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta(QueuedWork.Meta):
        abstract = True
        verbose_name = _("count")
        verbose_name_plural = _("counts")

    @property
    def is_active(self) -> bool:
        return self.status in (CountStatus.QUEUED, CountStatus.RUNNING)
