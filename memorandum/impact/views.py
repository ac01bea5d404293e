"""Impact pages: missions, rounds (secretariat), the estimate form (zones), the report."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.selectors import edition_for
from memorandum.impact import outputs, selectors, services
from memorandum.impact.actions import ACTIONS
from memorandum.impact.forms import DelegateForm, EstimateForm, MissionForm, RoundForm
from memorandum.impact.models import EstimateRound, ImpactInvitation, Mission
from memorandum.lib.confirm import render_confirmation
from memorandum.lib.downloads import download_response
from memorandum.lib.guesses import limit_guesses

MANAGE = "impact.manage_mission"
VIEW = "impact.view_impact"


def mission_for(request: HttpRequest, slug: str, pk: int) -> Mission:
    edition = edition_for(request.user, slug)
    return get_object_or_404(Mission.objects.select_related("edition"), edition=edition, pk=pk)


def round_for(request: HttpRequest, slug: str, pk: int) -> EstimateRound:
    edition = edition_for(request.user, slug)
    queryset = EstimateRound.objects.select_related("mission__edition")
    return get_object_or_404(queryset, mission__edition=edition, pk=pk)


def report_for(request: HttpRequest, run, lang: str) -> outputs.ImpactReport:
    """The report as this reader may see it: the flagged answers (zone by zone, with their
    figures) are for the secretariat only, in every output."""
    report = outputs.report_in(run, lang)
    return report if request.user.has_perm(MANAGE) else replace(report, outliers=[])


def _zone_of(user) -> PoliceZone | None:
    return getattr(getattr(user, "profile", None), "zone", None)


@login_required
@permission_required(VIEW, raise_exception=True)
def mission_list(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    missions = Mission.objects.filter(edition=edition).prefetch_related("rounds")
    return render(request, "impact/missions.html", {"edition": edition, "missions": missions})


@login_required
@permission_required(MANAGE, raise_exception=True)
def mission_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    edition = edition_for(request.user, slug)
    mission = mission_for(request, slug, pk) if pk else Mission(edition=edition)
    form = MissionForm(request.POST or None, instance=mission, edition=edition)
    if request.method == "POST" and form.is_valid():
        mission = form.save()
        messages.success(request, _("The mission is saved."))
        return redirect(mission)
    context = {"edition": edition, "form": form, "mission": mission if pk else None}
    return render(request, "impact/mission_form.html", context, status=400 if form.errors else 200)


@login_required
@permission_required(VIEW, raise_exception=True)
def mission_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    mission = mission_for(request, slug, pk)
    form = RoundForm(request.POST or None, instance=EstimateRound(mission=mission))
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        if form.is_valid():
            round_ = form.save()
            messages.success(request, _("The round is prepared; open it to invite the zones."))
            return redirect(round_)
    zone = _zone_of(request.user) if request.user.has_perm("impact.estimate") else None
    context = {"edition": mission.edition, "mission": mission, "form": form, "zone": zone}
    context["rounds"] = mission.rounds.all()
    return render(request, "impact/mission.html", context, status=400 if form.errors else 200)


@login_required
@permission_required(MANAGE, raise_exception=True)
def round_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round_ = round_for(request, slug, pk)
    rows = selectors.participation(round_)
    submitted = sum(1 for r in rows if r.estimate and r.estimate.is_submitted)
    context = {
        "edition": round_.mission.edition,
        "round": round_,
        "mission": round_.mission,
        "rows": rows,
        "submitted": submitted,
        "count": round_.latest_count(),
        "actions": [name for name, action in ACTIONS.items() if action.allowed(round_)],
    }
    return render(request, "impact/round.html", context)


@login_required
@permission_required(MANAGE, raise_exception=True)
def round_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    round_ = round_for(request, slug, pk)
    if action not in ACTIONS:
        raise Http404
    todo = ACTIONS[action]
    if request.method != "POST" or not todo.allowed(round_):
        confirmation = todo.confirmation(round_, url=request.path, cancel=round_.get_absolute_url())
        return render_confirmation(
            request, confirmation, context={"edition": round_.mission.edition}
        )
    try:
        messages.success(request, todo.run(round_))
    except services.Refused as error:
        messages.error(request, error.message)
    return redirect(round_)


@login_required
@permission_required(VIEW, raise_exception=True)
def report_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round_ = round_for(request, slug, pk)
    run = round_.report()
    report = report_for(request, run, request.LANGUAGE_CODE) if run else None
    context = {"edition": round_.mission.edition, "round": round_, "mission": round_.mission}
    context |= {
        "report": report,
        "count": round_.latest_count(),
        "manage": request.user.has_perm(MANAGE),
    }
    if report:
        context["chart_rows"] = outputs.chart_rows(report)
    return render(request, "impact/report.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def report_download(request: HttpRequest, slug: str, pk: int, filename: str) -> HttpResponse:
    round_ = round_for(request, slug, pk)
    run = round_.report()
    if run is None or filename not in outputs.DOWNLOADS:
        raise Http404
    render_file, lang = outputs.DOWNLOADS[filename]
    lang = lang or request.LANGUAGE_CODE
    data = render_file(report_for(request, run, lang), lang)
    return download_response(
        data, f"impact-{round_.pk}-{filename}", inline=filename.endswith(".svg")
    )


# ------------------------------------------------------------------------- the estimate
def invalid_link(request: HttpRequest) -> HttpResponse:
    """The same page for a wrong, replaced or revoked link: it reveals nothing."""
    context = {"contact": settings.SECRETARIAT_EMAIL}
    return render(request, "survey/invalid_link.html", context, status=404)


@limit_guesses("invitation-link")
def estimate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return invalid_link(request)
    default = _("Corps chief of %(zone)s") % {"zone": invitation.zone.name}
    cast_by = invitation.delegate_name or default
    return estimate_page(request, invitation.round, invitation.zone, cast_by, invitation)


@login_required
@permission_required("impact.estimate", raise_exception=True)
def my_estimate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round_ = round_for(request, slug, pk)
    zone = _zone_of(request.user)
    if zone is None:
        raise PermissionDenied
    invitation = round_.invitations.filter(zone=zone).first()
    cast_by = request.user.get_full_name() or request.user.username
    return estimate_page(request, round_, zone, cast_by, invitation)


def estimate_page(
    request: HttpRequest,
    round_: EstimateRound,
    zone: PoliceZone,
    cast_by: str,
    invitation: ImpactInvitation | None,
) -> HttpResponse:
    """The estimate form of one zone, by link or signed in: save a draft, submit, hand over."""
    estimate = round_.estimates.filter(zone=zone).first()
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "delegate":
        return _delegate(request, round_, invitation)
    complete = action == "submit" or bool(estimate and estimate.is_submitted)
    form = EstimateForm(request.POST or None, instance=estimate, zone=zone, complete=complete)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.estimate_save(
                round=round_, zone=zone, values=values, submit=complete, cast_by=cast_by
            )
        except services.Refused as error:
            form.add_error(None, error.message)
            status = 403
        else:
            messages.success(request, _saved_message(saved))
            return redirect(request.path)
    context = {"round": round_, "mission": round_.mission, "zone": zone, "form": form}
    context |= {"estimate": estimate, "invitation": invitation, "edition": None}
    context["delegate_form"] = DelegateForm()
    return render(request, "impact/estimate.html", context, status=status)


def _saved_message(estimate) -> str:
    if estimate.is_submitted:
        return _("Your estimate is submitted. You can change it until the deadline.")
    return _("Draft saved. Remember to submit it before the deadline.")


def _delegate(
    request: HttpRequest, round_: EstimateRound, invitation: ImpactInvitation | None
) -> HttpResponse:
    """Hand the estimate to a colleague: a new link is mailed to them; this one stops working."""
    form = DelegateForm(request.POST)
    if invitation is None or not round_.accepts_answers() or not form.is_valid():
        messages.error(
            request,
            _(
                "The estimate was not handed over: give a name and a valid e-mail address while the round is open."
            ),
        )
        return redirect(request.path)
    services.invitation_delegate(invitation=invitation, **form.cleaned_data)
    messages.success(
        request,
        _("A new link was sent to %(name)s. The link you used no longer works.")
        % {"name": form.cleaned_data["name"]},
    )
    return redirect(request.path if request.user.is_authenticated else "home")
