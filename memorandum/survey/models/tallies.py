"""Frozen tallies and the counting runs that produce them."""

from __future__ import annotations

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from memorandum.lib.fields import parent_fk
from memorandum.lib.runs import CountRunBase
from memorandum.survey.contract import TallyResult, read_tally
from memorandum.survey.models.surveys import Survey


class Tally(models.Model):
    """Frozen results: the method, seed and a hash of the ballot data that produced them."""

    survey = parent_fk(Survey, "tallies", _("survey"))
    method = models.CharField(_("primary method"), max_length=20)
    seed = models.PositiveIntegerField(_("random seed"))
    replicates = models.PositiveIntegerField(_("bootstrap replicates"))
    snapshot_hash = models.CharField(_("hash of the ballot data"), max_length=64)
    ballot_count = models.PositiveIntegerField(_("ballots"))
    results = models.JSONField(_("results"))
    created_at = models.DateTimeField(_("tallied at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return f"{self.survey} · {self.method} · {self.created_at:%Y-%m-%d %H:%M}"

    @cached_property
    def result(self) -> TallyResult:
        """The frozen results, typed (``results`` is their stored JSON)."""
        return read_tally(self)


class TallyRun(CountRunBase):
    """One attempt at counting a closed survey in the worker, with its progress.

    The survey page polls it while it runs; a failed run keeps its reason and the
    secretariat can start another one.
    """

    survey = parent_fk(Survey, "tally_runs", _("survey"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    tally = models.ForeignKey(
        Tally, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.survey} · {self.get_status_display()}"
