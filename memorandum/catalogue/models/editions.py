"""An edition and what frames its recommendations: timeline, work domains, themes,
addressees and references."""

from __future__ import annotations

from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from memorandum.lib.bilingual import BilingualField
from memorandum.lib.dates import when
from memorandum.lib.fields import numbered_within, optional_fk, parent_fk, synthetic_flag
from memorandum.lib.validation import EARLIEST, LATEST, is_safe_link, validate_sane_date


class Phase(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    PRIORITISATION = "prioritisation", _("Prioritisation")
    CONSOLIDATION = "consolidation", _("Consolidation")
    PUBLISHED = "published", _("Published")
    FOLLOW_UP = "follow_up", _("Follow-up")


PUBLIC_PHASES = (Phase.PUBLISHED, Phase.FOLLOW_UP)


class CatalogueQuerySet(models.QuerySet):
    """The one visibility rule of the catalogue: roles with ``catalogue.view_unpublished``
    read everything, everyone else what :meth:`public` keeps (a subclass defines it)."""

    def public(self) -> Self:
        raise NotImplementedError

    def visible_to(self, user) -> Self:
        if user.has_perm("catalogue.view_unpublished"):
            return self
        return self.public()


class EditionQuerySet(CatalogueQuerySet):
    def public(self) -> EditionQuerySet:
        """Editions the public may read: published or in follow-up."""
        return self.filter(phase__in=PUBLIC_PHASES)


class Edition(models.Model):
    """One memorandum cycle, e.g. 'Memorandum 2024-2028'."""

    slug = models.SlugField(
        _("slug"), unique=True, help_text=_("Used in addresses, e.g. 2024-2028.")
    )
    title = BilingualField(models.CharField, _("title"), max_length=200, required=["nl"])
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.CONSULTATION
    )
    issuing_body = BilingualField(models.CharField, _("issuing body"), max_length=200)
    foreword_author = models.CharField(_("author of the foreword"), max_length=150, blank=True)
    foreword_author_function = BilingualField(
        models.CharField, _("function of the author"), max_length=250
    )
    foreword = BilingualField(models.TextField, _("foreword"))
    introduction = BilingualField(models.TextField, _("introduction"))
    notes = BilingualField(models.TextField, _("editorial notes"))
    is_synthetic = synthetic_flag(_("Generated test data."))
    proposals_count = models.PositiveIntegerField(
        _("recommendations put to the consultation"),
        null=True,
        blank=True,
        help_text=_(
            "How many recommendations the work domains produced before they were prioritised "
            "(219 for 2024-2028), when the consultation was not held on this platform."
        ),
    )

    # The edition this one was started from (catalogue/succession.py): what changed
    # since the previous memorandum is read against it.
    previous = optional_fk("self", "next_editions", _("previous edition"))

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "slug"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        permissions = [
            ("view_unpublished", _("Can see editions and recommendations that are not published"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="edition_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:edition", args=[self.slug])

    def clean(self) -> None:
        # Years outside this range cannot be shown by the charts and spreadsheets.
        errors = {
            name: _("Give a year between %(first)s and %(last)s.")
            % {"first": EARLIEST.year, "last": LATEST.year}
            for name in ("period_start", "period_end")
            if getattr(self, name) is not None
            and not EARLIEST.year <= getattr(self, name) <= LATEST.year
        }
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.phase in PUBLIC_PHASES

    @property
    def period(self) -> str:
        return f"{self.period_start}-{self.period_end}"

    def phase_index(self) -> int:
        return list(Phase.values).index(self.phase)


def edition_field(related_name: str) -> models.ForeignKey:
    """The foreign key of what belongs to one edition and goes when the edition is deleted."""
    return parent_fk(Edition, related_name, _("edition"))


class TimelineKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    SEMINAR = "seminar", _("Seminar")
    PROVINCIAL_CONSULTATION = "provincial_consultation", _("Provincial consultation")
    SURVEY = "survey", _("Survey")
    GENERAL_ASSEMBLY = "general_assembly", _("General Assembly")
    PUBLICATION = "publication", _("Publication")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    # The date stands for a part of its month: days 1-10 "early", 11-20 "mid", 21-31 "late".
    PART = "part", _("Early, mid or late in the month")
    MONTH = "month", _("Month")


def precision_field(verbose_name: str, **options) -> models.CharField:
    """How precise the date beside it is: a day (the default), a part of a month, a month."""
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        **options,
    )


class TimelineEvent(models.Model):
    """A dated step of the edition's process (conference, survey, assembly meeting…)."""

    edition = edition_field("timeline")
    date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    precision = precision_field(
        _("precision"),
        help_text=_(
            "'Month' when only the month is known (e.g. 'October 2022'); 'Early, mid or late in "
            "the month' for a date known only as roughly (e.g. 'mid-May 2023': give 15 May)."
        ),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=TimelineKind.choices)
    title = BilingualField(models.CharField, _("title"), max_length=200, required=["nl"])
    description = BilingualField(models.TextField, _("description"))

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="timeline_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def period(self) -> str:
        """'15 May to 5 June 2023', 'October 2022': never more precise than the data."""
        return when(self.date, self.end_date, self.precision)


def phase_date(verbose_name: str) -> models.DateField:
    """A planned or actual date of a phase: optional, and within what the charts can show."""
    return models.DateField(verbose_name, null=True, blank=True, validators=[validate_sane_date])


class EditionPhase(models.Model):
    """The planned and actual dates of one phase of an edition.

    ``Edition.phase`` says where the edition stands; this row says when each phase was
    planned and when it really began and ended. Actual dates are set when the secretariat
    moves the edition (``catalogue.services.edition_move_phase``); either kind of date may
    be approximate, with the same precision as the timeline (a day, early/mid/late in a
    month, a month). Every change is kept as a version, with its reason.
    """

    edition = edition_field("phase_dates")
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    planned_start = phase_date(_("planned start"))
    planned_end = phase_date(_("planned end"))
    planned_precision = precision_field(_("precision of the planned dates"))
    actual_start = phase_date(_("actual start"))
    actual_end = phase_date(_("actual end"))
    actual_precision = precision_field(_("precision of the actual dates"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "id"]
        verbose_name = _("phase dates")
        verbose_name_plural = _("phase dates")
        constraints = [
            models.UniqueConstraint(fields=["edition", "phase"], name="edition_phase_unique"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="edition_phase_planned_ordered",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="edition_phase_actual_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} – {self.get_phase_display()}"

    def clean(self) -> None:
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end comes before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end comes before the actual start.")
        if errors:
            raise ValidationError(errors)


class WorkDomain(models.Model):
    """One of the work domains an edition is organised in (e.g. 'Financiering')."""

    edition = edition_field("domains")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = BilingualField(models.CharField, _("name"), max_length=200, required=["nl"])
    description = BilingualField(models.TextField, _("description"))

    class Meta(numbered_within("edition", prefix="domain")):
        verbose_name = _("work domain")
        verbose_name_plural = _("work domains")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Theme(models.Model):
    """A theme for reflection inside a work domain."""

    domain = parent_fk(WorkDomain, "themes", _("work domain"))
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = BilingualField(models.CharField, _("name"), max_length=200, required=["nl"])

    class Meta(numbered_within("domain", prefix="theme", order_by="domain__number")):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def code(self) -> str:
        """'3.2' for the second theme of domain 3."""
        return f"{self.domain.number}.{self.number}"


class Honorific(models.TextChoices):
    """How an addressee is greeted; printed in the document's language."""

    NONE = "", _("None")
    MR = "mr", _("Mr")
    MRS = "mrs", _("Mrs")


class Addressee(models.Model):
    """A person or body the memorandum is addressed to ('Ter attentie van')."""

    edition = edition_field("addressees")
    order = models.PositiveSmallIntegerField(_("order"))
    honorific = models.CharField(
        _("honorific"), max_length=3, choices=Honorific.choices, blank=True, default=""
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Empty when a function or body is addressed."),
    )
    function = BilingualField(
        models.CharField,
        _("function or body"),
        max_length=300,
        required=["nl"],
    )

    class Meta(numbered_within("edition", "order", prefix="addressee")):
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")

    def __str__(self) -> str:
        return f"{self.salutation}, {self.function}" if self.name else str(self.function)

    @property
    def salutation(self) -> str:
        """'De heer Alexander De Croo' / 'Monsieur Alexander De Croo' (active language)."""
        if self.honorific and self.name:
            return f"{self.get_honorific_display()} {self.name}"
        return self.name


class ReferenceKind(models.TextChoices):
    LOCAL_POLICE = "local_police", _("Local police")
    FEDERAL_POLICE = "federal_police", _("Federal police")
    INTEGRATED_POLICE = "integrated_police", _("Integrated police")
    LEGISLATION = "legislation", _("Legislation")
    POLICY_NOTES = "policy_notes", _("Policy notes and analyses")
    OTHER_PLANS = "other_plans", _("Other strategic plans and reports")


class Reference(models.Model):
    """A document the memorandum builds on, grouped by kind."""

    edition = edition_field("references")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReferenceKind.choices)
    title = BilingualField(models.TextField, _("title"), required=["nl"])
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)

    class Meta(numbered_within("edition", "order", prefix="reference")):
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return str(self.title)

    @property
    def link(self) -> str:
        """The address when it may be rendered as a link (http, https, mailto), else ""."""
        return self.url if is_safe_link(self.url) else ""
