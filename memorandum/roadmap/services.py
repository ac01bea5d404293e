"""Writes that span several roadmap models, each in one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from memorandum.catalogue.forms import save_in_edition
from memorandum.catalogue.models import Edition, Recommendation
from memorandum.catalogue.phases import PhaseAction, require_phase
from memorandum.roadmap.forms import InitiativeForm
from memorandum.roadmap.models import Initiative, InitiativeLink, InitiativeStatus, Update, today


@transaction.atomic
def initiative_create(*, edition: Edition, form: InitiativeForm) -> Initiative:
    """Create the initiative of a valid ``InitiativeForm`` in ``edition``, with its owners,
    partners and the recommendations (and action lines) it serves.

    Raises :class:`~memorandum.catalogue.phases.PhaseRefused` unless the edition is in
    its follow-up (as :func:`initiative_record_update` does)."""
    require_phase(edition, PhaseAction.FOLLOW_UP)
    initiative = save_in_edition(form, edition)
    initiative_set_links(initiative=initiative, selection=form.selection())
    return initiative


@transaction.atomic
def initiative_update(*, form: InitiativeForm) -> Initiative:
    """Save a valid ``InitiativeForm`` of an existing initiative, links included."""
    initiative = form.save()
    initiative_set_links(initiative=initiative, selection=form.selection())
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
def initiative_set_links(
    *, initiative: Initiative, selection: dict[Recommendation, list[int]]
) -> None:
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
