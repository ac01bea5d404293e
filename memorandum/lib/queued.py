"""What every row of work handed to the worker records: when it was queued and, when it
failed, why.

Shared by the outbox's e-mails (:mod:`memorandum.lib.outbox`) and the count runs
(:mod:`memorandum.lib.runs`); each adds its own statuses. Pages list them newest first,
the key breaking ties between rows queued in the same instant.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedWork(models.Model):
    """An abstract row of work for the worker: when it was queued, and why it failed."""

    error = models.CharField(_("reason of the failure"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
