"""Impact estimates of new missions: what a new task costs the zones in staff and time.

The secretariat registers a :class:`Mission` (a law, circular or task imposed on the zones)
and opens an :class:`EstimateRound` with a deadline. Every zone gets one
:class:`ImpactInvitation` — the same link mechanism as the survey
(:mod:`memorandum.lib.links`, :mod:`memorandum.lib.outbox`) — and keeps one
:class:`ZoneEstimate`, a draft until submitted, changeable until the deadline. Closing the
round queues a :class:`CountRun` in the worker, which freezes the aggregation
(:mod:`memorandum.impact.estimation`) in its ``results``; the note, the spreadsheet and
the chart are drawn from those frozen results only.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import PoliceZone, Recommendation, edition_field
from memorandum.lib.bilingual import BilingualField
from memorandum.lib.fields import parent_fk, synthetic_flag
from memorandum.lib.links import AnswerWindow, InvitationLink
from memorandum.lib.outbox import OutboxMail
from memorandum.lib.runs import CountRunBase, CountStatus
from memorandum.survey.models import min_group_field


class Mission(models.Model):
    """A new task imposed on the zones, whose impact the federation wants to estimate."""

    edition = edition_field("missions")
    title = BilingualField(models.CharField, _("title"), max_length=200, required=["nl"])
    description = BilingualField(models.TextField, _("description"))
    source_text = models.CharField(
        _("source"), max_length=300, help_text=_("The law, circular or regulation, by its title.")
    )
    source_date = models.DateField(_("date of the source"), null=True, blank=True)
    source_authority = models.CharField(_("authority"), max_length=200, blank=True)
    questions = BilingualField(
        models.TextField, _("questions to the zones"), help_text=_("One question per line.")
    )
    recommendations = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="missions",
        verbose_name=_("related recommendations"),
    )
    is_synthetic = synthetic_flag(_("Generated test data, not a real mission."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        permissions = [
            ("manage_mission", _("Can register missions and run estimate rounds")),
            ("view_impact", _("Can read impact reports and notes")),
            ("estimate", _("Can answer an estimate round for one's own zone")),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("impact:mission", args=[self.edition.slug, self.pk])

    def question_lines(self) -> list[str]:
        return [line.strip() for line in str(self.questions).splitlines() if line.strip()]


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    COUNTED = "counted", _("Counted")


class Basis(models.TextChoices):
    PERSONNEL = "personnel", _("Staff of the zone")
    POPULATION = "population", _("Population of the zone")


class EstimateRound(AnswerWindow):
    """One call to every zone to estimate a mission's impact, open until a deadline."""

    mission = parent_fk(Mission, "rounds", _("mission"))
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    basis = models.CharField(
        _("estimate non-respondents from"),
        max_length=12,
        choices=Basis.choices,
        default=Basis.PERSONNEL,
    )
    min_group = min_group_field(
        _(
            "Figures by province, region or size class show only groups with at least this "
            "many responses; smaller groups are counted together as “other”."
        )
    )
    replicates = models.PositiveIntegerField(
        _("bootstrap replicates"),
        default=2000,
        validators=[MinValueValidator(200), MaxValueValidator(20000)],
    )
    seed = models.PositiveIntegerField(_("random seed"), default=2026)
    is_synthetic = synthetic_flag()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    FINISHED = (RoundStatus.CLOSED, RoundStatus.COUNTED)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("estimate round")
        verbose_name_plural = _("estimate rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} · {timezone.localtime(self.closes_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("impact:round", args=[self.mission.edition.slug, self.pk])

    def latest_count(self) -> CountRun | None:
        return self.count_runs.order_by("-created_at", "-id").first()

    def report(self) -> CountRun | None:
        """The last finished count: what every output is drawn from."""
        return self.count_runs.filter(status=CountStatus.DONE).order_by("-finished_at").first()


class ImpactInvitation(InvitationLink):
    """The one link a zone answers an estimate round with (only its hash is stored)."""

    token_purpose = "memorandum.impact.invitation"

    round = parent_fk(EstimateRound, "invitations", _("estimate round"))
    zone = parent_fk(PoliceZone, "impact_invitations", _("police zone"))

    class Meta(InvitationLink.Meta):
        constraints = [
            models.UniqueConstraint(fields=["round", "zone"], name="one_impact_link_per_zone"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.zone}"


class ImpactMail(OutboxMail):
    """One e-mail about an estimate invitation: the round's outbox row."""

    invitation = parent_fk(ImpactInvitation, "mails", _("invitation"))

    class Meta(OutboxMail.Meta):
        indexes = [models.Index(fields=["status", "created_at"], name="impact_mail_status_idx")]


class Feasibility(models.IntegerChoices):
    IMPOSSIBLE = 1, _("1 – not feasible")
    HARD = 2, _("2 – only with extra means")
    DIFFICULT = 3, _("3 – feasible with difficulty")
    FEASIBLE = 4, _("4 – feasible")
    EASY = 5, _("5 – easily feasible")


class EstimateQuerySet(models.QuerySet):
    def submitted(self) -> EstimateQuerySet:
        return self.filter(submitted_at__isnull=False)


class ZoneEstimate(models.Model):
    """One zone's estimate for a round: a draft until submitted, changeable until the deadline."""

    round = parent_fk(EstimateRound, "estimates", _("estimate round"))
    zone = parent_fk(PoliceZone, "impact_estimates", _("police zone"))
    fte = models.DecimalField(
        _("recurring staff need"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    hours_operational = models.PositiveIntegerField(
        _("hours per year, operational staff"), null=True, blank=True
    )
    hours_calog = models.PositiveIntegerField(
        _("hours per year, CALog staff"), null=True, blank=True
    )
    one_off_eur = models.DecimalField(
        _("one-off cost"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    earliest_start = models.DateField(_("earliest feasible start"), null=True, blank=True)
    feasibility = models.PositiveSmallIntegerField(
        _("feasibility"), choices=Feasibility.choices, null=True, blank=True
    )
    comments = models.TextField(_("comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    cast_by = models.CharField(_("answered by"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = EstimateQuerySet.as_manager()

    class Meta:
        ordering = ["round", "zone__code"]
        verbose_name = _("zone estimate")
        verbose_name_plural = _("zone estimates")
        constraints = [
            models.UniqueConstraint(fields=["round", "zone"], name="one_estimate_per_zone"),
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gte=Decimal(0)), name="estimate_fte_positive"
            ),
            models.CheckConstraint(
                condition=Q(one_off_eur__isnull=True) | Q(one_off_eur__gte=Decimal(0)),
                name="estimate_cost_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.zone}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CountRun(CountRunBase):
    """One aggregation of a closed round in the worker; ``results`` is frozen when done."""

    round = parent_fk(EstimateRound, "count_runs", _("estimate round"))
    results = models.JSONField(_("results"), default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.round} · {self.get_status_display()}"
