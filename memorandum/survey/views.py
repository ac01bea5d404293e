"""Survey pages for the secretariat and for readers of the results.

The ballot itself (by invitation link or logged in) is in :mod:`memorandum.survey.voting`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from memorandum.audit import services as audit
from memorandum.catalogue.models import Edition
from memorandum.catalogue.selectors import edition_for
from memorandum.lib import charts, guesses
from memorandum.lib.confirm import render_confirmation
from memorandum.lib.downloads import download_response
from memorandum.lib.i18n import localized
from memorandum.survey import actions, counting, results, services
from memorandum.survey import items as survey_items
from memorandum.survey import participation as responses
from memorandum.survey.ballots import kind_of, top_size
from memorandum.survey.forms import SurveyForm
from memorandum.survey.models import (
    METHOD_LABELS,
    Ballot,
    MailStatus,
    Participation,
    Survey,
    SurveyStatus,
)
from memorandum.survey.voting import ballot_by_link, my_ballot  # noqa: F401 (routed from urls)


def survey_for(request: HttpRequest, slug: str, pk: int) -> Survey:
    """The survey of an edition this user may see (404 otherwise)."""
    edition = edition_for(request.user, slug)
    return get_object_or_404(Survey.objects.select_related("edition"), edition=edition, pk=pk)


def can_see_results(user, survey: Survey) -> bool:
    return survey.status == SurveyStatus.TALLIED and (
        survey.edition.is_public or user.has_perm("survey.view_results")
    )


def may_vote_in(user, survey: Survey, zone) -> bool:
    return bool(zone) and user.has_perm("survey.vote") and survey.status == SurveyStatus.OPEN


def listed_surveys(user, edition: Edition) -> list[Survey]:
    """The surveys the survey list shows this user (the API lists the same ones): all of them
    for those who manage surveys, else tallied ones whose results they may see and open ones
    their zone votes in."""
    surveys = Survey.objects.for_edition(edition).select_related("edition")
    if user.has_perm("survey.manage_survey"):
        return list(surveys)
    zone = _zone_of(user)
    return [s for s in surveys if can_see_results(user, s) or may_vote_in(user, s, zone)]


def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every survey of the edition this user has something to do with."""
    edition = edition_for(request.user, slug)
    surveys = list(Survey.objects.for_edition(edition).select_related("edition"))
    manage = request.user.has_perm("survey.manage_survey")
    zone = _zone_of(request.user)
    voted, drafts = set(), set()
    if zone is not None:
        voted = set(Participation.objects.filter(zone=zone).values_list("survey_id", flat=True))
        drafts = set(Ballot.objects.filter(zone=zone).values_list("survey_id", flat=True))
    rows = []
    for survey in surveys:
        row = {
            "survey": survey,
            "manage": manage,
            "results": can_see_results(request.user, survey),
            "vote": may_vote_in(request.user, survey, zone),
            "voted": survey.pk in voted,
            "draft": survey.pk in drafts and survey.pk not in voted,
        }
        if manage or row["results"] or row["vote"]:
            rows.append(row)
    return render(request, "survey/list.html", {"edition": edition, "rows": rows, "manage": manage})


def _zone_of(user):
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return getattr(profile, "zone", None)


def _initial_titles(edition) -> dict[str, str]:
    """A suggested title in each content language, from the edition's title in that language."""
    initial = {}
    for lang in settings.CONTENT_LANGUAGES:
        with translation.override(lang):
            initial[f"title_{lang}"] = _("Priorities of %(edition)s") % {
                "edition": localized(edition, "title", lang)
            }
    return initial


@login_required
@permission_required("survey.manage_survey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for(request.user, slug)
    form = SurveyForm(
        request.POST or None,
        edition=edition,
        initial=_initial_titles(edition),
    )
    if request.method == "POST" and form.is_valid():
        form.instance.edition = edition
        survey = form.save()
        messages.success(request, _("Survey set up. Open it, then send the invitations."))
        return redirect(survey)
    return render(request, "survey/setup.html", {"edition": edition, "form": form})


@login_required
@permission_required("survey.manage_survey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    if refusal := services.edit_refusal(survey):
        messages.error(request, refusal)
        return redirect(survey)
    if request.method == "POST":
        try:
            with services.survey_editing(survey) as locked:
                form = SurveyForm(request.POST, instance=locked, edition=survey.edition)
                saved = form.is_valid() and form.save()
        except services.SurveyRefused as refused:
            messages.error(request, refused.message)
            return redirect(survey)
        if saved:
            messages.success(request, _("Survey saved."))
            return redirect(survey)
    else:
        form = SurveyForm(instance=survey, edition=survey.edition)
    return render(
        request,
        "survey/setup.html",
        {"edition": survey.edition, "form": form, "survey": survey, **_items_context(survey)},
    )


def _items_context(survey: Survey) -> dict:
    """The survey's items (frozen, or what opening would freeze) and catalogue changes since."""
    frozen = survey_items.is_frozen(survey)
    items = survey_items.survey_items(survey)
    return {
        "survey_items": items,
        # A ranking ballot's top is never larger than the list it is taken from.
        "top_size": top_size(len(items), survey.top_n),
        "asks_top": kind_of(survey.ballot_form).asks_top,
        "items_frozen": frozen,
        "catalogue_changes": survey_items.catalogue_changes(survey) if frozen else [],
    }


@login_required
@permission_required("survey.manage_survey", raise_exception=True)
def survey_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The secretariat's desk: settings, state, invitations and the next step."""
    survey = survey_for(request, slug, pk)
    voted = set(survey.participations.values_list("zone_id", flat=True))
    invitations = list(
        survey.invitations.select_related("zone__province").prefetch_related("mails")
    )
    rows = [(inv, inv.latest_mail()) for inv in invitations]
    mail_counts = responses.mail_counts(survey, rows=rows)
    return render(
        request,
        "survey/detail.html",
        {
            "edition": survey.edition,
            "survey": survey,
            **_items_context(survey),
            "invitations": invitations,
            "rows": rows,
            "mail_counts": mail_counts,
            "mails_pending": mail_counts[MailStatus.QUEUED] + mail_counts[MailStatus.SENDING],
            "run": counting.latest_run(survey),
            "voted": voted,
            "counts": responses.ballot_counts(survey),
            "method_label": METHOD_LABELS.get(survey.primary_method),
            "tally": survey.latest_tally(),
            "weight_classes": (survey.weight_classes or survey.compute_weight_classes()).get(
                "classes", []
            ),
        },
    )


@login_required
@permission_required("survey.manage_survey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def survey_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    """Open, invite, remind, close and count, resend failed e-mails, count again.

    GET says what will happen (a confirmation page); POST does it."""
    survey = survey_for(request, slug, pk)
    if action not in actions.SURVEY_ACTIONS:
        raise Http404
    if request.method == "GET":
        confirmation = actions.survey_confirmation(survey, action)
        if action == "remind" and request.GET.get("next") == "participation":
            confirmation.hidden["next"] = "participation"
            confirmation.cancel_url = reverse("survey:participation", args=[slug, pk])
        return render_confirmation(request, confirmation, context={"edition": survey.edition})
    try:
        messages.success(request, actions.survey_action_do(survey, action, request=request))
    except services.SurveyRefused as refused:
        messages.error(request, refused.message)
        return redirect(survey)
    if action == "remind" and request.POST.get("next") == "participation":
        return redirect("survey:participation", slug=slug, pk=pk)
    return redirect(survey)


@login_required
@permission_required("survey.manage_survey", raise_exception=True)
def count_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The count's progress, polled by the survey page (htmx) while the worker counts."""
    survey = survey_for(request, slug, pk)
    run = counting.latest_run(survey)
    # 286 tells htmx to stop polling: the count is over.
    status = 286 if request.htmx and (run is None or not run.is_active) else 200
    return render(
        request,
        "survey/_count_status.html",
        {"edition": survey.edition, "survey": survey, "run": run},
        status=status,
    )


@login_required
@permission_required("survey.manage_survey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def invitation_action(
    request: HttpRequest, slug: str, pk: int, invitation: int, action: str
) -> HttpResponse:
    """Send the same link again, send a new link, revoke: GET confirms, POST does it."""
    survey = survey_for(request, slug, pk)
    inv = get_object_or_404(survey.invitations.select_related("zone", "survey"), pk=invitation)
    if action not in actions.INVITATION_ACTIONS:
        raise Http404
    if request.method == "GET":
        confirmation = actions.invitation_confirmation(inv, action)
        return render_confirmation(request, confirmation, context={"edition": survey.edition})
    try:
        messages.success(request, actions.invitation_action_do(inv, action, request=request))
    except services.SurveyRefused as refused:
        messages.error(request, refused.message)
    return redirect(reverse("survey:detail", args=[slug, pk]) + "#invitations-heading")


@login_required
@permission_required("survey.view_participation", raise_exception=True)
def participation_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Response rates, refreshed by htmx polling while the survey is open."""
    survey = survey_for(request, slug, pk)
    context = {
        "edition": survey.edition,
        "survey": survey,
        "data": responses.participation(survey),
        "can_remind": request.user.has_perm("survey.manage_survey")
        and survey.status == SurveyStatus.OPEN,
    }
    template = "survey/_participation.html" if request.htmx else "survey/participation.html"
    return render(request, template, context)


def _results_or_404(request: HttpRequest, slug: str, pk: int) -> tuple[Survey, object]:
    survey = survey_for(request, slug, pk)
    tally = survey.latest_tally()
    if tally is None or not can_see_results(request.user, survey):
        raise Http404
    return survey, tally


def results_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey, tally = _results_or_404(request, slug, pk)
    receipt = (request.GET.get("receipt") or "").strip().lower()
    counted = None
    if receipt:
        # Checking receipts one after another would find other zones' ballots: limited.
        if guesses.is_blocked(request, "receipt"):
            return guesses.too_many_guesses(request)
        counted = results.receipt_counted(survey, tally, receipt)
        if not counted:
            guesses.record_miss(request, "receipt")
    return render(
        request,
        "survey/results.html",
        {
            "edition": survey.edition,
            "survey": survey,
            "tally": tally,
            "view": results.view_model(survey, tally),
            "receipt": receipt[:64],
            "receipt_counted": counted,
            "can_export_ballots": request.user.has_perm("survey.manage_survey")
            and not survey.is_anonymous,
        },
    )


@login_required
@permission_required("survey.manage_survey", raise_exception=True)
def ballots_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every counted ballot with its zone: only for attributed surveys, only for the secretariat."""
    survey, tally = _results_or_404(request, slug, pk)
    if survey.is_anonymous:
        raise Http404
    response = download_response(
        results.ballots_csv(survey),
        f"ballots-{survey.edition.slug}-{survey.pk}.csv",
    )
    audit.record(
        audit.Action.PERSONAL_DATA_EXPORTED, request=request, target=survey, what="ballots"
    )
    return response


def results_chart(request: HttpRequest, slug: str, pk: int, name: str) -> HttpResponse:
    survey, tally = _results_or_404(request, slug, pk)
    view = results.view_model(survey, tally)
    if name == "intervals":
        # A chart of hundreds of rows reads badly: it shows the head, the table has them all.
        svg = charts.rank_intervals(
            view["order"][: results.CHART_MAX_ITEMS],
            top_k=view["top_k"],
            xlabel=_("Rank (1 = highest priority)"),
        )
    elif name == "participation":
        svg = charts.participation(view["participation_rows"], xlabel=_("Response rate (%)"))
    else:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def results_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    survey, tally = _results_or_404(request, slug, pk)
    if fmt == "csv":
        content = results.to_csv(survey, tally)
    elif fmt == "xlsx":
        content = results.to_xlsx(survey, tally)
    else:
        raise Http404
    return download_response(content, f"survey-{survey.edition.slug}-{survey.pk}.{fmt}")
