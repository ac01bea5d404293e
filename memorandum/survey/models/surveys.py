"""Surveys and the items they put to the zones, frozen when a survey opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import Edition, PoliceZone, Recommendation, Theme, edition_field
from memorandum.lib.bilingual import BilingualField, texts_of
from memorandum.lib.fields import optional_fk, parent_fk, synthetic_flag
from memorandum.lib.links import AnswerWindow

if TYPE_CHECKING:
    from memorandum.survey.models.tallies import Tally


class Items(models.TextChoices):
    RECOMMENDATIONS = "recommendations", _("Recommendations and commitments")
    THEMES = "themes", _("Themes")
    BOTH = "both", _("Recommendations, commitments and themes")


class BallotForm(models.TextChoices):
    RANKING = (
        "ranking",
        _(
            "Ranking: a top N overall (its size is set below) and an order inside each theme (or "
            "work domain)"
        ),
    )
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
# The default size of the top a ranking ballot asks for (each survey sets its own, top_n).
TOP_N = 10
POINTS_BUDGET = 100
# The smallest group of ballots a breakdown may show (k); below MIN_GROUP_FLOOR one zone's
# answer could too easily be read off a group.
DEFAULT_MIN_GROUP = 5
MIN_GROUP_FLOOR = 3
MIN_GROUP_CEILING = 50


def min_group_field(help_text: str) -> models.PositiveSmallIntegerField:
    """The smallest group of answers a breakdown may show (k), within the bounds above.

    Shared with the impact estimates, whose breakdowns by province and size follow the
    same rule."""
    return models.PositiveSmallIntegerField(
        _("smallest group shown (k)"),
        default=DEFAULT_MIN_GROUP,
        validators=[MinValueValidator(MIN_GROUP_FLOOR), MaxValueValidator(MIN_GROUP_CEILING)],
        help_text=help_text,
    )


class SurveyQuerySet(models.QuerySet):
    def for_edition(self, edition: Edition) -> SurveyQuerySet:
        return self.filter(edition=edition)

    def tallied(self) -> SurveyQuerySet:
        return self.filter(status=SurveyStatus.TALLIED)


class Survey(AnswerWindow):
    """A prioritisation survey of one edition's items among the police zones."""

    edition = edition_field("surveys")
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
    top_n = models.PositiveSmallIntegerField(
        _("size of the top (ranking ballot)"),
        default=TOP_N,
        validators=[MinValueValidator(1, _("The top must hold at least one item."))],
        help_text=_(
            "A ranking ballot asks each zone for its top N (1 to the number of items) and the "
            "count reads only that top. Fixed when the survey opens."
        ),
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
    min_group = min_group_field(
        _(
            "Results by province, region or weight class show only groups of at least this many "
            "ballots; smaller groups are merged into “other”. In a weighted anonymous survey every "
            "weight class holds at least this many zones."
        )
    )
    # Frozen when the survey opens (weighted anonymous surveys only): see ``survey/weights.py``.
    weight_classes = models.JSONField(_("weight classes"), default=dict, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    is_synthetic = synthetic_flag(_("Generated test data, not real ballots."))
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

    FINISHED = (SurveyStatus.CLOSED, SurveyStatus.TALLIED)

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

    def asks_as(self, other: Survey) -> bool:
        """Do both copies ask the same (ballot form, frozen items, size of the top)? Answers
        read against one cannot be stored against the other."""
        asked = ("ballot_form", "items_frozen_at", "top_n")
        return all(getattr(self, name) == getattr(other, name) for name in asked)

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

    survey = parent_fk(Survey, "frozen_items", _("survey"))
    position = models.PositiveIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=20)
    recommendation = optional_fk(Recommendation, "survey_items", _("recommendation"))
    theme = optional_fk(Theme, "survey_items", _("theme"))
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
