"""Recording a decision of the General Assembly and applying it to the catalogue."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from memorandum.assembly import rules
from memorandum.assembly.models import NEEDS_RECOMMENDATION, AgendaItem, Decision, DecisionKind
from memorandum.catalogue.models import Recommendation, Status
from memorandum.consultation.services import next_number

STATUS_AFTER = {
    DecisionKind.ADOPT: Status.ADOPTED,
    DecisionKind.AMEND: Status.ADOPTED,
    DecisionKind.MERGE: Status.MERGED,
    DecisionKind.SPLIT: Status.WITHDRAWN,
    DecisionKind.REJECT: Status.REJECTED,
    DecisionKind.POSTPONE: Status.POSTPONED,
}

AMENDABLE = [f"{base}_{lang}" for base in Recommendation.TEXT_FIELDS for lang in ("nl", "fr")]


def _latest_history_id(recommendation: Recommendation) -> int | None:
    latest = recommendation.history.order_by("-history_date", "-history_id").first()
    return latest.history_id if latest else None


def _check(
    item: AgendaItem, kind: str, votes: tuple[int, int, int], merge_into, split_titles, texts
) -> list[str]:
    meeting = item.meeting
    errors = []
    present = meeting.present_count()
    if not meeting.has_quorum():
        errors.append(
            _(
                "No quorum: %(present)s members present, %(required)s needed. A decision cannot be recorded."
            )
            % {"present": present, "required": meeting.quorum_required()}
        )
    errors += rules.vote_errors(*votes, present)
    if Decision.objects.filter(item=item).exists():
        errors.append(_("A decision was already recorded for this agenda item."))
    recommendation = item.recommendation
    if kind in NEEDS_RECOMMENDATION and recommendation is None:
        errors.append(_("Only an item about a recommendation can be amended, merged or split."))
    if kind == DecisionKind.MERGE:
        if merge_into is None:
            errors.append(_("Choose the recommendation to merge into."))
        elif recommendation and (
            merge_into.pk == recommendation.pk or merge_into.edition_id != recommendation.edition_id
        ):
            errors.append(_("Merge into another recommendation of the same edition."))
    if kind == DecisionKind.SPLIT and len(split_titles) < 2:
        errors.append(_("A split needs at least two new titles (one per line)."))
    if kind == DecisionKind.AMEND and recommendation is not None:
        if not texts.get("title_nl"):
            errors.append(_("The amended text needs a Dutch title."))
        if not any(
            (texts.get(f) or "").strip() != (getattr(recommendation, f) or "").strip()
            for f in AMENDABLE
        ):
            errors.append(
                _("The amended text is the same as the current text: record “Adopt” instead.")
            )
    return errors


@transaction.atomic
def record_decision(
    *,
    item: AgendaItem,
    kind: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    by,
    merge_into: Recommendation | None = None,
    split_titles: list[tuple[str, str]] | None = None,
    texts: dict[str, str] | None = None,
) -> Decision:
    """Record the vote on ``item`` and, when carried, apply it to the recommendation.

    Raises ``ValidationError`` (with every reason) when there is no quorum, the votes do
    not add up, or the decision does not fit the item. A vote that is lost is recorded as
    "not carried" and changes nothing. ``split_titles`` is a list of (Dutch, French) titles;
    ``texts`` holds the amended ``title_nl`` … ``context_fr``.
    """
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "recommendation")
        .get(pk=item.pk)
    )
    texts = {k: (v or "").strip() for k, v in (texts or {}).items() if k in AMENDABLE}
    split_titles = [(nl.strip(), fr.strip()) for nl, fr in (split_titles or []) if nl.strip()]
    errors = _check(
        item, kind, (votes_for, votes_against, abstentions), merge_into, split_titles, texts
    )
    if errors:
        raise ValidationError(errors)
    meeting = item.meeting
    carried = rules.is_carried(
        meeting.majority_rule, votes_for, votes_against, abstentions, meeting.present_count()
    )
    decision = Decision(
        item=item,
        kind=kind,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        carried=carried,
        merge_into=merge_into if kind == DecisionKind.MERGE else None,
        recorded_by=by,
    )
    if kind == DecisionKind.AMEND:
        for field, value in texts.items():
            setattr(decision, field, value)
    recommendation = item.recommendation
    if recommendation is not None:
        decision.previous_history_id = _latest_history_id(recommendation)
    decision.save()
    if carried and recommendation is not None:
        _apply(decision, recommendation, split_titles, by)
    return decision


# The change reasons are stored in English, word for word, whatever the language of the
# person recording: they are part of the record, like a minute number.
REASONS = {
    DecisionKind.ADOPT: "Adopted by the General Assembly on {day}",
    DecisionKind.AMEND: "Amended by the General Assembly on {day}",
    DecisionKind.MERGE: "Merged into {code} by the General Assembly on {day}",
    DecisionKind.SPLIT: "Split by the General Assembly on {day}",
    DecisionKind.REJECT: "Rejected by the General Assembly on {day}",
    DecisionKind.POSTPONE: "Postponed by the General Assembly on {day}",
}


def _apply(decision: Decision, recommendation: Recommendation, split_titles, by) -> None:
    with translation.override("en"):
        day = formats.date_format(
            timezone.localtime(decision.item.meeting.starts_at).date(), "j F Y"
        )
    code = decision.merge_into.code if decision.merge_into else ""
    if decision.kind == DecisionKind.AMEND:
        for field in AMENDABLE:
            setattr(recommendation, field, getattr(decision, field))
    if decision.kind == DecisionKind.SPLIT:
        for title_nl, title_fr in split_titles:
            part = Recommendation(
                edition=recommendation.edition,
                kind=recommendation.kind,
                number=next_number(recommendation.edition, recommendation.kind),
                domain=recommendation.domain,
                theme=recommendation.theme,
                title_nl=title_nl,
                title_fr=title_fr,
                status=Status.PROPOSED,
                is_synthetic=recommendation.is_synthetic,
            )
            part._history_user = by
            part._change_reason = (
                f"Split from {recommendation.code} by the General Assembly on {day}"
            )
            part.save()
            decision.split_into.add(part)
    recommendation.status = STATUS_AFTER[decision.kind]
    recommendation._history_user = by
    recommendation._change_reason = REASONS[decision.kind].format(day=day, code=code)
    recommendation.save()
    if decision.kind in (DecisionKind.ADOPT, DecisionKind.AMEND):
        decision.adopted_history_id = _latest_history_id(recommendation)
        decision.save(update_fields=["adopted_history_id"])


def adopted_catalogue(edition):
    """The adopted recommendations of an edition, each at the version the assembly adopted.

    Returns ``[(recommendation, adopted_version, decision)]``; a recommendation adopted
    several times counts with its latest adoption.
    """
    decisions = (
        Decision.objects.filter(
            item__meeting__edition=edition,
            carried=True,
            kind__in=[DecisionKind.ADOPT, DecisionKind.AMEND],
            item__recommendation__status=Status.ADOPTED,
        )
        .select_related("item__recommendation", "item__meeting")
        .order_by("item__meeting__starts_at", "recorded_at")
    )
    latest = {}
    for decision in decisions:
        latest[decision.item.recommendation_id] = decision
    versions = {
        v.history_id: v
        for v in Recommendation.history.filter(
            history_id__in=[d.adopted_history_id for d in latest.values() if d.adopted_history_id]
        )
    }
    rows = [(d.item.recommendation, versions.get(d.adopted_history_id), d) for d in latest.values()]
    rows.sort(key=lambda row: (row[0].kind != "recommendation", row[0].number))
    return rows
