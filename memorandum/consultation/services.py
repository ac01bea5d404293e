"""Writes on proposals: submitting one, merging and splitting proposals (into
recommendations, or into parts), and undoing either."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.audit import services as audit
from memorandum.catalogue.models import (
    Edition,
    PoliceZone,
    Recommendation,
    RecommendationKind,
    Status,
)
from memorandum.catalogue.phases import PhaseAction, require_phase
from memorandum.catalogue.services import latest_history_id, next_number
from memorandum.consultation.models import Merge, Proposal, ProposalStatus, Split


@transaction.atomic
def proposal_submit(*, proposal: Proposal, edition: Edition, by, zone=None) -> Proposal:
    """Save a new (unsaved) ``proposal`` of ``edition`` by ``by``, for ``zone`` when given.

    Raises :class:`~memorandum.catalogue.phases.PhaseRefused` outside the consultation.
    """
    require_phase(Edition.objects.get(pk=edition.pk), PhaseAction.PROPOSE)
    chosen = zone or proposal.zone
    if chosen is not None and not PoliceZone.objects.active().filter(pk=chosen.pk).exists():
        raise ValidationError(
            _("The zone %(zone)s has ended: it takes no new proposals.") % {"zone": chosen}
        )
    proposal.edition = edition
    proposal.author = by
    if zone is not None:
        proposal.zone = zone
    proposal.save()
    return proposal


def withdraw_proposal(*, proposal: Proposal) -> bool:
    """Withdraw ``proposal`` if it is still new; False when a merge or a split took it
    meanwhile (they lock the row: the status is checked and changed in one statement)."""
    still_new = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.NEW)
    return bool(still_new.update(status=ProposalStatus.WITHDRAWN))


@transaction.atomic
def merge_proposals(
    *, proposals: Iterable[Proposal], into: Recommendation | dict, by, request=None
) -> Merge:
    """Link ``proposals`` to a recommendation and record the merge so it can be undone.

    ``into`` is an existing recommendation of the same edition, or a dict of fields for a
    new one (``kind``, ``domain``, ``theme``, ``title_nl``, ``title_fr``, ``objective_nl`` …;
    its number is the next free one). The proposals' texts are left as they are; they
    become "merged". Raises ``ValidationError`` when a proposal is not new, when proposals
    belong to another edition, or when no proposal is given.
    """
    proposals = list(
        Proposal.objects.select_for_update().filter(pk__in=[p.pk for p in proposals]).order_by("pk")
    )
    if not proposals:
        raise ValidationError(_("Choose at least one proposal to merge."))
    editions = {p.edition_id for p in proposals}
    if len(editions) != 1:
        raise ValidationError(_("Proposals of different editions cannot be merged together."))
    edition = proposals[0].edition
    not_new = [p for p in proposals if p.status != ProposalStatus.NEW]
    if not_new:
        raise ValidationError(
            _("These proposals are not new (already merged or withdrawn): %(ids)s.")
            % {"ids": ", ".join(f"#{p.pk}" for p in not_new)}
        )
    created = not isinstance(into, Recommendation)
    if created:
        fields = dict(into)
        kind = fields.pop("kind", RecommendationKind.RECOMMENDATION)
        recommendation = Recommendation(
            edition=edition,
            kind=kind,
            number=next_number(edition, kind),
            status=Status.PROPOSED,
            **fields,
        )
        recommendation.full_clean()
        recommendation._history_user = by
        recommendation._change_reason = _("Created by merging proposals %(ids)s") % {
            "ids": ", ".join(f"#{p.pk}" for p in proposals)
        }
        recommendation.save()
        history_before = None
    else:
        recommendation = into
        if recommendation.edition_id != edition.pk:
            raise ValidationError(
                _("The recommendation belongs to another edition than the proposals.")
            )
        history_before = latest_history_id(recommendation)
    merge = Merge.objects.create(
        edition=edition,
        recommendation=recommendation,
        recommendation_code=recommendation.code,
        created_recommendation=created,
        history_id_before=history_before,
        merged_by=by,
    )
    merge.proposals.set(proposals)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=ProposalStatus.MERGED, merged_into=recommendation
    )
    audit.record(
        audit.Action.PROPOSALS_MERGED,
        actor=by,
        request=request,
        target=recommendation,
        proposals=[p.pk for p in proposals],
        merge=merge.pk,
        created=created,
    )
    return merge


@transaction.atomic
def undo_merge(*, merge: Merge, by, request=None) -> Merge:
    """Put the merged proposals back to "new" and remove a recommendation the merge created.

    The created recommendation is removed only when nothing else holds on to it (other
    proposals, other merges, a later edit, an agenda item…); otherwise it is kept and the
    merge's ``undo_note`` says why. The merge record itself stays, marked as undone.
    """
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.is_undone:
        raise ValidationError(_("This merge was already undone."))
    proposal_ids = list(merge.proposals.values_list("pk", flat=True))
    Proposal.objects.filter(
        pk__in=proposal_ids, merged_into_id=merge.recommendation_id, status=ProposalStatus.MERGED
    ).update(status=ProposalStatus.NEW, merged_into=None)
    note = ""
    merge.undone_by = by
    recommendation = merge.recommendation
    if merge.created_recommendation and recommendation is not None:
        note = _remove_if_unused(recommendation, merge)
        if recommendation.pk is None:
            merge.recommendation = None
    merge.undo_note = note
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at", "undone_by", "undo_note"])
    audit.record(
        audit.Action.MERGE_UNDONE,
        actor=by,
        request=request,
        target=merge.recommendation,  # None when the merge's own recommendation was removed
        target_label=merge.recommendation_code,
        merge=merge.pk,
        proposals=proposal_ids,
        removed=merge.created_recommendation and merge.recommendation is None,
    )
    return merge


@dataclass(frozen=True)
class UndoPreview:
    """What undoing a merge will do, shown on the confirmation page before anything changes."""

    proposals: list[Proposal]  # become "new" again
    recommendation_code: str
    removes_recommendation: bool
    note: str  # why the created recommendation is kept, or that it will be removed


def undo_merge_preview(merge: Merge) -> UndoPreview:
    """Describe :func:`undo_merge` for ``merge`` without changing anything."""
    proposals = list(
        merge.proposals.filter(
            merged_into_id=merge.recommendation_id, status=ProposalStatus.MERGED
        ).order_by("pk")
    )
    recommendation = merge.recommendation
    note, removes = "", False
    if merge.created_recommendation and recommendation is not None:
        note = _why_kept(recommendation, merge, undone=proposals)
        if not note and _referred_to_elsewhere(recommendation, proposals):
            note = _(
                "Recommendation %(code)s will be kept: it is referred to elsewhere (e.g. on an agenda)."
            ) % {"code": recommendation.code}
        elif not note:
            removes = True
            note = _("Recommendation %(code)s, created by the merge, will be removed.") % {
                "code": recommendation.code
            }
    return UndoPreview(proposals, merge.recommendation_code, removes, note)


def _referred_to_elsewhere(recommendation: Recommendation, undone: list[Proposal]) -> bool:
    """Whether deleting would be refused for another reason than the proposals being unlinked."""
    try:
        Collector(using=router.db_for_write(Recommendation)).collect([recommendation])
    except ProtectedError as error:
        blocking = error.protected_objects
    except RestrictedError as error:
        blocking = error.restricted_objects
    else:
        return False
    unlinked = {p.pk for p in undone}
    return any(not (isinstance(o, Proposal) and o.pk in unlinked) for o in blocking)


def _why_kept(recommendation: Recommendation, merge: Merge, *, undone: list[Proposal]) -> str:
    """Why the undo will keep a recommendation the merge created ("" when it will remove it)."""
    if recommendation.source_proposals.exclude(pk__in=[p.pk for p in undone]).exists():
        return _("Recommendation %(code)s will be kept: other proposals are merged into it.") % {
            "code": recommendation.code
        }
    if recommendation.merges.active().exclude(pk=merge.pk).exists():
        return _("Recommendation %(code)s will be kept: another merge uses it.") % {
            "code": recommendation.code
        }
    if recommendation.history.count() > 1:
        return _("Recommendation %(code)s will be kept: it was changed after the merge.") % {
            "code": recommendation.code
        }
    return ""


def _remove_if_unused(recommendation: Recommendation, merge: Merge) -> str:
    if recommendation.source_proposals.exists():
        return _("Recommendation %(code)s was kept: other proposals are merged into it.") % {
            "code": recommendation.code
        }
    if recommendation.merges.active().exclude(pk=merge.pk).exists():
        return _("Recommendation %(code)s was kept: another merge uses it.") % {
            "code": recommendation.code
        }
    if recommendation.history.count() > 1:
        return _("Recommendation %(code)s was kept: it was changed after the merge.") % {
            "code": recommendation.code
        }
    recommendation._history_user = merge.undone_by
    try:
        with transaction.atomic():
            recommendation.delete()
    except (ProtectedError, RestrictedError):
        return _(
            "Recommendation %(code)s was kept: it is referred to elsewhere (e.g. on an agenda)."
        ) % {"code": recommendation.code}
    return _("Recommendation %(code)s, created by the merge, was removed.") % {
        "code": merge.recommendation_code
    }


@dataclass(frozen=True)
class Part:
    """The texts of one proposal a split makes (the rest is the original's)."""

    title: str
    text: str


@transaction.atomic
def split_proposal(*, proposal: Proposal, parts: list[Part], by, request=None) -> Split:
    """Split a broad proposal into two or more new ones and mark the original "split".

    Each part keeps the original's zone, participant, event, language, work domain and theme;
    only its title and text are its own. The original keeps its text and links to its parts
    (``original.splits``, ``part.split_from``). Raises ``ValidationError`` when the proposal
    is not new or fewer than two parts are given. :func:`undo_split` reverses it.
    """
    original = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if original.status != ProposalStatus.NEW:
        raise ValidationError(
            _("Only a new proposal can be split; #%(id)s is “%(status)s”.")
            % {"id": original.pk, "status": original.get_status_display()}
        )
    if len(parts) < 2:
        raise ValidationError(_("A split makes at least two proposals."))
    split = Split.objects.create(edition=original.edition, original=original, split_by=by)
    made = []
    for part in parts:
        new = Proposal(
            edition=original.edition,
            event=original.event,
            zone=original.zone,
            author=original.author,
            participant_name=original.participant_name,
            language=original.language,
            domain=original.domain,
            theme=original.theme,
            is_synthetic=original.is_synthetic,
            title=part.title,
            text=part.text,
            split_from=split,
        )
        new.full_clean()
        new.save()
        made.append(new.pk)
    split.part_ids = made
    split.save(update_fields=["part_ids"])
    original.status = ProposalStatus.SPLIT
    original.save(update_fields=["status"])
    audit.record(
        audit.Action.PROPOSAL_SPLIT,
        actor=by,
        request=request,
        target=original,
        split=split.pk,
        parts=made,
    )
    return split


def undo_split_refusal(split: Split) -> str:
    """Why :func:`undo_split` would refuse ("" when it may go ahead)."""
    if split.is_undone:
        return _("This split was already undone.")
    moved = [
        p
        for p in split.parts.order_by("pk")
        if p.status != ProposalStatus.NEW or p.merges.exists() or p.splits.exists()
    ]
    if moved:
        return _(
            "The split cannot be undone: proposals %(ids)s were merged, withdrawn or split "
            "since. Undo that first."
        ) % {"ids": ", ".join(f"#{p.pk}" for p in moved)}
    return ""


@transaction.atomic
def undo_split(*, split: Split, by, request=None) -> Split:
    """Remove the proposals a split made and make the original new again.

    Refused (``ValidationError``) once a part has been merged, withdrawn, split or been
    part of a merge, so that nothing done with a part is lost silently. The split record
    stays, marked as undone, with the numbers of the parts it had.
    """
    split = Split.objects.select_for_update().get(pk=split.pk)
    list(Proposal.objects.select_for_update().filter(split_from=split))  # no merge meanwhile
    refusal = undo_split_refusal(split)
    if refusal:
        raise ValidationError(refusal)
    split.parts.all().delete()
    Proposal.objects.filter(pk=split.original_id, status=ProposalStatus.SPLIT).update(
        status=ProposalStatus.NEW
    )
    split.undone_by, split.undone_at = by, timezone.now()
    split.save(update_fields=["undone_by", "undone_at"])
    audit.record(
        audit.Action.SPLIT_UNDONE,
        actor=by,
        request=request,
        target=split.original,
        split=split.pk,
        parts=split.part_ids,
    )
    return split
