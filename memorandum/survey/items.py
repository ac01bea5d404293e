"""What a survey asks about: its items, chosen among published ones and frozen at opening.

:func:`survey_items` is the one way to get a survey's items. While the survey is being
prepared it builds them from the catalogue (every published item of the chosen kind, minus
the ones the secretariat left out), so the set-up page shows exactly what would be frozen;
from opening on it reads the frozen :class:`~memorandum.survey.models.SurveyItem` rows,
whatever happens to the catalogue afterwards. :func:`catalogue_changes` compares the two
for the secretariat's warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.catalogue.models import Edition, Recommendation, Status, Theme
from memorandum.lib.bilingual import bilingual_columns, copy_texts
from memorandum.survey.models import Items, Survey, SurveyItem, SurveyStatus

# Only items the edition has published may be put to the zones: never a draft, a
# proposal still under discussion, or an item withdrawn, merged, rejected or postponed.
VOTABLE_STATUSES = (Status.ADOPTED,)


def votable_recommendations(edition: Edition) -> QuerySet[Recommendation]:
    """The edition's published recommendations and commitments, in catalogue order."""
    return (
        Recommendation.objects.filter(edition=edition, status__in=VOTABLE_STATUSES)
        .select_related("domain", "theme__domain")
        .order_by("domain__number", "theme__number", "-kind", "number")
    )


def edition_themes(edition: Edition) -> QuerySet[Theme]:
    return (
        Theme.objects.filter(domain__edition=edition)
        .select_related("domain")
        .order_by("domain__number", "number")
    )


def _label(prefix: str, name_nl: str, name_fr: str) -> tuple[str, str]:
    """A group label in both languages; an untranslated French name stays empty (fallback)."""
    return f"{prefix} {name_nl}", (f"{prefix} {name_fr}" if name_fr else "")


def item_from_recommendation(rec: Recommendation) -> SurveyItem:
    """The item as a ballot shows it: grouped by theme, or by work domain without one."""
    if rec.theme_id:
        group = f"t{rec.theme.code}"
        label_nl, label_fr = _label(rec.theme.code, rec.theme.name_nl, rec.theme.name_fr)
    else:
        group = f"d{rec.domain.number}"
        label_nl, label_fr = _label(f"{rec.domain.number}.", rec.domain.name_nl, rec.domain.name_fr)
    return SurveyItem(
        code=rec.code,
        recommendation=rec,
        **copy_texts(rec, SurveyItem),  # title, objective, actions and context
        group=group,
        group_label_nl=label_nl,
        group_label_fr=label_fr,
    )


def item_from_theme(theme: Theme) -> SurveyItem:
    """A theme as an item (``T3.2``), grouped by its work domain."""
    domain = theme.domain
    label_nl, label_fr = _label(f"{domain.number}.", domain.name_nl, domain.name_fr)
    return SurveyItem(
        code=f"T{theme.code}",
        theme=theme,
        title_nl=theme.name_nl,
        title_fr=theme.name_fr,
        group=f"d{domain.number}",
        group_label_nl=label_nl,
        group_label_fr=label_fr,
    )


def candidate_items(edition: Edition, kind: str) -> list[SurveyItem]:
    """Every item of this kind the edition could put to the zones now (unsaved), in order."""
    out: list[SurveyItem] = []
    if kind in (Items.RECOMMENDATIONS, Items.BOTH):
        out += [item_from_recommendation(r) for r in votable_recommendations(edition)]
    if kind in (Items.THEMES, Items.BOTH):
        out += [item_from_theme(t) for t in edition_themes(edition)]
    return out


def selected_items(survey: Survey) -> list[SurveyItem]:
    """What opening the survey would freeze now: the candidates minus those left out."""
    left_out = set(survey.left_out_codes or [])
    items = [i for i in candidate_items(survey.edition, survey.items) if i.code not in left_out]
    for position, item in enumerate(items, start=1):
        item.position = position
    return items


def is_frozen(survey: Survey) -> bool:
    return survey.status != SurveyStatus.DRAFT


def survey_items(survey: Survey) -> list[SurveyItem]:
    """The survey's items in ballot order: frozen from opening on, else what would be frozen.

    The frozen list is read once per survey object (it cannot change).
    """
    if not is_frozen(survey):
        return selected_items(survey)
    cached = getattr(survey, "_frozen_items_cache", None)
    if cached is None:
        cached = list(survey.frozen_items.order_by("position"))
        if not cached:  # pragma: no cover - Survey.save() freezes every non-draft survey
            freeze(survey)
            cached = list(survey.frozen_items.order_by("position"))
        survey._frozen_items_cache = cached
    return cached


# The keys of frozen item lists, by survey and the moment its list was frozen: a frozen list
# never changes, and refreezing (only a survey nobody answered) stamps a new moment, so an
# entry is never stale, in this process or any other. A few surveys are open at a time.
_KEYS: dict[tuple[int, datetime], list[SurveyItem]] = {}
_KEYS_KEPT = 32
_KEY_FIELDS = (
    "survey_id",
    "position",
    "code",
    "group",
    # a deliberate subset of the item's texts: reading a ballot needs no objective,
    # actions or context
    *bilingual_columns(SurveyItem, ["group_label", "title"]),
)


def item_keys(survey: Survey) -> list[SurveyItem]:
    """The survey's items with only what reading a ballot needs (code, group, title).

    Every ballot posted reads them, so a frozen list is read from the database once per
    process and kept (the items are shared: read them, never change them); the full
    texts are never loaded here.
    """
    if not is_frozen(survey):
        return survey_items(survey)
    cached = getattr(survey, "_frozen_items_cache", None)
    if cached is not None:
        return cached
    key = (survey.pk, survey.items_frozen_at)
    if survey.items_frozen_at is not None and (kept := _KEYS.get(key)) is not None:
        return list(kept)
    items = list(survey.frozen_items.order_by("position").only(*_KEY_FIELDS))
    if survey.items_frozen_at is not None and items:
        if len(_KEYS) >= _KEYS_KEPT:
            _KEYS.clear()
        _KEYS[key] = items
    return list(items)


@transaction.atomic
def freeze(survey: Survey) -> int:
    """Store the survey's item list as it is now; a survey already frozen stays as it is.

    Returns how many items were frozen (0 when the list already existed).
    """
    locked = Survey.objects.select_for_update().only("pk").get(pk=survey.pk)
    if locked.frozen_items.exists():
        return 0
    items = selected_items(survey)
    for item in items:
        item.survey = survey
    SurveyItem.objects.bulk_create(items)
    survey.items_frozen_at = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(items_frozen_at=survey.items_frozen_at)
    survey.__dict__.pop("_frozen_items_cache", None)
    return len(items)


@transaction.atomic
def refreeze(survey: Survey) -> int:
    """Freeze the list again from the catalogue: only for a survey nobody has answered.

    The demo rebuilds its surveys this way; a survey with ballots keeps what it asked.
    """
    if survey.ballots.exists():
        raise ValueError("a survey with ballots keeps the items it was answered on")
    survey.frozen_items.all().delete()
    survey.__dict__.pop("_frozen_items_cache", None)
    return freeze(survey)


# ------------------------------------------------------------------ catalogue changes
@dataclass(frozen=True)
class CatalogueChange:
    """One difference between a frozen survey and the catalogue today."""

    code: str
    title: str
    kind: str  # "changed", "gone" or "added"
    note: str


def catalogue_changes(survey: Survey) -> list[CatalogueChange]:
    """What changed in the catalogue since the survey froze its items.

    Changed texts or groups, items no longer published (withdrawn, split, merged, deleted)
    and items published since opening that the survey does not ask about. The ballots keep
    the frozen items in every case; this list is only there so the secretariat knows.
    Items the secretariat deliberately left out at set-up are not reported as added.
    """
    if not is_frozen(survey):
        return []
    frozen = survey_items(survey)
    current = {i.code: i for i in candidate_items(survey.edition, survey.items)}
    by_rec = {i.recommendation_id: i for i in current.values() if i.recommendation_id}
    by_theme = {i.theme_id: i for i in current.values() if i.theme_id}
    statuses = dict(
        Recommendation.objects.filter(
            pk__in=[i.recommendation_id for i in frozen if i.recommendation_id not in by_rec]
        ).values_list("pk", "status")
    )
    changes: list[CatalogueChange] = []
    linked = set()
    for item in frozen:
        now = by_rec.get(item.recommendation_id) if item.recommendation_id else None
        if item.theme_id:
            now = by_theme.get(item.theme_id)
        if now is None:
            note = _("Removed from the catalogue after the survey opened.")
            if item.recommendation_id in statuses:
                note = _("No longer published in the catalogue (now: %(status)s).") % {
                    "status": Status(statuses[item.recommendation_id]).label
                }
            changes.append(CatalogueChange(item.code, item.title, "gone", note))
            continue
        linked.add(now.code)
        if now.shown() != item.shown():
            note = (
                _("Now numbered %(code)s.") % {"code": now.code}
                if now.code != item.code
                else _("Its text or group changed after the survey opened.")
            )
            changes.append(CatalogueChange(item.code, item.title, "changed", note))
    frozen_codes = {i.code for i in frozen}
    left_out = set(survey.left_out_codes or [])
    for code, item in current.items():
        if code in linked or code in frozen_codes or code in left_out:
            continue
        changes.append(
            CatalogueChange(
                code, item.title, "added", _("Published after the survey opened; not asked.")
            )
        )
    return changes
