"""Consultation pages: events, proposals (form, import, list), duplicates, merges, provenance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from memorandum.catalogue.forms import save_in_edition
from memorandum.catalogue.models import Edition, Recommendation
from memorandum.catalogue.phases import PhaseAction, phase_refusal
from memorandum.catalogue.selectors import edition_for, recommendation_for
from memorandum.consultation import duplicates as duplicate_scans
from memorandum.consultation import importer
from memorandum.consultation.forms import (
    EventForm,
    ImportForm,
    MergeForm,
    ProposalFilterForm,
    ProposalForm,
    SplitFormSet,
)
from memorandum.consultation.models import Merge, Proposal, ProposalStatus, Split, provenance
from memorandum.consultation.services import (
    merge_proposals,
    proposal_submit,
    split_proposal,
    undo_merge,
    undo_merge_preview,
    undo_split,
    undo_split_refusal,
    withdraw_proposal,
)
from memorandum.consultation.similarity import DUPLICATE_THRESHOLD, similar_items
from memorandum.imports import views as imports
from memorandum.imports.models import ImportKind
from memorandum.lib.downloads import download_response
from memorandum.lib.i18n import content_language
from memorandum.lib.paging import paginate
from memorandum.lib.validation import is_plain_number

# Lower than the duplicate threshold: a hint while typing may be broader than a merge proposal.
HINT_THRESHOLD = 50


def _edition(request: HttpRequest, slug: str) -> Edition:
    return edition_for(request.user, slug)


def _own_zone(user):
    """The zone a corps chief proposes for; None for the secretariat (who choose)."""
    if user.has_perm("consultation.view_all_proposals"):
        return None
    zone = getattr(getattr(user, "profile", None), "zone", None)
    if zone is None:
        raise PermissionDenied(_("Your account is not linked to a police zone."))
    return zone


@login_required
@permission_required("consultation.view_consultationevent", raise_exception=True)
def events(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _edition(request, slug)
    items = edition.consultation_events.select_related("province").prefetch_related("zones")
    return render(request, "consultation/events.html", {"edition": edition, "events": items})


@login_required
@permission_required("consultation.add_consultationevent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _edition(request, slug)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = save_in_edition(form, edition)
        messages.success(request, _("Event “%(event)s” added.") % {"event": event})
        return redirect("consultation:events", slug=edition.slug)
    return render(request, "consultation/event_form.html", {"edition": edition, "form": form})


@login_required
@permission_required("consultation.view_proposal", raise_exception=True)
def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    """The proposals this user may see, filtered; the secretariat selects some to merge."""
    edition = _edition(request, slug)
    form = ProposalFilterForm(request.GET or None, edition=edition)
    queryset = form.apply(Proposal.objects.visible_to(request.user).filter(edition=edition))
    queryset = queryset.select_related("zone", "event", "domain", "merged_into").order_by(
        "-created_at", "-id"
    )
    page, query_string = paginate(request, queryset)
    context = {
        "edition": edition,
        "form": form,
        "page": page,
        "query_string": query_string,
        "can_merge": request.user.has_perm("consultation.add_merge"),
    }
    return render(request, "consultation/proposals.html", context)


@login_required
@permission_required("consultation.add_proposal", raise_exception=True)
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _edition(request, slug)
    own_zone = _own_zone(request.user)
    form = ProposalForm(request.POST or None, edition=edition, own_zone=own_zone)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_submit(
                proposal=form.save(commit=False), edition=edition, by=request.user, zone=own_zone
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you: proposal #%(id)s is registered.") % {"id": proposal.pk}
            )
            return redirect("consultation:proposal", slug=edition.slug, pk=proposal.pk)
    hints = (
        _similar_recommendations(request, edition, request.POST) if request.method == "POST" else []
    )
    return render(
        request,
        "consultation/proposal_form.html",
        {
            "edition": edition,
            "form": form,
            "own_zone": own_zone,
            "hints": hints,
            "closed": phase_refusal(edition, PhaseAction.PROPOSE),
        },
    )


def _similar_recommendations(request: HttpRequest, edition: Edition, data) -> list:
    """Recommendations close to the text being typed, so a zone can see it is already covered."""
    language = data.get("language") if data.get("language") in ("nl", "fr") else content_language()
    title, text = (data.get("title") or "").strip(), (data.get("text") or "").strip()
    if len(f"{title} {text}") < 12:
        return []
    draft = Proposal(pk=0, language=language, title=title, text=text)
    recommendations = list(Recommendation.objects.visible_to(request.user).filter(edition=edition))
    matches = similar_items(
        [draft], recommendations, limit=3, minimum=HINT_THRESHOLD, only=[draft]
    )[0]
    return [m for m in matches if m.kind == "recommendation"]


@login_required
@permission_required("consultation.add_proposal", raise_exception=True)
def similar_hint(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx fragment of the proposal form: existing recommendations like the draft."""
    edition = _edition(request, slug)
    matches = _similar_recommendations(request, edition, request.GET)
    return render(
        request, "consultation/_similar_hint.html", {"edition": edition, "hints": matches}
    )


@login_required
@permission_required("consultation.view_proposal", raise_exception=True)
def proposal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One proposal; for the secretariat, its closest proposals and recommendations."""
    edition = _edition(request, slug)
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "zone", "event", "domain", "theme__domain", "merged_into", "author", "split_from"
        ),
        edition=edition,
        pk=pk,
    )
    matches = []
    if request.user.has_perm("consultation.view_all_proposals"):
        others = list(
            Proposal.objects.filter(edition=edition, language=proposal.language).select_related(
                "zone"
            )
        )
        recommendations = list(Recommendation.objects.filter(edition=edition))
        matches = similar_items(others, recommendations, limit=8, only=[proposal])[proposal.pk]
    merges = proposal.merges.select_related("merged_by", "undone_by").all()
    context = {
        "edition": edition,
        "proposal": proposal,
        "matches": matches,
        "threshold": DUPLICATE_THRESHOLD,
        "merges": merges,
        "can_merge": request.user.has_perm("consultation.add_merge")
        and proposal.status == ProposalStatus.NEW,
        "can_withdraw": proposal.can_be_withdrawn_by(request.user),
        "can_split": request.user.has_perm("consultation.add_split")
        and proposal.status == ProposalStatus.NEW,
        "splits": proposal.splits.select_related("split_by", "undone_by"),
        "siblings": proposal.split_from.parts.exclude(pk=proposal.pk).order_by("pk")
        if proposal.split_from_id
        else [],
    }
    return render(request, "consultation/proposal.html", context)


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = _edition(request, slug)
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user), edition=edition, pk=pk)
    if not proposal.can_be_withdrawn_by(request.user):
        raise PermissionDenied(
            _("Only a new proposal can be withdrawn, by its zone or the secretariat.")
        )
    if withdraw_proposal(proposal=proposal):
        messages.success(request, _("Proposal #%(id)s is withdrawn.") % {"id": proposal.pk})
    else:
        messages.error(
            request, _("Only a new proposal can be withdrawn, by its zone or the secretariat.")
        )
    return redirect("consultation:proposal", slug=edition.slug, pk=proposal.pk)


@login_required
@permission_required("consultation.view_all_proposals", raise_exception=True)
def duplicates(request: HttpRequest, slug: str) -> HttpResponse:
    """Every pair of new proposals scoring at or above the threshold, best first: computed
    by the worker, the page says so and polls until the pairs are ready."""
    edition = _edition(request, slug)
    scan = duplicate_scans.scan_for(edition)
    context = {
        "edition": edition,
        "scan": scan,
        "pairs": duplicate_scans.pairs_of(scan, edition) if scan.is_ready else [],
        "total": len(scan.pairs or []),
        "threshold": DUPLICATE_THRESHOLD,
    }
    if request.htmx:
        # 286 tells htmx to stop polling: the pairs are there.
        status = 286 if scan.is_ready else 200
        return render(request, "consultation/_duplicates.html", context, status=status)
    return render(request, "consultation/duplicates.html", context)


@login_required
@permission_required("consultation.import_proposals", raise_exception=True)
@require_http_methods(["GET", "POST"])
def proposal_import(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _edition(request, slug)
    return imports.import_page(
        request,
        kind=ImportKind.PROPOSALS,
        edition=edition,
        form=ImportForm(request.POST or None, request.FILES or None),
        run=lambda _name, content: importer.import_proposals(edition, content, by=request.user),
        template="consultation/import.html",
        columns=importer.COLUMNS,
        message=_proposals_imported,
    )


def _proposals_imported(result) -> str:
    count = result.created.get("proposals", 0)
    return ngettext("%(count)s proposal imported.", "%(count)s proposals imported.", count) % {
        "count": count
    }


@login_required
@permission_required("consultation.import_proposals", raise_exception=True)
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _edition(request, slug)
    return download_response(
        importer.template_xlsx(edition),
        f"proposals-{edition.slug}.xlsx",
    )


@login_required
@permission_required("consultation.add_merge", raise_exception=True)
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose the target of the selected proposals (GET from the list), then merge (POST)."""
    edition = _edition(request, slug)
    data = request.POST if request.method == "POST" and "confirm" in request.POST else None
    ids = request.POST.getlist("proposals") or request.GET.getlist("proposals")
    form = MergeForm(data, edition=edition, initial={"proposals": ids})
    chosen = Proposal.objects.filter(
        edition=edition, pk__in=[p for p in ids if is_plain_number(p)]
    ).select_related("zone", "domain")
    if not chosen:
        messages.error(request, _("Select at least one proposal to merge."))
        return redirect("consultation:proposals", slug=edition.slug)
    if data is not None and form.is_valid():
        try:
            done = merge_proposals(
                proposals=form.cleaned_data["proposals"],
                into=form.into(),
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _merged_message(len(chosen), done.recommendation_code))
            return redirect(
                "consultation:provenance", slug=edition.slug, code=done.recommendation_code
            )
    if data is None:
        form.start_from(chosen[0])
    return render(
        request, "consultation/merge.html", {"edition": edition, "form": form, "chosen": chosen}
    )


def _merged_message(count: int, code: str) -> str:
    """What the secretariat reads once ``count`` proposals went into the recommendation ``code``."""
    return ngettext(
        "%(count)s proposal merged into %(code)s.",
        "%(count)s proposals merged into %(code)s.",
        count,
    ) % {"count": count, "code": code}


@login_required
@permission_required("consultation.view_merge", raise_exception=True)
def merges(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _edition(request, slug)
    items = edition.merges.select_related(
        "recommendation", "merged_by", "undone_by"
    ).prefetch_related("proposals")
    page, query_string = paginate(request, items)
    context = {"edition": edition, "page": page, "query_string": query_string}
    return render(request, "consultation/merges.html", context)


@login_required
@permission_required("consultation.delete_merge", raise_exception=True)
@require_http_methods(["GET", "POST"])
def merge_undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: say what undoing the merge will change; POST (the confirmation): undo it."""
    edition = _edition(request, slug)
    item = get_object_or_404(Merge, edition=edition, pk=pk)
    if request.method == "GET":
        if item.is_undone:
            messages.info(request, _("This merge was already undone."))
            return redirect("consultation:merges", slug=edition.slug)
        return render(
            request,
            "consultation/merge_undo.html",
            {"edition": edition, "merge": item, "preview": undo_merge_preview(item)},
        )
    try:
        item = undo_merge(merge=item, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Merge undone: the proposals are new again. %(note)s") % {"note": item.undo_note},
        )
    return redirect("consultation:merges", slug=edition.slug)


def recommendation_provenance(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Where a recommendation came from: events, zones and (for the secretariat) proposals."""
    edition = _edition(request, slug)
    recommendation = recommendation_for(request.user, edition, code)
    origin = provenance(recommendation)
    visible_ids = set(
        Proposal.objects.visible_to(request.user)
        .filter(merged_into=recommendation)
        .values_list("pk", flat=True)
    )
    context = {
        "edition": edition,
        "recommendation": recommendation,
        **origin,
        "visible_proposals": [p for p in origin["proposals"] if p.pk in visible_ids],
        "merges": recommendation.merges.select_related("merged_by").prefetch_related("proposals")
        if request.user.has_perm("consultation.view_merge")
        else [],
    }
    return render(request, "consultation/provenance.html", context)


@login_required
@permission_required("consultation.add_split", raise_exception=True)
@require_http_methods(["GET", "POST"])
def proposal_split(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Split one proposal into narrower new ones, each with its own (editable) texts.

    "Add a part" posts the form back with one more part, keeping what was typed."""
    edition = _edition(request, slug)
    proposal = get_object_or_404(Proposal.objects.select_related("zone"), edition=edition, pk=pk)
    if request.method == "GET":
        initial = [{"title": proposal.title, "text": proposal.text}] * 2
        formset = SplitFormSet(initial=initial, prefix="parts")
    elif "more" in request.POST:
        formset = SplitFormSet(_with_one_more_part(request.POST), prefix="parts")
    else:
        formset = SplitFormSet(request.POST, prefix="parts")
        if formset.is_valid():
            try:
                split = split_proposal(
                    proposal=proposal, parts=formset.parts(), by=request.user, request=request
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Proposal #%(id)s is split into %(parts)s.")
                    % {"id": proposal.pk, "parts": ", ".join(f"#{n}" for n in split.part_ids)},
                )
                return redirect("consultation:proposal", slug=edition.slug, pk=proposal.pk)
    context = {"edition": edition, "proposal": proposal, "formset": formset}
    return render(request, "consultation/split.html", context)


def _with_one_more_part(data):
    """The posted parts plus an empty one (at most ``max_num``); a bad count starts over."""
    data = data.copy()
    total = data.get("parts-TOTAL_FORMS", "")
    count = int(total) if is_plain_number(total) else 2
    data["parts-TOTAL_FORMS"] = str(min(max(count, 2) + 1, SplitFormSet.max_num))
    return data


@login_required
@permission_required("consultation.delete_split", raise_exception=True)
@require_http_methods(["GET", "POST"])
def split_undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: say what undoing the split will change; POST (the confirmation): undo it."""
    edition = _edition(request, slug)
    split = get_object_or_404(Split.objects.select_related("original"), edition=edition, pk=pk)
    back = redirect("consultation:proposal", slug=edition.slug, pk=split.original_id)
    if request.method == "GET":
        refusal = undo_split_refusal(split)
        if refusal:
            messages.info(request, refusal)
            return back
        parts = split.parts.order_by("pk")
        context = {"edition": edition, "split": split, "parts": parts}
        return render(request, "consultation/split_undo.html", context)
    try:
        undo_split(split=split, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Split undone: proposal #%(id)s is new again.") % {"id": split.original_id},
        )
    return back
