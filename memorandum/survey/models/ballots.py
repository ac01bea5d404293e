"""Ballots, the participation kept apart from them, and the pair counts of pairwise surveys."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import PoliceZone, Region
from memorandum.lib.fields import optional_fk, parent_fk
from memorandum.survey.models.surveys import Survey


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


def canonical_json(data: object) -> str:
    """The one serialisation that receipts and snapshot hashes are computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class BallotQuerySet(models.QuerySet):
    def submitted(self) -> BallotQuerySet:
        return self.filter(status=BallotStatus.SUBMITTED)

    def counted(self, survey: Survey) -> BallotQuerySet:
        """The ballots a tally of ``survey`` counts: submitted no later than it closed.

        ``ballot_save`` refuses later ballots inside the survey's lock, so this only
        excludes what should not exist; the tally, the receipt check and every count read
        the same set.
        """
        return self.filter(
            survey=survey, status=BallotStatus.SUBMITTED, submitted_at__lte=survey.closes_at
        )


class Ballot(models.Model):
    """One zone's answer.

    In an anonymous survey a draft belongs to its zone; submitting it stores a *new* row
    (a random UUID, no zone, the class weight, the survey's opening time instead of its
    own) and deletes the draft in the same transaction, so nothing in the row leads back
    to the draft or the zone.
    """

    # Random, never sequential: a sequential key would give the order of submission.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = parent_fk(Survey, "ballots", _("survey"))
    zone = optional_fk(PoliceZone, "survey_ballots", _("police zone"), on_delete=models.CASCADE)
    province = models.CharField(_("province"), max_length=8)
    region = models.CharField(_("region"), max_length=10, choices=Region.choices)
    weight = models.FloatField(_("weight"), default=1.0)
    payload = models.JSONField(_("answers"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=BallotStatus.choices, default=BallotStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    receipt = models.CharField(_("receipt"), max_length=64, blank=True)
    receipt_salt = models.CharField(max_length=32, blank=True, editable=False)
    cast_by = models.CharField(_("cast by"), max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BallotQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "province", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "zone"],
                condition=Q(zone__isnull=False),
                name="one_ballot_per_zone_and_survey",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_ballot_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.zone or self.province}"

    @property
    def is_submitted(self) -> bool:
        return self.status == BallotStatus.SUBMITTED

    def compute_receipt(self) -> str:
        """SHA-256 over the canonical answers plus a per-ballot salt (so it cannot be guessed)."""
        if not self.receipt_salt:
            self.receipt_salt = secrets.token_hex(16)
        return hashlib.sha256(
            (canonical_json(self.payload) + self.receipt_salt).encode()
        ).hexdigest()


class Participation(models.Model):
    """ "This zone has voted", kept apart from the ballot so anonymity and follow-up coexist."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    zone = models.ForeignKey(
        PoliceZone, on_delete=models.CASCADE, related_name="survey_participations"
    )
    # Day precision only: an exact time could be matched against ballots' submission times.
    voted_on = models.DateField(_("voted on"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "zone"], name="one_participation_per_zone_and_survey"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.zone}"


class PairCount(models.Model):
    """How many zones have answered one pair of a pairwise survey (it steers the next pair).

    Kept up to date as ballots are saved, so the ballot page never reads every ballot."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pair_counts")
    first = models.CharField(max_length=20)
    second = models.CharField(max_length=20)
    zones = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "first", "second"], name="one_count_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.first}–{self.second}: {self.zones}"
