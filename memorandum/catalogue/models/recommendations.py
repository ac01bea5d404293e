"""Recommendations to the authorities and commitments of the local police, with their history
and their accent-free search text."""

from __future__ import annotations

import re
import unicodedata

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from memorandum.catalogue.models.editions import (
    PUBLIC_PHASES,
    Addressee,
    CatalogueQuerySet,
    Reference,
    Theme,
    WorkDomain,
    edition_field,
)
from memorandum.lib.bilingual import BilingualField, BilingualNames, bilingual_fields, texts_of
from memorandum.lib.fields import optional_fk, protected_fk, synthetic_flag


def normalise_for_search(text: str) -> str:
    """Lower-case, strip accents and punctuation: 'Politiezorg, één' -> 'politiezorg een'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^\w]+", " ", without_accents).strip()


class RecommendationKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation to the authorities")
    COMMITMENT = "commitment", _("Commitment of the local police")


KIND_PREFIX = {RecommendationKind.RECOMMENDATION: "R", RecommendationKind.COMMITMENT: "C"}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    POSTPONED = "postponed", _("Postponed")
    MERGED = "merged", _("Merged into another")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RecommendationQuerySet(CatalogueQuerySet):
    def public(self) -> RecommendationQuerySet:
        """What an anonymous visitor may read: adopted items of published editions."""
        return self.filter(edition__phase__in=PUBLIC_PHASES, status=Status.ADOPTED)

    def search(self, query: str) -> RecommendationQuerySet:
        """Every word of the query must occur (accents and case ignored) in NL or FR text.

        A hyphenated word such as "i-Police" is looked for as the phrase "i police".
        """
        qs = self
        for word in query.split():
            term = normalise_for_search(word)
            if term:
                qs = qs.filter(search_text__contains=term)
        return qs


class Recommendation(models.Model):
    """A recommendation to the authorities or a commitment of the local police.

    The actions (the "met name: door …" lines) are kept one per line so that each
    version of the whole text can be stored and compared as a readable diff; a line
    starting with "• " is a sub-item of the line above it.
    """

    edition = edition_field("recommendations")
    kind = models.CharField(_("kind"), max_length=20, choices=RecommendationKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    domain = protected_fk(WorkDomain, "recommendations", _("work domain"))
    theme = optional_fk(Theme, "recommendations", _("theme"))
    title = BilingualField(models.CharField, _("title"), max_length=300, required=["nl"])
    objective = BilingualField(models.TextField, _("objective"))
    actions = BilingualField(
        models.TextField,
        _("actions"),
        help_text=_("One action per line; start a line with '• ' for a sub-item."),
    )
    context = BilingualField(models.TextField, _("context"))
    addressees = models.ManyToManyField(
        Addressee,
        blank=True,
        related_name="recommendations",
        verbose_name=_("addressed to"),
        help_text=_(
            "Leave empty when the recommendation is addressed to all addressees of the edition."
        ),
    )
    references = models.ManyToManyField(
        Reference, blank=True, related_name="recommendations", verbose_name=_("references")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    is_synthetic = synthetic_flag(_("Generated test data."))
    # Set when the next edition was started (catalogue/succession.py): this item is the
    # previous edition's recommendation, not achieved, carried over.
    carried_over_from = optional_fk("self", "carried_over_to", _("carried over from"))
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"], m2m_fields=[])
    objects = RecommendationQuerySet.as_manager()

    TEXT_FIELDS = BilingualNames()  # title, objective, actions, context

    class Meta:
        ordering = ["edition", "-kind", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "number"], name="recommendation_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.rebuild_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:recommendation", args=[self.edition.slug, self.code])

    @property
    def code(self) -> str:
        """'R3' for recommendation 3, 'C2' for commitment 2 (stable in addresses and exports)."""
        return f"{KIND_PREFIX[self.kind]}{self.number}"

    def action_items(self, lang: str | None = None) -> list[dict]:
        """The actions as a tree: ``[{"text": …, "children": [...]}, …]`` in the given language."""
        text = getattr(self, f"actions_{lang}") if lang else self.actions
        items: list[dict] = []
        for raw in (text or "").splitlines():
            line = raw.strip()
            if not line:
                continue
            if line.startswith("•") and items:
                items[-1]["children"].append(line.lstrip("• ").strip())
            else:
                items.append({"text": line.lstrip("• ").strip(), "children": []})
        return items

    def addressed_to(self) -> tuple[list[Addressee], bool]:
        """The explicit addressees, or all addressees of the edition when none are chosen.

        The flag says which: ``True`` when the recommendation goes to every addressee.
        """
        chosen = list(self.addressees.all())
        return (chosen, False) if chosen else (list(self.edition.addressees.all()), True)

    def rebuild_search_text(self) -> None:
        self.rebuild_search_text_with(self.domain)

    def rebuild_search_text_with(self, domain: WorkDomain) -> None:
        """Fill the accent-free search column (without fetching the domain again)."""
        parts = [str(self.code), *texts_of(domain, ["name"]).values(), *texts_of(self).values()]
        self.search_text = normalise_for_search(" ".join(p for p in parts if p))

    def text_in(self, lang: str) -> dict[str, str]:
        """The raw content fields in one language (no fallback), e.g. for diffs and exports."""
        return {field.name: getattr(self, field.column(lang)) for field in bilingual_fields(self)}
