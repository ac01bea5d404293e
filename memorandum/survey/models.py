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
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import Edition, PoliceZone, Recommendation, Region
from memorandum.lib.i18n import TranslatedField


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


# Methods offered as the primary method, per ballot form; the first is the default.
METHODS_BY_FORM = {
    BallotForm.RANKING: [
        "schulze",
        "borda",
        "copeland",
        "ranked-pairs",
        "kemeny",
        "irv",
        "plackett-luce",
    ],
    BallotForm.RATING: ["mean", "majority-judgment", "schulze", "borda"],
    BallotForm.PAIRWISE: ["bradley-terry"],
    BallotForm.POINTS: ["points", "schulze", "borda"],
}
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
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    title = TranslatedField("title")

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

    def ranked_items(self) -> list[dict]:
        """The items of the ballot, in catalogue order: ``[{"code", "title", "group", "group_label"}]``.

        Recommendations are grouped by theme, or by work domain when the edition has no
        themes; themes themselves (``T3.2``) are grouped by their domain.
        """
        out: list[dict] = []
        recs = (
            Recommendation.objects.filter(edition=self.edition)
            .exclude(status__in=["rejected", "withdrawn", "merged"])
            .select_related("domain", "theme__domain")
            .order_by("domain__number", "theme__number", "-kind", "number")
        )
        if self.items in (Items.RECOMMENDATIONS, Items.BOTH):
            for rec in recs:
                if rec.theme_id:
                    group, label = f"t{rec.theme.code}", f"{rec.theme.code} {rec.theme.name}"
                else:
                    group, label = (
                        f"d{rec.domain.number}",
                        f"{rec.domain.number}. {rec.domain.name}",
                    )
                out.append(
                    {"code": rec.code, "title": rec.title, "group": group, "group_label": label}
                )
        if self.items in (Items.THEMES, Items.BOTH):
            from memorandum.catalogue.models import Theme

            themes = Theme.objects.filter(domain__edition=self.edition).select_related("domain")
            for theme in themes.order_by("domain__number", "number"):
                out.append(
                    {
                        "code": f"T{theme.code}",
                        "title": theme.name,
                        "group": f"d{theme.domain.number}",
                        "group_label": f"{theme.domain.number}. {theme.domain.name}",
                    }
                )
        return out

    def latest_tally(self) -> Tally | None:
        return self.tallies.order_by("-created_at", "-id").first()


class InvitationQuerySet(models.QuerySet):
    def active(self) -> InvitationQuerySet:
        return self.filter(revoked_at__isnull=True)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    """The one link a zone votes with. Only the SHA-256 of the token is stored.

    The raw token (``secrets.token_urlsafe(32)``: 256 random bits) exists only in the
    e-mail; re-sending therefore issues a new token and the old link stops working.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey")
    )
    zone = models.ForeignKey(
        PoliceZone,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("police zone"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    delegate_name = models.CharField(_("delegate's name"), max_length=150, blank=True)
    delegate_email = models.EmailField(_("delegate's e-mail"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

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

    def new_token(self) -> str:
        """Replace the token; return the raw value (to be e-mailed, never stored)."""
        raw = secrets.token_urlsafe(32)
        self.token_hash = hash_token(raw)
        return raw

    @property
    def recipient(self) -> str:
        return self.delegate_email or self.zone.email

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


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
