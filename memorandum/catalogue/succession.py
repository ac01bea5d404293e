"""The next edition from this one: start 2029-2033 from 2024-2028, and what changed since.

:func:`succession_plan` says what starting the next edition would copy and carry over (the
confirmation page shows it); :func:`edition_start_next` does it in one transaction with the
same plan; :func:`changes_since_previous` compares an edition with the one it was started
from (the "what changed" page and the publication's annex).

What is copied: the work domains and their themes, the addressees and the references. What
is carried over: the adopted recommendations and commitments the follow-up does not show as
achieved (``memorandum.roadmap.succession.ACHIEVED_RULE``), as proposals of the new edition
linked to their origin (``Recommendation.carried_over_from``), and the initiatives still
running (``Initiative.carried_over_from``). Nothing of the previous edition is changed: its
recommendations, their versions and its publications stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from memorandum.audit import services as audit
from memorandum.catalogue.models import (
    Addressee,
    Edition,
    EditionPhase,
    Phase,
    Recommendation,
    Reference,
    Status,
    Theme,
    WorkDomain,
)
from memorandum.lib.bilingual import copy_texts
from memorandum.roadmap import succession as follow_up
from memorandum.roadmap.models import Initiative

# Items of the new edition that left the catalogue, by how.
MERGED_STATUSES = (Status.MERGED,)
DROPPED_STATUSES = (Status.REJECTED, Status.WITHDRAWN)


@dataclass
class SuccessionPlan:
    """What starting the next edition from ``source`` copies and carries over."""

    source: Edition
    domains: int
    themes: int
    addressees: int
    references: int
    carried: list[Recommendation]
    achieved: list[Recommendation]
    initiatives: list[Initiative]


def _adopted(edition: Edition) -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(edition=edition, status=Status.ADOPTED)
        .select_related("domain", "theme")
        .prefetch_related("addressees", "references")
        .order_by("-kind", "number")
    )


def succession_plan(source: Edition) -> SuccessionPlan:
    """The plan the confirmation shows and :func:`edition_start_next` carries out."""
    adopted = _adopted(source)
    done = follow_up.achieved(adopted)
    return SuccessionPlan(
        source=source,
        domains=source.domains.count(),
        themes=Theme.objects.filter(domain__edition=source).count(),
        addressees=source.addressees.count(),
        references=source.references.count(),
        carried=[r for r in adopted if r.pk not in done],
        achieved=[r for r in adopted if r.pk in done],
        initiatives=list(follow_up.running(source)),
    )


def refusals(*, source: Edition, slug: str, period_start: int, period_end: int) -> list[str]:
    """Why the next edition cannot be started with these values (empty when it can)."""
    errors = []
    if Edition.objects.filter(slug=slug).exists():
        errors.append(
            _("An edition with the address “%(slug)s” already exists; choose another one.")
            % {"slug": slug}
        )
    if period_end < period_start:
        errors.append(
            _("The period is reversed: the last year (%(end)s) comes before the first (%(start)s).")
            % {"start": period_start, "end": period_end}
        )
    elif period_start <= source.period_end:
        errors.append(
            _("The new edition must start after %(source)s ends: give a first year after %(year)s.")
            % {"source": source.period, "year": source.period_end}
        )
    else:
        overlapping = Edition.objects.filter(
            Q(period_start__lte=period_end) & Q(period_end__gte=period_start)
        ).first()
        if overlapping is not None:
            errors.append(
                _("The period %(start)s-%(end)s overlaps edition %(other)s (%(period)s).")
                % {
                    "start": period_start,
                    "end": period_end,
                    "other": overlapping.slug,
                    "period": overlapping.period,
                }
            )
    return errors


@transaction.atomic
def edition_start_next(
    *,
    source: Edition,
    slug: str,
    texts: dict[str, str],
    period_start: int,
    period_end: int,
    by,
    request=None,
) -> Edition:
    """Start the edition after ``source``, in the consultation phase, and return it.

    ``texts`` are the new edition's titles by column (``{"title_nl": …, "title_fr": …}``).
    Copies domains, themes, addressees and references; carries over the adopted items that
    are not achieved (as *proposed*, numbered anew in their order, linked to their origin)
    and the initiatives still running. Refuses with a ``ValidationError`` (in the acting
    person's language) when the address is taken or the period is reversed or overlaps
    another edition. All or nothing: a failure half-way leaves no trace, not even in the
    audit log. ``by`` is recorded as the author of the new versions and in the audit log.
    """
    Edition.objects.select_for_update().filter(pk=source.pk).first()  # one start at a time
    problems = refusals(source=source, slug=slug, period_start=period_start, period_end=period_end)
    if problems:
        raise ValidationError(problems)
    plan = succession_plan(source)
    edition = Edition(
        slug=slug,
        period_start=period_start,
        period_end=period_end,
        phase=Phase.CONSULTATION,
        previous=source,
        is_synthetic=source.is_synthetic,
        **(copy_texts(source, Edition, ["issuing_body"]) | texts),
    )
    edition.full_clean()
    edition.save()
    # the consultation starts today, as when the secretariat moves an edition on
    EditionPhase.objects.create(
        edition=edition, phase=Phase.CONSULTATION, actual_start=timezone.localdate()
    )
    domains, themes = _copy_structure(source, edition)
    addressees = {
        a.pk: Addressee.objects.create(
            edition=edition,
            order=a.order,
            honorific=a.honorific,
            name=a.name,
            **copy_texts(a, Addressee),
        )
        for a in source.addressees.all()
    }
    references = {
        r.pk: Reference.objects.create(
            edition=edition, order=r.order, kind=r.kind, url=r.url, **copy_texts(r, Reference)
        )
        for r in source.references.all()
    }
    successors = {}
    numbers: dict[str, int] = {}
    for origin in plan.carried:
        numbers[origin.kind] = numbers.get(origin.kind, 0) + 1
        copy = Recommendation(
            edition=edition,
            kind=origin.kind,
            number=numbers[origin.kind],
            domain=domains[origin.domain_id],
            theme=themes.get(origin.theme_id),
            status=Status.PROPOSED,
            is_synthetic=origin.is_synthetic,
            carried_over_from=origin,
            **copy_texts(origin, Recommendation),
        )
        copy._history_user = by
        copy._change_reason = f"Carried over from {source.slug} {origin.code}"
        copy.save()
        copy.addressees.set([addressees[a.pk] for a in origin.addressees.all()])
        copy.references.set([references[r.pk] for r in origin.references.all()])
        successors[origin.pk] = copy
    initiatives = follow_up.initiatives_carry_over(
        initiatives=plan.initiatives, target=edition, successors=successors, by=by
    )
    audit.record(
        audit.Action.EDITION_CREATED,
        actor=by,
        request=request,
        target=edition,
        source=source.slug,
        domains=len(domains),
        themes=len(themes),
        addressees=len(addressees),
        references=len(references),
        carried_over=[r.code for r in plan.carried],
        achieved=[r.code for r in plan.achieved],
        initiatives=len(initiatives),
    )
    return edition


def _copy_structure(source: Edition, edition: Edition) -> tuple[dict, dict]:
    """Copy the work domains and themes; return {old id: new object} for each."""
    domains, themes = {}, {}
    for domain in WorkDomain.objects.filter(edition=source).prefetch_related("themes"):
        copy = WorkDomain.objects.create(
            edition=edition, number=domain.number, **copy_texts(domain, WorkDomain)
        )
        domains[domain.pk] = copy
        for theme in domain.themes.all():
            themes[theme.pk] = Theme.objects.create(
                domain=copy, number=theme.number, **copy_texts(theme, Theme)
            )
    return domains, themes


@dataclass
class Change:
    """One line of "what changed": the item before (if any) and after (if any)."""

    before: Recommendation | None = None
    after: Recommendation | None = None


@dataclass
class Changes:
    """What changed between ``previous`` and ``edition``, by kind of change."""

    edition: Edition
    previous: Edition
    carried: list[Change] = field(default_factory=list)
    new: list[Change] = field(default_factory=list)
    merged: list[Change] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)
    achieved: list[Change] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, str, list[Change]]]:
        """(key, heading, changes) in reading order, for pages and the annex."""
        names = change_headings()
        return [(key, names[key], getattr(self, key)) for key in names]


def change_headings() -> dict[str, str]:
    """The kinds of change in reading order, with their headings in the active language."""
    return {
        "carried": pgettext("what changed", "Carried over"),
        "new": pgettext("what changed", "New"),
        "merged": pgettext("what changed", "Merged"),
        "dropped": pgettext("what changed", "Dropped"),
        "achieved": pgettext("what changed", "Achieved"),
    }


def changes_since_previous(edition: Edition, *, public_only: bool) -> Changes | None:
    """What changed since the edition this one was started from, or None without one.

    Carried over: items of ``edition`` with an origin that are still in it; merged or
    dropped: those merged into another, rejected or withdrawn since (or removed); new:
    items without an origin; achieved: adopted items of the previous edition that were not
    carried over and that the follow-up shows achieved. ``public_only`` keeps the items of
    ``edition`` a visitor may read (adopted) for "carried over" and "new".
    """
    previous = edition.previous
    if previous is None:
        return None
    changes = Changes(edition=edition, previous=previous)
    items = list(
        Recommendation.objects.filter(edition=edition)
        .select_related("carried_over_from")
        .order_by("-kind", "number")
    )
    shown = (lambda r: r.status == Status.ADOPTED) if public_only else (lambda r: True)
    with_successor = set()
    for item in items:
        origin = item.carried_over_from if item.carried_over_from_id else None
        if origin is not None and origin.edition_id == previous.pk:
            with_successor.add(origin.pk)
            if item.status in MERGED_STATUSES:
                changes.merged.append(Change(origin, item))
            elif item.status in DROPPED_STATUSES:
                changes.dropped.append(Change(origin, item))
            elif shown(item):
                changes.carried.append(Change(origin, item))
        elif (
            origin is None
            and shown(item)
            and item.status not in (*MERGED_STATUSES, *DROPPED_STATUSES)
        ):
            changes.new.append(Change(None, item))
    left = [r for r in _adopted(previous) if r.pk not in with_successor]
    done = follow_up.achieved(left)
    for origin in left:
        (changes.achieved if origin.pk in done else changes.dropped).append(Change(origin, None))
    return changes
