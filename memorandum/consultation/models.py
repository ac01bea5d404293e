"""Consultation: the events where proposals are collected, the proposals themselves, and
the merges that turn proposals into recommendations of the catalogue.

A proposal is never rewritten by consolidation: merging links it to a recommendation and
marks it "merged"; the :class:`Merge` record keeps who did what so it can be undone.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import (
    Edition,
    PoliceZone,
    Province,
    Recommendation,
    Theme,
    WorkDomain,
    account_field,
    edition_field,
    precision_field,
)
from memorandum.lib.dates import when
from memorandum.lib.fields import optional_fk, parent_fk, protected_fk, synthetic_flag


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference of corps chiefs")
    SEMINAR = "seminar", _("Strategic seminar")
    PROVINCIAL_CONSULTATION = "provincial_consultation", _("Provincial consultation")
    OTHER = "other", _("Other")


class ConsultationEvent(models.Model):
    """A meeting where proposals were gathered (conference, seminar, provincial round)."""

    edition = edition_field("consultation_events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    precision = precision_field(
        _("precision"), help_text=_("'Month' when only the month is known (e.g. 'October 2022').")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    province = optional_fk(
        Province,
        "consultation_events",
        _("province"),
        help_text=_("For a provincial consultation."),
    )
    participants = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True, help_text=_("Leave empty when unknown.")
    )
    zones = models.ManyToManyField(
        PoliceZone,
        blank=True,
        related_name="consultation_events",
        verbose_name=_("zones taking part"),
    )
    is_synthetic = synthetic_flag(_("Generated test data."))

    class Meta:
        ordering = ["edition", "date", "id"]
        verbose_name = _("consultation event")
        verbose_name_plural = _("consultation events")

    def __str__(self) -> str:
        return f"{self.title} ({self.display_date})"

    @property
    def display_date(self) -> str:
        """'1 oktober 2022', 'oktober 2022', 'midden mei 2023': as precise as the data, in the
        words the timeline uses."""
        return when(self.date, precision=self.precision)


class ProposalLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")


class ProposalStatus(models.TextChoices):
    NEW = "new", _("New")
    MERGED = "merged", _("Merged into a recommendation")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SPLIT = "split", _("Split into new proposals")


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """The secretariat sees every proposal; a corps chief those of their own zone."""
        if user.has_perm("consultation.view_all_proposals"):
            return self
        if user.has_perm("consultation.view_proposal"):
            zone_id = getattr(getattr(user, "profile", None), "zone_id", None)
            if zone_id:
                return self.filter(zone_id=zone_id)
        return self.none()

    def open(self) -> ProposalQuerySet:
        return self.filter(status=ProposalStatus.NEW)


class Proposal(models.Model):
    """One proposal from a zone or a participant, in Dutch or French."""

    edition = edition_field("proposals")
    event = optional_fk(ConsultationEvent, "proposals", _("event"), on_delete=models.PROTECT)
    zone = optional_fk(PoliceZone, "proposals", _("police zone"), on_delete=models.PROTECT)
    author = account_field(_("submitted by"), related_name="proposals")
    participant_name = models.CharField(
        _("participant"),
        max_length=150,
        blank=True,
        help_text=_("Name of the person who made the proposal, if not a user."),
    )
    language = models.CharField(_("language"), max_length=2, choices=ProposalLanguage.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("proposal"))
    domain = protected_fk(WorkDomain, "proposals", _("work domain"))
    theme = optional_fk(Theme, "proposals", _("theme"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.NEW
    )
    merged_into = optional_fk(
        Recommendation, "source_proposals", _("merged into"), on_delete=models.PROTECT
    )
    split_from = optional_fk(
        "Split",
        "parts",
        _("split from"),
        on_delete=models.PROTECT,
        help_text=_("The split that made this proposal out of a broader one."),
    )
    is_synthetic = synthetic_flag(_("Generated test data."))
    created_at = models.DateTimeField(_("submitted on"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        permissions = [
            ("view_all_proposals", _("Can see the proposals of every zone")),
            ("import_proposals", _("Can import proposals from a spreadsheet")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="proposal_merged_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def can_be_withdrawn_by(self, user) -> bool:
        """A new proposal may be withdrawn by the secretariat or by a chief of its zone."""
        if self.status != ProposalStatus.NEW:
            return False
        if user.has_perm("consultation.change_proposal"):
            return True
        zone_id = getattr(getattr(user, "profile", None), "zone_id", None)
        return (
            user.has_perm("consultation.add_proposal")
            and zone_id is not None
            and zone_id == self.zone_id
        )

    @property
    def source(self) -> str:
        """Who the proposal comes from, for lists: the zone, else the participant."""
        return str(self.zone) if self.zone else self.participant_name


class UndoableQuerySet(models.QuerySet):
    def active(self) -> UndoableQuerySet:
        return self.filter(undone_at__isnull=True)


class Undoable(models.Model):
    """An act on proposals (a merge, a split) that can be undone: the record stays, marked
    undone, with who undid it and when."""

    undone_by = account_field(_("undone by"), on_delete=models.PROTECT)
    undone_at = models.DateTimeField(_("undone on"), null=True, blank=True)

    objects = UndoableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class Merge(Undoable):
    """The act of merging proposals into a recommendation: kept even after an undo."""

    edition = edition_field("merges")
    recommendation = optional_fk(Recommendation, "merges", _("recommendation"))
    recommendation_code = models.CharField(
        _("recommendation code"),
        max_length=10,
        help_text=_("Kept if the recommendation is removed by an undo."),
    )
    proposals = models.ManyToManyField(Proposal, related_name="merges", verbose_name=_("proposals"))
    created_recommendation = models.BooleanField(
        _("recommendation created by this merge"), default=False
    )
    history_id_before = models.IntegerField(
        _("recommendation version before"),
        null=True,
        blank=True,
        help_text=_("Empty when the merge created the recommendation."),
    )
    merged_by = account_field(_("merged by"), on_delete=models.PROTECT, optional=False)
    merged_at = models.DateTimeField(_("merged on"), auto_now_add=True)
    undo_note = models.CharField(_("note on the undo"), max_length=300, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"→ {self.recommendation_code} ({self.merged_at:%Y-%m-%d})"


class Split(Undoable):
    """The act of splitting one proposal into narrower new ones: kept even after an undo.

    The original stays, marked "split"; its parts point back to it through ``split_from``.
    """

    edition = edition_field("splits")
    original = parent_fk(Proposal, "splits", _("proposal"))
    part_ids = models.JSONField(
        _("parts"), default=list, help_text=_("Kept when an undo removes the parts.")
    )
    split_by = account_field(_("split by"), on_delete=models.PROTECT, optional=False)
    split_at = models.DateTimeField(_("split on"), auto_now_add=True)

    class Meta:
        ordering = ["-split_at", "-id"]
        verbose_name = _("split")
        verbose_name_plural = _("splits")

    def __str__(self) -> str:
        return f"#{self.original_id} → {', '.join(f'#{pk}' for pk in self.part_ids)}"


def provenance(recommendation: Recommendation) -> dict:
    """Where a recommendation came from: its proposals, their zones and events."""
    proposals = list(
        recommendation.source_proposals.select_related(
            "zone__province", "event", "domain", "theme__domain"
        ).order_by("zone__code", "id")
    )
    zones = sorted({p.zone for p in proposals if p.zone}, key=lambda z: z.code)
    events = sorted({p.event for p in proposals if p.event}, key=lambda e: e.date)
    return {"proposals": proposals, "zones": zones, "events": events, "zone_count": len(zones)}


def zone_support(edition: Edition):
    """Recommendations of an edition with the number of distinct zones behind them."""
    return Recommendation.objects.filter(edition=edition).annotate(
        zone_count=Count("source_proposals__zone", distinct=True),
        proposal_count=Count("source_proposals", distinct=True),
    )


class DuplicateScan(models.Model):
    """The likely duplicates of an edition's open proposals, computed by the worker for one
    set of texts (``texts_key``, a digest of every open proposal's and recommendation's
    text). ``pairs`` is empty (None) while the worker computes; a change of any text gives a
    new key, hence a new scan, so the page never shows pairs of texts that changed."""

    edition = edition_field("duplicate_scans")
    texts_key = models.CharField(_("digest of the texts"), max_length=64)
    # [[proposal id, "proposal" or "recommendation", its id, score, other language], …]
    pairs = models.JSONField(_("pairs"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate scan")
        verbose_name_plural = _("duplicate scans")
        constraints = [
            models.UniqueConstraint(fields=["edition", "texts_key"], name="duplicate_scan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.edition} {self.texts_key[:12]}"

    @property
    def is_ready(self) -> bool:
        return self.pairs is not None
