"""The process page of an edition, and the secretariat moving it from phase to phase."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from memorandum.catalogue import process
from memorandum.catalogue.forms import PhaseBackForm, PlannedDatesForm
from memorandum.catalogue.models import Edition, Phase
from memorandum.catalogue.selectors import edition_for
from memorandum.catalogue.services import (
    PhaseMoveRefused,
    earlier_phases,
    edition_move_phase,
    edition_plan_phase,
    next_phase,
)
from memorandum.lib.confirm import render_confirmation

MOVE = "catalogue.change_edition"


def edition_process(request: HttpRequest, slug: str) -> HttpResponse:
    """Every phase with its dates, what happened in it and what comes next, and for whom."""
    return _process_page(request, edition_for(request.user, slug))


def _process_page(
    request: HttpRequest, edition: Edition, bound: PlannedDatesForm | None = None
) -> HttpResponse:
    """The process page; the secretariat gets a planned-dates form per phase (``bound``:
    the one just posted with errors, shown again with what was typed)."""
    following = next_phase(edition)
    can_move = request.user.has_perm(MOVE)
    rows = process.process_for(request.user, edition)
    if can_move:
        dates = process.phase_dates(edition)
        for row in rows:
            row.plan_form = (
                bound
                if bound is not None and bound.instance.phase == row.phase
                else PlannedDatesForm(instance=dates[row.phase], prefix=f"plan-{row.phase}")
            )
    return render(
        request,
        "catalogue/process.html",
        {
            "edition": edition,
            "rows": rows,
            "can_move": can_move,
            "next_phase": Phase(following).label if following else "",
            "can_go_back": bool(earlier_phases(edition)),
        },
        status=400 if bound is not None else 200,
    )


@login_required
@permission_required(MOVE, raise_exception=True)
@require_POST
def phase_plan(request: HttpRequest, slug: str, phase: str) -> HttpResponse:
    """Set the planned dates of one phase; refused dates come back on the process page."""
    edition = get_object_or_404(Edition, slug=slug)
    if phase not in Phase.values:
        raise Http404
    row = process.phase_dates(edition)[phase]
    form = PlannedDatesForm(request.POST, instance=row, prefix=f"plan-{phase}")
    if not form.is_valid():
        return _process_page(request, edition, bound=form)
    edition_plan_phase(row=form.save(commit=False), by=request.user, request=request)
    messages.success(
        request,
        _("The planned dates of the phase “%(phase)s” are saved.") % {"phase": Phase(phase).label},
    )
    return redirect(reverse("catalogue:process", args=[edition.slug]) + f"#phase-{phase}")


@login_required
@permission_required(MOVE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def phase_next(request: HttpRequest, slug: str) -> HttpResponse:
    """GET says what moving to the next phase will do; POST moves the edition."""
    edition = get_object_or_404(Edition, slug=slug)
    if request.method == "GET":
        return render_confirmation(
            request, process.move_confirmation(edition), context={"edition": edition}
        )
    try:
        edition = edition_move_phase(
            edition=edition, to=request.POST.get("to", ""), by=request.user, request=request
        )
    except PhaseMoveRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("The edition is now in the phase “%(phase)s”.")
            % {"phase": edition.get_phase_display()},
        )
    return redirect("catalogue:process", slug=edition.slug)


@login_required
@permission_required(MOVE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def phase_back(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the edition back to an earlier phase, with a reason."""
    edition = get_object_or_404(Edition, slug=slug)
    choices = [(p, Phase(p).label) for p in earlier_phases(edition)]
    form = PhaseBackForm(request.POST or None, phases=choices)
    if request.method == "POST" and form.is_valid():
        try:
            edition_move_phase(
                edition=edition,
                to=form.cleaned_data["phase"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except PhaseMoveRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The edition is back in the phase “%(phase)s”.")
                % {"phase": Phase(form.cleaned_data["phase"]).label},
            )
            return redirect("catalogue:process", slug=edition.slug)
    return render(
        request,
        "catalogue/phase_back.html",
        {"edition": edition, "form": form, "phases": choices},
    )
