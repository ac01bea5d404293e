"""General Assembly pages: meetings, agenda, decisions, minutes and the adopted catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from memorandum.assembly.forms import AgendaItemForm, DecisionForm, MeetingForm
from memorandum.assembly.minutes import minutes_context, minutes_docx, minutes_pdf
from memorandum.assembly.models import AgendaItem, Decision, Meeting, sees_pending
from memorandum.assembly.services import (
    adopted_catalogue,
    effect_of,
    pending_decisions,
    publish_minutes,
    record_decision,
)
from memorandum.catalogue.forms import save_in_edition
from memorandum.catalogue.models import Edition, Recommendation
from memorandum.catalogue.selectors import edition_for, recommendation_for
from memorandum.lib.downloads import download_response
from memorandum.lib.i18n import content_language
from memorandum.lib.validation import is_plain_number

MINUTE_FORMATS = {"pdf": minutes_pdf, "docx": minutes_docx}


def meeting_for(user, edition, pk: int) -> Meeting:
    """The meeting, if this user may see it (published minutes are public)."""
    return get_object_or_404(Meeting.objects.visible_to(user), edition=edition, pk=pk)


def meetings(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    items = (
        Meeting.objects.visible_to(request.user).filter(edition=edition).prefetch_related("items")
    )
    return render(request, "assembly/meetings.html", {"edition": edition, "meetings": items})


def _meeting_to_change(
    request: HttpRequest, slug: str, pk: int, why: str
) -> tuple[Edition, Meeting, HttpResponse | None]:
    """The edition and its meeting, with the way back to the meeting saying ``why`` when its
    minutes are published (they are the record), else None."""
    edition = edition_for(request.user, slug)
    meeting = get_object_or_404(Meeting, edition=edition, pk=pk)
    if not meeting.published:
        return edition, meeting, None
    messages.error(request, why)
    return edition, meeting, redirect("assembly:meeting", slug=edition.slug, pk=meeting.pk)


@login_required
@permission_required("assembly.add_meeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = save_in_edition(form, edition)
        messages.success(request, _("Meeting saved."))
        return redirect("assembly:meeting", slug=edition.slug, pk=meeting.pk)
    return render(request, "assembly/meeting_form.html", {"edition": edition, "form": form})


@login_required
@permission_required("assembly.change_meeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    why = _("The minutes are published: the meeting is part of the record and stays as it is.")
    edition, meeting, refused = _meeting_to_change(request, slug, pk, why)
    if refused:
        return refused
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Meeting saved."))
        return redirect("assembly:meeting", slug=edition.slug, pk=meeting.pk)
    return render(
        request,
        "assembly/meeting_form.html",
        {"edition": edition, "form": form, "meeting": meeting},
    )


def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = edition_for(request.user, slug)
    meeting = meeting_for(request.user, edition, pk)
    context = minutes_context(
        meeting,
        content_language(),
        include_pending=sees_pending(request.user),
        viewer=request.user,
    )
    can_record = request.user.has_perm("assembly.add_decision")
    context.update(
        {
            "edition": edition,
            "can_record": can_record and not meeting.published,
            "can_correct": can_record,
            "deletable": not meeting.published and not meeting.has_decisions(),
            # Only link to recommendations this reader can open (a rejected one is not public).
            "linkable": set(
                edition.recommendations.visible_to(request.user).values_list("pk", flat=True)
            ),
            "pending_count": meeting.pending_decisions().count() if can_record else 0,
        }
    )
    return render(request, "assembly/meeting.html", context)


@login_required
@permission_required("assembly.change_meeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm, then publish the minutes: lists every decision that becomes public and its effect."""
    edition = edition_for(request.user, slug)
    meeting = get_object_or_404(Meeting, edition=edition, pk=pk)
    pending = _pending(meeting)
    if meeting.published and not pending:
        messages.info(request, _("The minutes are already published and nothing is pending."))
        return redirect("assembly:meeting", slug=edition.slug, pk=meeting.pk)
    if request.method == "POST":
        confirmed = [
            int(v) for v in request.POST.get("decisions", "").split(",") if is_plain_number(v)
        ]
        try:
            published = publish_minutes(
                meeting=meeting, by=request.user, expected=confirmed, request=request
            )
        except ValidationError as error:
            # Something changed since the page was shown: show what is pending now.
            messages.warning(request, " ".join(error.messages))
            pending = _pending(meeting)
        else:
            messages.success(request, _published_message(len(published)))
            return redirect("assembly:meeting", slug=edition.slug, pk=meeting.pk)
    rows = [{"decision": d, "effect": effect_of(d)} for d in pending]
    shown = ",".join(str(d.pk) for d in pending)
    return render(
        request,
        "assembly/publish_confirm.html",
        {"edition": edition, "meeting": meeting, "rows": rows, "shown": shown},
    )


def _pending(meeting: Meeting) -> list[Decision]:
    """The meeting's decisions waiting for the minutes, with what supersedes them."""
    return list(meeting.pending_decisions().prefetch_related("superseded_by"))


def _published_message(count: int) -> str:
    """What the secretariat reads once the minutes made ``count`` decisions public."""
    return ngettext(
        "Minutes published: %(count)s decision is now public and applied to the catalogue.",
        "Minutes published: %(count)s decisions are now public and applied to the catalogue.",
        count,
    ) % {"count": count}


@login_required
@permission_required("assembly.delete_meeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete a meeting without decisions (after confirmation); one with decisions or published
    minutes is part of the record and refused."""
    edition = edition_for(request.user, slug)
    meeting = get_object_or_404(Meeting, edition=edition, pk=pk)
    refused = meeting.has_decisions() or meeting.published
    if request.method == "POST" and not refused:
        try:
            meeting.delete()
        except ProtectedError as error:  # a decision recorded meanwhile
            messages.error(request, error.args[0])
            return redirect("assembly:meeting", slug=edition.slug, pk=meeting.pk)
        messages.success(request, _("Meeting deleted."))
        return redirect("assembly:meetings", slug=edition.slug)
    return render(
        request,
        "assembly/meeting_delete.html",
        {"edition": edition, "meeting": meeting, "refused": refused},
        status=409 if request.method == "POST" else 200,
    )


@login_required
@permission_required("assembly.add_agendaitem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def agenda_item_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    why = _("The minutes are published: no agenda item can be added to them.")
    edition, meeting, refused = _meeting_to_change(request, slug, pk, why)
    if refused:
        return refused
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        item.save()
        messages.success(request, _("Agenda item %(order)s added.") % {"order": item.order})
        return redirect("assembly:meeting", slug=edition.slug, pk=meeting.pk)
    return render(
        request,
        "assembly/agenda_item_form.html",
        {"edition": edition, "meeting": meeting, "form": form},
    )


@login_required
@permission_required("assembly.add_decision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    """Record the vote on an item; refused without quorum; pending until the minutes are published."""
    return _decision_form(request, slug, pk, item_pk, corrects_pk=None)


@login_required
@permission_required("assembly.add_decision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_correct(
    request: HttpRequest, slug: str, pk: int, item_pk: int, decision_pk: int
) -> HttpResponse:
    """Record a correction: a new decision that supersedes the item's latest one, with a reason."""
    return _decision_form(request, slug, pk, item_pk, corrects_pk=decision_pk)


def _decision_form(
    request: HttpRequest, slug: str, pk: int, item_pk: int, corrects_pk: int | None
) -> HttpResponse:
    edition = edition_for(request.user, slug)
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "recommendation"),
        meeting__edition=edition,
        meeting__pk=pk,
        pk=item_pk,
    )
    corrects = (
        get_object_or_404(Decision, item=item, pk=corrects_pk) if corrects_pk is not None else None
    )
    form = DecisionForm(request.POST or None, item=item, edition=edition, corrects=corrects)
    if request.method == "POST" and form.is_valid():
        try:
            decision = record_decision(
                item=item, corrects=corrects, by=request.user, request=request, **form.vote()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            _say_recorded(request, decision)
            return redirect("assembly:meeting", slug=edition.slug, pk=item.meeting.pk)
    meeting = item.meeting
    context = {
        "edition": edition,
        "meeting": meeting,
        "item": item,
        "form": form,
        "corrects": corrects,
        "present": meeting.present_count(),
        "has_quorum": meeting.has_quorum(),
    }
    return render(request, "assembly/decision_form.html", context)


def _say_recorded(request: HttpRequest, decision: Decision) -> None:
    """Tell the secretariat whether the recorded decision carried, and what follows."""
    if decision.carried:
        messages.success(
            request,
            _(
                "Decision recorded: carried. It is pending and changes the catalogue when the minutes are published."
            ),
        )
    else:
        messages.warning(
            request,
            _("Decision recorded: not carried under the majority rule; it will change nothing."),
        )


def minutes(request: HttpRequest, slug: str, pk: int, lang: str, fmt: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    meeting = meeting_for(request.user, edition, pk)
    if lang not in ("nl", "fr") or fmt not in MINUTE_FORMATS:
        raise Http404
    render_file = MINUTE_FORMATS[fmt]
    return download_response(
        render_file(meeting, lang, include_pending=sees_pending(request.user), viewer=request.user),
        f"minutes-{meeting.starts_at:%Y-%m-%d}-{lang}.{fmt}",
    )


def adopted(request: HttpRequest, slug: str) -> HttpResponse:
    """The adopted catalogue: each adopted recommendation at the version the assembly adopted."""
    edition = edition_for(request.user, slug)
    visible = set(edition.recommendations.visible_to(request.user).values_list("pk", flat=True))
    rows = [
        {
            "recommendation": rec,
            "title": Recommendation.title.localized(version or rec),
            "decision": decision,
        }
        for rec, version, decision in adopted_catalogue(edition)
        if rec.pk in visible
    ]
    pending = [
        {"decision": d, "effect": effect_of(d)} for d in pending_decisions(edition, request.user)
    ]
    return render(
        request, "assembly/adopted.html", {"edition": edition, "rows": rows, "pending": pending}
    )


def recommendation_decisions(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Every decision on a recommendation (on it, merging into it, splitting into it), corrections
    included with their reasons; visitors see published decisions only."""
    edition = edition_for(request.user, slug)
    recommendation = recommendation_for(request.user, edition, code)
    decisions = list(
        Decision.objects.visible_to(request.user)
        .filter(
            Q(item__recommendation=recommendation)
            | Q(merge_into=recommendation)
            | Q(split_into=recommendation)
        )
        .distinct()
        .select_related("item__meeting", "item__recommendation", "supersedes", "merge_into")
        .order_by("item__meeting__starts_at", "item__order", "pk")
    )
    corrections = {d.supersedes_id: d for d in decisions if d.supersedes_id}
    rows = [{"decision": d, "corrected_by": corrections.get(d.pk)} for d in decisions]
    return render(
        request,
        "assembly/recommendation_decisions.html",
        {"edition": edition, "recommendation": recommendation, "rows": rows},
    )
