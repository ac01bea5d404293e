"""Writes that span several roadmap models, each in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from memorandum.catalogue.forms import save_in_edition
from memorandum.catalogue.models import Edition, Recommendation
from memorandum.catalogue.phases import PhaseAction, require_phase
from memorandum.roadmap.forms import InitiativeForm
from memorandum.roadmap.models import Initiative, InitiativeLink, InitiativeStatus, Update, today

Selection = dict[Recommendation, list[int]]


def _attribute(initiative: Initiative, by, reason: str) -> None:
    """Name who made the next version and why (the history shows it; the request's user
    otherwise, and nobody outside a request). The names stay on the instance, so a later
    save of the same object in the same import (a progress update) is credited alike."""
    if by is not None:
        initiative._history_user = by
    if reason:
        initiative._change_reason = reason


@transaction.atomic
def initiative_create(
    *,
    edition: Edition,
    form: InitiativeForm | None = None,
    values: dict[str, Any] | None = None,
    serves: Selection | None = None,
    by=None,
    reason: str = "",
) -> Initiative:
    """Create an initiative in ``edition`` with the recommendations (and action lines) it
    serves: from a valid ``InitiativeForm`` (with its owners and what it serves), or from
    ``values``, the model fields of a checked import row, and ``serves``
    (``{recommendation: [action lines]}``). ``by`` and ``reason`` go into its history.

    Raises :class:`~memorandum.catalogue.phases.PhaseRefused` unless the edition is in
    its follow-up (as :func:`initiative_record_update` does); an initiative that exists
    can be corrected in any phase (:func:`initiative_update`)."""
    if (form is None) == (values is None):
        raise TypeError("initiative_create takes exactly one of form and values")
    require_phase(edition, PhaseAction.FOLLOW_UP)
    if form is not None:
        _attribute(form.instance, by, reason)
        initiative = save_in_edition(form, edition)
        serves = form.selection()
    else:
        initiative = Initiative(edition=edition, **values)
        _attribute(initiative, by, reason)
        initiative.save()
    initiative_set_links(initiative=initiative, selection=serves or {})
    return initiative


@transaction.atomic
def initiative_update(
    *,
    form: InitiativeForm | None = None,
    initiative: Initiative | None = None,
    changes: dict[str, Any] | None = None,
    serves: Selection | None = None,
    by=None,
    reason: str = "",
) -> Initiative:
    """Save a valid ``InitiativeForm`` of an existing initiative, links included; or apply
    to ``initiative`` its changed model fields (``changes``, saved only when there are any)
    and, when given, what it ``serves``. ``by`` and ``reason`` go into its history."""
    if (form is None) == (initiative is None):
        raise TypeError("initiative_update takes exactly one of form and initiative")
    if form is not None:
        _attribute(form.instance, by, reason)
        initiative = form.save()
        initiative_set_links(initiative=initiative, selection=form.selection())
        return initiative
    _attribute(initiative, by, reason)
    if changes:
        for name, value in changes.items():
            setattr(initiative, name, value)
        initiative.save()
    if serves is not None:
        initiative_set_links(initiative=initiative, selection=serves)
    return initiative


@transaction.atomic
def initiative_record_update(
    *,
    initiative: Initiative,
    author,
    text: str,
    date: dt.date | None = None,
    status: str = "",
    progress: int | None = None,
    attachment=None,
    attachment_public: bool = False,
) -> Update:
    """Record a progress note and apply its status and progress to the initiative.

    An attachment is private unless ``attachment_public`` (see ``Update.attachment_readable_by``).

    Marking an initiative done sets its progress to 100 unless another value is given,
    so the dashboard never shows a finished initiative at 60 %. Whether ``author`` may
    record it is checked before (``views.editable_initiative``, the importer's owners check).
    """
    if status and status not in InitiativeStatus.values:
        raise ValueError(f"Unknown status {status!r}")
    require_phase(initiative.edition, PhaseAction.FOLLOW_UP)
    if progress is None and status == InitiativeStatus.DONE:
        progress = 100
    update = Update(
        initiative=initiative,
        author=author,
        text=text,
        date=date or today(),
        status_before=initiative.status,
        status_after=status if status and status != initiative.status else "",
        progress_after=progress
        if progress is not None and progress != initiative.progress
        else None,
    )
    if attachment:
        update.attachment = attachment
        update.attachment_public = attachment_public
    update.full_clean()
    update.save()
    changed = []
    if update.status_after:
        initiative.status = update.status_after
        changed.append("status")
    if update.progress_after is not None:
        initiative.progress = update.progress_after
        changed.append("progress")
    if changed:
        initiative._change_reason = f"update {update.pk}"
        initiative.save(update_fields=[*changed, "updated_at"])
    return update


@transaction.atomic
def initiative_set_links(*, initiative: Initiative, selection: Selection) -> None:
    """Make the initiative serve exactly these recommendations (and action lines, from 1)."""
    keep = []
    for recommendation, lines in selection.items():
        link, _ = InitiativeLink.objects.update_or_create(
            initiative=initiative,
            recommendation=recommendation,
            defaults={"action_lines": sorted(set(lines))},
        )
        keep.append(link.pk)
    initiative.links.exclude(pk__in=keep).delete()
