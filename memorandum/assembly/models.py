"""The General Assembly: meetings, their agenda, and the decision taken on each item.

A decision is recorded *pending*: it changes nothing in the catalogue and only the
secretariat and assembly members see it. Publishing the meeting's minutes
(:func:`memorandum.assembly.services.publish_minutes`) makes its decisions public and applies
the carried ones to the catalogue in one transaction. A published decision never changes; a
wrong one is corrected by a new decision that supersedes it, with a reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from memorandum.assembly import rules
from memorandum.catalogue.models import PoliceZone, Recommendation, account_field, edition_field
from memorandum.lib.bilingual import BilingualField
from memorandum.lib.fields import (
    numbered_within,
    optional_fk,
    parent_fk,
    protected_fk,
    synthetic_flag,
)
from memorandum.lib.i18n import LocalizedText, localize_values


class QuorumKind(models.TextChoices):
    COUNT = rules.COUNT, _("A minimum number of members present")
    FRACTION = rules.FRACTION, _("A fraction of the members present")


class MajorityRule(models.TextChoices):
    SIMPLE = rules.SIMPLE, _("Simple majority of the votes cast")
    ABSOLUTE = rules.ABSOLUTE, _("Absolute majority of the members present")
    TWO_THIRDS = rules.TWO_THIRDS, _("Two-thirds majority of the votes cast")


def sees_pending(user) -> bool:
    """Whether ``user`` may see meetings and decisions whose minutes are not published."""
    return user.has_perm("assembly.view_meeting")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Assembly members and the secretariat see every meeting; others the published minutes."""
        if sees_pending(user):
            return self
        return self.filter(published=True)


class Meeting(models.Model):
    """A meeting of the General Assembly."""

    edition = edition_field("meetings")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    eligible_members = models.PositiveIntegerField(
        _("members entitled to vote"),
        validators=[MinValueValidator(1)],
        help_text=_("Used for a quorum expressed as a fraction."),
    )
    members_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assembly_meetings",
        verbose_name=_("members present (accounts)"),
        limit_choices_to={"groups__name": "assembly_member"},
    )
    zones_present = models.ManyToManyField(
        PoliceZone, blank=True, related_name="assembly_meetings", verbose_name=_("zones present")
    )
    quorum_kind = models.CharField(
        _("quorum rule"), max_length=10, choices=QuorumKind.choices, default=QuorumKind.FRACTION
    )
    quorum_value = models.DecimalField(
        _("quorum"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0)],
        help_text=_(
            "A number of members (e.g. 10), or a fraction between 0 and 1 (e.g. 0.5 for half)."
        ),
    )
    majority_rule = models.CharField(
        _("majority rule"), max_length=12, choices=MajorityRule.choices, default=MajorityRule.SIMPLE
    )
    published = models.BooleanField(
        _("minutes published"),
        default=False,
        editable=False,
        help_text=_("Published minutes can be read by everyone."),
    )
    published_at = models.DateTimeField(
        _("minutes published on"), null=True, blank=True, editable=False
    )
    notes = BilingualField(models.TextField, _("notes"))
    is_synthetic = synthetic_flag(_("Attendance and votes are generated test data."))

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "starts_at"]
        verbose_name = _("General Assembly meeting")
        verbose_name_plural = _("General Assembly meetings")

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{_('General Assembly')} {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def delete(self, *args, **kwargs):
        """Refuse, with the reason, to delete a meeting at which decisions were recorded."""
        decisions = list(Decision.objects.filter(item__meeting=self))
        if decisions:
            raise models.ProtectedError(
                _(
                    "Decisions were recorded at this meeting: it is part of the record and cannot be deleted. Correct a wrong decision instead."
                ),
                set(decisions),
            )
        return super().delete(*args, **kwargs)

    def has_decisions(self) -> bool:
        return Decision.objects.filter(item__meeting=self).exists()

    def pending_decisions(self) -> models.QuerySet:
        """Decisions recorded but not yet public (they go public with the minutes)."""
        return (
            Decision.objects.filter(item__meeting=self, published_at__isnull=True)
            .select_related("item__recommendation", "merge_into", "supersedes")
            .order_by("item__order", "pk")
        )

    def present_count(self) -> int:
        """Members present: each account and each zone counts once (record a member one way)."""
        return self.members_present.count() + self.zones_present.count()

    def quorum_required(self) -> int:
        return rules.quorum_required(self.eligible_members, self.quorum_kind, self.quorum_value)

    def has_quorum(self) -> bool:
        return rules.has_quorum(
            self.present_count(), self.eligible_members, self.quorum_kind, self.quorum_value
        )


class AgendaItem(models.Model):
    """One point on a meeting's agenda: a recommendation, or a free subject."""

    meeting = parent_fk(Meeting, "items", _("meeting"))
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    recommendation = optional_fk(
        Recommendation, "agenda_items", _("recommendation"), on_delete=models.PROTECT
    )
    subject = BilingualField(
        models.CharField,
        _("subject"),
        max_length=300,
        help_text=_("For an item without a recommendation."),
    )
    survey_results = models.TextField(
        _("survey results"),
        blank=True,
        help_text=_("What the prioritisation survey said about this item (text or a link)."),
    )

    class Meta(numbered_within("meeting", "order", prefix="agenda")):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.order}. {self.label()}"

    def label(self, lang: str | None = None) -> LocalizedText:
        """The recommendation's code and title, or the subject, in ``lang`` or marked."""
        if self.recommendation_id:
            rec = self.recommendation
            title = Recommendation.title.localized(rec, lang)
            return LocalizedText(f"{rec.code} {title}", title.lang, title.wanted)
        return AgendaItem.subject.localized(self, lang)


class DecisionKind(models.TextChoices):
    ADOPT = "adopt", _("Adopt")
    AMEND = "amend", _("Adopt as amended")
    MERGE = "merge", _("Merge into another recommendation")
    SPLIT = "split", _("Split into new recommendations")
    REJECT = "reject", _("Reject")
    POSTPONE = "postpone", _("Postpone")


NEEDS_RECOMMENDATION = {DecisionKind.AMEND, DecisionKind.MERGE, DecisionKind.SPLIT}


class DecisionQuerySet(models.QuerySet):
    def published(self) -> DecisionQuerySet:
        return self.filter(published_at__isnull=False)

    def pending(self) -> DecisionQuerySet:
        return self.filter(published_at__isnull=True)

    def visible_to(self, user) -> DecisionQuerySet:
        """The secretariat and assembly members see pending decisions; others published ones."""
        return self if sees_pending(user) else self.published()


class Decision(models.Model):
    """The assembly's vote on an agenda item and, when carried, what it changes.

    An item has one decision, or a chain of them when a decision was corrected: each
    correction supersedes the one before and says why. ``published_at`` is set when the
    minutes (or the correction) are published; only then does a carried decision change the
    catalogue, and from then on the row never changes.
    """

    item = protected_fk(AgendaItem, "decisions", _("agenda item"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    split_titles = models.JSONField(
        _("titles of the new recommendations"),
        default=list,
        blank=True,
        help_text=_("For a split: [Dutch title, French title] per new recommendation."),
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    kind = models.CharField(_("decision"), max_length=10, choices=DecisionKind.choices)
    votes_for = models.PositiveIntegerField(_("votes for"))
    votes_against = models.PositiveIntegerField(_("votes against"))
    abstentions = models.PositiveIntegerField(_("abstentions"))
    carried = models.BooleanField(_("carried"))
    merge_into = optional_fk(
        Recommendation, "absorbed_by_decisions", _("merged into"), on_delete=models.PROTECT
    )
    split_into = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="split_from_decisions",
        verbose_name=_("split into"),
    )
    title = BilingualField(models.CharField, _("amended title"), max_length=300)
    objective = BilingualField(models.TextField, _("amended objective"))
    actions = BilingualField(models.TextField, _("amended actions"))
    context = BilingualField(models.TextField, _("amended context"))
    previous_history_id = models.IntegerField(
        _("version before the decision"), null=True, blank=True
    )
    adopted_history_id = models.IntegerField(_("version adopted"), null=True, blank=True)
    recorded_by = account_field(_("recorded by"), on_delete=models.PROTECT, optional=False)
    recorded_at = models.DateTimeField(_("recorded on"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="decision_correction_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk and Decision.objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise ValidationError(
                _("A published decision cannot be changed; record a correction instead.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(
            _("A decision is part of the record and cannot be deleted; record a correction."),
            {self},
        )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_correction(self) -> bool:
        return self.supersedes_id is not None

    def is_superseded(self) -> bool:
        return Decision.objects.filter(supersedes=self).exists()

    def split_parts(self, lang: str | None = None) -> list[tuple[str, str]]:
        """``[(code, title)]`` of a split: the new recommendations once applied, else the titles."""
        parts = list(self.split_into.all())
        if parts:
            return [(r.code, Recommendation.title.localized(r, lang)) for r in parts]
        return [("", localize_values({"nl": nl, "fr": fr}, lang)) for nl, fr in self.split_titles]

    def previous_version(self):
        if self.previous_history_id is None:
            return None
        return Recommendation.history.filter(history_id=self.previous_history_id).first()

    def adopted_version(self):
        if self.adopted_history_id is None:
            return None
        return Recommendation.history.filter(history_id=self.adopted_history_id).first()

    def amendment_diffs(self, lang: str | None = None) -> list[dict]:
        """Field by field, the amended text against the text before the decision."""
        from memorandum.lib.diff import text_diffs

        before = self.previous_version()
        if self.kind != DecisionKind.AMEND or before is None:
            return []
        return text_diffs(before, self, Recommendation, lang)
