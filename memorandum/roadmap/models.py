"""The follow-up roadmap: what is being done, by whom and how far it has got.

An :class:`Initiative` serves one or more recommendations or commitments of an edition
(and, optionally, specific action lines of them). It has milestones, indicators with
dated measurements, a timeline of updates and points of attention. Owners (users) keep
their own initiatives up to date; the secretariat may change everything; the public
reads only initiatives marked public of public editions.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from memorandum.catalogue.models import (
    Edition,
    PoliceZone,
    Recommendation,
    account_field,
    edition_field,
)
from memorandum.lib.bilingual import BilingualField
from memorandum.lib.fields import optional_fk, parent_fk, synthetic_flag

ATTACHMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "png", "jpg", "jpeg", "txt", "csv"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def today() -> dt.date:
    """Today in Brussels (the server may run in UTC)."""
    return timezone.localdate()


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    AT_RISK = "at_risk", _("At risk")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


CLOSED_STATUSES = (InitiativeStatus.DONE, InitiativeStatus.DROPPED)


class InitiativeQuerySet(models.QuerySet):
    def visible_to(self, user) -> InitiativeQuerySet:
        """Initiatives this user may read.

        Members with a role read every initiative of the editions they can see; everyone
        else (the public, accounts without a role) only public initiatives of public
        editions. Owners always see their own.
        """
        if user.has_perm("roadmap.view_initiative"):
            readable = Q(edition__in=Edition.objects.visible_to(user))
        else:
            readable = Q(is_public=True, edition__in=Edition.objects.public())
        if user.is_authenticated:
            readable |= Q(owners=user)
        return self.filter(readable).distinct()

    def editable_by(self, user) -> InitiativeQuerySet:
        if user.has_perm("roadmap.change_initiative"):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(owners=user).distinct()

    def open(self) -> InitiativeQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)

    def with_last_update(self) -> InitiativeQuerySet:
        return self.annotate(last_update_on=Max("updates__date"))

    def stale(self, days: int, on: dt.date | None = None) -> InitiativeQuerySet:
        """Open initiatives with no update in the last ``days`` days (or none at all since they started)."""
        cutoff = (on or today()) - dt.timedelta(days=days)
        return (
            self.open()
            .with_last_update()
            .filter(
                Q(last_update_on__lt=cutoff) | Q(last_update_on__isnull=True, start_date__lt=cutoff)
            )
        )


class Initiative(models.Model):
    """A project or action that carries out (part of) one or more recommendations."""

    # Who leads it, with whom, when and how far: the plan's fields, in the order the form and
    # the spreadsheet columns show them.
    PLAN_FIELDS = [
        "lead_organisation",
        "lead_zone",
        "partners",
        "start_date",
        "end_date",
        "status",
        "progress",
    ]

    edition = edition_field("initiatives")
    title = BilingualField(models.CharField, _("title"), max_length=300, required=["nl"])
    description = BilingualField(models.TextField, _("description"))
    recommendations = models.ManyToManyField(
        Recommendation,
        through="InitiativeLink",
        related_name="initiatives",
        verbose_name=_("recommendations and commitments"),
    )
    lead_organisation = models.CharField(
        _("lead body"),
        max_length=200,
        help_text=_("Who leads it, e.g. 'VCLP', 'Federale Politie', 'FOD Binnenlandse Zaken'."),
    )
    lead_zone = optional_fk(
        PoliceZone,
        "initiatives",
        _("lead police zone"),
        help_text=_("When a police zone leads it."),
    )
    partners = models.CharField(
        _("partners"), max_length=500, blank=True, help_text=_("Separate partners with commas.")
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="roadmap_initiatives",
        verbose_name=_("owners"),
        help_text=_("People who keep this initiative up to date."),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("planned end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown to visitors who are not logged in.")
    )
    is_synthetic = synthetic_flag(_("Generated test data, not real."))
    # Set when the next edition was started while this initiative of the previous one was
    # still running (catalogue/succession.py).
    carried_over_from = optional_fk("self", "carried_over_to", _("carried over from"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "start_date", "id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="initiative_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="initiative_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("roadmap:initiative", args=[self.edition.slug, self.pk])

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The planned end cannot be before the start.")})

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, on: dt.date | None = None) -> bool:
        """Past its planned end and neither done nor dropped."""
        return bool(self.end_date and not self.is_closed and self.end_date < (on or today()))

    def last_update_date(self) -> dt.date | None:
        if hasattr(self, "last_update_on"):
            return self.last_update_on
        return self.updates.aggregate(last=Max("date"))["last"]

    def can_edit(self, user) -> bool:
        if user.has_perm("roadmap.change_initiative"):
            return True
        return user.is_authenticated and self.owners.filter(pk=user.pk).exists()

    def partner_list(self) -> list[str]:
        return [p.strip() for p in self.partners.split(",") if p.strip()]

    def lead(self) -> str:
        return (
            f"{self.lead_organisation} ({self.lead_zone})"
            if self.lead_zone
            else self.lead_organisation
        )

    def serves(self) -> list[str]:
        """Codes of what it serves, with action lines: ['R1', 'R3.2', 'R3.4']."""
        return [code for link in self.links.all() for code in link.codes()]


class InitiativeLink(models.Model):
    """An initiative serves a recommendation, possibly only some of its action lines."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="initiative_links"
    )
    action_lines = models.JSONField(
        _("action lines"),
        default=list,
        blank=True,
        help_text=_(
            "Numbers (from 1) of the action lines served; empty means the recommendation as a whole."
        ),
    )

    class Meta:
        ordering = ["recommendation__kind", "recommendation__number"]
        verbose_name = _("recommendation served")
        verbose_name_plural = _("recommendations served")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "recommendation"], name="initiative_link_unique"
            )
        ]

    def __str__(self) -> str:
        return ", ".join(self.codes())

    def codes(self) -> list[str]:
        code = self.recommendation.code
        return [f"{code}.{n}" for n in self.action_lines] if self.action_lines else [code]

    def action_texts(self) -> list[tuple[int, str]]:
        items = self.recommendation.action_items()
        return [(n, items[n - 1]["text"]) for n in self.action_lines if 0 < n <= len(items)]


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, on: dt.date | None = None) -> MilestoneQuerySet:
        """Not done and due before today, of initiatives still running."""
        return self.filter(done_date__isnull=True, due_date__lt=on or today()).exclude(
            initiative__status__in=CLOSED_STATUSES
        )

    def done_between(self, start: dt.date, end: dt.date) -> MilestoneQuerySet:
        return self.filter(done_date__gte=start, done_date__lte=end)


class Milestone(models.Model):
    initiative = parent_fk(Initiative, "milestones", _("initiative"))
    title = BilingualField(models.CharField, _("title"), max_length=300, required=["nl"])
    due_date = models.DateField(_("due"))
    done_date = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return str(self.title)

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return (
            self.done_date is None
            and self.due_date < (on or today())
            and not self.initiative.is_closed
        )

    def days_late(self, on: dt.date | None = None) -> int:
        return max(((on or today()) - self.due_date).days, 0)


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Indicator(models.Model):
    """A measurable sign of progress, e.g. 'zones connected to i-Police' (target 185)."""

    initiative = parent_fk(Initiative, "indicators", _("initiative"))
    name = BilingualField(models.CharField, _("name"), max_length=300, required=["nl"])
    unit = models.CharField(_("unit"), max_length=50, help_text=_("e.g. %, zones, FTE, euro"))
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return str(self.name)

    def clean(self) -> None:
        if self.baseline is not None and self.target is not None:
            if self.direction == Direction.UP and self.target < self.baseline:
                raise ValidationError(
                    {"target": _("When higher is better, the target cannot be below the baseline.")}
                )
            if self.direction == Direction.DOWN and self.target > self.baseline:
                raise ValidationError(
                    {"target": _("When lower is better, the target cannot be above the baseline.")}
                )

    def latest(self) -> Measurement | None:
        measurements = list(self.measurements.all())  # prefetched on list pages
        return max(measurements, key=lambda m: (m.date, m.pk)) if measurements else None

    def achievement(self, value: Decimal | None = None) -> int | None:
        """How far the latest value has gone from baseline to target, in % (0–100, clipped)."""
        if value is None:
            latest = self.latest()
            if latest is None:
                return None
            value = latest.value
        span = self.target - self.baseline
        if span == 0:
            return 100
        share = (value - self.baseline) / span * 100
        return int(max(0, min(100, round(share))))

    def target_reached(self) -> bool:
        latest = self.latest()
        if latest is None:
            return False
        return (
            latest.value >= self.target
            if self.direction == Direction.UP
            else latest.value <= self.target
        )


class Measurement(models.Model):
    indicator = parent_fk(Indicator, "measurements", _("indicator"))
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = account_field(_("recorded by"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}: {self.value}"


class AttachmentStorage(FileSystemStorage):
    """Update attachments live outside MEDIA_ROOT, which a web server may publish as is:
    they are only ever served by the view that checks the initiative's permissions.

    The folder is ``settings.ROADMAP_ATTACHMENTS_ROOT`` (default ``<VAR_DIR>/private/roadmap``),
    read on every access so tests can point it elsewhere.
    """

    @property
    def base_location(self):
        default = Path(getattr(settings, "VAR_DIR", ".")) / "private" / "roadmap"
        return str(getattr(settings, "ROADMAP_ATTACHMENTS_ROOT", default))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Roadmap attachments have no public address; use the attachment view.")


def attachment_storage() -> AttachmentStorage:
    return AttachmentStorage()


def validate_attachment_size(upload) -> None:
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; attachments may be at most %(max)s MB."),
            params={
                "size": round(upload.size / 1024 / 1024, 1),
                "max": ATTACHMENT_MAX_BYTES // 1024 // 1024,
            },
        )


class Update(models.Model):
    """A dated progress note by an owner, possibly changing the initiative's status."""

    initiative = parent_fk(Initiative, "updates", _("initiative"))
    date = models.DateField(_("date"), default=today)
    author = account_field(_("author"))
    text = models.TextField(_("what happened"))
    status_before = models.CharField(
        _("status before"), max_length=10, choices=InitiativeStatus.choices, blank=True
    )
    status_after = models.CharField(
        _("new status"), max_length=10, choices=InitiativeStatus.choices, blank=True
    )
    progress_after = models.PositiveSmallIntegerField(
        _("new progress (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    attachment = models.FileField(
        _("attachment"),
        upload_to="updates/%Y/%m/",
        blank=True,
        storage=attachment_storage,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size],
    )
    attachment_public = models.BooleanField(
        _("attachment is public"),
        default=False,
        help_text=_(
            "Off: only the owners, the secretariat and logged-in members who may read the initiative can download it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.initiative}"

    @property
    def changes_status(self) -> bool:
        return bool(self.status_after) and self.status_after != self.status_before

    def attachment_name(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""

    def attachment_readable_by(self, user) -> bool:
        """A private attachment is for the initiative's editors and members with a role."""
        if not self.attachment:
            return False
        if self.attachment_public:
            return True
        return user.has_perm("roadmap.view_initiative") or self.initiative.can_edit(user)


class PointOfAttention(models.Model):
    """A concern raised about an initiative (a risk, a dependency, a question to the authorities)."""

    initiative = parent_fk(Initiative, "points_of_attention", _("initiative"))
    text = models.TextField(_("point of attention"))
    raised_by = account_field(_("raised by"))
    raised_on = models.DateField(_("raised on"), default=today)
    resolved = models.BooleanField(_("resolved"), default=False)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["resolved", "-raised_on", "-id"]
        verbose_name = _("point of attention")
        verbose_name_plural = _("points of attention")

    def __str__(self) -> str:
        return self.text[:80]
