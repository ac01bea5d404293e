"""Prioritisation surveys: one ballot per police zone, then a frozen tally.

A :class:`Survey` asks every zone of the federation to put an edition's items in an order
of priority. Each zone gets one :class:`Invitation` (an unguessable link whose token is
only stored hashed) and casts at most one :class:`Ballot`, held by a database constraint.
In an anonymous survey the submitted ballot is a new row that keeps only its province,
region and weight class (see ``weights.py``); a separate :class:`Participation` row records
that the zone has voted, without a link to the ballot. Closing the survey freezes a :class:`Tally` with the data and seed behind it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from datetime import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import Edition, PoliceZone, Recommendation, Region, Theme
from memorandum.lib import links
from memorandum.lib.bilingual import BilingualField, texts_of
from memorandum.lib.links import InvitationLink, InvitationLinkQuerySet, hash_token  # noqa: F401
from memorandum.lib.outbox import MailKind, MailStatus, OutboxMail, OutboxMailQuerySet  # noqa: F401
from memorandum.survey.contract import TallyResult, read_tally


class Items(models.TextChoices):
    RECOMMENDATIONS = "recommendations", _("Recommendations and commitments")
    THEMES = "themes", _("Themes")
    BOTH = "both", _("Recommendations, commitments and themes")


class BallotForm(models.TextChoices):
    RANKING = "ranking", _("Ranking: inside each theme (or work domain) plus a top 10 overall")
    RATING = "rating", _("Rating: importance and urgency on an ordered scale")
    PAIRWISE = "pairwise", _("Pairwise comparisons: “which is more urgent?”")
    POINTS = "points", _("100 points to distribute")


class Weighting(models.TextChoices):
    ZONE = "zone", _("One zone, one vote")
    PERSONNEL = "personnel", _("Weighted by personnel")
    POPULATION = "population", _("Weighted by population")


class Anonymity(models.TextChoices):
    ATTRIBUTED = "attributed", _("Attributed: the secretariat sees which zone voted what")
    ANONYMOUS = "anonymous", _("Anonymous: only the province and region stay with the ballot")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    TALLIED = "tallied", _("Tallied")


METHOD_LABELS = {
    "schulze": _("Schulze"),
    "borda": _("Borda count"),
    "copeland": _("Copeland"),
    "ranked-pairs": _("Ranked Pairs"),
    "kemeny": _("Kemeny"),
    "irv": _("Instant run-off"),
    "plackett-luce": _("Plackett-Luce"),
    "mean": _("Mean score"),
    "majority-judgment": _("Majority judgment"),
    "bradley-terry": _("Bradley-Terry"),
    "points": _("Total points"),
}

# The ordered scale of rating ballots (worst first); "no opinion" is stored as None.
RATING_LEVELS = [
    (0, _("Low")),
    (1, _("Moderate")),
    (2, _("High")),
    (3, _("Very high")),
]
RATING_CRITERIA = [("importance", _("Importance")), ("urgency", _("Urgency"))]
TOP_N = 10
POINTS_BUDGET = 100
# The smallest group of ballots a breakdown may show (k); below MIN_GROUP_FLOOR one zone's
# answer could too easily be read off a group.
DEFAULT_MIN_GROUP = 5
MIN_GROUP_FLOOR = 3
MIN_GROUP_CEILING = 50


class SurveyQuerySet(models.QuerySet):
    def for_edition(self, edition: Edition) -> SurveyQuerySet:
        return self.filter(edition=edition)

    def tallied(self) -> SurveyQuerySet:
        return self.filter(status=SurveyStatus.TALLIED)


class Survey(models.Model):
    """A prioritisation survey of one edition's items among the police zones."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("edition")
    )
    title = BilingualField(models.CharField, _("title"), max_length=200, required=["nl"])
    items = models.CharField(
        _("items to put in order"),
        max_length=20,
        choices=Items.choices,
        default=Items.RECOMMENDATIONS,
    )
    ballot_form = models.CharField(
        _("ballot form"), max_length=10, choices=BallotForm.choices, default=BallotForm.RANKING
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    weighting = models.CharField(
        _("how ballots count"), max_length=12, choices=Weighting.choices, default=Weighting.ZONE
    )
    anonymity = models.CharField(
        _("anonymity"), max_length=12, choices=Anonymity.choices, default=Anonymity.ATTRIBUTED
    )
    primary_method = models.CharField(_("primary method"), max_length=20, default="schulze")
    bootstrap_replicates = models.PositiveIntegerField(
        _("bootstrap replicates"),
        default=500,
        help_text=_(
            "How many times the ballots are resampled to estimate how certain each rank is (100–5000)."
        ),
    )
    bootstrap_seed = models.PositiveIntegerField(
        _("random seed"),
        default=2023,
        help_text=_("The same seed and ballots always give the same intervals."),
    )
    min_group = models.PositiveSmallIntegerField(
        _("smallest group shown (k)"),
        default=DEFAULT_MIN_GROUP,
        validators=[MinValueValidator(MIN_GROUP_FLOOR), MaxValueValidator(MIN_GROUP_CEILING)],
        help_text=_(
            "Results by province, region or weight class show only groups of at least this many "
            "ballots; smaller groups are merged into “other”. In a weighted anonymous survey every "
            "weight class holds at least this many zones."
        ),
    )
    # Frozen when the survey opens (weighted anonymous surveys only): see ``survey/weights.py``.
    weight_classes = models.JSONField(_("weight classes"), default=dict, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated test data, not real ballots.")
    )
    left_out_codes = models.JSONField(
        _("items left out"),
        default=list,
        blank=True,
        help_text=_("Codes of published items the secretariat chose not to put to the zones."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the item list was frozen (``items.freeze``; again by ``items.refreeze``): it names
    # the list, so a copy of it kept in memory (``items.item_keys``) is never stale.
    items_frozen_at = models.DateTimeField(_("items frozen"), null=True, blank=True, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        permissions = [
            ("manage_survey", _("Can set up surveys, send invitations and close surveys")),
            ("view_participation", _("Can follow who has answered a survey")),
            ("view_results", _("Can see survey results before the edition is published")),
            ("vote", _("Can fill in the survey for one's own zone")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(min_group__gte=MIN_GROUP_FLOOR), name="survey_min_group_at_least_3"
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def save(self, *args, **kwargs) -> None:
        """A survey that is no longer being prepared always has its frozen item list.

        ``survey_open`` freezes it; this also covers surveys created open (demo, tests,
        imports), so no ballot is ever drawn from the live catalogue.
        """
        super().save(*args, **kwargs)
        if self.status != SurveyStatus.DRAFT and not self.frozen_items.exists():
            from memorandum.survey.items import freeze

            freeze(self)

    def get_absolute_url(self) -> str:
        return reverse("survey:detail", args=[self.edition.slug, self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity == Anonymity.ANONYMOUS

    @property
    def uses_weight_classes(self) -> bool:
        """Anonymous and weighted: ballots count with their zone's class weight, never its own."""
        return self.is_anonymous and self.weighting != Weighting.ZONE

    def zone_weights(self) -> dict[int, float]:
        """Every zone's exact weight under this survey's weighting (zone pk → weight)."""
        if self.weighting == Weighting.ZONE:
            return dict.fromkeys(PoliceZone.objects.values_list("pk", flat=True), 1.0)
        rows = PoliceZone.objects.values_list("pk", self.weighting)
        return {pk: float(value) for pk, value in rows}

    def compute_weight_classes(self) -> dict:
        """The weight classes of today's zones (empty unless :attr:`uses_weight_classes`)."""
        from memorandum.survey.weights import weight_classes

        if not self.uses_weight_classes:
            return {}
        weights = self.zone_weights()
        classes = weight_classes(list(weights.values()), self.min_group)
        table = [c.as_json() for c in classes]
        zones = {}
        for pk, weight in weights.items():
            zones[str(pk)] = next((c["number"] for c in table if weight <= c["high"]), len(table))
        return {
            "weighting": self.weighting,
            "k": self.min_group,
            "classes": table,
            "zones": zones,
        }

    def weight_class_of(self, zone: PoliceZone) -> dict | None:
        """The frozen class a zone votes in (None when the survey has no classes)."""
        classes = (self.weight_classes or {}).get("classes") or []
        if not classes:
            return None
        number = self.weight_classes.get("zones", {}).get(str(zone.pk))
        if number is None:  # a zone added after opening: by its weight today
            from memorandum.survey.weights import class_of

            return class_of(classes, self.zone_weights().get(zone.pk, 0.0))
        return classes[number - 1]

    def accepts_ballots(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == SurveyStatus.OPEN and self.opens_at <= now < self.closes_at

    def is_over(self, now: datetime | None = None) -> bool:
        """The window has passed or the secretariat closed the survey: ballots are read-only."""
        now = now or timezone.now()
        return self.status in (SurveyStatus.CLOSED, SurveyStatus.TALLIED) or now >= self.closes_at

    def has_ballots(self) -> bool:
        return self.ballots.exists()

    def latest_tally(self) -> Tally | None:
        return self.tallies.order_by("-created_at", "-id").first()


class SurveyItem(models.Model):
    """One item exactly as the survey puts it to the zones, frozen when the survey opens.

    Ballots, their validation, the tally, the results and their exports read these rows,
    never the live catalogue: a recommendation changed, added or withdrawn after opening
    does not reach the ballots (the survey page warns the secretariat instead). The links
    to the catalogue are kept for reference and comparison only. For a survey still being
    prepared, unsaved instances built from the catalogue show what would be frozen.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="frozen_items", verbose_name=_("survey")
    )
    position = models.PositiveIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=20)
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_items",
        verbose_name=_("recommendation"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_items",
        verbose_name=_("theme"),
    )
    title = BilingualField(models.CharField, _("title"), max_length=300, required=["nl"])
    objective = BilingualField(models.TextField, _("objective"))
    actions = BilingualField(models.TextField, _("actions"))
    context = BilingualField(models.TextField, _("context"))
    group = models.CharField(_("group"), max_length=20)
    group_label = BilingualField(models.CharField, _("group"), max_length=300, required=["nl"])
    frozen_at = models.DateTimeField(_("frozen"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="survey_item_code_unique"),
            models.UniqueConstraint(
                fields=["survey", "position"], name="survey_item_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs) -> None:
        """Frozen items are written once, by ``items.freeze``; what was asked never changes."""
        if self.pk is not None:
            raise ValueError("a frozen survey item cannot be changed")
        super().save(*args, **kwargs)

    def action_items(self, lang: str | None = None) -> list[dict]:
        """The actions as a tree, read the same way as the catalogue reads them."""
        return Recommendation.action_items(self, lang)  # type: ignore[arg-type]

    def shown(self) -> tuple:
        """What a voter sees of the item; a difference is a change in the catalogue."""
        return (self.code, self.group, *texts_of(self).values())


# The link tokens and the outbox are shared with other apps that mail zones a link.
InvitationQuerySet = InvitationLinkQuerySet
INVITATION_PURPOSE = "memorandum.survey.invitation"


def derive_token(nonce: str) -> str:
    """A survey link's token (see :func:`memorandum.lib.links.derive_token`)."""
    return links.derive_token(nonce, INVITATION_PURPOSE)


class Invitation(InvitationLink):
    """The one link a zone votes with. Only the SHA-256 of the token is stored.

    The token (256 bits, :func:`derive_token`) is derived from ``SECRET_KEY`` and a random
    per-invitation nonce, so reminders carry the *same* link (a delegate keeps access)
    without the database holding it. A new link means a new nonce: the old one stops working.
    """

    token_purpose = INVITATION_PURPOSE

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey")
    )
    zone = models.ForeignKey(
        PoliceZone,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("police zone"),
    )

    class Meta:
        ordering = ["zone__code"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "zone"], name="one_invitation_per_zone_and_survey"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.zone}"


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
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("survey")
    )
    zone = models.ForeignKey(
        PoliceZone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_ballots",
        verbose_name=_("police zone"),
    )
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


class Tally(models.Model):
    """Frozen results: the method, seed and a hash of the ballot data that produced them."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("survey")
    )
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


InvitationMailQuerySet = OutboxMailQuerySet


class InvitationMail(OutboxMail):
    """One e-mail about an invitation, as the worker handles it: the outbox row.

    The request creates the row (status *queued*) and queues a job carrying its id once
    the transaction commits; the worker marks it *sending* in a committed step, hands it
    to the mail server, then marks it *sent*; a failure is recorded with its reason and
    retried with backoff, then left *failed* for the secretariat to resend. A job that
    finds its row already sent does nothing, so a job run twice never mails twice
    (:mod:`memorandum.lib.outbox`).
    """

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="mails", verbose_name=_("invitation")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation e-mail")
        verbose_name_plural = _("invitation e-mails")
        indexes = [models.Index(fields=["status", "created_at"], name="survey_mail_status_idx")]


class CountStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Counting")
    DONE = "done", _("Counted")
    FAILED = "failed", _("Failed")


class TallyRun(models.Model):
    """One attempt at counting a closed survey in the worker, with its progress.

    The survey page polls it while it runs; a failed run keeps its reason and the
    secretariat can start another one.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="tally_runs", verbose_name=_("survey")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CountStatus.choices, default=CountStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.CharField(_("reason of the failure"), max_length=500, blank=True)
    tally = models.ForeignKey(
        Tally, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("count")
        verbose_name_plural = _("counts")

    def __str__(self) -> str:
        return f"{self.survey} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in (CountStatus.QUEUED, CountStatus.RUNNING)
