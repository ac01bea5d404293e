"""Recording decisions of the General Assembly, correcting them, and publishing them.

The rule (see docs/assembly.md): a decision is recorded *pending* and changes nothing the
public can see. :func:`publish_minutes` publishes a meeting's minutes and, in the same
transaction, applies every pending carried decision to the catalogue (status, amended texts,
merges, splits) as new history versions. A published decision is never changed again; a
wrong one is corrected with :func:`record_decision` ``(corrects=…, reason=…)``, which is
itself pending until the secretariat publishes it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from memorandum.assembly import rules
from memorandum.assembly.models import (
    NEEDS_RECOMMENDATION,
    AgendaItem,
    Decision,
    DecisionKind,
    Meeting,
    sees_pending,
)
from memorandum.audit import services as audit
from memorandum.catalogue.models import Recommendation, Status
from memorandum.catalogue.phases import PhaseAction, require_phase
from memorandum.catalogue.services import latest_history_id, next_number
from memorandum.lib.bilingual import bilingual_columns

STATUS_AFTER = {
    DecisionKind.ADOPT: Status.ADOPTED,
    DecisionKind.AMEND: Status.ADOPTED,
    DecisionKind.MERGE: Status.MERGED,
    DecisionKind.SPLIT: Status.WITHDRAWN,
    DecisionKind.REJECT: Status.REJECTED,
    DecisionKind.POSTPONE: Status.POSTPONED,
}

AMENDABLE = bilingual_columns(Recommendation)


def _check(
    item: AgendaItem,
    kind: str,
    votes: tuple[int, int, int],
    merge_into,
    split_titles,
    texts,
    corrects: Decision | None,
    reason: str,
) -> list[str]:
    meeting = item.meeting
    errors = []
    present = meeting.present_count()
    if not meeting.has_quorum():
        errors.append(
            ngettext(
                "No quorum: %(present)s member present, %(required)s needed. "
                "A decision cannot be recorded.",
                "No quorum: %(present)s members present, %(required)s needed. "
                "A decision cannot be recorded.",
                present,
            )
            % {"present": present, "required": meeting.quorum_required()}
        )
    errors += rules.vote_errors(*votes, present)
    latest = item.decisions.order_by("-pk").first()
    if corrects is None:
        if latest is not None:
            errors.append(_("A decision was already recorded for this agenda item."))
        elif meeting.published:
            errors.append(
                _(
                    "The minutes of this meeting are published: no new decision can be added to them."
                )
            )
    else:
        errors += _correction_errors(item, corrects, latest, reason)
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
        base = (corrects.previous_version() if corrects else None) or recommendation
        if not texts.get("title_nl"):
            errors.append(_("The amended text needs a Dutch title."))
        if not any(
            (texts.get(f) or "").strip() != (getattr(base, f) or "").strip() for f in AMENDABLE
        ):
            errors.append(
                _("The amended text is the same as the current text: record “Adopt” instead.")
            )
    return errors


def _correction_errors(
    item: AgendaItem, corrects: Decision, latest: Decision | None, reason: str
) -> list[str]:
    errors = []
    if corrects.item_id != item.pk:
        return [_("The decision to correct belongs to another agenda item.")]
    if latest is None or latest.pk != corrects.pk:
        errors.append(_("This decision was already corrected; correct the latest decision."))
    if not reason.strip():
        errors.append(_("Say why the decision is corrected: the reason is part of the record."))
    applied = _last_published(corrects)
    if applied is not None and applied.carried and item.recommendation_id:
        later = (
            Decision.objects.published()
            .filter(
                item__recommendation=item.recommendation_id, published_at__gt=applied.published_at
            )
            .exclude(item=item)
        )
        if later.exists():
            errors.append(
                _(
                    "%(code)s was decided on again at a later meeting: correct that decision instead."
                )
                % {"code": item.recommendation.code}
            )
        if Decision.objects.filter(item__recommendation__in=applied.split_into.all()).exists():
            errors.append(
                _(
                    "The recommendations created by this split have been decided on since: correct those decisions first."
                )
            )
    return errors


def _last_published(decision: Decision | None) -> Decision | None:
    """The decision of the chain ending at ``decision`` that the public sees (and was applied)."""
    while decision is not None and not decision.is_published:
        decision = decision.supersedes
    return decision


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
    corrects: Decision | None = None,
    reason: str = "",
    request=None,
) -> Decision:
    """Record the vote on ``item`` as a pending decision (the catalogue does not change yet).

    Raises ``ValidationError`` (with every reason) when there is no quorum, the votes do
    not add up, or the decision does not fit the item. A vote that is lost is recorded as
    "not carried" and will change nothing. ``split_titles`` is a list of (Dutch, French)
    titles; ``texts`` holds the amended ``title_nl`` … ``context_fr``. With ``corrects``
    (the item's latest decision) and a ``reason``, the new decision is a correction that
    supersedes it; the earlier decision stays in the record.
    """
    # Lock the meeting first, as publish_minutes does: a decision and the publication of its
    # minutes cannot interleave (no decision left pending in minutes just published).
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("edition")
        .get(pk=item.meeting_id)
    )
    # The General Assembly decides during the consolidation only (PhaseRefused otherwise).
    require_phase(meeting.edition, PhaseAction.DECIDE)
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "recommendation")
        .get(pk=item.pk)
    )
    texts = {k: (v or "").strip() for k, v in (texts or {}).items() if k in AMENDABLE}
    split_titles = [(nl.strip(), fr.strip()) for nl, fr in (split_titles or []) if nl.strip()]
    reason = (reason or "").strip()
    errors = _check(
        item,
        kind,
        (votes_for, votes_against, abstentions),
        merge_into,
        split_titles,
        texts,
        corrects,
        reason,
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
        split_titles=[list(t) for t in split_titles] if kind == DecisionKind.SPLIT else [],
        supersedes=corrects,
        correction_reason=reason if corrects else "",
        recorded_by=by,
    )
    if kind == DecisionKind.AMEND:
        for field, value in texts.items():
            setattr(decision, field, value)
    recommendation = item.recommendation
    if corrects is not None:
        decision.previous_history_id = corrects.previous_history_id
    elif recommendation is not None:
        decision.previous_history_id = latest_history_id(recommendation)
    decision.save()
    audit.record(
        audit.Action.DECISION_RECORDED,
        actor=by,
        request=request,
        target=decision,
        kind=kind,
        carried=carried,
        recommendation=recommendation.code if recommendation is not None else "",
        corrects=corrects.pk if corrects is not None else None,
    )
    return decision


@transaction.atomic
def publish_minutes(
    *, meeting: Meeting, by, expected: list[int] | None = None, request=None
) -> list[Decision]:
    """Publish the minutes of ``meeting`` and apply its pending decisions to the catalogue.

    Every pending decision becomes public at once; each carried one that is not superseded
    changes its recommendation (a new history version per change, in agenda order). A
    correction of a published decision first undoes what that decision changed. Publishing
    again after a correction publishes only the correction. Returns the decisions published.

    ``expected`` (the ids of the pending decisions the secretariat confirmed) makes it refuse,
    with ``ValidationError``, when they are no longer exactly what is pending; so does a
    meeting whose minutes are published with nothing pending.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    pending = list(meeting.pending_decisions())
    if meeting.published and not pending:
        raise ValidationError(_("The minutes are already published and nothing is pending."))
    if expected is not None and sorted(expected) != sorted(d.pk for d in pending):
        raise ValidationError(
            _("The pending decisions changed since this page was shown: check them again.")
        )
    now = timezone.now()
    for decision in pending:
        if decision.is_superseded():
            continue  # corrected before publication: part of the record, never applied
        recommendation = decision.item.recommendation
        if recommendation is None:
            continue
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        undone = _last_published(decision.supersedes)
        if undone is not None and undone.carried:
            _undo(undone, recommendation, by)
        if decision.carried:
            _apply(decision, recommendation, by)
        elif undone is not None and undone.carried:
            recommendation._history_user = by
            recommendation._change_reason = _reason(
                decision, "Not carried at the General Assembly of {day}"
            )
            recommendation.save()
    Decision.objects.filter(pk__in=[d.pk for d in pending]).update(published_at=now)
    meeting.published = True
    meeting.published_at = meeting.published_at or now
    meeting.save(update_fields=["published", "published_at"])
    audit.record(
        audit.Action.MINUTES_PUBLISHED,
        actor=by,
        request=request,
        target=meeting,
        decisions=[d.pk for d in pending],
    )
    return pending


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


def _reason(decision: Decision, template: str) -> str:
    with translation.override("en"):
        day = formats.date_format(
            timezone.localtime(decision.item.meeting.starts_at).date(), "DATE_FORMAT"
        )
    code = decision.merge_into.code if decision.merge_into_id else ""
    text = template.format(day=day, code=code)
    if decision.is_correction:
        text = f"Correction: {text} ({decision.correction_reason})"
    return text[:100]  # simple-history keeps at most 100 characters


def _undo(decision: Decision, recommendation: Recommendation, by) -> None:
    """Put back (in memory) what a published decision changed, before its correction applies.

    The status and texts return to the version the assembly voted on; the recommendations a
    split created are withdrawn.
    """
    before = decision.previous_version()
    if before is not None:
        recommendation.status = before.status
        for field in AMENDABLE:
            setattr(recommendation, field, getattr(before, field))
    else:
        recommendation.status = Status.PROPOSED
    for part in decision.split_into.all():
        part.status = Status.WITHDRAWN
        part._history_user = by
        part._change_reason = f"Split from {recommendation.code} corrected by the General Assembly"
        part.save()


def _apply(decision: Decision, recommendation: Recommendation, by) -> None:
    if decision.kind == DecisionKind.AMEND:
        for field in AMENDABLE:
            setattr(recommendation, field, getattr(decision, field))
    if decision.kind == DecisionKind.SPLIT and not decision.split_into.exists():
        reason = _reason(
            decision, f"Split from {recommendation.code} by the General Assembly on {{day}}"
        )
        for title_nl, title_fr in decision.split_titles:
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
            part._change_reason = reason
            part.save()
            decision.split_into.add(part)
    recommendation.status = STATUS_AFTER[decision.kind]
    recommendation._history_user = by
    recommendation._change_reason = _reason(decision, REASONS[decision.kind])
    recommendation.save()
    if decision.kind in (DecisionKind.ADOPT, DecisionKind.AMEND):
        Decision.objects.filter(pk=decision.pk).update(
            adopted_history_id=latest_history_id(recommendation)
        )


def adopted_catalogue(edition):
    """The adopted recommendations of an edition, each at the version the assembly adopted.

    Only published decisions count (a pending one has changed nothing yet), and a decision
    whose correction is published no longer does. Returns
    ``[(recommendation, adopted_version, decision)]``; a recommendation adopted several times
    counts with its latest adoption.
    """
    decisions = (
        Decision.objects.published()
        .filter(
            item__meeting__edition=edition,
            carried=True,
            kind__in=[DecisionKind.ADOPT, DecisionKind.AMEND],
            item__recommendation__status=Status.ADOPTED,
        )
        .exclude(superseded_by__published_at__isnull=False)
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


def pending_decisions(edition, user) -> list[Decision]:
    """The decisions of ``edition`` waiting for their minutes, for those who may see them.

    Only the latest decision of each item counts (a pending correction replaces what it
    corrects). Empty for everyone else.
    """
    if not sees_pending(user):
        return []
    return list(
        Decision.objects.pending()
        .filter(item__meeting__edition=edition, superseded_by__isnull=True)
        .select_related("item__meeting", "item__recommendation", "merge_into")
        .order_by("item__meeting__starts_at", "item__order")
    )


def pending_notices(user, recommendations) -> dict[int, list[Decision]]:
    """Pending decisions by recommendation id, for the catalogue's overlay (see CatalogueConfig)."""
    ids = {r.pk for r in recommendations}
    if not ids or not sees_pending(user):
        return {}
    notices: dict[int, list[Decision]] = {}
    for decision in (
        Decision.objects.pending()
        .filter(item__recommendation__in=ids, superseded_by__isnull=True)
        .select_related("item__meeting__edition", "merge_into")
        .order_by("item__meeting__starts_at")
    ):
        notices.setdefault(decision.item.recommendation_id, []).append(decision)
    return notices


def effect_of(decision: Decision) -> str:
    """What publishing ``decision`` will do to the catalogue, in one sentence for the reader."""
    rec = decision.item.recommendation
    if decision.is_superseded():
        return _("Corrected before publication: published as part of the record, changes nothing.")
    undone = _last_published(decision.supersedes)
    prefix = ""
    if undone is not None and undone.carried and rec is not None:
        prefix = _("Undoes what the published decision changed. ")
    if not decision.carried:
        return prefix + _("Not carried: changes nothing in the catalogue.")
    if rec is None:
        return prefix + _("A subject without a recommendation: changes nothing in the catalogue.")
    status = Status(STATUS_AFTER[decision.kind]).label
    if decision.kind == DecisionKind.AMEND:
        text = _("%(code)s becomes “%(status)s” with the amended text.")
    elif decision.kind == DecisionKind.MERGE:
        text = _("%(code)s becomes “%(status)s”, into %(target)s.")
    elif decision.kind == DecisionKind.SPLIT:
        text = ngettext(
            "%(code)s becomes “%(status)s”; %(count)s new recommendation is created.",
            "%(code)s becomes “%(status)s”; %(count)s new recommendations are created.",
            len(decision.split_titles),
        )
    else:
        text = _("%(code)s becomes “%(status)s”.")
    return prefix + text % {
        "code": rec.code,
        "status": status,
        "target": decision.merge_into.code if decision.merge_into_id else "",
        "count": len(decision.split_titles),
    }


def lineage(user, recommendations) -> dict[int, list[tuple[str, Recommendation, Decision]]]:
    """Where each recommendation went or came from through published merges and splits:
    ``{id: [(relation, other recommendation, decision)]}`` with the relations "merged into",
    "split into", "absorbs" and "split from", only between recommendations the user sees."""
    ids = {r.pk for r in recommendations}
    live = (
        Decision.objects.published()
        .filter(carried=True)
        # A correction hides the decision only once published (a pending one changes nothing
        # the readers see; corrections of one item are published together).
        .exclude(superseded_by__published_at__isnull=False)
        .filter(kind__in=[DecisionKind.MERGE, DecisionKind.SPLIT])
        .filter(Q(item__recommendation__in=ids) | Q(merge_into__in=ids) | Q(split_into__in=ids))
        .select_related("item__meeting", "item__recommendation__edition", "merge_into__edition")
        .prefetch_related("split_into__edition")
        .distinct()
    )
    candidates: list[tuple[int, str, Recommendation, Decision]] = []

    def link(pk: int, relation: str, other: Recommendation, decision: Decision) -> None:
        if pk in ids:
            candidates.append((pk, relation, other, decision))

    for decision in live:
        origin = decision.item.recommendation
        successors = ([decision.merge_into] if decision.kind == DecisionKind.MERGE else []) + list(
            decision.split_into.all()
        )
        for successor in successors:
            if successor is None:
                continue
            relation = "merged into" if decision.kind == DecisionKind.MERGE else "split into"
            link(origin.pk, relation, successor, decision)
            back = "absorbs" if decision.kind == DecisionKind.MERGE else "split from"
            link(successor.pk, back, origin, decision)
    others = {other.pk for _, _, other, _ in candidates}
    visible = set(
        Recommendation.objects.visible_to(user).filter(pk__in=others).values_list("pk", flat=True)
    )
    found: dict[int, list[tuple[str, Recommendation, Decision]]] = {}
    for pk, relation, other, decision in candidates:
        if other.pk in visible:
            found.setdefault(pk, []).append((relation, other, decision))
    return found


# Lazy: the texts are chosen when a page is built, in its reader's language.
LINEAGE_TEXT = {
    "merged into": gettext_lazy(
        "Merged into %(code)s “%(title)s” by the General Assembly of %(day)s."
    ),
    "split into": gettext_lazy(
        "Split by the General Assembly of %(day)s; continued in %(code)s “%(title)s”."
    ),
    "absorbs": gettext_lazy(
        "Absorbs %(code)s “%(title)s”, merged by the General Assembly of %(day)s."
    ),
    "split from": gettext_lazy(
        "Created when the General Assembly of %(day)s split %(code)s “%(title)s”."
    ),
}


def recommendation_notices(user, recommendations) -> dict[int, list]:
    """The catalogue's overlay: one notice per pending decision on a recommendation, and one
    per published merge or split linking it to its successors or its origin."""
    from django.urls import reverse

    from memorandum.catalogue.notices import Notice

    notices: dict[int, list] = {}
    for pk, links in lineage(user, recommendations).items():
        for relation, other, decision in links:
            day = timezone.localtime(decision.item.meeting.starts_at).date()
            text = LINEAGE_TEXT[relation] % {
                "code": other.code,
                "title": str(other.title),
                "day": formats.date_format(day),
            }
            badge = _("merged") if relation in ("merged into", "absorbs") else _("split")
            notices.setdefault(pk, []).append(
                Notice(text=text, url=other.get_absolute_url(), badge=badge)
            )
    for pk, decisions in pending_notices(user, recommendations).items():
        for decision in decisions:
            meeting = decision.item.meeting
            text = _(
                "Pending decision of the General Assembly of %(day)s: %(kind)s (%(result)s). It changes the catalogue when the minutes are published."
            ) % {
                "day": formats.date_format(
                    timezone.localtime(meeting.starts_at).date(), "DATE_FORMAT"
                ),
                "kind": decision.get_kind_display(),
                "result": _("carried") if decision.carried else _("not carried"),
            }
            url = reverse("assembly:meeting", args=[meeting.edition.slug, meeting.pk])
            notices.setdefault(pk, []).append(Notice(text=text, url=url))
    return notices
